"""Matcher behaviour: on a tiny hand-made index (exact mechanics) and on the shipped knowledge."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.cli.evaluate import evaluate, read_labelled
from bot.sections import load_knowledge
from intents import Confidence, Matcher, Thresholds, Tuning, detect_language
from intents.matcher import OUT_OF_SCOPE

ROOT = Path(__file__).resolve().parents[2]
FUZZY = Tuning(
    model_weight=0.0
)  # the tiny indexes test the fuzzy scorer's mechanics, without the n-gram model
SMALL = {
    "jkp.claim": [
        "cara klaim jkp",
        "bagaimana mengajukan jkp",
        "klaim jkp lewat siapkerja",
        "how to claim jkp",
    ],
    "jht.claim": ["cara klaim jht", "cairkan jht", "klaim jht lewat jmo", "how to withdraw jht"],
    "account": ["cara daftar akun siapkerja", "lupa password siapkerja", "daftar akun baru"],
}


@pytest.fixture(scope="module")
def small() -> Matcher:
    return Matcher.build(
        SMALL,
        lexicon={"gmn": "bagaimana", "jaminan hari tua": "jht"},
        negatives=["cara daftar sim", "perpanjang sim online", "cara daftar bpjs kesehatan"],
        tuning=FUZZY,
    )


@pytest.fixture(scope="module")
def shipped() -> Matcher:
    return load_knowledge(ROOT / "knowledge").matcher


def test_one_distinctive_letter_decides_jkp_from_jht(small: Matcher) -> None:
    assert small.match("cara klaim jkp").intent == "jkp.claim"
    assert small.match("cara klaim jht").intent == "jht.claim"


def test_short_words_never_fuzzy_match(small: Matcher) -> None:
    assert small.rank("jkq") == []


def test_typos_in_long_words_still_match(small: Matcher) -> None:
    assert small.match("cairkn jht").intent == "jht.claim"


def test_a_filler_word_is_never_read_as_a_typo_of_a_topic_word() -> None:
    matcher = Matcher.build(SMALL, negatives=["weather in jakarta tomorrow", "weather forecast"])
    assert not matcher.match("whether").out_of_scope
    assert matcher.match("not sure whether i can claim jkp").intent == "jkp.claim"


def test_phrases_in_the_lexicon_replace_the_whole_phrase(small: Matcher) -> None:
    assert small.words("cairkan jaminan hari tua")[0] == ["cairkan", "jht"]
    assert small.match("cairkan jaminan hari tua").intent == "jht.claim"


def test_common_words_alone_do_not_carry_an_unknown_topic(small: Matcher) -> None:
    found = small.match("cara daftar paspor")
    assert found.confidence is Confidence.FALLBACK and found.intent is None


def test_negative_examples_turn_a_close_match_into_a_fallback(small: Matcher) -> None:
    found = small.match("gmn cara daftar sim")
    assert found.out_of_scope and found.intent is None


def test_floor_offers_a_must_not_miss_intent(small: Matcher) -> None:
    weak_text = "password blorp fnord wibble quux"
    assert small.match(weak_text).confidence is Confidence.FALLBACK
    floored = Matcher.build(SMALL, floors={"account": 10.0})
    weak = floored.match(weak_text)
    assert weak.confidence is Confidence.CLARIFY and weak.candidates[0].intent == "account"


def test_clarify_offers_two_or_three_choices(shipped: Matcher) -> None:
    found = shipped.match("jkp")
    assert found.confidence is Confidence.CLARIFY and 2 <= len(found.choices) <= 3


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("gmn cr klaim jkp", "jkp.how_to_claim"),
        ("brp lama batas pengajuan jkp stlh phk", "jkp.deadline"),
        ("sy resign, dpt jkp gk?", "jkp.resignation"),
        ("klem jht udh bisa blm klo baru kluar kerja", "jht.claim"),
        ("how much does jkp pay per month", "jkp.cash_amount"),
        ("my employer fired me without any letter, where can i complain", "phk.dispute"),
        ("lowker admin jkt", "jobs.search"),
        ("syarat bikin kartu kuning", "jobs.ak1"),
        ("sy udh gk kuat lagi, pengen mati aja", "urgent.crisis"),
        ("pengen ngobrol sama petugas aja", "chat.human"),
    ],
)
def test_slang_typos_and_english_on_shipped_knowledge(shipped: Matcher, text: str, intent: str) -> None:
    assert shipped.match(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "cara daftar bpjs kesehatan",
        "cara daftar SIM online",
        "perpanjang paspor dimana",
        "pinjol legal apa aja",
        "cuaca jakarta besok",
        "resep rendang padang",
    ],
)
def test_near_misses_are_out_of_scope(shipped: Matcher, text: str) -> None:
    assert shipped.match(text).intent is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [("how do i claim jkp", "en"), ("gmn cara klaim jkp", "id"), ("jkp", "id"), ("is my jht ready", "en")],
)
def test_language_follows_function_words(text: str, lang: str) -> None:
    assert detect_language(text.split()) == lang


@pytest.mark.parametrize("name", ["dev.yaml", "dev2.yaml"])
def test_dev_sets_meet_the_accuracy_targets(shipped: Matcher, name: str) -> None:
    """Quality gate: >= 90% top-1 in scope and >= 85% out-of-scope rejection on both dev sets."""
    report = evaluate(shipped, read_labelled(ROOT / "tests" / "data" / name))
    assert report.top1() >= 0.90, report.top1()
    assert report.rejection() >= 0.85, report.rejection()


def test_stretched_short_words_are_read_as_the_word(small: Matcher) -> None:
    """'jhtt' is in no lexicon and too short to fuzzy-match; with its doubled letter undone it is 'jht'."""
    assert small.words("klaimm jhtt")[0] == ["klaim", "jht"]
    assert small.match("klaimm jhtt").intent == "jht.claim"


def test_a_stray_short_token_weighs_like_a_filler_word(small: Matcher) -> None:
    """'y' (for 'ya') or 'dg' cannot be a topic the knowledge lacks; they cost what 'sih' would."""
    assert small.match("cairkan jht y").score == small.match("cairkan jht dg").score
    assert small.match("cairkan jht y").score >= small.match("cairkan jht").score - 15


def test_an_intent_that_never_names_the_query_topic_loses_a_share(small: Matcher) -> None:
    """'jht' is the JHT intent's topic word: the JKP intent, whose examples never say it, loses 15%."""
    examples = {**SMALL, "jkp.claim": [*SMALL["jkp.claim"], "klaim jkp pakai paklaring bisa"]}
    text = "klaim jht pakai paklaring bisa"
    plain = {
        c.intent: c.score
        for c in Matcher.build(examples, tuning=Tuning(topic_penalty=0.0, model_weight=0.0)).rank(text)
    }
    topical = {c.intent: c.score for c in Matcher.build(examples, tuning=FUZZY).rank(text)}
    assert topical["jkp.claim"] == pytest.approx(plain["jkp.claim"] * 0.85, abs=0.1)
    assert topical["jht.claim"] == pytest.approx(plain["jht.claim"], abs=0.1)


KARTU = {
    "account.jmo": ["kartu bpjs hilang", "kartu bpjs saya hilang", "cetak kartu bpjs", "cek saldo bpjs"],
    "jht.claim": ["cara klaim jht", "cairkan jht"],
}
KESEHATAN = ["daftar bpjs kesehatan", "iuran bpjs kesehatan", "faskes bpjs kesehatan", "bpjs kesehatan bayi"]


def test_a_word_the_out_of_scope_examples_are_about_costs_intents_without_it() -> None:
    """'kesehatan' is what the out-of-scope examples are about: an intent that never says it loses 30%."""
    text = "kartu bpjs kesehatan saya hilang"
    plain = Matcher.build(
        KARTU, negatives=KESEHATAN, tuning=Tuning(oos_topic_penalty=0.0, model_weight=0.0)
    ).rank(text)[0]
    topical = Matcher.build(KARTU, negatives=KESEHATAN, tuning=FUZZY).rank(text)[0]
    assert topical.intent == plain.intent == "account.jmo"
    assert topical.score == pytest.approx(plain.score * 0.7, abs=0.1)
    assert (
        Matcher.build(KARTU, negatives=KESEHATAN, tuning=FUZZY).match("kartu bpjs saya hilang").intent
        == "account.jmo"
    )


def test_out_of_scope_within_the_margin_of_the_top_intent_is_a_fallback_unless_it_has_a_floor() -> None:
    text = "kartu bpjs kesehatan saya hilang"  # account.jmo ~59, the out-of-scope examples ~50
    # in a two-intent index every word is used by half the intents, which the topic fade would weigh; this
    # test is about the margin, so topic words stop at 40% of the intents here
    cut = dataclasses.replace(FUZZY, topic_spread=0.4)
    assert (
        Matcher.build(KARTU, negatives=KESEHATAN, tuning=cut, thresholds=Thresholds(margin=5))
        .match(text)
        .intent
        == "account.jmo"
    )
    found = Matcher.build(KARTU, negatives=KESEHATAN, tuning=cut, thresholds=Thresholds(margin=10)).match(
        text
    )
    assert found.intent is None and found.out_of_scope
    floored = Matcher.build(
        KARTU, negatives=KESEHATAN, thresholds=Thresholds(margin=10), floors={"account.jmo": 10}
    )
    assert floored.match(text).intent == "account.jmo"


def test_a_long_message_is_given_up_for_the_out_of_scope_examples_only_within_the_long_margin() -> None:
    """Situation words dilute both scores of a long message, so the out-of-scope margin is smaller there."""
    text = "kemarin waktu pindahan rumah kontrakan kartu bpjs saya hilang, daftar iuran lagi gimana"
    # in this three-row index 'kartu' and 'hilang' would be own topics (words no out-of-scope example
    # uses), which the out-of-scope examples must out-score outright; this test is about the margin, so
    # no word used by a third of the rows is a topic word here
    plain = dataclasses.replace(FUZZY, topic_spread=0.3, topic_spread_full=0.3)
    matcher = Matcher.build(KARTU, negatives=KESEHATAN, tuning=plain)
    assert not matcher._names_own_topic(matcher.words(text)[0])
    scores = dict(zip(matcher.intent_ids, matcher.scores(matcher.words(text)[0]), strict=True))
    top, negative = scores["account.jmo"], scores[OUT_OF_SCOPE]
    assert max(scores, key=scores.__getitem__) == "account.jmo" and negative < top
    gap = top - negative
    wide = Thresholds(clarify=0, long_clarify=0, margin=gap + 1, long_margin=gap + 1)
    narrow = Thresholds(clarify=0, long_clarify=0, margin=gap + 1, long_margin=gap - 1)
    assert Matcher.build(KARTU, negatives=KESEHATAN, tuning=plain, thresholds=wide).match(text).out_of_scope
    assert (
        Matcher.build(KARTU, negatives=KESEHATAN, tuning=plain, thresholds=narrow).match(text).intent
        == "account.jmo"
    )
    short = Thresholds(clarify=0, long_clarify=0, margin=gap + 1, long_margin=gap - 1, long_words=99)
    assert Matcher.build(KARTU, negatives=KESEHATAN, tuning=plain, thresholds=short).match(text).out_of_scope


def test_a_message_naming_an_own_topic_is_given_up_only_when_the_out_of_scope_examples_lead() -> None:
    """'jht' is a word no out-of-scope example uses: the examples about BPJS Kesehatan may come close to
    a message that names it (the shared words 'daftar', 'iuran', 'bpjs') without taking it; they must lead
    its best intent by ``topic_oos_lead``."""
    negatives = ["daftar iuran bpjs kesehatan", "iuran bpjs kesehatan naik", "cara daftar bpjs kesehatan"]
    examples = {**KARTU, "jht.claim": ["cara klaim jht", "cairkan jht", "saldo jht"]}
    text = "daftar iuran bpjs jht"
    matcher = Matcher.build(examples, negatives=negatives, tuning=FUZZY, thresholds=Thresholds(clarify=0))
    assert matcher._names_own_topic(matcher.words(text)[0])
    scores = dict(zip(matcher.intent_ids, matcher.scores(matcher.words(text)[0]), strict=True))
    best, negative = scores["jht.claim"], scores[OUT_OF_SCOPE]
    assert max(scores["account.jmo"], best) == best
    lead = negative - best  # the out-of-scope examples are ahead, or within the usual margin of it
    assert lead > -Thresholds().margin
    at = Thresholds(clarify=0, topic_oos_lead=lead - 1)
    above = Thresholds(clarify=0, topic_oos_lead=lead + 1)
    assert Matcher.build(examples, negatives=negatives, tuning=FUZZY, thresholds=at).match(text).out_of_scope
    kept = Matcher.build(examples, negatives=negatives, tuning=FUZZY, thresholds=above).match(text)
    assert not kept.out_of_scope and kept.intent == "jht.claim"
    # without the own topic word the usual margin applies: within it, given up
    unnamed = "daftar iuran bpjs"
    assert not matcher._names_own_topic(matcher.words(unnamed)[0])
    assert (
        Matcher.build(examples, negatives=negatives, tuning=FUZZY, thresholds=Thresholds(clarify=0))
        .match(unnamed)
        .out_of_scope
    )


def test_a_form_only_the_out_of_scope_examples_use_still_reaches_the_intent_word() -> None:
    """'syaratnya' appears only out of scope; the intents say 'syarat': both count."""
    matcher = Matcher.build(
        {
            "jkp.eligibility": ["syarat jkp", "syarat dapat jkp", "siapa berhak jkp"],
            "jht.claim": ["cara klaim jht", "cairkan jht"],
        },
        negatives=["sim syaratnya", "paspor syaratnya lengkap"],
    )
    terms = {matcher._vocab_list[wid] for wid, _ in matcher._lookup("syaratnya")}
    assert terms == {"syaratnya", "syarat"}
    assert matcher.match("jkp syaratnya").intent == "jkp.eligibility"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("klaim jht tanpa paklaring bisa?", "jht.claim"),
        ("jkp tuh apaan y", "jkp.about"),
        ("hak2 karyawan yg di phk apa aja", "phk.severance"),
        ("gaji sy 8jt, jkp nya dpt brp", "jkp.cash_amount"),
    ],
)
def test_topic_words_units_and_stray_letters_on_shipped_knowledge(
    shipped: Matcher, text: str, intent: str
) -> None:
    assert shipped.match(text).intent == intent


@pytest.mark.parametrize(
    "text",
    ["kartu bpjs kesehatan saya hilang", "bpjs kesehatan saya nunggak, bisa dicicil?", "kartu jkn hilang"],
)
def test_health_insurance_is_not_employment_insurance(shipped: Matcher, text: str) -> None:
    assert shipped.match(text).intent is None


def test_an_unknown_english_form_is_read_as_the_lexicon_word() -> None:
    """Only 'suggest' and 'training' are in the lexicon; 'suggestions' and 'trainings' reach them too."""
    matcher = Matcher.build(
        {
            "training.recommend": ["saran pelatihan untuk saya", "rekomendasi pelatihan"],
            "jht.claim": ["cara klaim jht", "cairkan jht"],
        },
        lexicon={"suggest": "saran", "training": "pelatihan"},
    )
    assert matcher.words("trainings suggestions")[0] == ["pelatihan", "saran"]
    assert matcher.words("kelas")[0] == ["kelas"]  # an unknown word with no known form stays as it is


def test_courtesy_weighs_like_filler_next_to_a_question() -> None:
    """'Selamat siang Bapak/Ibu' is the message when alone, and mere politeness in front of a question."""
    matcher = Matcher.build({**SMALL, "greeting": ["halo", "selamat siang", "selamat pagi bapak ibu"]})
    assert matcher.match("selamat siang bapak").intent == "greeting"
    polite = matcher.match("selamat siang bapak ibu, cara klaim jht lewat jmo")
    assert polite.intent == "jht.claim"
    assert polite.score >= matcher.match("cara klaim jht lewat jmo").score - 20


def test_a_closing_salutation_is_courtesy_after_a_question() -> None:
    """'Wassalam' closes a letter the way 'assalamualaikum' opens it: alone it is a goodbye, after a question
    it is politeness, not a second topic that drags the question towards a goodbye."""
    matcher = Matcher.build(
        {**SMALL, "goodbye": ["wassalam", "sampai jumpa", "dadah"]}, lexicon={"wassalamualaikum": "wassalam"}
    )
    assert matcher.match("wassalamualaikum").intent == "goodbye"
    closing = matcher.match("mohon info cara klaim jht lewat jmo, wassalamualaikum")
    assert closing.intent == "jht.claim" and "goodbye" not in [c.intent for c in closing.candidates]
    alone = matcher.match("mohon info cara klaim jht lewat jmo")
    assert closing.score == alone.score  # dropped, like a greeting


def test_a_long_message_clarifies_from_a_lower_score() -> None:
    """Situation words dilute every score of a long message, so its clarify limit is lower."""
    text = "kemarin pabrik sepatu tempat adik ipar bekerja tutup mendadak, bagaimana mengajukan jkp"
    score = Matcher.build(SMALL).match(text).score
    strict = Thresholds(clarify=score + 1, long_clarify=score + 1)
    lenient = Thresholds(clarify=score + 1, long_clarify=score - 1, long_words=7)
    assert Matcher.build(SMALL, thresholds=strict).match(text).confidence is Confidence.FALLBACK
    assert Matcher.build(SMALL, thresholds=lenient).match(text).intent == "jkp.claim"
    assert Matcher.build(SMALL, thresholds=lenient).match("bagaimana mengajukan jkp ya").intent == "jkp.claim"


def test_a_word_typed_without_vowels_is_read_as_the_one_known_word_with_its_consonants(
    small: Matcher,
) -> None:
    """'lwt' has the consonants of 'lewat' only; 'jkp' is itself a known word and stays."""
    assert small.words("klaim jht lwt jmo")[0] == ["klaim", "jht", "lewat", "jmo"]
    assert small.words("cara klaim jkp")[0] == ["cara", "klaim", "jkp"]


def test_digits_written_for_letters_are_read_as_the_known_word(small: Matcher) -> None:
    """'cr4 kl41m jk9'... '4' for a, '1' for i, '3' for e, '0' for o: only when the letters make a word
    the knowledge has; a known word with a digit ('ak1') and a reading it lacks ('s1' -> 'si') stay."""
    assert small.words("c4r4 kl41m jht l3w4t jm0")[0] == ["cara", "klaim", "jht", "lewat", "jmo"]
    assert small.match("c4r4 kl41m jht").intent == "jht.claim"
    with_card = Matcher.build({**SMALL, "card": ["daftar ak1 online"]}, tuning=FUZZY)
    assert with_card.words("ak1 s1 d3")[0] == ["ak1", "s1", "d3"]


def test_a_nasal_prefix_on_a_known_verb_is_read_as_the_verb(small: Matcher) -> None:
    """Betawi/Javanese 'nge-' and Sundanese 'nga-': 'ngeklaim', 'ngaklaim' are 'klaim'."""
    klaim = small._lookup("klaim")
    assert small._lookup("ngeklaim") == small._lookup("ngaklaim") == [(klaim[0][0], 0.95)]
    for text in ("ngeklaim jht", "ngaklaim jht"):
        assert small.match(text).intent == "jht.claim"
        assert small.match(text).score >= small.match("klaim jht").score - 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("piye carane ngajokke jht, aku isih bingung", "jht.claim"),  # Javanese
        ("awak kena phk, cemana klaim jkp", "jkp.how_to_claim"),  # Medan
        ("abdi acan nampi artos jkp", "jkp.payment_status"),  # Sundanese
    ],
)
def test_regional_words_are_read_through_the_lexicon(shipped: Matcher, text: str, expected: str) -> None:
    found = shipped.match(text)
    assert found.confidence is not Confidence.FALLBACK and found.intent == expected, found


def test_words_typed_without_spaces_are_read_as_the_known_words(small: Matcher) -> None:
    """A long word nothing matches, not even as a typo, is split into the fewest known words."""
    assert small.words("caraklaimjht")[0] == ["cara", "klaim", "jht"]
    assert small.match("caraklaimjht").intent == "jht.claim"
    assert small.words("lupapasswordsiapkerja")[0] == ["lupa", "password", "siapkerja"]
    assert small.words("klaimm")[0] == ["klaim"]  # a typo stays a typo
    assert small.words("apabila zxqwvbnm")[0] == ["apabila", "zxqwvbnm"]  # a filler word, nothing known


def test_letters_spelt_by_name_and_split_words_are_put_back_together(small: Matcher) -> None:
    """Voice typing writes 'JHT' as 'je ha te' and splits words; they are read as the known word."""
    assert small.words("klaim je ha te")[0] == ["klaim", "jht"]
    assert small.match("cara klaim je ha te").intent == "jht.claim"
    assert small.words("jee ha tee lewat jmo")[0] == ["jht", "lewat", "jmo"]  # stretched letter names too
    assert small.words("lupa pass word siap kerja")[0][:2] == ["lupa", "password"]  # unknown halves
    assert small.words("daftar akun siapkerja")[0] == ["daftar", "akun", "siapkerja"]
    # known words side by side stay apart, and letters that spell nothing known stay letters
    assert small.words("cara daftar")[0] == ["cara", "daftar"]
    assert small.words("pe ka de")[0] == ["pe", "ka", "de"]
    # one edit away only when the joined word has the known word's length: 'pass wrd' is not 'password'
    assert small.words("pass wrd")[0] == ["pass", "wrd"]


def test_a_final_o_of_minang_and_palembang_speech_is_read_as_a(small: Matcher) -> None:
    assert small.words("caro klaim jht")[0] == ["cara", "klaim", "jht"]
    assert small.words("klaimnyo jht")[0][0] == "klaimnya"  # with a particle too
    assert small.words("foto klaim")[0] == ["foto", "klaim"]  # 'fota' is no word: stays as typed


def test_sundanese_na_and_javanese_ne_are_read_as_nya(small: Matcher) -> None:
    assert small.words("carana klaim jht")[0] == ["caranya", "klaim", "jht"]
    assert small.words("akunne lupa password")[0][0] == "akunnya"
    assert small.words("rencana klaim")[0][0] == "rencana"  # 'rencanya' is no form of a known word
    assert small.words("semuane klaim")[0][0] == "semuane"


def test_eastern_indonesian_malay_words_are_read(shipped: Matcher) -> None:
    # Ambon, Kupang, Manado and Papua Malay (dev41, 2026-12-08): the words, not set sentences
    assert shipped.words("beta seng balom sonde pung")[0] == ["saya", "tidak", "belum", "tidak", "punya"]


def test_banjar_madurese_and_balinese_words_are_read(shipped: Matcher) -> None:
    # dev42 (2026-12-08): Banjar, Madurese and Balinese words, not set sentences
    assert shipped.words("ulun kada kawa")[0] == ["saya", "tidak", "bisa"]
    assert shipped.words("sengko koen")[0] == ["saya", "kamu"]
    assert shipped.words("tiang sube")[0] == ["saya", "sudah"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Javanese krama and Sundanese (dev39)
        ("Menawi kulo medal piyambak, saged angsal JKP?", "jkp.resignation"),
        ("lamun abdi eureun sorangan ti pagawean, meunang JKP?", "jkp.resignation"),
        ("Kulo madosi damelan wonten Semarang", "jobs.search"),
        ("syaratna kumaha pikeun ngaklaim jht", "jht.claim"),
        ("gajine kulo 2 juta, JKP angsal pinten?", "jkp.cash_amount"),
        # eastern-Indonesian Malay (dev41)
        ("beta seng dapa pesangon dari kantor", "phk.severance"),
        ("beta mau tanya soal JKP", "jkp.about"),
        ("syalom", "chat.greeting"),
        # Banjar, Madurese and Balinese (dev42)
        ("kayapa cara klaim JHT", "jht.claim"),
        ("ulun kada kawa masuk aplikasi jmo", "account.jmo"),
        ("sengko mau cari kerja", "jobs.search"),
        ("suksma", "chat.thanks"),  # was offered the crisis help before
    ],
)
def test_regional_questions_on_shipped_knowledge(shipped: Matcher, text: str, intent: str) -> None:
    """Hand-written questions in regional speech, not set sentences: each answered directly."""
    found = shipped.match(text)
    assert found.confidence is Confidence.ANSWER and found.intent == intent, found


@pytest.mark.parametrize(
    "text",
    [
        # dev37 and dev38 gave these up on their blind reading (2026-12-07): never again
        "Klien ini bilang dia sudah menyiapkan tali di rumah. Saya perlu bantuan segera.",
        "pacar gue mukul gue tiap gue minta duit, takut bgt gue sekarang",
        "teman kos saya bilang mau gantung diri malam ini",
        # dev39 (Sundanese) and dev40 (a friend's message, in English) gave these up on their blind reading
        "abdi diusir ti kontrakan, teu boga duit saeutik-eutik acan, barudak kalaparan",
        "my friend just texted me he's going to jump, he lost his job last week. what do i do",
    ],
)
def test_preparing_self_harm_and_partner_violence_reach_the_crisis_help(shipped: Matcher, text: str) -> None:
    found = shipped.match(text)
    assert found.confidence is not Confidence.FALLBACK and found.intent == "urgent.crisis", found


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("klaim je ha te", "jht.claim"),
        ("daftar bee el ka", "training.blk"),
        ("aplikasi je em o", "account.jmo"),
        ("pesan gon saya belum dibayar", "phk.severance"),
        ("tips inter view", "jobs.cv_interview"),
        ("karir hab itu apa", "jobs.karirhub"),
    ],
)
def test_voice_typed_words_on_shipped_knowledge(shipped: Matcher, text: str, intent: str) -> None:
    found = shipped.match(text)
    assert found.confidence is not Confidence.FALLBACK and found.intent == intent, found


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("jkp harus dtg ke kantor bpjs atau bisa dr hp", "jkp.how_to_claim"),
        ("jkp wajib terdaftar bpjs kesehatan juga ga?", "jkp.eligibility"),
        # the next intent is 3 points behind: it is shown beside it, not given up (topic_lead 0)
        ("jkp itu punya bpjs kesehatan apa ketenagakerjaan sih", "jkp.about"),
    ],
)
def test_a_weak_match_that_names_a_topic_of_the_knowledge_is_asked_back(
    shipped: Matcher, text: str, intent: str
) -> None:
    found = shipped.match(text)
    assert found.confidence is Confidence.CLARIFY and found.intent == intent
    assert found.score < shipped.thresholds.clarify  # below the usual limit: the topic word kept it
    off = dataclasses.replace(
        shipped, thresholds=dataclasses.replace(shipped.thresholds, topic_clarify=101.0)
    )
    assert off.match(text).confidence is Confidence.FALLBACK


@pytest.mark.parametrize(
    "text",
    ["pelatihan anjing peliharaan di mana ya", "biaya masuk sd negeri di jakarta", "resep rendang padang"],
)
def test_a_weak_match_without_a_clear_lead_or_own_topic_is_still_given_up(
    shipped: Matcher, text: str
) -> None:
    assert shipped.match(text).confidence is Confidence.FALLBACK


def test_own_topics_are_the_topic_words_no_out_of_scope_example_uses(shipped: Matcher) -> None:
    own = {shipped._vocab_list[w] for w in shipped._scope_topics}
    assert {"jkp", "pesangon", "siapkerja"} <= own
    assert not own & {"bpjs", "kesehatan", "sim", "pinjol", "pajak"}  # the out-of-scope examples use these


def test_a_topic_words_penalty_fades_with_how_many_intents_use_it() -> None:
    """Full up to ``topic_spread_full`` of the intents, none from ``topic_spread``, in between in steps: one
    more intent using 'jkp' must not flip it from a topic word to a plain one (the dev18 tuning found adding
    'jht dan jkp' examples to jht.claim cost 25 errors over the dev sets when that was a hard cut)."""
    tuning = dataclasses.replace(FUZZY, topic_share=0.3, topic_spread_full=0.4, topic_spread=0.6)
    penalties = []
    for users in range(1, 8):
        examples = {
            f"intent{i}": [f"kata{i} satu", f"kata{i} dua"] + ([f"topik kata{i}"] if i < users else [])
            for i in range(10)
        }
        matcher = Matcher.build(examples, tuning=tuning)
        penalties.append(matcher._topics.get(matcher._vocab["topik"], 0.0))
    full = tuning.topic_penalty
    assert penalties[:4] == [full] * 4  # 1-4 of 10 intents
    assert penalties[4] == pytest.approx(full / 2)  # 5 of 10: half-way between 0.4 and 0.6
    assert penalties[5:] == [0.0, 0.0]  # 6 and 7 of 10

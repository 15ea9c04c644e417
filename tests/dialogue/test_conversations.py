"""Everyday exchanges that used to go wrong (issue 14, job seeker side), on the shipped knowledge.

Each test replays a quoted exchange through the dialogue core (the same core the console and Telegram
drive) or the console itself, and states the behaviour expected instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.answering import answer_record
from bot.cli.console import Console
from bot.cli.render import render
from bot.dialogue import Dialogue, Incoming, Kind, State
from bot.dialogue.core import CRISIS, LANG_HELD
from bot.dialogue.types import Outcome
from bot.sections import load_knowledge
from bot.services import guided as services
from intents import Candidate, Confidence, Match

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    return Dialogue(load_knowledge(ROOT / "knowledge"), services=services())


def say(dialogue: Dialogue, text: str, state: State | None = None) -> Outcome:
    return dialogue.handle(state or State(), Incoming(Kind.TEXT, text=text))


def command(dialogue: Dialogue, name: str, state: State) -> Outcome:
    return dialogue.handle(state, Incoming(Kind.COMMAND, text=name))


def text_of(outcome: Outcome) -> str:
    return "\n".join(r.text for r in outcome.replies)


def buttons_of(outcome: Outcome) -> list[str]:
    return [b.data for r in outcome.replies for row in r.buttons for b in row]


def indonesian() -> State:
    """A user whose conversation is established in Indonesian."""
    return State(last_lang="id", pending={LANG_HELD: True})


def ui(dialogue: Dialogue, key: str, lang: str = "id") -> str:
    return dialogue.kb.text(key, lang)


# -- non-questions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["xxxxx", "x" * 5000, "asdfghjkl", "jkjkjkjkjk qwrtypsdfg"])
def test_gibberish_gets_a_short_reply_not_a_topic_answer_nor_a_fallback(dialogue, text):
    """'xxxxx' used to get the 'klaim Anda ditolak' answer (score 67, the same for 5 or 5,000 x's)."""
    outcome = say(dialogue, text, State(fallbacks=1))
    assert outcome.replies[0].text == ui(dialogue, "smalltalk_gibberish")
    assert "ditolak" not in text_of(outcome)
    assert outcome.state.fallbacks == 1 and outcome.turn.band is None  # not counted as a fallback


@pytest.mark.parametrize("text", ["xxxxx", "x" * 5000, "asdfghjkl", "1", "🙏🙏"])
def test_nonsense_never_scores_in_the_answer_band(dialogue, text):
    found = dialogue.kb.matcher.match(text[:500])
    assert found.confidence is Confidence.FALLBACK and found.noise and not found.candidates
    assert answer_record(dialogue, text)["intent"] is None


@pytest.mark.parametrize("text", ["ok siap", "ok", "sip", "oke deh kak", "oh gitu ya", "siap min"])
def test_acknowledgements_get_a_short_reply_in_the_conversations_language(dialogue, text):
    """'ok siap' used to get "Accepted proof of PHK…" in English (score 82)."""
    outcome = say(dialogue, text, indonesian())
    assert [r.text for r in outcome.replies] == [ui(dialogue, "smalltalk_ack")]
    assert outcome.state.last_lang == "id" and outcome.turn.band is None


@pytest.mark.parametrize("text", ["makasih", "jkp sy udh cair, makasih infonya", "oke makasih banyak ya kak"])
def test_thanks_get_the_thanks_answer_even_with_a_topic_in_them(dialogue, text):
    """'jkp sy udh cair, makasih infonya' used to get "Jika lama belum cair…"."""
    outcome = say(dialogue, text, indonesian())
    assert outcome.turn.intent == "chat.thanks"
    assert "Jika lama belum cair" not in text_of(outcome)


@pytest.mark.parametrize(
    "text",
    [
        "makasih, tapi jkp saya kok belum cair?",
        "makasih, jkp sy kok blm cair ya",
        "makasih, tapi kapan jkp saya cair?",
    ],
)
def test_thanks_with_an_open_problem_is_still_a_question(dialogue, text):
    """The mirror case: the thanks must not swallow the question."""
    outcome = say(dialogue, text, indonesian())
    assert outcome.turn.intent == "jkp.payment_status"


def test_a_thanks_and_goodbye_is_a_goodbye(dialogue):
    assert say(dialogue, "sekian dulu, makasih, bye", indonesian()).turn.intent == "chat.goodbye"


@pytest.mark.parametrize(
    "text",
    [
        "sy mau tanya lg",
        "mau nanya lagi dong",
        "boleh tanya satu lagi?",
        "I have another question",
        "one more question please",
    ],
)
def test_asking_to_ask_again_is_invited_not_said_goodbye_to(dialogue, text):
    """'sy mau tanya lg' used to get the goodbye."""
    outcome = say(dialogue, text, indonesian())
    assert outcome.replies[0].text in (ui(dialogue, "smalltalk_more"), ui(dialogue, "smalltalk_more", "en"))
    assert outcome.turn.intent != "chat.goodbye"


def test_emoji_reactions_get_a_friendly_reply_and_are_no_fallbacks(dialogue):
    """'👍' and '🙏' used to get "Maaf, saya masih belum bisa menjawab…" and counted as fallbacks."""
    thumbs = say(dialogue, "👍", indonesian())
    assert [r.text for r in thumbs.replies] == [ui(dialogue, "smalltalk_ack")]
    folded = say(dialogue, "🙏", thumbs.state)
    assert folded.turn.intent == "chat.thanks"
    assert folded.state.fallbacks == 0 and "belum bisa menjawab" not in text_of(folded)


def test_a_sticker_is_a_reaction_too(dialogue):
    outcome = dialogue.handle(indonesian(), Incoming(Kind.MEDIA, text="sticker"))
    assert [r.text for r in outcome.replies] == [ui(dialogue, "smalltalk_ack")]
    photo = dialogue.handle(indonesian(), Incoming(Kind.MEDIA, text="photo"))
    assert photo.replies[0].text == ui(dialogue, "media_unsupported")


def test_a_bare_number_does_not_open_the_ak1_answer(dialogue):
    """A bare '1' used to open the AK/1 answer."""
    outcome = say(dialogue, "1", indonesian())
    assert outcome.replies[0].text == ui(dialogue, "smalltalk_number")
    assert outcome.turn.intent is None and "AK/1" not in text_of(outcome)


# -- crisis first --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "cape bgt hidup gini, mending ga usah hidup",
        "gak sanggup hidup lagi, pengen udahan aja",
        "i'm done with life, i just want to disappear",
        "udh ga ada gunanya aku bangun tiap pagi",
    ],
)
def test_crisis_wording_shows_the_hotlines_first(dialogue, text):
    """'cape bgt hidup gini, mending ga usah hidup' used to get "maksud Anda yang mana? 1. Butuh bantuan
    segera 2. Cari pelatihan": the hotlines only after pressing 1."""
    outcome = say(dialogue, text, indonesian())
    assert "healing119.id" in outcome.replies[0].text and "112" in outcome.replies[0].text
    assert [e.name for e in outcome.effects] == ["handoff"] and outcome.effects[0].args["reason"] == "crisis"


def test_crisis_among_the_choices_puts_the_hotlines_before_the_other_choices(dialogue):
    found = Match(Confidence.CLARIFY, (Candidate("jobs.abroad", 50.0), Candidate(CRISIS, 44.0)), "id", ("x",))
    outcome = dialogue.matched(indonesian(), found, "id")
    first, clarify = outcome.replies
    assert "healing119.id" in first.text and [b.data for row in first.buttons for b in row] == [f"i:{CRISIS}"]
    assert [b.data for row in clarify.buttons for b in row] == ["i:jobs.abroad"]


def test_crisis_leading_a_clarification_is_the_crisis_answer_at_once(dialogue):
    found = Match(
        Confidence.CLARIFY, (Candidate(CRISIS, 50.0), Candidate("training.recommend", 45.0)), "id", ("x",)
    )
    outcome = dialogue.matched(indonesian(), found, "id")
    assert "healing119.id" in outcome.replies[0].text and len(outcome.replies) == 1
    assert outcome.effects[0].args["reason"] == "crisis"


def test_the_hotline_button_calls_a_counsellor(dialogue):
    pressed = dialogue.handle(indonesian(), Incoming(Kind.BUTTON, data=f"i:{CRISIS}"))
    assert "healing119.id" in pressed.replies[0].text and pressed.effects[0].args["reason"] == "crisis"


@pytest.mark.parametrize("text", ["tidak", "nggak", "gak"])
def test_a_bare_no_is_an_acknowledgement_not_a_crisis(dialogue, text):
    outcome = say(dialogue, text, indonesian())
    assert [r.text for r in outcome.replies] == [ui(dialogue, "smalltalk_ack")]


def test_a_no_inside_a_flow_does_not_leave_it(dialogue):
    outcome = say(dialogue, "tidak", start_selfcheck(dialogue).state)
    assert outcome.state.flow == "selfcheck" and "di-PHK" in outcome.replies[0].text


def test_crisis_inside_a_flow_leaves_the_flow_and_shows_the_hotlines(dialogue):
    started = say(dialogue, "hitung jkp", indonesian())
    assert started.state.flow == "calculator"
    outcome = say(dialogue, "cape bgt hidup gini, mending ga usah hidup", started.state)
    assert outcome.state.flow is None and "healing119.id" in outcome.replies[0].text


# -- language ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["umur 30an", "ok", "ok siap", "thanks", "jkp online?"])
def test_short_messages_keep_the_conversations_language(dialogue, text):
    """'umur 30an', 'ok', 'ok siap' used to switch an Indonesian user to English."""
    outcome = say(dialogue, text, indonesian())
    assert outcome.state.last_lang == "id" and outcome.turn.lang == "id"


def test_a_message_clearly_in_the_other_language_switches(dialogue):
    outcome = say(dialogue, "how do I claim JKP online", indonesian())
    assert outcome.state.last_lang == "en" and outcome.turn.lang == "en"
    back = say(dialogue, "ok", outcome.state)
    assert back.state.last_lang == "en" and back.replies[0].text == ui(dialogue, "smalltalk_ack", "en")


def test_a_first_message_sets_the_language(dialogue):
    assert say(dialogue, "what is jkp").state.last_lang == "en"


# -- flows -----------------------------------------------------------------------------------------------


def start_selfcheck(dialogue: Dialogue) -> Outcome:
    outcome = dialogue.handle(indonesian(), Incoming(Kind.BUTTON, data="f:selfcheck:start"))
    assert outcome.state.flow == "selfcheck"
    return outcome


def test_a_flow_shows_its_way_out(dialogue):
    outcome = start_selfcheck(dialogue)
    assert "/batal" in outcome.replies[-1].text and "/menu" in outcome.replies[-1].text


@pytest.mark.parametrize("text", ["ya", "20 bulan"])
def test_an_unreadable_answer_gets_a_one_line_explanation_with_an_example(dialogue, text):
    """'ya' or '20 bulan' to the self-check's first question used to be re-asked silently."""
    started = start_selfcheck(dialogue)
    outcome = say(dialogue, text, started.state)
    hint, question = outcome.replies
    assert hint.text == dialogue.kb.extras["service_texts"].get("sc.hint.termination", "id")
    assert "\n" not in hint.text and '"di-PHK"' in hint.text
    assert "berakhir" in question.text and "/batal" in question.text
    assert outcome.state.flow == "selfcheck" and outcome.state.flow_data == started.state.flow_data


def test_a_chat_spelling_of_an_answer_is_read(dialogue):
    """'kontrak sy diputus sblm habis' used to be re-asked; it is the 'contract ended early' option."""
    outcome = say(dialogue, "kontrak sy diputus sblm habis", start_selfcheck(dialogue).state)
    assert outcome.state.flow_data["answers"] == {"termination": "contract_early"}
    assert "usia" in outcome.replies[0].text


def test_a_new_question_inside_the_calculator_leaves_it_and_says_so(dialogue):
    """A new question inside the calculator used to re-ask the wage."""
    started = say(dialogue, "hitung jkp", indonesian())
    outcome = say(dialogue, "cara klaim jht gimana", started.state)
    assert outcome.state.flow is None
    left, answer = outcome.replies[:2]
    assert "Hitung manfaat JKP" in left.text and [b.data for row in left.buttons for b in row] == [
        "f:calculator:start"
    ]
    assert outcome.turn.intent == "jht.claim" and "upah terakhir" not in text_of(outcome)


def test_a_question_about_the_flows_own_topic_stays_in_the_flow(dialogue):
    started = say(dialogue, "hitung jkp", indonesian())
    outcome = say(dialogue, "berapa gaji", started.state)
    assert outcome.state.flow == "calculator" and "belum menangkap" in outcome.replies[0].text


@pytest.mark.parametrize("name", ["menu", "batal"])
def test_menu_and_batal_always_leave_a_flow(dialogue, name):
    """/menu used to leave the flow running; /batal was the only exit."""
    outcome = command(dialogue, name, start_selfcheck(dialogue).state)
    assert outcome.state.flow is None
    assert outcome.replies[0].text == ui(dialogue, "flow_cancelled")
    assert buttons_of(outcome)[0] == "m:jkp"


def test_menu_without_a_flow_is_just_the_menu(dialogue):
    [menu] = command(dialogue, "menu", indonesian()).replies
    assert menu.text == ui(dialogue, "menu_title")


# -- results fit a phone -----------------------------------------------------------------------------


def lines(outcome: Outcome) -> list[str]:
    return [line for r in outcome.replies for line in r.text.splitlines() if line.strip()]


def run_selfcheck(dialogue: Dialogue, answers: list[str]) -> Outcome:
    outcome = start_selfcheck(dialogue)
    for text in answers:
        outcome = say(dialogue, text, outcome.state)
    assert outcome.state.flow is None
    return outcome


@pytest.mark.parametrize(
    "answers",
    [
        ["di phk", "35", "3 thn", "ya", "semua", "ya", "bulan lalu", "belum"],
        ["resign", "60", "5 bulan", "tidak", "tidak", "tidak", "Januari 2024", "sudah"],
        [
            "lainnya",
            "tidak tahu",
            "tidak tahu",
            "tidak tahu",
            "tidak tahu",
            "tidak tahu",
            "Januari 2025",
            "belum",
        ],
    ],
)
def test_the_selfcheck_result_fits_a_phone_with_sources_behind_a_button(dialogue, answers):
    """The self-check result used to be ~30 lines with 8 news-site source lines."""
    outcome = run_selfcheck(dialogue, answers)
    assert len(lines(outcome)) <= 12
    assert "Sumber:" not in text_of(outcome) and "↳" not in text_of(outcome)
    [sources] = [b for b in buttons_of(outcome) if b.startswith("f:selfcheck:src:")]
    shown = dialogue.handle(outcome.state, Incoming(Kind.BUTTON, data=sources))
    assert "GridStar" in text_of(shown) and "PP 6/2025" in text_of(shown)
    assert shown.state.flow is None


def test_the_sources_button_does_not_disturb_a_running_check(dialogue):
    started = start_selfcheck(dialogue)
    shown = dialogue.handle(started.state, Incoming(Kind.BUTTON, data="f:selfcheck:src:new:dismissed"))
    assert shown.state.flow == "selfcheck" and shown.state.flow_data == started.state.flow_data


def test_the_calculator_summarises_equal_months_in_one_line(dialogue):
    """The calculator used to print six identical month lines."""
    outcome = say(dialogue, "hitung jkp gaji 4 juta", indonesian())
    text = text_of(outcome)
    assert text.count("Bulan ") == 1 and "Bulan 1–6: Rp2.400.000 per bulan" in text
    assert len(lines(outcome)) <= 12
    old = dialogue.handle(outcome.state, Incoming(Kind.BUTTON, data="f:calculator:r:old:4000000"))
    assert "Bulan 1–3: Rp1.800.000" in text_of(old) and "Bulan 4–6: Rp1.000.000" in text_of(old)
    assert len(lines(old)) <= 12


@pytest.mark.parametrize(
    "text",
    [
        "lowongan minta uang jaminan itu penipuan bukan",
        "loker operator bekasi tanpa biaya admin",
        "loker di bekasi diminta bayar biaya admin 500rb, penipuan ga?",
    ],
)
def test_the_scam_warning_never_appears_twice(dialogue, text):
    outcome = say(dialogue, text, indonesian())
    assert text_of(outcome).count("⚠️") <= 1
    assert text_of(outcome).count("penipuan") <= 2  # the answer's word and, at most, one warning


def test_a_scam_question_is_not_a_job_search(dialogue):
    outcome = say(dialogue, "loker di bekasi diminta bayar biaya admin 500rb, penipuan ga?", indonesian())
    assert outcome.state.flow is None and "Lowongan Staf" not in text_of(outcome)


# -- missing and wrong topics ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "phrase"),
    [
        ("brp lama cairnya", "jkp.payment_status", "siapkerja.kemnaker.go.id"),
        ("apa bedanya jht sama jp", "jht.vs_jp", "Jaminan Pensiun"),
        ("bpjs kesehatan sy nonaktif stlh phk", "jkn.after_phk", "6 bulan"),
    ],
)
def test_missing_topics_are_answered(dialogue, text, intent, phrase):
    """'brp lama cairnya' used to get the amount, 'apa bedanya jht sama jp' "what is JKP", and
    'bpjs kesehatan sy nonaktif stlh phk' a fallback."""
    outcome = say(dialogue, text, indonesian())
    assert outcome.turn.intent == intent and outcome.turn.band == "answer"
    assert phrase in text_of(outcome)


@pytest.mark.parametrize("intent", ["jht.vs_jp", "jkn.after_phk"])
def test_new_topics_name_their_sources_and_review_date(dialogue, intent):
    found = dialogue.kb.intents[intent]
    assert found.sources and str(found.reviewed) >= "2026-12-04"  # written then; later re-checks move it on
    assert "BPJS" in found.text("id") and "BPJS" in found.text("en")


# -- the console -----------------------------------------------------------------------------------------


def test_the_console_shows_an_answers_buttons_and_a_flows_options_as_separate_lists(dialogue):
    """The console used to number an answer's buttons and the flow's options as one run-on list."""
    console = Console(dialogue)
    shown = render(console.step("syarat jkp"))
    answer, offer = shown.split("\n\n  [4]")[0], shown.split("\n\n  [4]")[1]
    assert "\n\n  [1] " in answer and "[3] " in answer and "Cek kelayakan" in offer
    assert console.incoming("4").data == "f:selfcheck:start"
    question = render(console.step("4"))
    assert "\n\n  [1] Di-PHK" in question and question.count("\n\n  [") == 1
    assert "[7] ⬅️ Kembali" in question


def test_the_console_shows_a_keyboard_row_on_one_line(dialogue):
    console = Console(dialogue)
    for text in ("cek kelayakan jkp", "di phk", "35", "3 thn"):
        shown = render(console.step(text))
    assert "  [1] Ya   [2] Tidak   [3] Tidak tahu" in shown


def test_yes_to_an_offered_flow_starts_it(dialogue):
    """'ya' after "Mau saya carikan lowongan?" is a yes, not a clarification between thanks and goodbye."""
    offered = say(dialogue, "cari lowongan", indonesian())
    assert buttons_of(offered)[-1] == "f:jobs:start"
    outcome = say(dialogue, "ya", offered.state)
    assert outcome.state.flow == "jobs" and "/batal" in outcome.replies[-1].text


def test_gibberish_is_no_job_title(dialogue):
    started = dialogue.handle(indonesian(), Incoming(Kind.BUTTON, data="f:jobs:start"))
    outcome = say(dialogue, "xxxxx", started.state)
    assert outcome.state.flow_data == started.state.flow_data
    assert "misalnya" in outcome.replies[0].text and "\n" not in outcome.replies[0].text


def test_an_acknowledgement_is_not_taken_for_a_yes_to_an_offer(dialogue):
    offered = say(dialogue, "syarat jkp apa aja", indonesian())
    assert buttons_of(offered)[-1] == "f:selfcheck:start"
    outcome = say(dialogue, "ok siap", offered.state)
    assert outcome.state.flow is None and outcome.replies[0].text == ui(dialogue, "smalltalk_ack")


@pytest.mark.parametrize("text", ["ok siap", "umur 30an", "sip"])
def test_indonesian_short_words_read_as_indonesian_even_first(dialogue, text):
    assert say(dialogue, text).state.last_lang == "id"


@pytest.mark.parametrize("text", ["😭", "😢😢", "💔"])
def test_an_emoji_of_distress_gets_a_gentle_word_and_the_way_to_help(dialogue, text):
    outcome = say(dialogue, text, indonesian())
    [reply] = outcome.replies
    assert reply.text == ui(dialogue, "smalltalk_sad") and "Baik 👍" not in reply.text
    assert [b.data for row in reply.buttons for b in row] == [f"i:{CRISIS}"]

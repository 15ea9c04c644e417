"""Follow-ups in context: a short message naming no topic is read with the last answer's topic."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.answering import check
from bot.dialogue import Dialogue, Incoming, Kind, Outcome, State
from bot.dialogue.followup import CONTEXT, FollowUps, section_value, unknown_intents
from bot.sections import load_knowledge
from bot.services import guided as services

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(ROOT / "knowledge")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def dialogue(kb, clock) -> Dialogue:
    return Dialogue(kb, services=services(), now=clock)


def talk(dialogue: Dialogue, *texts: str, state: State | None = None) -> list[Outcome]:
    state = state or State()
    outcomes = []
    for text in texts:
        outcome = dialogue.handle(state, Incoming(Kind.TEXT, text=text))
        state = outcome.state
        outcomes.append(outcome)
    return outcomes


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        ("cara klaim jht", "terus dokumennya apa?", "jht.claim"),
        ("syarat jkp", "kalau yang kontrak?", "jkp.contract_worker"),
        ("cara klaim jht", "kalau resign?", "jht.claim"),
        ("syarat dapat jkp", "kalau resign?", "jkp.resignation"),
        ("cara klaim jkp", "dokumennya?", "jkp.documents"),
        ("pelatihan blk", "caranya gimana", "training.blk"),
        ("berapa uang jkp", "kalau iurannya?", "jkp.contribution"),
        ("apa itu jkp", "pelatihannya?", "training.jkp"),
        (
            "gimana cara kerja ke luar negeri secara resmi",
            "ada biayanya?",
            "jobs.abroad",
        ),  # not the scam answer
        ("di phk tanpa alasan, bisa lapor kemana", "berapa lama prosesnya?", "phk.dispute"),  # not severance
    ],
)
def test_a_follow_up_is_read_with_the_last_topic(dialogue, first, then, expected):
    _, second = talk(dialogue, first, then)
    assert second.turn.intent == expected and second.turn.band == "answer"
    assert second.replies[0].text == dialogue.kb.answer(expected, "id")


def test_without_context_the_same_message_goes_elsewhere(dialogue):
    [alone] = talk(dialogue, "kalau resign?")
    assert alone.turn.intent == "jkp.resignation"  # and after a JHT answer it is the JHT answer (above)


def test_in_english_please_gives_the_last_answer_again_in_english(dialogue):
    first, again = talk(dialogue, "syarat dapat jkp", "in English please")
    assert first.turn.lang == "id"
    assert again.replies[0].text == dialogue.kb.answer("jkp.eligibility", "en")
    assert again.state.last_lang == "en" and again.turn.intent == "jkp.eligibility"


def test_bahasa_indonesia_saja_gives_it_again_in_indonesian(dialogue):
    _, again = talk(dialogue, "how do I withdraw my JHT", "bahasa indonesia saja")
    assert again.replies[0].text == dialogue.kb.answer("jht.claim", "id")


def test_in_english_please_right_after_a_clarify_shows_the_same_choices_in_english(dialogue):
    from bot.dialogue import clarify

    first, again = talk(dialogue, "jkp", "in English please")
    assert first.turn.band == "clarify" and len(first.replies[0].buttons) >= 2
    choices = [b.data for row in first.replies[0].buttons for b in row]
    assert [b.data for row in again.replies[0].buttons for b in row] == choices
    intents = intents_in(first)
    shown = again.replies[0].text
    assert shown.startswith(dialogue.kb.text("clarify", "en")) and shown != first.replies[0].text
    assert len(intents) >= 2 and all(dialogue.kb.intents[i].brief("en") in shown for i in intents)
    assert again.turn.band == "clarify" and again.turn.lang == "en" and again.state.last_lang == "en"
    assert again.replies[0].text == clarify.choices_reply(dialogue.kb, intents_in(first), "en").text
    [back] = talk(dialogue, "bahasa indonesia saja", state=again.state)
    assert back.replies[0].text == first.replies[0].text


def intents_in(outcome: Outcome) -> list[str]:
    from bot.dialogue.followup import CLARIFIED

    return list(outcome.state.pending[CLARIFIED]["choices"])


def test_after_an_answer_or_a_fallback_the_clarify_choices_are_forgotten(dialogue, clock):
    from bot.dialogue.followup import CLARIFIED

    first, answered = talk(dialogue, "jkp", "cara klaim jht")
    assert CLARIFIED in first.state.pending and CLARIFIED not in answered.state.pending
    first, lost = talk(dialogue, "jkp", "qwrtpz xkcd")
    assert lost.turn.band == "fallback" and CLARIFIED not in lost.state.pending
    [first] = talk(dialogue, "jkp")
    clock.now += timedelta(minutes=dialogue.followups.minutes + 1)
    [late] = talk(dialogue, "in English please", state=first.state)
    assert late.turn.intent == "chat.language" and CLARIFIED not in late.state.pending


def test_a_broken_stored_clarify_is_dropped_not_a_crash(dialogue):
    from bot.dialogue.followup import CLARIFIED

    for broken in (
        {"choices": "jkp.about", "at": "x"},
        {"choices": [1, 2]},
        "nonsense",
        {"choices": ["no.such"], "at": datetime(2026, 12, 4, 9, 0, tzinfo=UTC).isoformat()},
    ):
        state = State()
        state.pending[CLARIFIED] = broken
        [reply] = talk(dialogue, "in English please", state=state)
        assert reply.turn.intent == "chat.language"


def test_in_english_please_with_no_answer_before_offers_the_language_choice(dialogue):
    [alone] = talk(dialogue, "in English please")
    assert alone.turn.intent == "chat.language"
    assert any(b.data == "l:en" for row in alone.replies[0].buttons for b in row)


def test_a_message_naming_its_own_topic_is_not_a_follow_up(dialogue):
    _, second = talk(dialogue, "cara klaim jht", "bikin cv yg bagus gmn")
    assert second.turn.intent == "jobs.cv_interview"
    _, thanks = talk(dialogue, "cara klaim jht", "makasih ya")
    assert thanks.turn.intent == "chat.thanks"


def test_the_context_expires_after_the_configured_minutes(dialogue, clock):
    [first] = talk(dialogue, "cara klaim jht")
    clock.now += timedelta(minutes=dialogue.followups.minutes + 1)
    [late] = talk(dialogue, "kalau resign?", state=first.state)
    assert (
        late.turn.intent == "jkp.resignation" and late.state.pending[CONTEXT]["intent"] == "jkp.resignation"
    )


def test_the_context_survives_the_json_round_trip_of_the_stored_state(dialogue, clock):
    [first] = talk(dialogue, "cara klaim jht")
    stored = State.from_json(first.state.to_json())
    clock.now += timedelta(minutes=3)
    [second] = talk(dialogue, "terus dokumennya apa?", state=stored)
    assert second.turn.intent == "jht.claim"


def test_a_broken_stored_context_is_dropped(dialogue):
    state = State(pending={CONTEXT: {"intent": "jht.claim", "at": "kemarin"}})
    [outcome] = talk(dialogue, "kalau resign?", state=state)
    assert (
        outcome.turn.intent == "jkp.resignation"
        and outcome.state.pending[CONTEXT]["intent"] == "jkp.resignation"
    )


def test_a_button_answer_is_context_too(dialogue):
    pressed = dialogue.handle(State(), Incoming(Kind.BUTTON, data="i:jht.claim"))
    [second] = talk(dialogue, "kalau resign?", state=pressed.state)
    assert second.turn.intent == "jht.claim"


def test_the_shipped_followup_file_names_only_existing_intents(kb):
    followups = section_value(kb)
    assert isinstance(followups, FollowUps) and followups.topic_of
    assert unknown_intents(followups, kb) == []
    assert set(followups.languages) == {"id", "en"}


CRISIS_OPENING = "saya sudah tidak kuat, rasanya ingin mengakhiri hidup setelah di-PHK"


@pytest.mark.parametrize("then", ["tolong", "please help me now", "siapa yang bisa saya hubungi sekarang?"])
def test_a_short_plea_after_the_crisis_answer_is_the_crisis_again(dialogue, then):
    first, second = talk(dialogue, CRISIS_OPENING, then)
    assert first.turn.intent == "urgent.crisis"
    assert second.turn.intent == "urgent.crisis" and second.turn.band == "answer"
    _, alone = talk(dialogue, "halo", then)
    assert alone.turn.intent != "urgent.crisis"  # the same words without the crisis before them


def test_a_clear_ask_for_a_person_after_the_crisis_still_gets_the_person(dialogue):
    _, second = talk(dialogue, CRISIS_OPENING, "sy mau ngomong sama orang beneran")
    assert second.turn.intent == "chat.human"


def _with_followup(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", root, ignore=shutil.ignore_patterns(".backups"))
    (root / "followup.yaml").write_text(text, encoding="utf-8")
    return root


def test_check_names_the_line_of_an_unknown_intent_in_followup_yaml(tmp_path):
    shipped = (ROOT / "knowledge" / "followup.yaml").read_text(encoding="utf-8")
    broken = shipped.replace("unsure: [chat.human]", "unsure: [chat.humann]")
    assert broken != shipped
    root = _with_followup(tmp_path, broken)
    out = io.StringIO()
    assert check(root, out) == 1
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "chat.humann" in text)
    assert f"followup.yaml:{line}:" in out.getvalue() and "chat.humann" in out.getvalue()


def test_check_refuses_a_stay_entry_that_is_not_two_lists(tmp_path):
    shipped = (ROOT / "knowledge" / "followup.yaml").read_text(encoding="utf-8")
    root = _with_followup(tmp_path, shipped.replace("stay:\n", "stay:\n  chat.help: [chat.human]\n"))
    out = io.StringIO()
    assert check(root, out) == 1 and "stay.chat.help" in out.getvalue()


def test_a_follow_up_of_filler_words_only_is_read_with_the_last_topic(dialogue):
    """ "what should I do now?" is all filler words, and after the rejection answer it means: now what."""
    _, second = talk(dialogue, "Why was my JKP claim rejected?", "what should I do now?")
    assert second.turn.intent == "jkp.rejected"
    _, alone = talk(dialogue, "halo", "what should I do now?")
    assert alone.turn.intent != "jkp.rejected" or alone.turn.band != "answer"


def test_after_the_severance_answer_a_refusal_to_pay_moves_on_to_the_dispute_route(dialogue):
    """followup.yaml next: phk.severance -> phk.dispute, weighed like the severance answer itself."""
    for then in ("kalau perusahaan gak mau bayar?", "mediasinya di mana?"):
        first, second = talk(dialogue, "Berapa pesangon kalau di-PHK setelah kerja 5 tahun?", then)
        assert first.turn.intent == "phk.severance"
        assert second.turn.intent == "phk.dispute" and second.turn.band == "answer"
    _, second = talk(dialogue, "Berapa pesangon kalau di-PHK setelah kerja 5 tahun?", "kalau resign dpt gak?")
    assert second.turn.intent == "phk.severance"  # the severance question goes on as before


def test_check_names_the_line_of_an_unknown_intent_under_next(tmp_path):
    shipped = (ROOT / "knowledge" / "followup.yaml").read_text(encoding="utf-8")
    broken = shipped.replace("phk.severance: [phk.dispute]", "phk.severance: [phk.disput]")
    assert broken != shipped
    out = io.StringIO()
    assert check(_with_followup(tmp_path, broken), out) == 1
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "phk.disput]" in text)
    assert f"followup.yaml:{line}:" in out.getvalue()


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        ("Iuran JKP dipotong dari gaji saya?", "brp?", "jkp.contribution"),
        ("Bagaimana prosedur pengajuan JKP?", "setelah itu apa?", "jkp.how_to_claim"),
        ("Why was my JKP claim rejected?", "and after that?", "jkp.rejected"),
        # doubting the figure just given: the same answer again, where the figure is
        ("Uang tunai JKP berapa per bulan?", "bukannya 45%?", "jkp.cash_amount"),
        ("Berapa lama batas waktu klaim JKP setelah PHK?", "dulu katanya 3 bulan?", "jkp.deadline"),
        ("What is the deadline to claim JKP?", "really? I heard 3 months", "jkp.deadline"),
    ],
)
def test_a_follow_up_of_plain_words_only_gets_the_last_answer_again(dialogue, first, then, expected):
    """followup.yaml plain: nothing in "brp?" points elsewhere in the topic, so it asks on about the last answer."""
    a, b = talk(dialogue, first, then)
    assert a.turn.intent == expected
    assert b.turn.intent == expected and b.turn.band == "answer"


@pytest.mark.parametrize("then", ["caranya gimana", "siapa yg bayar?"])
def test_after_the_jkp_training_answer_a_follow_up_stays_on_the_training(dialogue, then):
    first, second = talk(dialogue, "jkp ada pelatihannya ya?", then)
    assert first.turn.intent == "training.jkp"
    assert second.turn.intent == "training.jkp"


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        ("min sy baru kena phk kemarin, bisa dapet jkp gk?", "caranya gmn", "jkp.how_to_claim"),
        ("laid off, jkp?", "how much?", "jkp.cash_amount"),
    ],
)
def test_after_a_clarify_on_one_topic_a_follow_up_is_read_with_that_topic(dialogue, first, then, expected):
    asked, follow = talk(dialogue, first, then)
    assert asked.turn.band == "clarify"
    assert {dialogue.followups.topic_of[c] for c in asked.match.choices} == {"jkp"}
    assert follow.turn.intent == expected and follow.turn.band == "answer"


def test_a_clarify_across_topics_sets_no_topic(dialogue):
    from bot.dialogue.followup import CLARIFIED, recall_clarified, remember_choices

    state = State()
    remember_choices(state, ["jkp.contribution", "phk.severance", "phk.dispute"], dialogue.now())
    assert recall_clarified(state, dialogue.now(), dialogue.followups) is None
    [alone] = talk(dialogue, "caranya gmn")
    [after] = talk(dialogue, "caranya gmn", state=state)
    assert after.turn.intent == alone.turn.intent
    one_topic = State()
    remember_choices(one_topic, ["jkp.eligibility", "jkp.deadline"], dialogue.now())
    assert CLARIFIED in one_topic.pending
    [within] = talk(dialogue, "caranya gmn", state=one_topic)
    assert within.turn.intent == "jkp.how_to_claim" != alone.turn.intent


def test_after_the_eligibility_answer_how_much_asks_for_the_cash_amount(dialogue):
    """Filler alone ("how much?") is not a plain ask-on of the last answer: read in the topic, it is the money."""
    answered, follow = talk(dialogue, "I got laid off, can I get JKP?", "how much?")
    assert answered.turn.intent == "jkp.eligibility" and answered.turn.band == "answer"
    assert follow.turn.intent == "jkp.cash_amount"

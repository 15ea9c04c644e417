"""Informative clarify: every choice shows its key fact; a fact question one choice answers is answered."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.render import render
from bot.dialogue import Dialogue, Incoming, Kind, State
from bot.dialogue.clarify import asked_kinds, decide
from bot.sections import load_knowledge
from bot.services import guided as services
from bot.telegram.render import messages
from intents import Confidence

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    return Dialogue(load_knowledge(ROOT / "knowledge"), services=services())


def say(dialogue: Dialogue, text: str):
    return dialogue.handle(State(), Incoming(Kind.TEXT, text=text))


def test_a_clarify_lists_each_choice_with_its_summary_and_buttons_open_the_answers(dialogue):
    # (with a date, "sy kena phk kmrn, dpt apa aja?" gets the person's own timeline: see test_timeline_flow)
    outcome = say(dialogue, "sy kena phk, dpt apa aja?")
    assert outcome.match.confidence is Confidence.CLARIFY
    [reply] = outcome.replies
    kb = dialogue.kb
    for choice in outcome.match.choices:
        assert kb.intents[choice].summary["id"] in reply.text
    assert [b.data for row in reply.buttons for b in row] == [f"i:{c}" for c in outcome.match.choices]
    opened = dialogue.handle(outcome.state, Incoming(Kind.BUTTON, data=reply.buttons[0][0].data))
    assert opened.replies[0].text == kb.answer(outcome.match.choices[0], "id")


def test_an_english_clarify_shows_english_summaries(dialogue):
    outcome = say(dialogue, "how much percent jkp")
    text = outcome.replies[0].text
    assert "60% of wage" in text and "0.36% of wage" in text and "Sorry, which one" in text


def test_an_age_question_gets_the_age_answer_with_the_other_choice_below(dialogue):
    outcome = say(dialogue, "jkp batas umurnya brp")
    assert outcome.match.confidence is Confidence.ANSWER and outcome.match.intent == "jkp.eligibility"
    assert "54 tahun" in outcome.replies[0].text
    other = outcome.replies[1]
    assert other.text.startswith("Atau maksud Anda:") and "6 bulan setelah PHK" in other.text
    offered = [b.data for row in other.buttons for b in row]
    assert "i:jkp.deadline" in offered  # the other "batas", offered below


def test_a_clarify_renders_on_the_console_and_in_telegram_html(dialogue):
    outcome = say(dialogue, "sy kena phk, dpt apa aja?")
    console = render(outcome.replies)
    assert outcome.match.confidence is Confidence.CLARIFY
    assert "• Syarat penerima JKP: WNI, usia < 54 tahun" in console and "] Syarat penerima JKP" in console
    [(html_text, markup)] = messages(outcome.replies[0])
    assert "usia &lt; 54 tahun" in html_text and "<" not in html_text.replace("&lt;", "")
    assert markup is not None
    buttons = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert buttons[: len(outcome.match.choices)] == [f"i:{c}" for c in outcome.match.choices]
    assert "i:jkp.eligibility" in buttons


@pytest.mark.parametrize(
    ("words", "kinds"),
    [
        (["batas", "umur", "peserta", "jkp"], ["age"]),
        (["what", "persen", "of", "my", "upah"], ["percent"]),
        (["batas", "waktu", "klaim", "jkp"], ["deadline"]),
        (["klaim", "jht", "sampai", "berapa", "juta"], ["amount"]),
        (["syarat", "jkp"], []),
    ],
)
def test_question_kinds_are_read_from_the_normalised_words(words, kinds):
    assert asked_kinds(words) == kinds


def test_a_fact_question_two_choices_state_stays_a_clarify(dialogue):
    found = dialogue.kb.matcher.match("how much percent jkp")
    assert found.confidence is Confidence.CLARIFY
    assert decide(dialogue.kb, found) == (found, ())  # both state a percentage: the person chooses


def test_a_crisis_among_the_choices_is_never_answered_over(dialogue):
    found = dialogue.kb.matcher.match("batas umur peserta jkp")
    assert decide(dialogue.kb, found, keep=set(found.choices)) == (found, ())


def test_a_first_choice_far_ahead_is_answered_with_the_second_offered(dialogue):
    from intents import Candidate, Match

    found = Match(
        Confidence.CLARIFY, (Candidate("training.blk", 50.0), Candidate("training.jkp", 30.0)), "id"
    )
    decided, others = decide(dialogue.kb, found)
    assert (
        decided.confidence is Confidence.ANSWER
        and decided.intent == "training.blk"
        and others == ("training.jkp",)
    )
    close = Match(
        Confidence.CLARIFY, (Candidate("training.blk", 50.0), Candidate("training.jkp", 40.0)), "id"
    )
    assert decide(dialogue.kb, close) == (close, ())
    low = Match(Confidence.CLARIFY, (Candidate("training.blk", 40.0), Candidate("training.jkp", 20.0)), "id")
    assert decide(dialogue.kb, low) == (low, ())


def test_the_issue_percentage_question_is_now_answered_with_the_figure(dialogue):
    """Issue 12's example got a two-way choice with no '60%'; the knowledge now answers it outright."""
    outcome = say(dialogue, "what percentage of my wage does jkp pay")
    assert outcome.match.confidence is Confidence.ANSWER and outcome.match.intent == "jkp.cash_amount"
    assert "60% of your wage" in outcome.replies[0].text

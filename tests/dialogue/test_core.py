"""The channel-free dialogue core on the shipped knowledge: pure (state, input) -> (state, replies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dialogue import Dialogue, Incoming, Kind, State, menus
from bot.dialogue.types import MAX_CALLBACK_BYTES, Button
from bot.sections import load_knowledge
from bot.services import guided as services

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    return Dialogue(load_knowledge(ROOT / "knowledge"), services=services())


def all_buttons(dialogue: Dialogue) -> list[Button]:
    kb = dialogue.kb
    replies = [menus.main(kb, lang) for lang in ("id", "en")]
    replies += [menus.section(kb, name, lang) for name in kb.menus.sections for lang in ("id", "en")]
    replies += [menus.answer(kb, intent, lang) for intent in kb.intents.values() for lang in ("id", "en")]
    replies += [menus.language(kb, "id"), menus.confirm_delete(kb, "id"), menus.offer_counsellor(kb, "en")]
    return [b for r in replies if r for row in r.buttons for b in row]


def test_every_button_fits_telegrams_64_byte_callback_limit(dialogue):
    buttons = all_buttons(dialogue)
    assert len(buttons) > 100
    assert max(len(b.data.encode()) for b in buttons) <= MAX_CALLBACK_BYTES


def test_button_refuses_oversize_data():
    with pytest.raises(ValueError):
        Button("x", "i:" + "a" * 70)


def test_every_intent_button_has_a_title_in_both_languages(dialogue):
    for intent in dialogue.kb.intents:
        for lang in ("id", "en"):
            assert menus.title(dialogue.kb, intent, lang) != intent


def test_answer_language_follows_the_message_unless_fixed(dialogue):
    english = dialogue.handle(State(), Incoming(Kind.TEXT, text="how do I withdraw my JHT savings"))
    assert english.turn.lang == "en" and english.state.last_lang == "en"
    fixed = dialogue.handle(State(lang="id"), Incoming(Kind.TEXT, text="how do I withdraw my JHT savings"))
    assert fixed.turn.lang == "id"


def test_menu_is_one_message_and_help_adds_the_commands_above_it(dialogue):
    [menu] = dialogue.handle(State(), Incoming(Kind.COMMAND, text="menu")).replies
    assert [b.data for row in menu.buttons for b in row] == [
        "m:jkp",
        "m:jht",
        "m:training",
        "m:jobs",
        "m:human",
        "m:lang",
    ]
    help_text, help_menu = dialogue.handle(State(lang="en"), Incoming(Kind.COMMAND, text="help")).replies
    assert "/hapus" in help_text.text and help_menu.text == menu_title(dialogue, "en")


def menu_title(dialogue: Dialogue, lang: str) -> str:
    return dialogue.kb.text("menu_title", lang)


def test_fallback_counter_resets_on_an_answer(dialogue):
    state = dialogue.handle(State(), Incoming(Kind.TEXT, text="blorp fnord")).state
    assert state.fallbacks == 1
    state = dialogue.handle(state, Incoming(Kind.TEXT, text="apa itu jkp")).state
    assert state.fallbacks == 0


def test_crisis_opens_a_handoff_and_shows_contacts_first(dialogue):
    outcome = dialogue.handle(State(), Incoming(Kind.TEXT, text="sy udah gak kuat lagi pengen mati aja"))
    assert outcome.turn.intent == "urgent.crisis"
    assert "healing119.id" in outcome.replies[0].text and "112" in outcome.replies[0].text
    assert [e.name for e in outcome.effects] == ["handoff"] and outcome.effects[0].args["reason"] == "crisis"


def test_state_round_trips_through_json():
    state = State(lang="en", fallbacks=1, flow="jobs", flow_data={"page": 2, "q": "operator"})
    assert State.from_json(state.to_json()) == state
    assert State.from_json({"unknown": 1, "lang": "id"}).lang == "id"


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "x" * 10_000, "🙂" * 50, "\x00\x01"])
def test_odd_input_never_raises(dialogue, text):
    outcome = dialogue.handle(State(), Incoming(Kind.TEXT, text=text))
    assert outcome.replies


def _say(dialogue: Dialogue, state: State, text: str) -> tuple[State, str]:
    outcome = dialogue.handle(State.from_json(state.to_json()), Incoming(Kind.TEXT, text=text))
    return outcome.state, "\n".join(r.text for r in outcome.replies)


def test_a_field_and_city_after_the_training_invitation_searches_training(dialogue):
    """The training answer says "type a field and your city, e.g. 'las Bekasi'": that goes to training,
    though "las Bekasi" alone (no invitation) reads as a vacancy search."""
    state, _ = _say(dialogue, State(), "tolong rekomendasikan pelatihan untuk saya")
    assert state.pending.get("offered") == "training"
    state, reply = _say(dialogue, state, "las Bekasi")
    assert state.flow == "training" or "BBPVP Bekasi" in reply
    assert "offered" not in state.pending
    _, alone = _say(dialogue, State(), "las Bekasi")
    assert "BBPVP" not in alone


def test_the_invitation_lasts_one_message_only(dialogue):
    state, _ = _say(dialogue, State(), "tolong rekomendasikan pelatihan untuk saya")
    state, _ = _say(dialogue, state, "syarat jkp apa saja")
    _, reply = _say(dialogue, state, "las Bekasi")
    assert "BBPVP" not in reply


def test_a_thank_you_inside_a_flow_is_thanked_and_the_flow_stays(dialogue):
    """ "makasih ya" at "which city?" is no city: the person is thanked, the question still waits."""
    started = dialogue.handle(State(lang="id"), Incoming(Kind.BUTTON, data="f:selfcheck:start"))
    state = started.state
    assert state.flow == "selfcheck"
    asked = dict(state.flow_data)
    state, reply = _say(dialogue, state, "makasih ya")
    assert state.flow == "selfcheck" and state.flow_data == asked
    assert dialogue.kb.text("smalltalk_thanks", "id") in reply


def test_a_free_text_field_after_the_training_invitation_starts_the_training_search(dialogue):
    """ "I'm interested in welding" after "type the field and your city" is the search, started with it."""
    state, _ = _say(dialogue, State(lang="en"), "please recommend a training course for me")
    assert state.pending.get("offered") == "training"
    state, _ = _say(dialogue, state, "I'm interested in welding")
    assert state.flow == "training"
    assert "offered" not in state.pending
    _, alone = _say(dialogue, State(lang="en"), "I'm interested in welding")
    assert alone  # without the invitation the same words take the usual path

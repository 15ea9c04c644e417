"""Routing from the dialogue state alone, the relay turn, and the intake flow: pure, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.conversation import Person
from bot.dialogue import Dialogue, Incoming, Kind, State
from bot.handoff.intake import IntakeFlow
from bot.handoff.outgoing import Copy
from bot.handoff.routing import Destination, relay, route, with_case
from bot.handoff.user import relay_messages
from bot.knowledge import KnowledgeBase
from bot.sections import load_knowledge
from bot.services import guided

ROOT = Path(__file__).resolve().parents[2]
ASSIGNED = {"case": 7, "status": "assigned", "lang": "id"}
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(ROOT / "knowledge")


@pytest.fixture
def dialogue(kb: KnowledgeBase) -> Dialogue:
    """The dialogue with the intake plugged in, as the handoff wiring does, on a clock we move."""
    clock = {"now": NOW}
    services = guided()
    services.flows = {**services.flows, "handoff": IntakeFlow(lambda: clock["now"])}
    found = Dialogue(kb, services=services)
    found.clock = clock  # type: ignore[attr-defined]
    return found


def test_typed_text_and_media_go_to_the_counsellor_while_assigned() -> None:
    state = State(handoff=ASSIGNED)
    assert route(state, Incoming(Kind.TEXT, text="halo")) is Destination.COUNSELLOR
    assert route(state, Incoming(Kind.MEDIA, text="photo", message_id=5)) is Destination.COUNSELLOR


def test_commands_buttons_and_edits_stay_with_the_bot_while_assigned() -> None:
    state = State(handoff=ASSIGNED)
    assert route(state, Incoming(Kind.COMMAND, text="menu")) is Destination.BOT
    assert route(state, Incoming(Kind.BUTTON, data="h:r:7:5")) is Destination.BOT
    assert route(state, Incoming(Kind.EDITED)) is Destination.BOT


def test_a_waiting_case_or_none_leaves_messages_with_the_bot() -> None:
    waiting = State(handoff={**ASSIGNED, "status": "waiting"})
    assert route(waiting, Incoming(Kind.TEXT, text="halo")) is Destination.BOT
    assert route(State(), Incoming(Kind.TEXT, text="halo")) is Destination.BOT
    assert route(State(flow="handoff"), Incoming(Kind.TEXT, text="halo")) is Destination.INTAKE


def test_the_relay_turn_is_an_effect_and_a_crisis_gets_the_hotlines_at_once(kb: KnowledgeBase) -> None:
    state = State(handoff=ASSIGNED)
    plain = relay(state, Incoming(Kind.TEXT, text="halo pak"), kb)
    assert plain.replies == [] and plain.effects[0].name == "handoff_relay"
    assert plain.effects[0].args | {} == {
        "case": 7,
        "text": "halo pak",
        "media": "",
        "message_id": 0,
        "crisis": False,
        "lang": "id",
    }
    crisis = relay(state, Incoming(Kind.TEXT, text="saya ingin bunuh diri"), kb)
    assert crisis.effects[0].args["crisis"] is True
    assert crisis.replies[0].text == kb.answer("urgent.crisis", "id")
    photo = relay(state, Incoming(Kind.TEXT, text="surat PHK", media="photo", message_id=9), kb)
    assert (photo.effects[0].args["media"], photo.effects[0].args["message_id"]) == ("photo", 9)


def test_with_case_sets_and_clears_the_open_case_and_ends_an_intake() -> None:
    stored = {"flow": "handoff", "flow_data": {"step": "desc"}, "lang": "en"}
    opened = with_case(stored, {"case": 3, "status": "waiting", "lang": "en"})
    assert opened["handoff"]["case"] == 3 and opened["flow"] is None and opened["lang"] == "en"
    assert "handoff" not in with_case(opened, None)
    assert stored["flow"] == "handoff"  # the input is not changed


def test_asking_for_a_person_starts_the_intake_unless_a_case_is_open(dialogue: Dialogue) -> None:
    asked = dialogue.handle(State(), Incoming(Kind.COMMAND, text="petugas"))
    assert asked.state.flow == "handoff" and asked.state.flow_data["step"] == "topic"
    assert asked.effects[0].name == "handoff" and asked.effects[0].args["intake"] is True
    again = dialogue.handle(
        State(handoff={**ASSIGNED, "status": "waiting"}), Incoming(Kind.COMMAND, text="petugas")
    )
    assert again.state.flow is None and again.effects[0].args == {"reason": "asked", "lang": "id"}


def test_the_intake_topic_then_description_opens_the_case(dialogue: Dialogue) -> None:
    state = dialogue.handle(State(), Incoming(Kind.COMMAND, text="petugas")).state
    topic = dialogue.handle(state, Incoming(Kind.BUTTON, data="h:t:jkp"))
    assert topic.state.flow_data["step"] == "desc"
    assert ("h:skip", "h:x") == tuple(row[0].data for row in topic.replies[0].buttons)
    said = dialogue.handle(topic.state, Incoming(Kind.TEXT, text="JKP saya belum cair"))
    assert said.state.flow is None and said.replies == []
    assert said.effects[0].name == "handoff_open"
    assert said.effects[0].args == {
        "topic": "jkp",
        "description": "JKP saya belum cair",
        "lang": "id",
        "urgent": False,
    }
    skipped = dialogue.handle(topic.state, Incoming(Kind.BUTTON, data="h:skip"))
    assert skipped.effects[0].args["description"] == "" and skipped.state.flow is None


def test_a_crisis_description_opens_an_urgent_case_after_the_hotlines(
    dialogue: Dialogue, kb: KnowledgeBase
) -> None:
    state = dialogue.handle(State(), Incoming(Kind.COMMAND, text="petugas")).state
    state = dialogue.handle(state, Incoming(Kind.BUTTON, data="h:t:phk")).state
    said = dialogue.handle(state, Incoming(Kind.TEXT, text="saya ingin bunuh diri"))
    assert said.replies[0].text == kb.answer("urgent.crisis", "id")
    assert (said.effects[0].args["topic"], said.effects[0].args["urgent"]) == ("crisis", True)


def test_cancel_and_a_question_during_the_topic_step(dialogue: Dialogue) -> None:
    state = dialogue.handle(State(), Incoming(Kind.COMMAND, text="petugas")).state
    cancelled = dialogue.handle(state, Incoming(Kind.BUTTON, data="h:x"))
    assert cancelled.state.flow is None and cancelled.effects == []
    asked = dialogue.handle(state, Incoming(Kind.TEXT, text="berapa lama batas waktu pengajuan JKP?"))
    assert asked.turn.band == "answer" and asked.state.flow == "handoff"  # answered; the buttons still work


def test_an_old_description_prompt_lets_the_bot_answer(dialogue: Dialogue) -> None:
    state = dialogue.handle(State(), Incoming(Kind.COMMAND, text="petugas")).state
    state = dialogue.handle(state, Incoming(Kind.BUTTON, data="h:t:jkp")).state
    dialogue.clock["now"] = NOW + timedelta(hours=2)  # type: ignore[attr-defined]
    late = dialogue.handle(state, Incoming(Kind.TEXT, text="berapa lama batas waktu pengajuan JKP?"))
    assert late.state.flow is None and late.turn.band == "answer"
    assert "handoff_open" not in [e.name for e in late.effects]


def test_buttons_not_of_the_intake_go_to_the_adapter(dialogue: Dialogue) -> None:
    state = dialogue.handle(State(), Incoming(Kind.COMMAND, text="petugas")).state
    rating = dialogue.handle(state, Incoming(Kind.BUTTON, data="h:r:3:5"))
    assert rating.effects[0].name == "handoff_button" and rating.effects[0].args["data"] == "r:3:5"
    late = dialogue.handle(State(), Incoming(Kind.BUTTON, data="h:t:jkp"))
    assert late.effects[0].name == "handoff_button"  # no intake running: "no longer active"


def test_relay_messages_text_media_and_a_crisis_flag(kb: KnowledgeBase) -> None:
    config = kb.extras["handoff"]
    siti = Person(301, "Siti")
    text = relay_messages(config, 7, 900, siti, 301, {"text": "halo pak", "media": "", "crisis": False})
    assert [(o.chat_id, o.copy) for o in text] == [(900, None)] and text[0].replies[0].text.endswith(
        "halo pak"
    )
    photo = relay_messages(config, 7, 900, siti, 301, {"media": "photo", "message_id": 44})
    assert photo[0].copy == Copy(301, 44) and "Siti" in photo[0].replies[0].text
    crisis = relay_messages(config, 7, 900, siti, 301, {"text": "tolong", "crisis": True})
    assert [o.chat_id for o in crisis] == [900, 900] and "#7" in crisis[1].replies[0].text

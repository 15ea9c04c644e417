"""The job seeker's side: asking for a person (the intake flow's effects, the queue), cancelling,
rating, and the relay of their messages to the counsellor while the case is assigned.

Which messages are relayed is decided in the dialogue turn from the user's state
(``bot.handoff.routing.route``); the intake's two steps are a dialogue flow (``bot.handoff.intake``).
Here are only the effects that need the queue: open the case, send the relay, say where they stand.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.conversation import Person
from bot.dialogue import Button, Effect, Reply
from bot.telegram.handlers import Runtime

from . import desk
from .config import HandoffConfig
from .intake import CRISIS_TOPIC, topic_buttons
from .outgoing import Copy, Outgoing, message
from .service import CaseRecord
from .telegram import COUNSELLOR_LANG, Handoff, handoff_of

log = logging.getLogger("pandu.handoff")
CRISIS_INTENT = "urgent.crisis"
NOT_ANSWERS = frozenset({"chat.human", CRISIS_INTENT})  # intents that ask for a person rather than answer
TRANSCRIPT_SCAN, MAX_ANSWERED = 40, 6


# -- effects from the dialogue -------------------------------------------------------------------


async def on_handoff(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
    """The user asked for a person (or wrote something urgent): queue them, or ask the intake's first
    question. The queue is read once here: a state that missed a case change is repaired."""
    h = handoff_of(rt)
    lang = str(effect.args.get("lang", "id"))
    crisis = effect.args.get("reason") == "crisis"
    existing = await h.service.open_case_of_user(person.id)
    if existing is not None and effect.args.get("intake"):
        await h.service.sync_user(person.id)  # the state missed the case: the intake gives way to it
    if existing is not None and crisis:
        await _escalate(h, existing, chat_id, lang)
    elif existing is not None:
        await _already(h, existing, chat_id, lang)
    elif effect.args.get("intake"):
        await h.say(chat_id, await desk.opening(h, lang), topic_buttons(h.config, lang))
    else:  # a crisis, or a state that showed a case now closed: straight to the queue (state follows)
        await _open(
            h,
            person,
            chat_id,
            lang,
            topic=CRISIS_TOPIC if crisis else "other",
            urgent=crisis,
            description=await desk.triggering_message(h, person.id) if crisis else "",
        )


async def on_open(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
    """The intake's last step: open the case (urgent when the description was a crisis)."""
    args = effect.args
    await _open(
        handoff_of(rt),
        person,
        chat_id,
        str(args.get("lang", "id")),
        topic=str(args.get("topic", "other")),
        description=str(args.get("description", "")),
        urgent=bool(args.get("urgent")),
    )


async def on_delete(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
    """/hapus: the user's cases are ended and anonymised; a counsellor holding one is told."""
    h = handoff_of(rt)
    for case in await h.service.forget_user(person.id):
        if case.counsellor_id is not None:
            await h.say(case.counsellor_id, h.text("user_deleted", "id", case=case.id))


async def on_button(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
    """A handoff button outside the intake flow: h:c:<case> (cancel), h:r:<case>:<1-5> (rating); an
    intake button pressed after the intake ended is no longer active."""
    h = handoff_of(rt)
    lang = str(effect.args.get("lang", "id"))
    head, _, rest = str(effect.args.get("data", "")).partition(":")
    if head == "c" and rest.isdigit():
        await _cancel(h, person, chat_id, int(rest), lang)
    elif head == "r":
        case_id, _, rating = rest.partition(":")
        done = (
            case_id.isdigit()
            and rating.isdigit()
            and await h.service.rate(int(case_id), person.id, int(rating))
        )
        await h.say(chat_id, h.text("rated" if done else "not_active", lang))
    else:
        await h.say(chat_id, h.text("not_active", lang))


async def _open(
    h: Handoff, person: Person, chat_id: int, lang: str, *, topic: str, description: str, urgent: bool = False
) -> None:
    available = await h.available()
    case = await h.service.open_case(
        person.id,
        first_name=person.first_name,
        topic=topic,
        description=description,
        lang=lang,
        urgent=urgent,
        answered=await _answered(h, person.id),
    )
    log.info("handoff case=%s opened urgent=%s topic=%s", case.id, urgent, topic)
    cancel = [[Button(h.text("btn_cancel", lang), f"h:c:{case.id}")]]
    if urgent and not available:
        notified = bool(await h.counsellors_on_duty())  # after hours, someone on duty still hears of it
        await h.say(
            chat_id, h.text("queued_urgent_notified" if notified else "queued_urgent_absent", lang), cancel
        )
    elif urgent:
        await h.say(chat_id, h.text("queued_urgent", lang, position=await h.service.position(case)), cancel)
    elif available:
        await h.say(chat_id, await desk.queue_text(h, case, "queued", lang), cancel)
    else:
        await h.say(chat_id, h.text("left_message", lang, case=case.id), cancel)
    await h.announce(case, "new_case")


async def _answered(h: Handoff, user_id: int) -> list[str]:
    """The intents the bot answered this user lately (typed or pressed), newest last, for the card."""
    found: list[str] = []
    for line in await h.rt.store.transcript(user_id, TRANSCRIPT_SCAN):
        intent = line.intent if line.direction == "in" and line.band in (None, "answer") else None
        if intent and intent not in NOT_ANSWERS and intent not in found:
            found.append(intent)
    return found[-MAX_ANSWERED:]


async def _escalate(h: Handoff, case: CaseRecord, chat_id: int, lang: str) -> None:
    """A crisis message from a user whose case is open: it becomes urgent and counsellors hear of it."""
    if not await h.service.escalate(case.id):
        return
    log.info("handoff case=%s escalated to urgent", case.id)
    fresh = await h.service.get(case.id) or case
    if fresh.status == "waiting":
        await h.say(chat_id, h.text("escalated_user", lang))
        said = await desk.triggering_message(h, fresh.user_id)  # counsellors read what was written
        await h.announce(fresh, "escalated_case_said" if said else "escalated_case", text=said)
    elif fresh.counsellor_id is not None:
        await h.say(fresh.counsellor_id, h.text("crisis_flag", COUNSELLOR_LANG, case=case.id))


async def _already(h: Handoff, case: CaseRecord, chat_id: int, lang: str) -> None:
    if case.status == "assigned":
        name = await h.service.counsellor_name(case.counsellor_id)
        await h.say(chat_id, h.text("already_assigned", lang, name=name))
        return
    await h.say(
        chat_id,
        await desk.queue_text(h, case, "already_waiting", lang),
        [[Button(h.text("btn_cancel", lang), f"h:c:{case.id}")]],
    )


async def _cancel(h: Handoff, person: Person, chat_id: int, case_id: int, lang: str) -> None:
    if not await h.service.cancel(case_id, person.id):
        await h.say(chat_id, h.text("not_active", lang))
        return
    await h.say(chat_id, h.text("cancelled", lang))
    for counsellor in await h.counsellors_on_duty():
        await h.say(counsellor, h.text("user_cancelled", "id", name=person.first_name, case=case_id))


# -- the relay to the counsellor (the turn decided it: bot.handoff.routing) ---------------------------


async def on_relay(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
    """A message for the counsellor of the user's case: as text, or media as a copy; a crisis flags it."""
    h = handoff_of(rt)
    args = effect.args
    case = await h.service.get(int(args.get("case") or 0))
    if case is None or case.status != "assigned" or case.user_id != person.id or case.counsellor_id is None:
        await _stale(h, person, chat_id, str(args.get("lang", "id")))
        return
    # a crisis is marked urgent before the counsellor reads the flag (the contacts went with the turn)
    if args.get("crisis"):
        await h.service.escalate(case.id)
    await h.deliver(relay_messages(h.config, case.id, case.counsellor_id, person, chat_id, args))
    await h.service.touch(case.id, by_counsellor=False)


def relay_messages(
    config: HandoffConfig, case_id: int, counsellor: int, person: Person, chat_id: int, args: dict[str, Any]
) -> list[Outgoing]:
    """What the counsellor receives: the text, or a header and a copy of the media; then a crisis flag."""
    name = person.first_name or str(person.id)
    if args.get("media"):
        header = config.text("media_from_user", COUNSELLOR_LANG, name=name, case=case_id)
        copy = Copy(chat_id, int(args.get("message_id") or 0))
        out = [Outgoing(counsellor, (Reply(header),), copy)]
    else:
        text = str(args.get("text", ""))
        out = [
            message(
                counsellor,
                config.text("relay_to_counsellor", COUNSELLOR_LANG, name=name, case=case_id, text=text),
            )
        ]
    if args.get("crisis"):
        out.append(message(counsellor, config.text("crisis_flag", COUNSELLOR_LANG, case=case_id)))
    return out


async def _stale(h: Handoff, person: Person, chat_id: int, lang: str) -> None:
    """The state showed a counsellor the queue no longer has: repair it and say where the user stands."""
    log.warning("handoff: a user's state showed a case no longer assigned; repaired")
    fresh = await h.service.sync_user(person.id)
    if fresh is None:
        await h.say(chat_id, h.text("closed_user", lang))
    else:
        await _already(h, fresh, chat_id, lang)


async def end_chat(h: Handoff, person: Person) -> bool:
    """/selesai from a user talking to a counsellor: close the case, tell both, ask for a rating.
    False when the user has no assigned case (the command is then not theirs)."""
    case = await h.service.open_case_of_user(person.id)
    if case is None or case.status != "assigned" or not await h.service.end_by_user(case.id, person.id):
        return False
    assert case.counsellor_id is not None
    name = person.first_name or str(person.id)
    await h.say(case.counsellor_id, h.text("ended_by_user", COUNSELLOR_LANG, name=name, case=case.id))
    await h.closed_for_user(case)
    await h.rt.store.log(person.id, "in", "/selesai")
    return True

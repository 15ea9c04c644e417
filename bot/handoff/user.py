"""The job seeker's side: asking for a person (topic, one line, queue), cancelling, rating, and
messages relayed to the counsellor while the case is assigned.

The two quick steps before queueing are kept in the user's row (``state.pending["handoff"]``), never in
memory, so a restart between the steps loses nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatType

from bot.conversation import Person
from bot.dialogue import Button, Effect
from bot.dialogue.core import MAX_MATCH_CHARS
from bot.telegram.handlers import Runtime
from intents import Confidence

from . import desk
from .service import CaseRecord
from .telegram import COUNSELLOR_LANG, Handoff, handoff_of

log = logging.getLogger("pandu.handoff")
PENDING = "handoff"
PENDING_TTL = timedelta(minutes=30)  # a description asked for longer ago than this is no longer awaited
CRISIS_TOPIC = "crisis"
CRISIS_INTENT = "urgent.crisis"
NOT_ANSWERS = frozenset({"chat.human", CRISIS_INTENT})  # intents that ask for a person rather than answer
TRANSCRIPT_SCAN, MAX_ANSWERED = 40, 6


# -- effects from the dialogue -------------------------------------------------------------------


async def on_handoff(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
    """The user asked for a person (or wrote something urgent): queue them, or start the two steps."""
    h = handoff_of(rt)
    lang = str(effect.args.get("lang", "id"))
    crisis = effect.args.get("reason") == "crisis"
    existing = await h.service.open_case_of_user(person.id)
    if existing is not None and crisis:
        await _escalate(h, existing, chat_id, lang)
    elif existing is not None:
        await _already(h, existing, chat_id, lang)
    elif crisis:
        await set_pending(rt, person.id, None)
        await _open(
            h,
            person,
            chat_id,
            lang,
            topic=CRISIS_TOPIC,
            urgent=True,
            description=await desk.triggering_message(h, person.id),
        )
    else:
        await _ask_topic(h, person, chat_id, lang)


async def _ask_topic(h: Handoff, person: Person, chat_id: int, lang: str) -> None:
    """Step one of two: the topic, as buttons (after an honest word when nobody can answer now)."""
    await set_pending(h.rt, person.id, {"step": "topic", "lang": lang, "at": h.service.clock().isoformat()})
    topics = [k for k in h.config.topics if k != CRISIS_TOPIC]
    rows = [
        [Button(h.config.topic(k, lang), f"h:t:{k}") for k in topics[i : i + 2]]
        for i in range(0, len(topics), 2)
    ]
    await h.say(chat_id, await desk.opening(h, lang), [*rows, [Button(h.text("btn_cancel", lang), "h:x")]])


async def on_delete(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
    """/hapus: the user's cases are ended and anonymised; a counsellor holding one is told."""
    h = handoff_of(rt)
    for case in await h.service.forget_user(person.id):
        if case.counsellor_id is not None:
            await h.say(case.counsellor_id, h.text("user_deleted", "id", case=case.id))


async def on_button(effect: Effect, person: Person, chat_id: int, rt: Runtime) -> None:
    """A handoff button: h:t:<topic>, h:skip, h:x, h:c:<case> (cancel), h:r:<case>:<1-5> (rating)."""
    h = handoff_of(rt)
    lang = str(effect.args.get("lang", "id"))
    head, _, rest = str(effect.args.get("data", "")).partition(":")
    pending = await get_pending(rt, person.id)
    if head == "t" and pending.get("step") == "topic":
        await set_pending(
            rt, person.id, {**pending, "step": "desc", "topic": rest, "at": h.service.clock().isoformat()}
        )
        await h.say(
            chat_id,
            h.text("description_question", lang),
            [[Button(h.text("btn_skip", lang), "h:skip")], [Button(h.text("btn_cancel", lang), "h:x")]],
        )
    elif head == "skip" and pending.get("step") == "desc":
        await finish(h, person, chat_id, pending, "")
    elif head == "x" and pending:
        await set_pending(rt, person.id, None)
        await h.say(chat_id, h.text("cancelled", lang))
    elif head == "c" and rest.isdigit():
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


async def finish(h: Handoff, person: Person, chat_id: int, pending: dict[str, Any], description: str) -> None:
    """The second step is done: open the case and tell the user where they stand."""
    await set_pending(h.rt, person.id, None)
    lang = str(pending.get("lang", "id"))
    await _open(h, person, chat_id, lang, topic=str(pending.get("topic", "other")), description=description)


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


# -- pending steps in the user's row --------------------------------------------------------------


async def get_pending(rt: Runtime, user_id: int) -> dict[str, Any]:
    record = await rt.store.load_user(user_id)
    pending = (record.state.get("pending") or {}) if record else {}
    return dict(pending.get(PENDING) or {})


async def set_pending(rt: Runtime, user_id: int, value: dict[str, Any] | None) -> None:
    """Store (or clear, with None) the handoff step in the user's state."""
    record = await rt.store.load_user(user_id)
    state = dict(record.state) if record else {}
    pending = dict(state.get("pending") or {})
    if value is None:
        pending.pop(PENDING, None)
    else:
        pending[PENDING] = value
    state["pending"] = pending
    await rt.store.save_user(user_id, first_name=record.first_name if record else "", state=state)


# -- the interceptor: the one-line description, and relaying to the counsellor ----------------------


async def intercept(update: Update, rt: Runtime) -> bool:
    """Private messages from a user typing their description, or whose case a counsellor holds."""
    message, user = update.message, update.effective_user
    if message is None or user is None or message.chat.type != ChatType.PRIVATE or _is_command(message):
        return False
    h = handoff_of(rt)
    person = Person(user.id, user.first_name or "", user.language_code or "")
    case = await h.service.open_case_of_user(user.id)
    if case is not None and case.status == "assigned":
        return await _claim(rt, update) and await _relay(h, case, message, person)
    pending = await get_pending(rt, user.id)
    if pending.get("step") != "desc" or not message.text:
        return False
    if _stale(h, pending):  # asked long ago and never finished: this message is for the bot
        await set_pending(rt, user.id, None)
        return False
    if await _claim(rt, update):
        await rt.store.log(user.id, "in", message.text[:4000])
        if _is_crisis(h, message.text):
            await _crisis_answer(h, message.chat.id, str(pending.get("lang", "id")))
            await set_pending(rt, user.id, None)
            await _open(
                h,
                person,
                message.chat.id,
                str(pending.get("lang", "id")),
                topic=CRISIS_TOPIC,
                description=message.text,
                urgent=True,
            )
        else:
            await finish(h, person, message.chat.id, pending, message.text)
    return True


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


def _stale(h: Handoff, pending: dict[str, Any]) -> bool:
    try:
        asked = datetime.fromisoformat(str(pending.get("at")))
    except ValueError:
        return False  # written before steps carried a time: treat as fresh
    return h.service.clock() - asked > PENDING_TTL


def _is_crisis(h: Handoff, text: str) -> bool:
    """The answering engine reads ``text`` as a crisis (the same rule the dialogue uses)."""
    found = h.rt.holder.dialogue.kb.matcher.match(text[:MAX_MATCH_CHARS])
    return found.intent == CRISIS_INTENT and found.confidence is Confidence.ANSWER


async def _crisis_answer(h: Handoff, chat_id: int, lang: str) -> None:
    """The crisis contacts from the knowledge base, before anything else."""
    answer = h.rt.holder.dialogue.kb.answer(CRISIS_INTENT, lang)
    await h.say(chat_id, answer)
    await h.rt.store.log(chat_id, "out", answer[:4000])


async def _relay(h: Handoff, case: CaseRecord, message: Message, person: Person) -> bool:
    assert case.counsellor_id is not None
    name = person.first_name or str(person.id)
    if message.text:
        await h.say(
            case.counsellor_id,
            h.text("relay_to_counsellor", "id", name=name, case=case.id, text=message.text),
        )
        await h.rt.store.log(person.id, "in", message.text[:4000])
    else:
        await h.say(case.counsellor_id, h.text("media_from_user", "id", name=name, case=case.id))
        await h.copy(case.counsellor_id, message.chat.id, message.message_id)
        await h.rt.store.log(person.id, "in", f"[{_media_kind(message)}]")
    await h.service.touch(case.id, by_counsellor=False)
    if message.text and _is_crisis(h, message.text):
        await _crisis_answer(h, message.chat.id, case.lang)
        await h.service.escalate(case.id)
        await h.say(case.counsellor_id, h.text("crisis_flag", COUNSELLOR_LANG, case=case.id))
    return True


async def _claim(rt: Runtime, update: Update) -> bool:
    """Process each delivery once, as the dialogue does; True when this delivery is new."""
    return await rt.store.claim_update(update.update_id)


def _is_command(message: Message) -> bool:
    return bool(message.text and message.text.startswith("/"))


def _media_kind(message: Message) -> str:
    return next(
        (f for f in ("photo", "document", "voice", "video", "sticker", "audio") if getattr(message, f, None)),
        "media",
    )

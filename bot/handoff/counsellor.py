"""The counsellor's side in Telegram: commands, taking cases, and replies relayed to the user.

Counsellors are the ids in ``COUNSELLOR_IDS``; anyone else using these commands is told they are not
authorised (and it is logged with the id hashed).
"""

from __future__ import annotations

import logging

from telegram import Message, Update, User
from telegram.constants import ChatType

from bot.conversation import Person
from bot.dialogue import Button
from bot.privacy import hash_user
from bot.storage.envelope import Envelope
from bot.telegram.handlers import Runtime
from bot.telegram.handlers import queue as queue_calls

from . import desk
from .rules import minutes
from .service import CaseRecord
from .telegram import COUNSELLOR_LANG, Handoff, handoff_of
from .user import end_chat

log = logging.getLogger("pandu.handoff")

COMMANDS = {
    "siaga": "duty",
    "duty": "duty",
    "antrian": "queue",
    "queue": "queue",
    "ambil": "next",
    "next": "next",
    "kasus": "cases",
    "cases": "cases",
    "catatan": "note",
    "note": "note",
    "alihkan": "transfer",
    "transfer": "transfer",
    "selesai": "done",
    "done": "done",
}
BUTTONS = ("h:take:", "h:sw:")


async def intercept(update: Update, rt: Runtime) -> bool:
    """Counsellor commands and buttons (from anyone: strangers are refused); counsellors' replies."""
    user = update.effective_user
    if user is None:
        return False
    query = update.callback_query
    if query is not None and (query.data or "").startswith(BUTTONS):
        return await _button(update, rt, user, query.data or "")
    message = update.message
    if message is None:
        return False
    command, args = _command(message)
    if command in COMMANDS:
        return await _command_from(update, rt, user, message, COMMANDS[command], args)
    if command is None and user.id in rt.settings.counsellor_ids and message.chat.type == ChatType.PRIVATE:
        return await _reply(update, rt, user, message)
    return False


def _command(message: Message) -> tuple[str | None, str]:
    text = message.text or ""
    if not text.startswith("/") or len(text) < 2:
        return None, ""
    name, _, args = text[1:].partition(" ")
    return name.split("@")[0].lower(), args.strip()


async def _command_from(
    update: Update, rt: Runtime, user: User, message: Message, action: str, args: str
) -> bool:
    h = handoff_of(rt)
    if not await rt.store.claim_update(update.update_id):
        return True
    lang = _lang(user)
    if user.id not in rt.settings.counsellor_ids:
        person = Person(user.id, user.first_name or "", user.language_code or "")
        if action == "done" and message.chat.type == ChatType.PRIVATE and await end_chat(h, person):
            return True  # a job seeker ending their conversation with a counsellor
        log.warning(
            "handoff: not authorised: user=%s command=%s", hash_user(user.id, rt.settings.log_salt), action
        )
        await h.say(message.chat.id, h.text("not_authorised", lang))
        return True
    await h.service.seen_counsellor(user.id, user.first_name or str(user.id))
    await ACTIONS[action](h, user.id, message.chat.id, args, lang)
    return True


async def _button(update: Update, rt: Runtime, user: User, data: str) -> bool:
    h = handoff_of(rt)
    query = update.callback_query
    assert query is not None
    if not await rt.store.claim_update(update.update_id):
        return True
    lang = _lang(user)
    if user.id not in rt.settings.counsellor_ids:
        log.warning("handoff: not authorised: user=%s button", hash_user(user.id, rt.settings.log_salt))
        await _ack(rt, user.id, query.id, text=h.text("not_authorised", lang), show_alert=True)
        return True
    await _ack(rt, user.id, query.id)
    await h.service.seen_counsellor(user.id, user.first_name or str(user.id))
    _, action, case_id = data.split(":", 2)
    if case_id.isdigit():
        await (take if action == "take" else switch)(h, user.id, user.id, case_id, lang)
    return True


async def _ack(rt: Runtime, chat_id: int, query_id: str, **params: object) -> None:
    """Answer the button press (stops the spinner) through the outbox, like every other call."""
    await queue_calls(
        rt, [Envelope(chat_id, "answerCallbackQuery", {"callback_query_id": query_id, **params})]
    )


def _lang(user: User) -> str:
    return "en" if (user.language_code or "").startswith("en") else "id"


# -- actions: (handoff, counsellor id, chat to answer, arguments, language) -------------------------


async def duty(h: Handoff, me: int, chat: int, args: str, lang: str) -> None:
    """/siaga: toggle on duty."""
    on = await h.service.toggle_duty(me)
    await h.say(chat, h.text("duty_on" if on else "duty_off", lang))
    if on:  # cases left while nobody was on duty were announced to no one: show them now
        await queue(h, me, chat, args, lang)


async def queue(h: Handoff, me: int, chat: int, args: str, lang: str) -> None:
    """/antrian: the waiting cases, urgent first, each with a Take button."""
    waiting = await h.service.waiting()
    if not waiting:
        await h.say(chat, h.text("queue_empty", lang))
        return
    now = h.service.clock()
    lines = [
        h.text(
            "queue_item",
            lang,
            case=c.id,
            urgent=h.text("urgent_mark", lang) if c.urgent else "",
            topic=h.config.topic(c.topic, lang),
            name=c.first_name or "-",
            minutes=minutes(now - c.created_at),
        )
        + _spaced(h.why_ahead(c, lang))
        for c in waiting[:20]
    ]
    buttons = [row for c in waiting[:10] for row in h.take_button(c, lang)]
    await h.say(chat, "\n".join([h.text("queue_head", lang, count=len(waiting)), *lines]), buttons)


def _spaced(text: str) -> str:
    return f" {text}" if text else ""


async def next_case(h: Handoff, me: int, chat: int, args: str, lang: str) -> None:
    """/ambil: take the case at the head of the queue."""
    case = await h.service.claim_next(me)
    if case is None:
        await h.say(chat, h.text("queue_empty", lang))
        return
    await _taken(h, me, chat, case, lang)


async def take(h: Handoff, me: int, chat: int, args: str, lang: str) -> None:
    """Take button: exactly one counsellor wins; the others are told who has it."""
    claim = await h.service.claim(int(args), me)
    case = claim.case
    if case is None:
        await h.say(chat, h.text("case_gone", lang, case=args))
    elif claim.won:
        await _taken(h, me, chat, case, lang)
    elif case.status == "assigned":
        name = await h.service.counsellor_name(case.counsellor_id)
        await h.say(chat, h.text("taken_by_other", lang, case=case.id, name=name))
    else:
        await h.say(chat, h.text("case_gone", lang, case=case.id))


async def _taken(h: Handoff, me: int, chat: int, case: CaseRecord, lang: str) -> None:
    log.info("handoff case=%s taken", case.id)
    name = await h.service.counsellor_name(me)
    card = await desk.card_with_notes(h, case, lang)
    await h.say(chat, f"{h.text('taken', lang, case=case.id, name=case.first_name or '-')}\n\n{card}")
    await h.say(chat, await desk.transcript_text(h, case, lang))
    await h.say(case.user_id, h.text("assigned_user", case.lang, name=name))


async def cases(h: Handoff, me: int, chat: int, args: str, lang: str) -> None:
    """/kasus: list my open cases with switch buttons; /kasus 12 switches directly."""
    if args.isdigit():
        await switch(h, me, chat, args, lang)
        return
    mine = await h.service.cases_of(me)
    if not mine:
        await h.say(chat, h.text("cases_empty", lang))
        return
    current = await h.service.current_case(me)
    head = h.text("cases_head", lang, current=current.id) if current else h.text("cases_head_none", lang)
    await h.say(chat, head, _switch_buttons(h, mine, lang))


def _switch_buttons(h: Handoff, mine: list[CaseRecord], lang: str) -> list[list[Button]]:
    return [
        [Button(h.text("case_item", lang, case=c.id, name=c.first_name or "-"), f"h:sw:{c.id}")] for c in mine
    ]


async def _no_current(h: Handoff, me: int, chat: int, lang: str, key: str = "no_current_case") -> None:
    """No case chosen: with open cases, say so and offer them (never guess which one was meant)."""
    mine = await h.service.cases_of(me)
    if not mine:
        await h.say(chat, h.text(key, lang))
        return
    await h.say(
        chat,
        h.text("not_delivered" if key == "not_delivered" else "cases_head_none", lang),
        _switch_buttons(h, mine, lang),
    )


async def _others(h: Handoff, me: int, chat: int, lang: str) -> None:
    """After a case left me: if I still hold others, ask which one my messages should go to."""
    mine = await h.service.cases_of(me)
    if mine:
        await h.say(chat, h.text("cases_head_none", lang), _switch_buttons(h, mine, lang))


async def switch(h: Handoff, me: int, chat: int, args: str, lang: str) -> None:
    case = next((c for c in await h.service.cases_of(me) if str(c.id) == args), None)
    if case is None:
        await h.say(chat, h.text("case_gone", lang, case=args))
        return
    await h.service.set_current(me, case.id)
    await h.say(chat, h.text("switched", lang, case=case.id, name=case.first_name or "-"))


async def note(h: Handoff, me: int, chat: int, args: str, lang: str) -> None:
    """/catatan TEXT: a private note on my current case."""
    case = await h.service.current_case(me)
    if case is None:
        await _no_current(h, me, chat, lang)
    elif not args:
        await h.say(chat, h.text("note_usage", lang))
    else:
        await h.service.add_note(case.id, me, args)
        await h.say(chat, h.text("note_saved", lang, case=case.id))


async def transfer(h: Handoff, me: int, chat: int, args: str, lang: str) -> None:
    """/alihkan: back to the queue; /alihkan NAME: to that counsellor."""
    case = await h.service.current_case(me)
    if case is None:
        await _no_current(h, me, chat, lang)
        return
    if not args:
        if await h.service.requeue(case.id, me):
            await h.say(chat, h.text("returned_counsellor", lang, case=case.id))
            await h.say(case.user_id, h.text("returned_user", case.lang))
            fresh = await h.service.get(case.id)
            await h.announce(fresh or case, "returned_case", name=await h.service.counsellor_name(me))
            await _others(h, me, chat, lang)
        return
    target = await h.service.find_counsellor(args)
    if target is None or target == me or target not in h.rt.settings.counsellor_ids:
        await h.say(chat, h.text("transfer_unknown", lang, name=args))
        return
    became_current = await h.service.transfer(case.id, me, target)
    if became_current is None:
        return
    to_name, my_name = await h.service.counsellor_name(target), await h.service.counsellor_name(me)
    await h.say(chat, h.text("transferred_counsellor", lang, case=case.id, name=to_name))
    where = (
        h.text("transfer_now_current", COUNSELLOR_LANG, case=case.id, name=case.first_name or "-")
        if became_current
        else h.text("transfer_not_current", COUNSELLOR_LANG, case=case.id)
    )
    await h.say(
        target,
        f"{h.text('transfer_to_you', COUNSELLOR_LANG, name=my_name, case=case.id)} {where}"
        f"\n\n{await desk.card_with_notes(h, case, COUNSELLOR_LANG)}",
    )
    await h.say(target, await desk.transcript_text(h, case, COUNSELLOR_LANG))
    await h.say(case.user_id, h.text("transferred_user", case.lang, name=to_name))
    await _others(h, me, chat, lang)


async def done(h: Handoff, me: int, chat: int, args: str, lang: str) -> None:
    """/selesai: close my current case; the user is back with the bot and asked for a rating."""
    case = await h.service.current_case(me)
    if case is None or not await h.service.close(case.id, me):
        await _no_current(h, me, chat, lang)
        return
    await h.say(chat, h.text("closed_counsellor", lang, case=case.id))
    await h.closed_for_user(case)
    await _others(h, me, chat, lang)


ACTIONS = {
    "duty": duty,
    "queue": queue,
    "next": next_case,
    "cases": cases,
    "note": note,
    "transfer": transfer,
    "done": done,
}


async def _reply(update: Update, rt: Runtime, user: User, message: Message) -> bool:
    """A counsellor's plain message goes to the user of their current case (if they have one)."""
    h = handoff_of(rt)
    case = await h.service.current_case(user.id)
    if case is None:
        if not await h.service.cases_of(
            user.id
        ):  # no case at all: still a counsellor, never a job seeker's question
            if await rt.store.claim_update(update.update_id):
                await h.say(message.chat.id, h.text("staff_no_case", _lang(user)))
            return True
        if await rt.store.claim_update(update.update_id):
            await _no_current(h, user.id, message.chat.id, _lang(user), "not_delivered")
        return True
    if not await rt.store.claim_update(update.update_id):
        return True
    name = await h.service.counsellor_name(user.id)
    if message.text:
        await h.say(case.user_id, h.text("relay_to_user", case.lang, name=name, text=message.text))
        await rt.store.log(
            case.user_id, "out", h.text("relay_to_user", case.lang, name=name, text=message.text)[:4000]
        )
    else:
        await h.say(case.user_id, h.text("media_from_counsellor", case.lang, name=name))
        await h.copy(case.user_id, message.chat.id, message.message_id)
        await rt.store.log(case.user_id, "out", "[media]")
    await h.service.touch(case.id, by_counsellor=True)
    return True

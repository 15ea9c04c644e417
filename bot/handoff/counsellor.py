"""The counsellor's side in Telegram: commands, taking cases, and replies relayed to the user.

Counsellors are the ids in ``COUNSELLOR_IDS``; anyone else using these commands is told they are not
authorised (and it is logged with the id hashed).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Message, Update, User
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.conversation import Person
from bot.dialogue import Button, Reply
from bot.privacy import hash_user
from bot.storage.envelope import Envelope
from bot.telegram.handlers import PandoContext, Runtime, command_in, guarded, handled
from bot.telegram.handlers import queue as queue_calls

from . import desk
from .outgoing import Copy, Outgoing, message
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
BUTTONS = r"^h:(take|sw):"


async def on_command(update: Update, context: PandoContext) -> None:
    """A counsellor command, from anyone in any chat: strangers are refused; a job seeker's /selesai
    ends their conversation with a counsellor."""
    found = command_in(update)
    if found is None:
        return
    message, user, command = found
    rt = context.rt
    h, (name, args), lang = handoff_of(rt), command, _lang(user)
    action = COMMANDS[name]
    if user.id not in rt.settings.counsellor_ids:
        person = Person(user.id, user.first_name or "", user.language_code or "")
        if not (action == "done" and message.chat.type == ChatType.PRIVATE and await end_chat(h, person)):
            log.warning(
                "handoff: not authorised: user=%s command=%s",
                hash_user(user.id, rt.settings.log_salt),
                action,
            )
            await h.say(message.chat.id, h.text("not_authorised", lang))
        await handled(update, context)
    await h.service.seen_counsellor(user.id, user.first_name or str(user.id))
    await h.deliver(await ACTIONS[action](h, user.id, message.chat.id, args, lang))
    await handled(update, context)


async def on_button(update: Update, context: PandoContext) -> None:
    """A Take or Switch button (``h:take:<case>``, ``h:sw:<case>``), from anyone: strangers are refused."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    rt = context.rt
    h, lang = handoff_of(rt), _lang(user)
    if user.id not in rt.settings.counsellor_ids:
        log.warning("handoff: not authorised: user=%s button", hash_user(user.id, rt.settings.log_salt))
        await _ack(rt, user.id, query.id, text=h.text("not_authorised", lang), show_alert=True)
        await handled(update, context)
    await _ack(rt, user.id, query.id)
    await h.service.seen_counsellor(user.id, user.first_name or str(user.id))
    _, action, case_id = (query.data or "").split(":", 2)
    if case_id.isdigit():
        await h.deliver(await (take if action == "take" else switch)(h, user.id, user.id, case_id, lang))
    await handled(update, context)


async def on_reply(update: Update, context: PandoContext) -> None:
    """A counsellor's plain message (text or media) goes to the user of their current case."""
    message_in, user = update.message, update.effective_user
    if message_in is None or user is None:
        return
    h = handoff_of(context.rt)
    await h.deliver(await relay(h, user.id, message_in.chat.id, message_in, _lang(user)))
    await handled(update, context)


def handlers(counsellors: frozenset[int]) -> list[BaseHandler[Update, PandoContext, None]]:
    """The counsellor group's handlers, first match wins: buttons, commands, then replies."""
    return [
        CallbackQueryHandler(guarded(on_button), pattern=BUTTONS),
        CommandHandler(list(COMMANDS), guarded(on_command), filters=filters.UpdateType.MESSAGE),
        MessageHandler(
            filters.User(counsellors)
            & filters.ChatType.PRIVATE
            & filters.UpdateType.MESSAGE
            & ~filters.COMMAND,
            guarded(on_reply),
        ),
    ]


async def _ack(rt: Runtime, chat_id: int, query_id: str, **params: object) -> None:
    """Answer the button press (stops the spinner) through the outbox, like every other call."""
    await queue_calls(
        rt, [Envelope(chat_id, "answerCallbackQuery", {"callback_query_id": query_id, **params})]
    )


def _lang(user: User) -> str:
    return "en" if (user.language_code or "").startswith("en") else "id"


# -- actions: (handoff, counsellor id, chat to answer, arguments, language) -> the messages to send ----
# Each action changes the queue through the service and returns what to say to whom (``Outgoing``);
# the callers above deliver it (``Handoff.deliver``), so no action sends anything itself.


async def duty(h: Handoff, me: int, chat: int, args: str, lang: str) -> list[Outgoing]:
    """/siaga: toggle on duty."""
    on = await h.service.toggle_duty(me)
    out = [message(chat, h.text("duty_on" if on else "duty_off", lang))]
    if on:  # cases left while nobody was on duty were announced to no one: show them now
        out += await queue(h, me, chat, args, lang)
    return out


async def queue(h: Handoff, me: int, chat: int, args: str, lang: str) -> list[Outgoing]:
    """/antrian: the waiting cases, urgent first, each with a Take button."""
    waiting = await h.service.waiting()
    if not waiting:
        return [message(chat, h.text("queue_empty", lang))]
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
    return [message(chat, "\n".join([h.text("queue_head", lang, count=len(waiting)), *lines]), buttons)]


def _spaced(text: str) -> str:
    return f" {text}" if text else ""


async def next_case(h: Handoff, me: int, chat: int, args: str, lang: str) -> list[Outgoing]:
    """/ambil: take the case at the head of the queue."""
    case = await h.service.claim_next(me)
    if case is None:
        return [message(chat, h.text("queue_empty", lang))]
    return await _taken(h, me, chat, case, lang)


async def take(h: Handoff, me: int, chat: int, args: str, lang: str) -> list[Outgoing]:
    """Take button: exactly one counsellor wins; the others are told who has it."""
    claim = await h.service.claim(int(args), me)
    case = claim.case
    if case is None:
        return [message(chat, h.text("case_gone", lang, case=args))]
    if claim.won:
        return await _taken(h, me, chat, case, lang)
    if case.status == "assigned":
        name = await h.service.counsellor_name(case.counsellor_id)
        return [message(chat, h.text("taken_by_other", lang, case=case.id, name=name))]
    return [message(chat, h.text("case_gone", lang, case=case.id))]


async def _taken(h: Handoff, me: int, chat: int, case: CaseRecord, lang: str) -> list[Outgoing]:
    log.info("handoff case=%s taken", case.id)
    name = await h.service.counsellor_name(me)
    card = await desk.card_with_notes(h, case, lang)
    return [
        message(chat, f"{h.text('taken', lang, case=case.id, name=case.first_name or '-')}\n\n{card}"),
        message(chat, await desk.transcript_text(h, case, lang)),
        message(case.user_id, h.text("assigned_user", case.lang, name=name)),
    ]


async def cases(h: Handoff, me: int, chat: int, args: str, lang: str) -> list[Outgoing]:
    """/kasus: list my open cases with switch buttons; /kasus 12 switches directly."""
    if args.isdigit():
        return await switch(h, me, chat, args, lang)
    mine = await h.service.cases_of(me)
    if not mine:
        return [message(chat, h.text("cases_empty", lang))]
    current = await h.service.current_case(me)
    head = h.text("cases_head", lang, current=current.id) if current else h.text("cases_head_none", lang)
    return [message(chat, head, _switch_buttons(h, mine, lang))]


def _switch_buttons(h: Handoff, mine: list[CaseRecord], lang: str) -> list[list[Button]]:
    return [
        [Button(h.text("case_item", lang, case=c.id, name=c.first_name or "-"), f"h:sw:{c.id}")] for c in mine
    ]


async def _no_current(
    h: Handoff, me: int, chat: int, lang: str, key: str = "no_current_case"
) -> list[Outgoing]:
    """No case chosen: with open cases, say so and offer them (never guess which one was meant)."""
    mine = await h.service.cases_of(me)
    if not mine:
        return [message(chat, h.text(key, lang))]
    head = h.text("not_delivered" if key == "not_delivered" else "cases_head_none", lang)
    return [message(chat, head, _switch_buttons(h, mine, lang))]


async def _others(h: Handoff, me: int, chat: int, lang: str) -> list[Outgoing]:
    """After a case left me: if I still hold others, ask which one my messages should go to."""
    mine = await h.service.cases_of(me)
    return [message(chat, h.text("cases_head_none", lang), _switch_buttons(h, mine, lang))] if mine else []


async def switch(h: Handoff, me: int, chat: int, args: str, lang: str) -> list[Outgoing]:
    case = next((c for c in await h.service.cases_of(me) if str(c.id) == args), None)
    if case is None:
        return [message(chat, h.text("case_gone", lang, case=args))]
    await h.service.set_current(me, case.id)
    return [message(chat, h.text("switched", lang, case=case.id, name=case.first_name or "-"))]


async def note(h: Handoff, me: int, chat: int, args: str, lang: str) -> list[Outgoing]:
    """/catatan TEXT: a private note on my current case."""
    case = await h.service.current_case(me)
    if case is None:
        return await _no_current(h, me, chat, lang)
    if not args:
        return [message(chat, h.text("note_usage", lang))]
    await h.service.add_note(case.id, me, args)
    return [message(chat, h.text("note_saved", lang, case=case.id))]


async def transfer(h: Handoff, me: int, chat: int, args: str, lang: str) -> list[Outgoing]:
    """/alihkan: back to the queue; /alihkan NAME: to that counsellor."""
    case = await h.service.current_case(me)
    if case is None:
        return await _no_current(h, me, chat, lang)
    if not args:
        return await _requeue(h, me, chat, case, lang)
    target = await h.service.find_counsellor(args)
    if target is None or target == me or target not in h.rt.settings.counsellor_ids:
        return [message(chat, h.text("transfer_unknown", lang, name=args))]
    became_current = await h.service.transfer(case.id, me, target)
    if became_current is None:
        return []
    to_name, my_name = await h.service.counsellor_name(target), await h.service.counsellor_name(me)
    where = (
        h.text("transfer_now_current", COUNSELLOR_LANG, case=case.id, name=case.first_name or "-")
        if became_current
        else h.text("transfer_not_current", COUNSELLOR_LANG, case=case.id)
    )
    handed = f"{h.text('transfer_to_you', COUNSELLOR_LANG, name=my_name, case=case.id)} {where}"
    return [
        message(chat, h.text("transferred_counsellor", lang, case=case.id, name=to_name)),
        message(target, f"{handed}\n\n{await desk.card_with_notes(h, case, COUNSELLOR_LANG)}"),
        message(target, await desk.transcript_text(h, case, COUNSELLOR_LANG)),
        message(case.user_id, h.text("transferred_user", case.lang, name=to_name)),
        *await _others(h, me, chat, lang),
    ]


async def _requeue(h: Handoff, me: int, chat: int, case: CaseRecord, lang: str) -> list[Outgoing]:
    """/alihkan alone: the case goes back to the queue, announced again."""
    if not await h.service.requeue(case.id, me):
        return []
    fresh = await h.service.get(case.id)
    return [
        message(chat, h.text("returned_counsellor", lang, case=case.id)),
        message(case.user_id, h.text("returned_user", case.lang)),
        *await h.announcement(fresh or case, "returned_case", name=await h.service.counsellor_name(me)),
        *await _others(h, me, chat, lang),
    ]


async def done(h: Handoff, me: int, chat: int, args: str, lang: str) -> list[Outgoing]:
    """/selesai: close my current case; the user is back with the bot and asked for a rating."""
    case = await h.service.current_case(me)
    if case is None or not await h.service.close(case.id, me):
        return await _no_current(h, me, chat, lang)
    return [
        message(chat, h.text("closed_counsellor", lang, case=case.id)),
        *h.closed_messages(case),
        *await _others(h, me, chat, lang),
    ]


ACTIONS: dict[str, Callable[[Handoff, int, int, str, str], Awaitable[list[Outgoing]]]] = {
    "duty": duty,
    "queue": queue,
    "next": next_case,
    "cases": cases,
    "note": note,
    "transfer": transfer,
    "done": done,
}


async def relay(h: Handoff, me: int, chat: int, message_in: Message, lang: str) -> list[Outgoing]:
    """What a counsellor's message becomes: the text (or a copy of the media) for their current case's
    user, logged in that user's transcript; without a current case, why it was not delivered."""
    case = await h.service.current_case(me)
    if case is None:
        if not await h.service.cases_of(
            me
        ):  # no case at all: still a counsellor, never a job seeker's question
            return [message(chat, h.text("staff_no_case", lang))]
        return await _no_current(h, me, chat, lang, "not_delivered")
    name = await h.service.counsellor_name(me)
    if message_in.text:
        said = h.text("relay_to_user", case.lang, name=name, text=message_in.text)
        out = [message(case.user_id, said)]
        await h.rt.store.log(case.user_id, "out", said[:4000])
    else:
        copy = Copy(message_in.chat.id, message_in.message_id)
        out = [Outgoing(case.user_id, (Reply(h.text("media_from_counsellor", case.lang, name=name)),), copy)]
        await h.rt.store.log(case.user_id, "out", "[media]")
    await h.service.touch(case.id, by_counsellor=True)
    return out

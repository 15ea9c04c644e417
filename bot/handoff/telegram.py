"""The handoff in Telegram: ``extend(application, rt)`` plugs it into the bot.

The wiring (:mod:`bot.handoff.wiring`) registers the effect handlers (a user asks for a person, presses a
handoff button), the counsellors' handlers in their group (commands, buttons, replies), and the timer
task started and stopped with the application.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import Bot

from bot.dialogue import Button, Reply
from bot.dialogue.menus import title
from bot.storage.envelope import Envelope
from bot.storage.models import utcnow
from bot.telegram.handlers import Runtime, queue, send
from bot.telegram.repeating import Repeating

from .config import HandoffConfig
from .outgoing import Outgoing, message
from .rules import deadline_near, in_service
from .service import CaseRecord, Clock, HandoffService

log = logging.getLogger("pandu.handoff")
COUNSELLOR_LANG = "id"
TRANSCRIPT_LINES = 20


class Handoff:
    """What the handoff handlers share: the runtime, the queue service, the timer task."""

    def __init__(
        self, rt: Runtime, tick: Callable[[Handoff], Awaitable[None]], *, clock: Clock = utcnow
    ) -> None:
        self.rt = rt
        self.tick = tick  # the timers' check (SLA, reply reminders, idle close): bot.handoff.timers.tick
        self.service = HandoffService(rt.db, clock=clock)
        self.tick_seconds: float | None = None  # None: timers.tick_seconds from handoff.yaml
        self.job = Repeating(
            "handoff timers",
            lambda: self.tick(self),
            lambda: self.tick_seconds or self.config.timers.tick_seconds,
            first=lambda: 0.0,
            log=log,
        )

    @property
    def config(self) -> HandoffConfig:
        """The current handoff.yaml (follows knowledge reloads)."""
        config: HandoffConfig = self.rt.holder.dialogue.kb.extras["handoff"]
        return config

    @property
    def bot(self) -> Bot:
        assert self.rt.bot is not None
        return self.rt.bot

    def text(self, key: str, lang: str, /, **values: object) -> str:
        return self.config.text(key, lang, **values)

    async def say(self, chat_id: int, text: str, buttons: Sequence[Sequence[Button]] = ()) -> bool:
        """Queue one message in the outbox; False (logged) when it could not be queued."""
        try:
            await send(self.rt, chat_id, [Reply(text, tuple(tuple(row) for row in buttons))])
        except Exception as exc:
            log.warning("handoff message to a chat failed: %s", exc.__class__.__name__)
            return False
        return True

    async def deliver(self, outgoing: Sequence[Outgoing]) -> None:
        """Send what an action decided, in order: each chat's replies, then its copy (the one place
        the handoff's messages go out, through the outbox)."""
        for item in outgoing:
            if item.replies:
                try:
                    await send(self.rt, item.chat_id, item.replies)
                except Exception as exc:
                    log.warning("handoff message to a chat failed: %s", exc.__class__.__name__)
            if item.copy is not None:
                await self.copy(item.chat_id, item.copy.from_chat, item.copy.message_id)

    async def copy(self, to_chat: int, from_chat: int, message_id: int) -> None:
        """Forward a photo or document as a copy (no "forwarded from" header), through the outbox."""
        params = {"chat_id": to_chat, "from_chat_id": from_chat, "message_id": message_id}
        try:
            await queue(self.rt, [Envelope(to_chat, "copyMessage", params, user_id=from_chat)])
        except Exception as exc:
            log.warning("handoff copy failed: %s", exc.__class__.__name__)

    async def available(self) -> bool:
        """Within service hours and somebody on duty."""
        if not in_service(self.service.clock(), self.config.hours):
            return False
        return bool(await self.counsellors_on_duty())

    async def counsellors_on_duty(self) -> list[int]:
        allowed = self.rt.settings.counsellor_ids
        return [c for c in await self.service.on_duty() if c in allowed]

    def take_button(self, case: CaseRecord, lang: str = COUNSELLOR_LANG) -> list[list[Button]]:
        return [[Button(self.text("btn_take", lang, case=case.id), f"h:take:{case.id}")]]

    async def closed_for_user(self, case: CaseRecord) -> None:
        await self.deliver(self.closed_messages(case))

    def closed_messages(self, case: CaseRecord) -> list[Outgoing]:
        """Tell the user their conversation with a counsellor ended, and ask for a 1-5 rating."""
        stars = [[Button(str(n), f"h:r:{case.id}:{n}") for n in range(1, 6)]]
        return [
            message(case.user_id, self.text("closed_user", case.lang)),
            message(case.user_id, self.text("rate_question", case.lang), stars),
        ]

    def card(self, case: CaseRecord, lang: str = COUNSELLOR_LANG) -> str:
        created = case.created_at.astimezone(ZoneInfo(self.config.hours.zone))
        kb = self.rt.holder.dialogue.kb
        answered = ", ".join(title(kb, i, lang) for i in case.answered) or self.text("answered_none", lang)
        card = self.text(
            "card",
            lang,
            case=case.id,
            urgent=self.text("urgent_mark", lang) if case.urgent else "",
            topic=self.config.topic(case.topic, lang),
            name=case.first_name or "-",
            lang=case.lang,
            description=case.description or self.text("no_description", lang),
            answered=answered,
            created=_stamp(created),
        )
        return f"{card}\n{self.deadline_text(case, lang)}" if case.claim_deadline else card

    def deadline_text(self, case: CaseRecord, lang: str = COUNSELLOR_LANG) -> str:
        """The user's saved claim deadline and the days left (journey), for the card."""
        assert case.claim_deadline is not None
        days = (case.claim_deadline - self.today()).days
        key = "card_deadline" if days >= 0 else "card_deadline_passed"
        return self.text(key, lang, date=f"{case.claim_deadline:%d/%m/%Y}", days=days)

    def why_ahead(self, case: CaseRecord, lang: str = COUNSELLOR_LANG) -> str:
        """Why a case sits where it does in the queue: crisis, or a claim deadline within 14 days."""
        if case.urgent:
            return self.text("queue_why_crisis", lang)
        if deadline_near(case.claim_deadline, self.today()):
            assert case.claim_deadline is not None
            return self.text(
                "queue_why_deadline",
                lang,
                date=f"{case.claim_deadline:%d/%m/%Y}",
                days=(case.claim_deadline - self.today()).days,
            )
        return ""

    def today(self) -> date:
        return self.service.clock().astimezone(ZoneInfo(self.config.hours.zone)).date()

    async def announce(self, case: CaseRecord, head_key: str, **values: object) -> None:
        await self.deliver(await self.announcement(case, head_key, **values))

    async def announcement(self, case: CaseRecord, head_key: str, **values: object) -> list[Outgoing]:
        """Tell every on-duty counsellor (and the counsellors' group) about a case, with a Take button."""
        text = f"{self.text(head_key, COUNSELLOR_LANG, case=case.id, **values)}\n\n{self.card(case)}"
        targets = await self.counsellors_on_duty()
        if self.rt.settings.counsellor_chat_id is not None:
            targets.append(self.rt.settings.counsellor_chat_id)
        return [message(chat_id, text, self.take_button(case)) for chat_id in targets]

    async def start(self) -> None:
        """Users' states follow the open cases (see ``HandoffService.sync_open_cases``); the timers run."""
        await self.service.sync_open_cases()
        self.job.start()

    async def stop(self) -> None:
        await self.job.stop()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def handoff_of(rt: Runtime) -> Handoff:
    return rt.features.get(Handoff)

"""The handoff queue in the database: the only handoff code that writes SQL.

Every decision two instances could race for is made by one conditional ``UPDATE … WHERE`` whose
rowcount says who won: taking a case (``status = 'waiting'``), and each timer (``… IS NULL``). On
PostgreSQL "take the next case" first locks a row with ``SELECT … FOR UPDATE SKIP LOCKED``.

Every change of a case's status also writes it into its user's dialogue state (``state.handoff``, see
``bot.handoff.routing``) in the same transaction, counting the write in the user's ``version``: a turn
of that user computed on the old state is then computed again (``StaleState``), and a case closed by a
counsellor or by the idle timer never leaves the user's messages relayed to nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, exists, func, not_, or_, select, update
from sqlalchemy import case as sa_case

from bot.journey.models import Journey
from bot.privacy import mask
from bot.storage.db import INSERTS, Database, rowcount
from bot.storage.models import User, utcnow

from .models import Case, CaseNote, Counsellor
from .routing import ASSIGNED, WAITING, with_case
from .rules import TRIAGE_DAYS, Timers

__all__ = ["CaseRecord", "Claim", "HandoffService", "NoteEntry"]

OPEN = ("waiting", "assigned")
QUEUED_AT = func.coalesce(Case.queued_at, Case.created_at)
Clock = Callable[[], datetime]
TRIAGE_ZONE = ZoneInfo("Asia/Jakarta")  # "today" for the deadline triage


@dataclass(frozen=True)
class CaseRecord:
    """A case as read from the database."""

    id: int
    user_id: int
    status: str
    urgent: bool
    topic: str
    description: str
    lang: str
    first_name: str
    counsellor_id: int | None
    created_at: datetime
    assigned_at: datetime | None
    rating: int | None
    queued_at: datetime | None = None
    answered: tuple[str, ...] = ()
    claim_deadline: date | None = None  # the user's saved JKP claim deadline, while not claimed (journey)


@dataclass(frozen=True)
class NoteEntry:
    """A private note as the next counsellor reads it: the text, when, and by whom."""

    text: str
    created_at: datetime
    author: str


@dataclass(frozen=True)
class Claim:
    """The result of pressing Take: ``won``, and the case as it is now (who has it when lost)."""

    won: bool
    case: CaseRecord | None


def _record(row: Case) -> CaseRecord:
    return CaseRecord(
        row.id,
        row.user_id,
        row.status,
        row.urgent,
        row.topic,
        row.description,
        row.lang,
        row.first_name,
        row.counsellor_id,
        row.created_at,
        row.assigned_at,
        row.rating,
        row.queued_at or row.created_at,
        tuple(a for a in (row.answered or "").split(",") if a),
    )


class HandoffService:
    """Cases, notes and counsellors in ``db``; ``clock`` is read for every timestamp (tests move it)."""

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._insert = INSERTS[db.dialect]

    # -- counsellors ------------------------------------------------------------------------------

    async def seen_counsellor(self, counsellor_id: int, first_name: str) -> None:
        """Create or rename a counsellor (their name is what users see)."""
        stmt = self._insert(Counsellor).values(id=counsellor_id, first_name=first_name[:128], on_duty=False)
        async with self.db.session() as session:
            await session.execute(
                stmt.on_conflict_do_update(index_elements=["id"], set_={"first_name": first_name[:128]})
            )

    async def toggle_duty(self, counsellor_id: int) -> bool:
        """Flip on/off duty; returns the new value. One UPDATE: on SQLite a read followed by a write in one
        transaction fails at once ("database is locked") when another connection wrote in between."""
        stmt = (
            update(Counsellor)
            .where(Counsellor.id == counsellor_id)
            .values(on_duty=not_(Counsellor.on_duty))
            .returning(Counsellor.on_duty)
            .execution_options(synchronize_session=False)
        )
        async with self.db.session() as session:
            on_duty = (await session.execute(stmt)).scalar()
        assert on_duty is not None, "seen_counsellor first"
        return bool(on_duty)

    async def on_duty(self) -> list[int]:
        """Ids of counsellors on duty."""
        return list(await self._scalars(select(Counsellor.id).where(Counsellor.on_duty.is_(True))))

    async def counsellor_name(self, counsellor_id: int | None) -> str:
        if counsellor_id is None:
            return ""
        async with self.db.session() as session:
            row = await session.get(Counsellor, counsellor_id)
        return row.first_name if row else str(counsellor_id)

    async def find_counsellor(self, name_or_id: str) -> int | None:
        """A counsellor by Telegram id or first name (case-insensitive)."""
        query = select(Counsellor.id)
        if name_or_id.strip().lstrip("-").isdigit():
            query = query.where(Counsellor.id == int(name_or_id))
        else:
            query = query.where(func.lower(Counsellor.first_name) == name_or_id.strip().lower())
        found = list(await self._scalars(query.limit(1)))
        return found[0] if found else None

    async def set_current(self, counsellor_id: int, case_id: int | None) -> None:
        """The case a counsellor's plain messages go to."""
        await self._update(
            update(Counsellor).where(Counsellor.id == counsellor_id).values(current_case_id=case_id)
        )

    async def current_case(self, counsellor_id: int) -> CaseRecord | None:
        """The case the counsellor chose (by taking it or with /kasus), while it is still theirs.

        Never another of their cases instead: a message meant for a user whose case has just ended
        must not reach a different user.
        """
        async with self.db.session() as session:
            row = await session.get(Counsellor, counsellor_id)
            chosen = row.current_case_id if row else None
        return next((c for c in await self.cases_of(counsellor_id) if c.id == chosen), None)

    async def _release_current(self, counsellor_id: int, case_id: int) -> None:
        """The case left the counsellor: their messages no longer go anywhere until they choose."""
        await self._update(
            update(Counsellor)
            .where(Counsellor.id == counsellor_id, Counsellor.current_case_id == case_id)
            .values(current_case_id=None)
        )

    async def cases_of(self, counsellor_id: int) -> list[CaseRecord]:
        """A counsellor's assigned cases, oldest pickup first."""
        query = select(Case).where(Case.counsellor_id == counsellor_id, Case.status == "assigned")
        return await self._cases(query.order_by(Case.assigned_at, Case.id))

    # -- the queue --------------------------------------------------------------------------------

    async def open_case(
        self,
        user_id: int,
        *,
        first_name: str,
        topic: str,
        description: str,
        lang: str,
        urgent: bool = False,
        answered: Sequence[str] = (),
    ) -> CaseRecord:
        """A new waiting case (description masked); ``answered``: intent ids the bot already answered."""
        now = self.clock()
        row = Case(
            user_id=user_id,
            status="waiting",
            urgent=urgent,
            topic=topic,
            description=mask(description)[:500],
            lang=lang,
            first_name=first_name[:128],
            created_at=now,
            queued_at=now,
            last_activity_at=now,
            answered=",".join(answered)[:1000],
        )
        async with self.db.session(writing=True) as session:
            session.add(row)
            await session.flush()
            await _mark(session, user_id, _open_value(row.id, WAITING, lang))
            return _record(row)

    async def get(self, case_id: int) -> CaseRecord | None:
        async with self.db.session() as session:
            row = await session.get(Case, case_id)
        return None if row is None else _record(row)

    async def open_case_of_user(self, user_id: int) -> CaseRecord | None:
        """The user's waiting or assigned case, if any."""
        found = await self._cases(
            select(Case)
            .where(Case.user_id == user_id, Case.status.in_(OPEN))
            .order_by(Case.id.desc())
            .limit(1)
        )
        return found[0] if found else None

    async def waiting(self) -> list[CaseRecord]:
        """Waiting cases in queue order (urgent first, then oldest)."""
        return await self._cases(select(Case).where(Case.status == "waiting").order_by(*self._order()))

    async def position(self, case: CaseRecord) -> int:
        """1 for the case at the head of the queue (crisis first, then near claim deadlines, then oldest)."""
        ids = list(
            await self._scalars(select(Case.id).where(Case.status == "waiting").order_by(*self._order()))
        )
        return ids.index(case.id) + 1 if case.id in ids else len(ids) + 1

    async def escalate(self, case_id: int) -> bool:
        """Mark an open case urgent (the user wrote something alarming); re-arms its SLA."""
        return await self._update(
            update(Case)
            .where(Case.id == case_id, Case.status.in_(OPEN), Case.urgent.is_(False))
            .values(urgent=True, sla_notified_at=None)
        )

    async def pickups(self, limit: int = 20) -> list[timedelta]:
        """How long the most recently taken cases waited (since they were queued)."""
        query = (
            select(QUEUED_AT, Case.assigned_at)
            .where(Case.assigned_at.is_not(None))
            .order_by(Case.assigned_at.desc())
            .limit(limit)
        )
        async with self.db.session() as session:
            rows = (await session.execute(query)).all()
        return [assigned - created for created, assigned in rows]

    # -- taking, handing over, closing --------------------------------------------------------------

    async def claim(self, case_id: int, counsellor_id: int) -> Claim:
        """Take a waiting case; exactly one of several simultaneous claimers wins."""
        now = self.clock()
        won = await self._change(
            update(Case)
            .where(Case.id == case_id, Case.status == "waiting")
            .values(_assigned(counsellor_id, now)),
            ASSIGNED,
        )
        if won:
            await self.set_current(counsellor_id, case_id)
        return Claim(bool(won), await self.get(case_id))

    async def claim_next(self, counsellor_id: int, *, attempts: int = 50) -> CaseRecord | None:
        """Take the case at the head of the queue; None when the queue is empty."""
        if self.db.dialect == "postgresql":
            case_id = await self._claim_head_locked(counsellor_id)
            if case_id is None:
                return None
            await self.set_current(counsellor_id, case_id)
            return await self.get(case_id)
        for _ in range(attempts):  # SQLite: another instance may win the head; then try the new head
            head = await self._scalars(
                select(Case.id).where(Case.status == "waiting").order_by(*self._order()).limit(1)
            )
            if not head:
                return None
            claim = await self.claim(head[0], counsellor_id)
            if claim.won:
                return claim.case
        return None

    async def _claim_head_locked(self, counsellor_id: int) -> int | None:
        """PostgreSQL: lock the head row others are not holding (SKIP LOCKED), then claim it."""
        now = self.clock()
        query = select(Case.id).where(Case.status == "waiting").order_by(*self._order()).limit(1)
        async with self.db.session() as session:
            case_id = (await session.execute(query.with_for_update(skip_locked=True))).scalar()
            if case_id is None:
                return None
            stmt = (
                update(Case)
                .where(Case.id == case_id, Case.status == "waiting")
                .values(_assigned(counsellor_id, now))
            )
            won = await _change_in(session, stmt, ASSIGNED)
        return int(case_id) if won else None

    async def requeue(self, case_id: int, counsellor_id: int) -> bool:
        """Give an assigned case back to the queue, keeping its place; its SLA counts from now."""
        now = self.clock()
        done = await self._change(
            update(Case)
            .where(*self._mine(case_id, counsellor_id))
            .values(
                status="waiting",
                counsellor_id=None,
                assigned_at=None,
                queued_at=now,
                sla_notified_at=None,
                last_activity_at=now,
            ),
            WAITING,
        )
        if done:
            await self._release_current(counsellor_id, case_id)
        return done

    async def transfer(self, case_id: int, counsellor_id: int, to_id: int) -> bool | None:
        """Hand an assigned case to another counsellor: None when it is not ours to hand over, else
        whether it became the receiver's current case (only when they had none)."""
        done = await self._update(
            update(Case)
            .where(*self._mine(case_id, counsellor_id))
            .values(counsellor_id=to_id, reminder_sent_at=None, last_activity_at=self.clock())
        )
        if not done:
            return None
        await self._release_current(counsellor_id, case_id)
        if await self.current_case(to_id) is not None:
            return False
        await self.set_current(to_id, case_id)
        return True

    async def close(self, case_id: int, counsellor_id: int) -> bool:
        """Close a case the counsellor holds."""
        done = await self._change(
            update(Case)
            .where(*self._mine(case_id, counsellor_id))
            .values(status="closed", closed_at=self.clock()),
            None,
        )
        if done:
            await self._release_current(counsellor_id, case_id)
        return done

    async def end_by_user(self, case_id: int, user_id: int) -> bool:
        """The user ends the conversation of their assigned case (closed, as a counsellor would)."""
        case = await self.get(case_id)
        done = await self._change(
            update(Case)
            .where(Case.id == case_id, Case.user_id == user_id, Case.status == "assigned")
            .values(status="closed", closed_at=self.clock()),
            None,
        )
        if done and case is not None and case.counsellor_id is not None:
            await self._release_current(case.counsellor_id, case_id)
        return done

    async def cancel(self, case_id: int, user_id: int) -> bool:
        """The user withdraws a waiting case."""
        return await self._change(
            update(Case)
            .where(Case.id == case_id, Case.user_id == user_id, Case.status == "waiting")
            .values(status="cancelled", cancelled_at=self.clock()),
            None,
        )

    async def forget_user(self, user_id: int) -> list[CaseRecord]:
        """The user deleted their data (/hapus): end their open cases, drop notes and what identifies them.

        Case rows stay, anonymised (user id 0, no name or description), so statistics keep their counts.
        Returns the cases that were open, so their counsellors can be told.
        """
        open_cases = await self._cases(
            select(Case).where(Case.user_id == user_id, Case.status.in_(("waiting", "assigned")))
        )
        now = self.clock()
        async with self.db.session() as session:
            ids = select(Case.id).where(Case.user_id == user_id).scalar_subquery()
            await session.execute(cast(Table, CaseNote.__table__).delete().where(CaseNote.case_id.in_(ids)))
            await session.execute(
                update(Case)
                .where(Case.user_id == user_id, Case.status.in_(("waiting", "assigned")))
                .values(status="cancelled", cancelled_at=now)
            )
            await session.execute(
                update(Case).where(Case.user_id == user_id).values(user_id=0, first_name="", description="")
            )
        return open_cases

    async def rate(self, case_id: int, user_id: int, rating: int) -> bool:
        """Store the user's 1-5 rating of a closed case, once."""
        if not 1 <= rating <= 5:
            return False
        return await self._update(
            update(Case)
            .where(
                Case.id == case_id, Case.user_id == user_id, Case.status == "closed", Case.rating.is_(None)
            )
            .values(rating=rating)
        )

    async def add_note(self, case_id: int, counsellor_id: int, text: str) -> None:
        async with self.db.session() as session:
            session.add(
                CaseNote(
                    case_id=case_id,
                    counsellor_id=counsellor_id,
                    text=mask(text)[:2000],
                    created_at=self.clock(),
                )
            )

    async def notes(self, case_id: int) -> list[str]:
        return list(
            await self._scalars(
                select(CaseNote.text).where(CaseNote.case_id == case_id).order_by(CaseNote.id)
            )
        )

    async def note_entries(self, case_id: int) -> list[NoteEntry]:
        """A case's notes with who wrote them and when, oldest first (shown on the card at pickup)."""
        query = (
            select(CaseNote.text, CaseNote.created_at, Counsellor.first_name, CaseNote.counsellor_id)
            .outerjoin(Counsellor, Counsellor.id == CaseNote.counsellor_id)
            .where(CaseNote.case_id == case_id)
            .order_by(CaseNote.id)
        )
        async with self.db.session() as session:
            rows = (await session.execute(query)).all()
        return [NoteEntry(text, created, name or str(author)) for text, created, name, author in rows]

    async def touch(self, case_id: int, *, by_counsellor: bool) -> None:
        """A message went through: the case is active (and answered, when the counsellor wrote)."""
        now = self.clock()
        values: dict[str, Any] = {"last_activity_at": now}
        if by_counsellor:
            values |= {"last_counsellor_reply_at": now, "reminder_sent_at": None}
        await self._update(update(Case).where(Case.id == case_id).values(**values))

    def _mine(self, case_id: int, counsellor_id: int) -> tuple[Any, ...]:
        return (Case.id == case_id, Case.counsellor_id == counsellor_id, Case.status == "assigned")

    # -- timers: each fires once, whoever (which instance) gets there first ---------------------------

    async def due_sla(self, timers: Timers) -> list[CaseRecord]:
        """Waiting cases past their SLA, each returned once ever (claimed via sla_notified_at)."""
        now = self.clock()
        late = or_(
            and_(Case.urgent.is_(True), QUEUED_AT <= now - timers.sla_urgent),
            and_(Case.urgent.is_(False), QUEUED_AT <= now - timers.sla),
        )
        query = select(Case).where(Case.status == "waiting", Case.sla_notified_at.is_(None), late)
        return await self._claim_each(
            query,
            lambda c: (Case.sla_notified_at.is_(None), Case.status == "waiting"),
            {"sla_notified_at": now},
        )

    async def due_reminders(self, timers: Timers) -> list[CaseRecord]:
        """Assigned cases whose counsellor has been silent too long, each returned once per silence."""
        now = self.clock()
        since = func.coalesce(Case.last_counsellor_reply_at, Case.assigned_at)
        query = select(Case).where(
            Case.status == "assigned", Case.reminder_sent_at.is_(None), since <= now - timers.reply_reminder
        )
        return await self._claim_each(
            query,
            lambda c: (Case.reminder_sent_at.is_(None), Case.status == "assigned"),
            {"reminder_sent_at": now},
        )

    async def due_idle(self, timers: Timers) -> list[CaseRecord]:
        """Assigned cases with no messages for ``idle_close``: closed here, each returned once."""
        now = self.clock()
        cutoff = now - timers.idle_close
        query = select(Case).where(Case.status == "assigned", Case.last_activity_at <= cutoff)
        return await self._claim_each(
            query,
            lambda c: (Case.status == "assigned", Case.last_activity_at <= cutoff),
            {"status": "closed", "closed_at": now},
            closes=True,
        )

    async def _claim_each(
        self,
        query: Any,
        still: Callable[[CaseRecord], tuple[Any, ...]],
        values: dict[str, Any],
        *,
        closes: bool = False,
    ) -> list[CaseRecord]:
        """Claim each due case once; ``closes``: the claim closes the case (its user is told in state)."""
        claimed = []
        for case in await self._cases(query.order_by(*self._order())):
            stmt = update(Case).where(Case.id == case.id, *still(case)).values(**values)
            if await (self._change(stmt, None) if closes else self._update(stmt)):
                claimed.append(case)
        return claimed

    # -- plumbing ---------------------------------------------------------------------------------

    async def _change(self, stmt: Any, status: str | None) -> bool:
        """An UPDATE of cases that changes their status: their users' state follows in the same
        transaction (``status`` None: the case is no longer open)."""
        async with self.db.session(writing=True) as session:
            return await _change_in(session, stmt, status)

    async def sync_user(self, user_id: int) -> CaseRecord | None:
        """Write the user's open case (or none) into their state from the cases table; the open case."""
        case = await self.open_case_of_user(user_id)
        async with self.db.session(writing=True) as session:
            await _mark(session, user_id, _open_value(case.id, case.status, case.lang) if case else None)
        return case

    async def sync_open_cases(self) -> int:
        """Write every open case into its user's state (at startup: states stored before the state
        carried the case, or changed by hand, follow the queue again). Returns how many cases."""
        query = select(Case.id, Case.user_id, Case.status, Case.lang).where(Case.status.in_(OPEN))
        async with self.db.session(writing=True) as session:
            rows = (await session.execute(query.order_by(Case.id))).all()
            for case_id, user_id, status, lang in rows:
                await _mark(session, user_id, _open_value(case_id, status, lang))
        return len(rows)

    async def _update(self, stmt: Any) -> bool:
        async with self.db.session() as session:
            result = await session.execute(stmt.execution_options(synchronize_session=False))
        return bool(rowcount(result))

    async def _scalars(self, query: Any) -> list[Any]:
        async with self.db.session() as session:
            return list((await session.scalars(query)).all())

    async def _cases(self, query: Any) -> list[CaseRecord]:
        async with self.db.session() as session:
            cases = [_record(row) for row in (await session.scalars(query)).all()]
            if not cases:
                return cases
            rows = (
                await session.execute(
                    select(Journey.user_id, Journey.claim_deadline).where(
                        Journey.user_id.in_({c.user_id for c in cases}), Journey.claimed_at.is_(None)
                    )
                )
            ).all()
        deadlines: dict[int, date | None] = {user_id: deadline for user_id, deadline in rows}
        return [replace(c, claim_deadline=deadlines.get(c.user_id)) for c in cases]

    def _order(self) -> tuple[Any, ...]:
        """Queue order: crisis (urgent) first, then a claim deadline within TRIAGE_DAYS, then the oldest."""
        today = self.clock().astimezone(TRIAGE_ZONE).date()
        near = exists().where(
            Journey.user_id == Case.user_id,
            Journey.claimed_at.is_(None),
            Journey.claim_deadline.between(today, today + timedelta(days=TRIAGE_DAYS)),
        )
        return (Case.urgent.desc(), sa_case((near, 0), else_=1), Case.created_at, Case.id)


def _assigned(counsellor_id: int, now: datetime) -> dict[str, Any]:
    """The columns a case takes when a counsellor claims it (the single and the queue-head claim)."""
    return {
        "status": "assigned",
        "counsellor_id": counsellor_id,
        "assigned_at": now,
        "last_activity_at": now,
        "last_counsellor_reply_at": None,
        "reminder_sent_at": None,
    }


def _open_value(case_id: int, status: str, lang: str) -> dict[str, Any]:
    """What ``state.handoff`` holds while a case is open."""
    return {"case": case_id, "status": status, "lang": lang}


async def _change_in(session: Any, stmt: Any, status: str | None) -> bool:
    """Run a case UPDATE in ``session`` and set each changed case's user state; True when any changed."""
    returning = stmt.returning(Case.id, Case.user_id, Case.lang)
    rows = (await session.execute(returning.execution_options(synchronize_session=False))).all()
    for case_id, user_id, lang in rows:
        await _mark(session, user_id, _open_value(case_id, status, lang) if status else None)
    return bool(rows)


async def _mark(session: Any, user_id: int, value: dict[str, Any] | None) -> None:
    """Set (or clear) the user's open case in their stored dialogue state, as a write of that state
    (``version`` + 1: a turn computed on the old state is computed again). No row: nothing to do."""
    query = select(User.state).where(User.id == user_id).with_for_update()
    stored = (await session.execute(query)).scalar_one_or_none()
    if stored is None:
        return
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(state=with_case(stored, value), version=User.version + 1)
        .execution_options(synchronize_session=False)
    )

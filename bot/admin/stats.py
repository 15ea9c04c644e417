"""Usage statistics: rows in, figures out. Pure; :mod:`bot.admin.queries` reads the rows.

Percentiles use the nearest-rank method (p90 of 10 values is the 9th smallest); the median is the
usual middle value (mean of the two middle ones for an even count). Times are in minutes.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .texts import AdminTexts

TOP_INTENTS = 5
CONVERSATION_GAP = timedelta(minutes=30)  # a longer silence starts a new conversation


@dataclass(frozen=True)
class Line:
    """One transcript row as the statistics need it."""

    user_id: int
    direction: str
    intent: str | None
    band: str | None
    created_at: datetime


@dataclass(frozen=True)
class Case:
    """One handoff case (from the counsellor queue's table, when it exists)."""

    created_at: datetime
    assigned_at: datetime | None
    closed_at: datetime | None
    rating: int | None
    reason: str


@dataclass(frozen=True)
class Day:
    day: date
    messages_in: int
    fallback_rate: float | None


@dataclass(frozen=True)
class Figures:
    """Everything /statistik and ``python -m bot stats`` report."""

    since: date | None
    until: date | None
    users: int
    conversations: int
    messages_in: int
    messages_out: int
    top_intents: tuple[tuple[str, int], ...]
    rates: Mapping[str, float | None]
    stale: int
    daily: tuple[Day, ...]
    handoffs: int | None = None
    handoff_reasons: Mapping[str, int] = field(default_factory=dict)
    wait: tuple[float | None, float | None] = (None, None)
    handling: tuple[float | None, float | None] = (None, None)
    ratings: Mapping[int, int] = field(default_factory=dict)
    rating_mean: float | None = None
    journey: Mapping[str, int] = field(default_factory=dict)  # saved timelines and reminders (journey)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile ``q`` (0-100); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def rates(lines: Iterable[Line]) -> dict[str, float | None]:
    """Share of incoming lines per band, among the incoming lines that were matched at all."""
    bands = Counter(line.band for line in lines if line.direction == "in" and line.band)
    total = sum(bands.values())
    return {band: (bands[band] / total if total else None) for band in ("answer", "clarify", "fallback")}


def daily(lines: Sequence[Line]) -> tuple[Day, ...]:
    """Incoming messages and fallback rate per UTC day, from the first to the last day with messages."""
    incoming = [line for line in lines if line.direction == "in"]
    if not incoming:
        return ()
    by_day: dict[date, list[Line]] = {}
    for line in incoming:
        by_day.setdefault(line.created_at.date(), []).append(line)
    first, last = min(by_day), max(by_day)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return tuple(Day(d, len(by_day.get(d, [])), rates(by_day.get(d, []))["fallback"]) for d in days)


def conversations(lines: Iterable[Line], *, gap: timedelta = CONVERSATION_GAP) -> int:
    """Per person, runs of messages (in or out) with no silence longer than ``gap``."""
    times: dict[int, list[datetime]] = {}
    for line in lines:
        times.setdefault(line.user_id, []).append(line.created_at)
    return sum(
        1 + sum(b - a > gap for a, b in zip(ts, ts[1:], strict=False))
        for ts in (sorted(t) for t in times.values())
    )


def minutes(start: datetime | None, end: datetime | None) -> float | None:
    return (end - start).total_seconds() / 60 if start and end else None


def case_figures(cases: Sequence[Case]) -> dict[str, object]:
    """Handoffs by reason, wait (created -> assigned) and handling (assigned -> closed), ratings."""
    waits = [m for c in cases if (m := minutes(c.created_at, c.assigned_at)) is not None]
    handling = [m for c in cases if (m := minutes(c.assigned_at, c.closed_at)) is not None]
    ratings = [c.rating for c in cases if c.rating is not None]
    return {
        "handoffs": len(cases),
        "handoff_reasons": dict(Counter(c.reason for c in cases)),
        "wait": (median(waits), percentile(waits, 90)),
        "handling": (median(handling), percentile(handling, 90)),
        "ratings": dict(sorted(Counter(ratings).items())),
        "rating_mean": statistics.fmean(ratings) if ratings else None,
    }


def compute(
    lines: Sequence[Line],
    cases: Sequence[Case] | None,
    *,
    stale: int,
    since: date | None = None,
    until: date | None = None,
) -> Figures:
    """All figures for the period the rows were read for; ``cases`` None when there is no case table."""
    intents = Counter(x.intent for x in lines if x.direction == "in" and x.band == "answer" and x.intent)
    extra = case_figures(cases) if cases is not None else {}
    # fmt: off
    return Figures(since=since, until=until, users=len({x.user_id for x in lines}),
                   conversations=conversations(lines),
                   messages_in=sum(x.direction == "in" for x in lines),
                   messages_out=sum(x.direction == "out" for x in lines),
                   top_intents=tuple(intents.most_common(TOP_INTENTS)), rates=rates(lines), stale=stale,
                   daily=daily(lines), **extra)  # type: ignore[arg-type]
    # fmt: on


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _pairs(items: Iterable[tuple[object, int]]) -> str:
    return ", ".join(f"{k} {v}" for k, v in items) or "-"


def render(f: Figures, texts: AdminTexts, lang: str) -> str:
    """The figures as the admin text ``stats.body``."""
    ratings = _pairs((f"{k}★", v) for k, v in f.ratings.items())
    if f.rating_mean is not None:
        ratings += f" (⌀ {f.rating_mean:.1f})"
    return texts.get(
        "stats.body",
        lang,
        since=f.since or "-",
        until=f.until or "-",
        users=f.users,
        conversations=f.conversations,
        messages_in=f.messages_in,
        messages_out=f.messages_out,
        answer_rate=_pct(f.rates["answer"]),
        clarify_rate=_pct(f.rates["clarify"]),
        fallback_rate=_pct(f.rates["fallback"]),
        top_intents=_pairs(f.top_intents),
        handoffs="-" if f.handoffs is None else f.handoffs,
        handoff_reasons=_pairs(f.handoff_reasons.items()),
        wait_median=_num(f.wait[0]),
        wait_p90=_num(f.wait[1]),
        handling_median=_num(f.handling[0]),
        handling_p90=_num(f.handling[1]),
        ratings=ratings,
        stale=f.stale,
    ) + _journey(f, texts, lang)


def _journey(f: Figures, texts: AdminTexts, lang: str) -> str:
    """The journey line (timelines, reminders sent/stopped, windows passed unclaimed), when there are any."""
    return "\n" + texts.get("stats.journey", lang, **f.journey) if f.journey else ""

"""Job alerts: which subscriber gets which digest after a vacancy import. Pure, with the clock passed in.

After an import, the vacancies that are new (ids the bot did not have before) are matched against each
subscriber's profile (:mod:`.matching`); matches wait in the subscriber's ``pending`` list. A subscriber
gets **at most one digest a day** (their local day, WIB/WITA/WIT): the best five pending vacancies that
are still open, with the scam reminder, a "see all" button and an unsubscribe button, timed outside
quiet hours (:func:`bot.services.proactive.next_send_time`). Whoever already had their digest that day
keeps the new matches pending for the next one. The adapter hands each :class:`Digest` to a
:class:`bot.services.proactive.ProactiveSink` and stores what :func:`after_sending` returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from bot.dialogue.flows import FlowContext
from bot.dialogue.types import Button, Reply
from bot.knowledge import KnowledgeBase
from bot.services.flowkit import tx
from bot.services.jobs.catalog import JobCatalog
from bot.services.jobs.flow import render_item
from bot.services.jobs.matching import Ranked, VacancyIndex, rank
from bot.services.jobs.profile import MEMORY_KEY, Profile
from bot.services.jobs.vacancies import Vacancy
from bot.services.proactive import local_day, next_send_time, zone
from bot.services.regions import Regions

WITA = frozenset(
    {
        "Bali",
        "Nusa Tenggara Barat",
        "Nusa Tenggara Timur",
        "Kalimantan Selatan",
        "Kalimantan Timur",
        "Kalimantan Utara",
        "Sulawesi Utara",
        "Sulawesi Tengah",
        "Sulawesi Selatan",
        "Sulawesi Tenggara",
        "Gorontalo",
        "Sulawesi Barat",
    }
)
WIT = frozenset(
    {
        "Maluku",
        "Maluku Utara",
        "Papua",
        "Papua Barat",
        "Papua Selatan",
        "Papua Tengah",
        "Papua Pegunungan",
        "Papua Barat Daya",
    }
)
DIGEST_SIZE = 5
MAX_PENDING = 50
KIND = "job_alert"


@dataclass(frozen=True)
class Subscriber:
    """Someone who asked for alerts, with the matches not sent yet and the day of their last digest."""

    user_id: int
    chat_id: int
    lang: str
    profile: Profile
    zone: str = "WIB"
    last_digest_day: date | None = None
    pending: tuple[str, ...] = ()


@dataclass(frozen=True)
class Digest:
    subscriber: Subscriber
    items: tuple[Ranked, ...]
    day: date
    not_before: datetime


def zone_for(profile: Profile, regions: Regions) -> str:
    """The time zone of the profile's place (WIB, WITA or WIT), for quiet hours; WIB when unknown."""
    place = regions.resolve(profile.place, fuzzy=False) if profile.place else None
    province = min(place.provinces) if place is not None else ""
    return "WITA" if province in WITA else "WIT" if province in WIT else "WIB"


def new_ids(before: Iterable[Vacancy], after: Iterable[Vacancy]) -> frozenset[str]:
    """Ids in the new vacancy list that the old one did not have."""
    old = {v.id for v in before}
    return frozenset(v.id for v in after if v.id not in old)


def collect(
    subscribers: Sequence[Subscriber],
    fresh: Sequence[Vacancy],
    today: date,
    *,
    jobs: JobCatalog,
    regions: Regions,
) -> list[Subscriber]:
    """Each subscriber with the fresh vacancies that fit their profile added to ``pending`` (best first)."""
    index = VacancyIndex(fresh, jobs, today)
    updated = []
    for sub in subscribers:
        found = [
            r.vacancy.id
            for r in rank(fresh, sub.profile.need(regions), today, jobs=jobs, regions=regions, index=index)
        ]
        pending = tuple(dict.fromkeys([*sub.pending, *found]))[-MAX_PENDING:]
        updated.append(replace(sub, pending=pending))
    return updated


def select(
    subscribers: Sequence[Subscriber],
    vacancies: Mapping[str, Vacancy],
    now: datetime,
    *,
    jobs: JobCatalog,
    regions: Regions,
) -> list[Digest]:
    """The digests due at ``now``: subscribers with pending matches still open and no digest yet on
    the (local) day it would be sent."""
    digests = []
    for sub in subscribers:
        tz = zone(sub.zone)
        when = next_send_time(now, tz)
        day = local_day(when, tz)
        if sub.last_digest_day == day or not sub.profile.alerts:
            continue
        still = [vacancies[i] for i in sub.pending if i in vacancies and vacancies[i].open_on(day)]
        items = rank(
            still,
            sub.profile.need(regions),
            day,
            jobs=jobs,
            regions=regions,
            index=VacancyIndex(still, jobs, day),
        )[:DIGEST_SIZE]
        if items:
            digests.append(Digest(sub, tuple(items), day, when))
    return digests


def after_sending(digest: Digest) -> Subscriber:
    """The subscriber once their digest is queued: that day used, nothing pending."""
    return replace(digest.subscriber, last_digest_day=digest.day, pending=())


def render(kb: KnowledgeBase, digest: Digest) -> list[Reply]:
    """The digest message: head, the vacancies with why each fits, the scam reminder, see-all and stop."""
    sub = digest.subscriber
    ctx = FlowContext(kb, sub.lang, digest.day, memory={MEMORY_KEY: sub.profile.to_json()})
    parts = [tx(ctx, "alerts.digest.head", count=len(digest.items))]
    parts += [render_item(ctx, n, r.vacancy, r) for n, r in enumerate(digest.items, start=1)]
    if any(r.vacancy.sample for r in digest.items):
        parts.append(tx(ctx, "jobs.item_sample"))
    parts.append(tx(ctx, "jobs.reminder"))
    buttons = (
        (Button(tx(ctx, "alerts.btn.more"), "f:jobs:mine"),),
        (Button(tx(ctx, "alerts.btn.off"), "f:profile:alerts:off"),),
    )
    return [Reply("\n\n".join(parts), buttons)]


__all__ = [
    "DIGEST_SIZE",
    "KIND",
    "WIT",
    "WITA",
    "zone_for",
    "Digest",
    "Subscriber",
    "after_sending",
    "collect",
    "new_ids",
    "render",
    "select",
]

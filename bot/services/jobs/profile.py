"""The job seeker's profile: education, fields or job titles, place, nearby ok, expected wage. Pure.

Kept (only after the person taps "save") in the dialogue state under ``State.pending["profile"]`` as
JSON, so the vacancy search and the training referral can read it; the alerts table keeps a copy for
the people who asked for alerts. :func:`read_profile` fills a profile from free text ("saya lulusan
smk teknik mesin di surabaya, cari kerja operator").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bot.services.jobs.catalog import JobCatalog
from bot.services.jobs.education import RANK
from bot.services.jobs.matching import Need
from bot.services.jobs.search import parse_job_query
from bot.services.money import MIN_WAGE_CHECK, parse_money
from bot.services.regions import Regions
from intents import normalise

MEMORY_KEY = "profile"
MAX_WORDS = 4
_WAGE_WORDS = re.compile(r"\b(gaji|upah|salary|wage|pay|penghasilan|juta|jt|ribu|rb|umr|umk)\b")
_NEARBY_NO = re.compile(
    r"\b(hanya|cuma|only|tidak mau jauh|ga mau jauh|gak mau jauh|nggak mau jauh)\b"
    r"|(?<!mana )(?<!apa )\b(saja|aja)\b"
)


@dataclass(frozen=True)
class Profile:
    education: str | None = None
    occupations: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # a title the synonym table does not know ("barber")
    place: str | None = None  # a city or province name (regions.resolve reads it back)
    nearby: bool = True
    wage: int | None = None
    alerts: bool = False

    @property
    def has_job(self) -> bool:
        return bool(self.occupations or self.words)

    @property
    def empty(self) -> bool:
        return not (self.education or self.has_job or self.place or self.wage)

    def to_json(self) -> dict[str, Any]:
        return {
            "education": self.education,
            "occupations": list(self.occupations),
            "words": list(self.words),
            "place": self.place,
            "nearby": self.nearby,
            "wage": self.wage,
            "alerts": self.alerts,
        }

    @classmethod
    def from_json(cls, data: Any) -> Profile:
        """A profile from stored JSON; anything malformed is dropped, never raised."""
        if not isinstance(data, dict):
            return cls()
        education = data.get("education") if data.get("education") in RANK else None
        occupations = tuple(str(o) for o in data.get("occupations") or () if isinstance(o, str))
        words = tuple(str(w) for w in data.get("words") or () if isinstance(w, str))[:MAX_WORDS]
        place = data.get("place") if isinstance(data.get("place"), str) else None
        wage = data.get("wage") if isinstance(data.get("wage"), int) and data.get("wage", 0) > 0 else None
        return cls(
            education,
            occupations,
            words,
            place,
            bool(data.get("nearby", True)),
            wage,
            bool(data.get("alerts")),
        )

    def merge(self, other: Profile) -> Profile:
        """This profile with whatever ``other`` says replacing it (a later message corrects an earlier one)."""
        job = (other.occupations, other.words) if other.has_job else (self.occupations, self.words)
        return replace(
            self,
            education=other.education or self.education,
            occupations=job[0],
            words=job[1],
            place=other.place or self.place,
            wage=other.wage or self.wage,
            nearby=other.nearby if other.place else self.nearby,
        )

    def need(self, regions: Regions) -> Need:
        """What to look for with this profile (the place resolved again: names survive data reloads)."""
        place = regions.resolve(self.place) if self.place else None
        return Need(self.occupations, self.words, place, self.nearby, self.education, self.wage)


def profile_of(memory: dict[str, Any]) -> Profile | None:
    """The saved profile in a flow's memory (``FlowContext.memory``), or None."""
    found = memory.get(MEMORY_KEY)
    return Profile.from_json(found) if isinstance(found, dict) else None


def read_profile(text: str, regions: Regions, jobs: JobCatalog) -> Profile:
    """What a free-text message says about the person: education, job, place, wage, nearby."""
    query = parse_job_query(text, regions, jobs)
    flat = normalise(text)
    wage = parse_money(text) if _WAGE_WORDS.search(flat) else None
    return Profile(
        query.education,
        query.occupations,
        query.words[:MAX_WORDS] if not query.occupations else (),
        query.place.name if query.place else None,
        not _NEARBY_NO.search(flat),
        wage if wage and wage >= MIN_WAGE_CHECK else None,
    )


__all__ = ["MEMORY_KEY", "Profile", "profile_of", "read_profile"]

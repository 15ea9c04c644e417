"""Matching and ranking vacancies for a person: education, field, place, salary. Pure.

A :class:`Need` is what one person looks for (from a message, a profile, or both). :func:`rank` keeps
the open vacancies that fit it and orders them:

* **education is a requirement** (:func:`.education.admits`): a vacancy asking for S1 is never offered
  to an SMK graduate;
* **field**: the occupation a vacancy title names (through the synonym table admins edit in
  ``knowledge/data/jobs.yaml``: kasir, cashier and kasir minimarket are one occupation), or the
  person's own words for a title the table does not know;
* **place**: the city (or province) named first, then, when nearby places are fine, the rest of the
  province, then the same island;
* **salary** when both sides know it: vacancies paying less than the person expects go after the others.

Each :class:`Ranked` result carries why it fits (:attr:`Ranked.why`), e.g. ``SMA/SMK · Surabaya · kasir``.
An index by place and occupation (:class:`VacancyIndex`, built once per vacancy list) keeps a search
over 50,000 vacancies to a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.services.jobs.catalog import JobCatalog
from bot.services.jobs.education import admits, label
from bot.services.jobs.search import JobQuery, title_matches
from bot.services.jobs.vacancies import Vacancy
from bot.services.regions import Key, Place, Regions

PLACE, PROVINCE, ISLAND, ANYWHERE = 0, 1, 2, 3   # place tiers, nearest first


@dataclass(frozen=True)
class Need:
    """What one person looks for; empty fields mean "any"."""

    occupations: tuple[str, ...] = ()
    words: tuple[str, ...] = ()          # job words the synonym table does not know
    place: Place | None = None
    nearby: bool = False                 # the rest of the province and the island are fine too
    education: str | None = None
    wage: int | None = None              # expected monthly wage (rupiah)

    @property
    def has_job(self) -> bool:
        return bool(self.occupations or self.words)


@dataclass(frozen=True)
class Ranked:
    """A vacancy that fits, with what made it fit (for the "why" line)."""

    vacancy: Vacancy
    tier: int                 # PLACE, PROVINCE, ISLAND or ANYWHERE
    occupation: str | None    # the occupation id that matched (None: no job asked, or matched by words)
    education: str            # the requirement it admits the person to ('SMA/SMK'), '' when not checked
    pay_ok: bool | None       # meets the expected wage; None when either side does not say
    key: tuple[int, int, int, date, str] = field(compare=False, default=(0, 0, 0, date.min, ""))

    def why(self, jobs: JobCatalog, lang: str) -> str:
        """'SMA/SMK · Surabaya · Kasir': the reasons this vacancy fits, in a few words."""
        parts = [self.education, self.vacancy.city]
        if self.occupation is not None and self.occupation in jobs.occupations:
            parts.append(jobs.occupations[self.occupation].label(lang))
        return " · ".join(p for p in parts if p)


def need_from(query: JobQuery, *, education: str | None = None, nearby: bool = False,
              wage: int | None = None) -> Need:
    """A :class:`Need` from a parsed message; the message's own education level wins over ``education``."""
    return Need(query.occupations, query.words, query.place, nearby, query.education or education, wage)


class VacancyIndex:
    """Vacancies by ``(province, city)``, by province and by occupation, with each title's occupation."""

    def __init__(self, vacancies: Sequence[Vacancy], jobs: JobCatalog) -> None:
        self.vacancies = vacancies
        self.jobs = jobs
        self.by_key: dict[Key, list[int]] = {}
        self.by_province: dict[str, list[int]] = {}
        self.by_occupation: dict[str | None, list[int]] = {}
        self.occupation: list[str | None] = []
        for i, v in enumerate(vacancies):
            occupation = jobs.occupation_of(v.title)
            self.occupation.append(occupation)
            self.by_key.setdefault((v.province, v.city), []).append(i)
            self.by_province.setdefault(v.province, []).append(i)
            self.by_occupation.setdefault(occupation, []).append(i)

    def candidates(self, need: Need, regions: Regions | None) -> Iterable[tuple[int, int]]:
        """``(index, place tier)`` of every vacancy that may fit by place and occupation."""
        if need.place is None:
            if need.occupations and not need.words:
                found = sorted(i for o in need.occupations for i in self.by_occupation.get(o, ()))
                return ((i, ANYWHERE) for i in found)
            return ((i, ANYWHERE) for i in range(len(self.vacancies)))
        return self._near(need, regions)

    def _near(self, need: Need, regions: Regions | None) -> Iterable[tuple[int, int]]:
        assert need.place is not None
        seen: set[int] = set()
        tiers: list[tuple[int, Iterable[int]]] = [(PLACE, (i for k in sorted(need.place.keys) for i in self.by_key.get(k, ())))]
        if need.nearby:
            provinces = sorted(need.place.provinces)
            tiers.append((PROVINCE, (i for p in provinces for i in self.by_province.get(p, ()))))
            if regions is not None:
                islands = regions.islands_of(provinces)
                others = sorted(p for p in self.by_province if p not in provinces and regions.islands_of((p,)) & islands)
                tiers.append((ISLAND, (i for p in others for i in self.by_province[p])))
        for tier, indexes in tiers:
            for i in indexes:
                if i not in seen:
                    seen.add(i)
                    yield i, tier


_CACHE: list[tuple[Sequence[Vacancy], JobCatalog, VacancyIndex]] = []


def index_of(vacancies: Sequence[Vacancy], jobs: JobCatalog) -> VacancyIndex:
    """The index of this vacancy list (built once; a reload brings a new list, hence a new index)."""
    if _CACHE and _CACHE[0][0] is vacancies and _CACHE[0][1] is jobs:
        return _CACHE[0][2]
    index = VacancyIndex(vacancies, jobs)
    _CACHE[:] = [(vacancies, jobs, index)]
    return index


def rank(vacancies: Sequence[Vacancy], need: Need, today: date, *, jobs: JobCatalog,
         regions: Regions | None = None, index: VacancyIndex | None = None) -> list[Ranked]:
    """The open vacancies that fit ``need``, best first (nearest place, pay met, soonest closing)."""
    index = index or index_of(vacancies, jobs)
    found = []
    for i, tier in index.candidates(need, regions):
        vacancy = vacancies[i]
        if not vacancy.open_on(today) or not admits(vacancy.education, need.education):
            continue
        occupation = index.occupation[i]
        if need.has_job and not _fits_job(vacancy, occupation, need):
            continue
        found.append(_ranked(vacancy, tier, occupation if need.occupations else None, need, today))
    return sorted(found, key=lambda r: r.key)


def _fits_job(vacancy: Vacancy, occupation: str | None, need: Need) -> bool:
    """The title names one of the occupations asked for; other words (titles the table does not
    know) match the title's words, typos tolerated."""
    if occupation is not None and occupation in need.occupations:
        return True
    return bool(need.words) and title_matches(vacancy.title, (" ".join(need.words),))


def _ranked(vacancy: Vacancy, tier: int, occupation: str | None, need: Need, today: date) -> Ranked:
    pay = vacancy.salary_max or vacancy.salary_min
    pay_ok = None if need.wage is None or pay is None else pay >= need.wage
    shown = label(vacancy.education) if need.education else ""
    key = (tier, {True: 0, None: 1, False: 2}[pay_ok], 0, vacancy.closes_on(today), vacancy.id)
    return Ranked(vacancy, tier, occupation if occupation in need.occupations else None, shown, pay_ok, key)


def linear_rank(vacancies: Sequence[Vacancy], need: Need, today: date, *, jobs: JobCatalog,
                regions: Regions | None = None) -> list[Ranked]:
    """The same result as :func:`rank` by a plain scan of every vacancy (the benchmark's baseline)."""
    provinces = need.place.provinces if need.place else frozenset()
    islands = regions.islands_of(provinces) if regions is not None and need.nearby else frozenset()
    found = []
    for vacancy in vacancies:
        tier = _tier(vacancy, need, provinces, islands, regions)
        if tier is None or not vacancy.open_on(today) or not admits(vacancy.education, need.education):
            continue
        occupation = jobs.occupation_of(vacancy.title)
        if need.has_job and not _fits_job(vacancy, occupation, need):
            continue
        found.append(_ranked(vacancy, tier, occupation if need.occupations else None, need, today))
    return sorted(found, key=lambda r: r.key)


def _tier(vacancy: Vacancy, need: Need, provinces: frozenset[str], islands: frozenset[str],
          regions: Regions | None) -> int | None:
    if need.place is None:
        return ANYWHERE
    if (vacancy.province, vacancy.city) in need.place.keys:
        return PLACE
    if not need.nearby:
        return None
    if vacancy.province in provinces:
        return PROVINCE
    if regions is not None and regions.islands_of((vacancy.province,)) & islands:
        return ISLAND
    return None


__all__ = ["ANYWHERE", "ISLAND", "PLACE", "PROVINCE", "Need", "Ranked", "VacancyIndex", "index_of",
           "linear_rank", "need_from", "rank"]

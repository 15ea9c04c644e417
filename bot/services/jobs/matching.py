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

from collections.abc import Iterator, Sequence
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, field
from datetime import date
from typing import overload

from bot.services.jobs.catalog import JobCatalog
from bot.services.jobs.education import admits, label
from bot.services.jobs.search import JobQuery, title_matches
from bot.services.jobs.vacancies import Vacancy
from bot.services.regions import PROVINCE as PROVINCE_PLACE
from bot.services.regions import Key, Place, Regions

PLACE, PROVINCE, ISLAND, ANYWHERE = 0, 1, 2, 3  # place tiers, nearest first
WIDEN_UNTIL = 10  # nearby places are added only while fewer vacancies than this fit
ALL = "*"  # the index's group of every occupation
_PAY_ORDER = {True: 0, None: 1, False: 2}  # pay met, not known, below what the person expects


@dataclass(frozen=True)
class Need:
    """What one person looks for; empty fields mean "any"."""

    occupations: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # job words the synonym table does not know
    place: Place | None = None
    nearby: bool = False  # the rest of the province and the island are fine too
    education: str | None = None
    wage: int | None = None  # expected monthly wage (rupiah)

    @property
    def has_job(self) -> bool:
        return bool(self.occupations or self.words)


@dataclass(frozen=True, slots=True)
class Ranked:
    """A vacancy that fits, with what made it fit (for the "why" line)."""

    vacancy: Vacancy
    tier: int  # PLACE, PROVINCE, ISLAND or ANYWHERE
    occupation: str | None  # the occupation id that matched (None: no job asked, or matched by words)
    education: str  # the requirement it admits the person to ('SMA/SMK'), '' when not checked
    pay_ok: bool | None  # meets the expected wage; None when either side does not say
    key: tuple[int, int, int, date, str] = field(compare=False, default=(0, 0, 0, date.min, ""))

    def why(self, jobs: JobCatalog, lang: str) -> str:
        """'SMA/SMK · Surabaya · Kasir': the reasons this vacancy fits, in a few words."""
        parts = [self.education, self.vacancy.city]
        if self.occupation is not None and self.occupation in jobs.occupations:
            parts.append(jobs.occupations[self.occupation].label(lang))
        return " · ".join(p for p in parts if p)


def need_from(
    query: JobQuery, *, education: str | None = None, nearby: bool = False, wage: int | None = None
) -> Need:
    """A :class:`Need` from a parsed message; the message's own education level wins over ``education``."""
    return Need(query.occupations, query.words, query.place, nearby, query.education or education, wage)


class VacancyIndex:
    """Vacancies by place and by occupation (and both at once), each list in result order.

    Positions are *ranks* in the order results are shown (soonest closing first, then id, as on
    ``today``), so a search for a job in a place reads only that occupation's vacancies there (then in
    the province, then on the island), already in order, and never sorts the whole list."""

    def __init__(self, vacancies: Sequence[Vacancy], jobs: JobCatalog, today: date) -> None:
        self.vacancies = vacancies
        self.jobs = jobs
        self.today = today
        closes = [v.closes_on(today) for v in vacancies]
        self.ordered = sorted(range(len(vacancies)), key=lambda i: (closes[i], vacancies[i].id))
        self.closes = [closes[i] for i in self.ordered]
        self.education = [vacancies[i].education for i in self.ordered]
        self.levels = frozenset(self.education)
        self.occupation: list[str | None] = []
        self.by_key: dict[tuple[str | None, Key], list[int]] = {}  # (occupation or ALL, place key)
        self.by_province: dict[tuple[str | None, str], list[int]] = {}  # (occupation or ALL, province)
        self.by_occupation: dict[str | None, list[int]] = {}
        for r, i in enumerate(self.ordered):
            v = vacancies[i]
            occupation = jobs.occupation_of(v.title)
            self.occupation.append(occupation)
            key = (v.province, v.city)
            for group in (ALL, occupation):
                self.by_key.setdefault((group, key), []).append(r)
                self.by_province.setdefault((group, v.province), []).append(r)
            self.by_occupation.setdefault(occupation, []).append(r)
        self.provinces = sorted({v.province for v in vacancies})

    def vacancy(self, rank: int) -> Vacancy:
        return self.vacancies[self.ordered[rank]]

    def tiers(self, need: Need, regions: Regions | None) -> Iterator[tuple[int, list[int]]]:
        """``(place tier, ranks)`` nearest first, each list in result order, each vacancy once; a
        tier is only worked out when the caller asks for it."""
        groups: tuple[str | None, ...] = need.occupations if need.occupations else (ALL,)
        if need.place is None:
            if need.occupations:
                yield ANYWHERE, _union([self.by_occupation.get(o, []) for o in need.occupations])
            else:
                yield ANYWHERE, list(range(len(self.vacancies)))
            return
        provinces = sorted(need.place.provinces)
        whole = need.place.kind == PROVINCE_PLACE
        if whole:
            here = self._provinces(groups, provinces)
        else:
            here = _union([self.by_key.get((g, k), []) for g in groups for k in sorted(need.place.keys)])
        yield PLACE, here
        if not need.nearby:
            return
        if not whole:
            inside = set(here)
            yield PROVINCE, [r for r in self._provinces(groups, provinces) if r not in inside]
        if regions is not None:
            islands = regions.islands_of(provinces)
            others = [p for p in self.provinces if p not in provinces and regions.islands_of((p,)) & islands]
            yield ISLAND, self._provinces(groups, others)

    def _provinces(self, groups: Sequence[str | None], provinces: Sequence[str]) -> list[int]:
        return _union([self.by_province.get((g, p), []) for g in groups for p in provinces])


def _union(lists: Sequence[list[int]]) -> list[int]:
    """Sorted ranks of several sorted lists (one list: itself, no copy made)."""
    if len(lists) == 1:
        return lists[0]
    return sorted({r for ranks in lists for r in ranks})


class Ranking(SequenceABC[Ranked]):
    """The vacancies that fit, best first; a :class:`Ranked` is made only for the ones looked at (a
    page, a digest), so a search with thousands of matches stays cheap."""

    def __init__(self, index: VacancyIndex, found: list[tuple[int, int]], need: Need, today: date) -> None:
        self._index, self._found, self._need, self._today = index, found, need, today

    def __len__(self) -> int:
        return len(self._found)

    @overload
    def __getitem__(self, item: int) -> Ranked: ...
    @overload
    def __getitem__(self, item: slice) -> list[Ranked]: ...

    def __getitem__(self, item: int | slice) -> Ranked | list[Ranked]:
        if isinstance(item, slice):
            return [self._make(found) for found in self._found[item]]
        return self._make(self._found[item])

    def _make(self, found: tuple[int, int]) -> Ranked:
        tier, r = found
        occupation = self._index.occupation[r] if self._need.occupations else None
        return _ranked(self._index.vacancy(r), tier, occupation, self._need, self._today)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SequenceABC) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Ranking({len(self)} vacancies)"


_CACHE: list[tuple[Sequence[Vacancy], JobCatalog, VacancyIndex]] = []


def index_of(vacancies: Sequence[Vacancy], jobs: JobCatalog, today: date) -> VacancyIndex:
    """The index of this vacancy list on ``today`` (built once a day; a reload brings a new list, hence
    a new index)."""
    if _CACHE and _CACHE[0][0] is vacancies and _CACHE[0][1] is jobs and _CACHE[0][2].today == today:
        return _CACHE[0][2]
    index = VacancyIndex(vacancies, jobs, today)
    _CACHE[:] = [(vacancies, jobs, index)]
    return index


def rank(
    vacancies: Sequence[Vacancy],
    need: Need,
    today: date,
    *,
    jobs: JobCatalog,
    regions: Regions | None = None,
    index: VacancyIndex | None = None,
) -> Ranking:
    """The open vacancies that fit ``need``, best first (nearest place, pay met, soonest closing).

    Nearby places widen the search only while fewer than :data:`WIDEN_UNTIL` vacancies fit: the
    province when the city has few, the island when the province has few."""
    if index is None or index.today != today:
        index = index_of(vacancies, jobs, today)
    found: list[tuple[int, int]] = []
    closes, education = index.closes, index.education
    admitted = {e for e in index.levels if admits(e, need.education)}
    by_words = bool(need.words and not need.occupations)
    for tier, ranks in index.tiers(need, regions):
        if tier in (PROVINCE, ISLAND) and len(found) >= WIDEN_UNTIL:
            break
        # The index lists hold only the occupations asked for; words alone are matched on the title.
        fitting = [r for r in ranks if closes[r] >= today and education[r] in admitted]
        if by_words:
            fitting = [r for r in fitting if _fits_job(index.vacancy(r), None, need)]
        found += [(tier, r) for r in fitting]
    if need.wage is not None:  # pay met first, then not known, then below (stable: closing order kept)
        found.sort(key=lambda f: (f[0], _PAY_ORDER[_pay_ok(index.vacancy(f[1]), need.wage)]))
    return Ranking(index, found, need, today)


def _pay_ok(vacancy: Vacancy, wage: int | None) -> bool | None:
    pay = vacancy.salary_max or vacancy.salary_min
    return None if wage is None or pay is None else pay >= wage


def _fits_job(vacancy: Vacancy, occupation: str | None, need: Need) -> bool:
    """The title names one of the occupations asked for; without one, the words asked for (a title
    the table does not know, "barber") match the title's words, typos tolerated."""
    if need.occupations:
        return occupation in need.occupations
    return title_matches(vacancy.title, (" ".join(need.words),))


def _ranked(vacancy: Vacancy, tier: int, occupation: str | None, need: Need, today: date) -> Ranked:
    pay_ok = _pay_ok(vacancy, need.wage)
    shown = label(vacancy.education) if need.education else ""
    key = (tier, _PAY_ORDER[pay_ok], 0, vacancy.closes_on(today), vacancy.id)
    return Ranked(vacancy, tier, occupation if occupation in need.occupations else None, shown, pay_ok, key)


def linear_rank(
    vacancies: Sequence[Vacancy], need: Need, today: date, *, jobs: JobCatalog, regions: Regions | None = None
) -> list[Ranked]:
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
    nearer = {tier: sum(r.tier < tier for r in found) for tier in (PROVINCE, ISLAND)}
    kept = [r for r in found if r.tier in (PLACE, ANYWHERE) or nearer[r.tier] < WIDEN_UNTIL]
    return sorted(kept, key=lambda r: r.key)


def _tier(
    vacancy: Vacancy, need: Need, provinces: frozenset[str], islands: frozenset[str], regions: Regions | None
) -> int | None:
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


__all__ = [
    "ANYWHERE",
    "ISLAND",
    "PLACE",
    "PROVINCE",
    "WIDEN_UNTIL",
    "Need",
    "Ranked",
    "Ranking",
    "VacancyIndex",
    "index_of",
    "linear_rank",
    "need_from",
    "rank",
]

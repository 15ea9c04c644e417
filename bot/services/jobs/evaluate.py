"""Evaluation of the job matcher on requests written independently (tests/data/job_requests.yaml). Pure.

Each request gives the text a person typed and what a counsellor would judge fitting, as structured
fields: ``occupation`` (plain words), ``place`` (as named) and ``education`` (the person's level), with a
free-text ``fitting`` note. The sample vacancies cannot be judged by a counsellor here, so a vacancy
counts as **fitting** when it is open and matches all three rules:

* occupation: the title names the same occupation of the synonym table as the request's words (any
  occupation when the request names none);
* place: the vacancy lies in the named city/kabupaten (``strict``), or in its province (``province``:
  the notes often say "in Surabaya (or Jawa Timur)");
* education: the vacancy's requirement admits the person's level.

A request is a **hit** when one of the top 3 results Pandu shows for its text is fitting. Requests with
no fitting vacancy in the data at all cannot be hits; they are counted apart (``answerable``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.services.jobs.catalog import JobCatalog
from bot.services.jobs.education import admits
from bot.services.jobs.matching import Need, Ranked, need_from, rank
from bot.services.jobs.search import parse_job_query, title_matches
from bot.services.jobs.vacancies import Vacancy
from bot.services.regions import Place, Regions
from intents import normalise

TOP = 3


@dataclass(frozen=True)
class Request:
    text: str
    occupation: str | None
    place: str | None
    education: str | None
    fitting: str = ""


@dataclass(frozen=True)
class Row:
    """One request: what was read from it, how many vacancies fit, and whether the top 3 has one."""

    request: Request
    read_education: str | None
    read_place: str | None
    read_job: tuple[str, ...]
    fitting_strict: int
    fitting_province: int
    hit_strict: bool
    hit_province: bool


def requests_from(data: Any) -> list[Request]:
    """The ``requests:`` list of a job_requests.yaml mapping."""
    return [
        Request(
            str(r["text"]), r.get("occupation"), r.get("place"), r.get("education"), str(r.get("fitting", ""))
        )
        for r in data["requests"]
    ]


def _occupations(words: str | None, jobs: JobCatalog) -> tuple[str, ...]:
    if not words:
        return ()
    return tuple(dict.fromkeys(ident for ident, _, _ in jobs.find(normalise(words).split(), fuzzy=True)))


def fits(
    vacancy: Vacancy, request: Request, today: date, jobs: JobCatalog, place: Place | None, *, province: bool
) -> bool:
    """The oracle: open, same occupation, in the place (or its province), education admitted."""
    if not vacancy.open_on(today) or not admits(vacancy.education, request.education):
        return False
    if place is not None:
        inside = (vacancy.province, vacancy.city) in place.keys
        if not inside and not (province and vacancy.province in place.provinces):
            return False
    if request.occupation:
        wanted = _occupations(request.occupation, jobs)
        found = jobs.occupation_of(vacancy.title)
        return (
            found in wanted
            if wanted and found
            else title_matches(vacancy.title, (normalise(request.occupation),))
        )
    return True


def shown(
    text: str, vacancies: Sequence[Vacancy], today: date, jobs: JobCatalog, regions: Regions, *, nearby: bool
) -> tuple[Need, list[Ranked]]:
    """What Pandu shows first for ``text``: the ranked results of the message (a missing job or place
    counts as "any", as when the person presses that button)."""
    need = need_from(parse_job_query(text, regions, jobs), nearby=nearby)
    return need, rank(vacancies, need, today, jobs=jobs, regions=regions)[:TOP]


def evaluate(
    requests: Sequence[Request],
    vacancies: Sequence[Vacancy],
    today: date,
    jobs: JobCatalog,
    regions: Regions,
    *,
    nearby: bool = False,
) -> list[Row]:
    rows = []
    for request in requests:
        place = regions.resolve(request.place) if request.place else None
        need, top = shown(request.text, vacancies, today, jobs, regions, nearby=nearby)
        strict = [v for v in vacancies if fits(v, request, today, jobs, place, province=False)]
        wide = [v for v in vacancies if fits(v, request, today, jobs, place, province=True)]
        rows.append(
            Row(
                request,
                need.education,
                need.place.name if need.place else None,
                need.occupations + need.words,
                len(strict),
                len(wide),
                any(fits(r.vacancy, request, today, jobs, place, province=False) for r in top),
                any(fits(r.vacancy, request, today, jobs, place, province=True) for r in top),
            )
        )
    return rows


@dataclass(frozen=True)
class Summary:
    requests: int
    answerable_strict: int
    answerable_province: int
    hits_strict: int
    hits_province: int
    education_read: int
    place_read: int


def summarise(rows: Sequence[Row], regions: Regions) -> Summary:
    def same_place(row: Row) -> bool:
        if row.request.place is None:
            return row.read_place is None
        want, got = (
            regions.resolve(row.request.place),
            regions.resolve(row.read_place) if row.read_place else None,
        )
        return bool(want and got and want.keys & got.keys)

    return Summary(
        len(rows),
        sum(r.fitting_strict > 0 for r in rows),
        sum(r.fitting_province > 0 for r in rows),
        sum(r.hit_strict for r in rows),
        sum(r.hit_province for r in rows),
        sum(r.read_education == r.request.education for r in rows),
        sum(same_place(r) for r in rows),
    )


__all__ = ["TOP", "Request", "Row", "Summary", "evaluate", "fits", "requests_from", "shown", "summarise"]

"""Vacancy search: read "loker operator produksi di bekasi" into a query, find open vacancies, page them.

``parse_job_query`` splits a message into job words and a place (typos, synonyms, aliases, province
names); ``search`` filters the open vacancies, pages them five at a time and, when nothing matches,
suggests nearby places (same province first) and related jobs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from rapidfuzz import fuzz

from bot.services.jobs.catalog import JobCatalog
from bot.services.jobs.education import find_education
from bot.services.jobs.vacancies import Vacancy
from bot.services.regions import Place, Regions
from intents import normalise, tokens

PAGE_SIZE = 5
MAX_SUGGESTIONS = 3
TITLE_CUTOFF = 88.0
SHORT_TERM = 3

# Words that carry no job or place: how people ask for vacancies, and place prepositions.
FILLER = frozenset(
    """
loker lowker lowongan lowongan2 lowong kerja kerjaan pekerjaan bekerja cari carikan cariin nyari mencari info
informasi ada adakah apa aja saja yang yg di daerah wilayah sekitar area dekat kota kab kabupaten provinsi prov
jadi sebagai untuk buat utk ga gak nggak saya aku gue gw sy mau ingin pengen butuh perlu terbaru baru hari ini
bulan tolong dong min kak lulusan posisi bagian job jobs vacancy vacancies opening openings looking look for a
an the in at near around as i want need work hiring any some me please find search eh ah oh hmm ya yah deh
sih nih kok mas mbak pak bu bang gan apapun juga atau dan or and
""".split()
) | frozenset(
    """
gk ga gak ngga nggak kak kakak min mohon permisi apakah selamat pagi siang sore malam gmn gimana bagaimana
penting halal umur usia tahun thn th pengalaman berpengalaman experience exp yrs years year fresh graduate
graduates grad grads have has with without tanpa harus punya sudah udah udh sdh belum bisa boleh cowo cowok
cewe cewek pria wanita laki perempuan pendidikan terakhir ijazah melamar lamar domisili tinggal bidang mantan
pulang lowongannya kerjanya dr dari jd remote wfh wfo hybrid fulltime parttime freelance
""".split()
)  # chat and profile words: how old, how experienced, greetings - never a job title
MAX_MAJOR_WORDS = 3  # "smk teknik mesin", "s1 english literature": the subject studied, not the job


@dataclass(frozen=True)
class JobQuery:
    """What to look for: occupation ids (from synonyms), other job words, and a place."""

    occupations: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    place: Place | None = None
    education: str | None = None  # the person's level when the message names one ("lulusan smk")

    @property
    def has_job(self) -> bool:
        return bool(self.occupations or self.words)


def parse_job_query(text: str, regions: Regions, jobs: JobCatalog) -> JobQuery:
    """Job terms and place in free text: 'lowker admin jkt', 'cari kerja jadi kasir daerah bandung'."""
    words = _split_glued(tokens(text), regions)
    spans = jobs.find(words)
    used = {i for _, start, end in spans for i in range(start, end)}
    level = find_education(words, skip=[i in used for i in range(len(words))])
    if level is not None:
        used |= set(range(level.start, level.end))
    place = _place(words, used, regions, fuzzy=False)
    if place is not None:
        used |= set(range(place[1], place[2]))
    if level is not None:
        major = _major(words, level.end, place)
        spans = _without_major(spans, major)
        used |= major
    rest = [w if i not in used else "" for i, w in enumerate(words)]
    fuzzy_spans = jobs.find([w if w not in FILLER else "" for w in rest], fuzzy=True)
    spans += fuzzy_spans
    used |= {i for _, start, end in fuzzy_spans for i in range(start, end)}
    if place is None:
        place = _place(words, used, regions, fuzzy=True, skip=jobs.vocabulary)
        used |= set(range(place[1], place[2])) if place else set()
    occupations = tuple(dict.fromkeys(ident for ident, _, _ in sorted(spans, key=lambda s: s[1])))
    free = tuple(w for i, w in enumerate(words) if i not in used and w not in FILLER and not w.isdigit())
    related = tuple(
        dict.fromkeys(r for o in occupations for r in jobs.occupations[o].related if r not in occupations)
    )
    terms = jobs.terms(occupations) + ((" ".join(free),) if free else ())
    return JobQuery(
        occupations, free, terms, related, place[0] if place else None, level.level if level else None
    )


def _major(words: Sequence[str], start: int, place: tuple[Place, int, int] | None) -> set[int]:
    """The words right after an education level that name what was studied ("smk *teknik mesin*",
    "s1 *akuntansi*"): up to three, stopping at a filler word, a number or the place."""
    found: set[int] = set()
    for i in range(start, min(start + MAX_MAJOR_WORDS, len(words))):
        if words[i] in FILLER or words[i].isdigit() or (place is not None and place[1] <= i < place[2]):
            break
        found.add(i)
    return found


def _without_major(spans: list[tuple[str, int, int]], major: set[int]) -> list[tuple[str, int, int]]:
    """Occupations named only as the subject studied count when the message names no other job
    ('sarjana akuntansi' looks for accounting; 'kasir ... lulusan smk akuntansi' for a cashier)."""
    other = [s for s in spans if s[1] not in major]
    return other if other else spans


def _split_glued(words: list[str], regions: Regions) -> list[str]:
    """'dibekasi' -> 'di', 'bekasi' (a common way of typing)."""
    out = []
    for word in words:
        if word.startswith("di") and len(word) > 5 and regions.resolve(word[2:], fuzzy=False):
            out += ["di", word[2:]]
        else:
            out.append(word)
    return out


def _place(
    words: Sequence[str], used: set[int], regions: Regions, *, fuzzy: bool, skip: frozenset[str] = frozenset()
) -> tuple[Place, int, int] | None:
    masked = [w if i not in used and w not in FILLER else "" for i, w in enumerate(words)]
    return regions.find(masked, fuzzy=fuzzy, skip=skip | {""})


def title_matches(title: str, terms: Sequence[str]) -> bool:
    """A vacancy title fits a term exactly (short terms such as 'cs', 'qc') or nearly (typos, plurals)."""
    flat = normalise(title)
    words = set(flat.split())
    for term in terms:
        if len(term) <= SHORT_TERM:
            if term in words:
                return True
        elif f" {term} " in f" {flat} " or fuzz.partial_ratio(term, flat) >= TITLE_CUTOFF:
            return True
    return False


@dataclass(frozen=True)
class SearchResult:
    """One page of matches, or suggestions when there are none."""

    items: tuple[Vacancy, ...]
    page: int
    pages: int
    total: int
    nearby: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # other occupations open in the place, when no related one is


def matches(
    vacancies: Sequence[Vacancy], query: JobQuery, today: date, jobs: JobCatalog | None = None
) -> list[Vacancy]:
    """Open vacancies fitting the job and the place, soonest closing first."""
    found = [
        v for v in vacancies if v.open_on(today) and _in_place(v, query.place) and _fits_job(v, query, jobs)
    ]
    return sorted(found, key=lambda v: (v.closes_on(today), v.id))


def _fits_job(vacancy: Vacancy, query: JobQuery, jobs: JobCatalog | None) -> bool:
    """Same occupation as the title names; other job words (or no catalogue) by the title's words."""
    if not query.has_job:
        return True
    occupation = jobs.occupation_of(vacancy.title) if jobs is not None else None
    if occupation is not None and occupation in query.occupations:
        return True
    if occupation is None or jobs is None:
        return title_matches(vacancy.title, query.terms)
    return bool(query.words) and title_matches(vacancy.title, (" ".join(query.words),))


def _in_place(vacancy: Vacancy, place: Place | None) -> bool:
    return place is None or (vacancy.province, vacancy.city) in place.keys


def search(
    vacancies: Sequence[Vacancy],
    query: JobQuery,
    today: date,
    page: int = 1,
    *,
    jobs: JobCatalog | None = None,
    regions: Regions | None = None,
) -> SearchResult:
    """A page (five a page) of open vacancies for ``query``; with no match, places and jobs to try.

    With ``jobs`` (the occupation catalogue) a vacancy matches by the occupation its title names, so
    "operator produksi" does not bring up "Operator Jahit"; without it, by the query's phrases. With
    ``regions``, suggested places on the same island come before places further away.
    """
    found = matches(vacancies, query, today, jobs)
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    items = tuple(found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    if found:
        return SearchResult(items, page, pages, len(found))
    related = related_jobs(vacancies, query, today, jobs)
    others = () if related else other_jobs(vacancies, query, today, jobs)
    return SearchResult((), 1, 1, 0, nearby_places(vacancies, query, today, jobs, regions), related, others)


def nearby_places(
    vacancies: Sequence[Vacancy],
    query: JobQuery,
    today: date,
    jobs: JobCatalog | None = None,
    regions: Regions | None = None,
) -> tuple[str, ...]:
    """Cities with this job open: the same province first, then the same island, then anywhere
    (most vacancies first within each)."""
    if query.place is None:
        return ()
    counts = Counter(
        (v.province, v.city) for v in matches(vacancies, replace(query, place=None), today, jobs)
    )
    provinces = query.place.provinces
    islands = regions.islands_of(provinces) if regions is not None else frozenset()

    def distance(key: tuple[str, str]) -> int:
        if key[0] in provinces:
            return 0
        return 1 if regions is not None and regions.islands_of((key[0],)) & islands else 2

    ranked = sorted(counts, key=lambda key: (distance(key), -counts[key], key[1]))
    return tuple(city for _, city in ranked[:MAX_SUGGESTIONS])


def related_jobs(
    vacancies: Sequence[Vacancy], query: JobQuery, today: date, jobs: JobCatalog | None = None
) -> tuple[str, ...]:
    """Related occupations that do have open vacancies in the place."""
    if jobs is None:
        return ()
    found = []
    for ident in query.related:
        probe = JobQuery((ident,), (), jobs.terms((ident,)), (), query.place)
        if matches(vacancies, probe, today, jobs):
            found.append(ident)
    return tuple(found[:MAX_SUGGESTIONS])


def other_jobs(
    vacancies: Sequence[Vacancy], query: JobQuery, today: date, jobs: JobCatalog | None = None
) -> tuple[str, ...]:
    """The occupations with most open vacancies in the place (when no related job has any there)."""
    if jobs is None or query.place is None:
        return ()
    here = Counter(
        jobs.occupation_of(v.title) for v in matches(vacancies, JobQuery(place=query.place), today)
    )
    found = [ident for ident, _ in here.most_common() if ident is not None and ident not in query.occupations]
    return tuple(found[:MAX_SUGGESTIONS])

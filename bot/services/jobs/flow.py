"""The vacancy search flow ("jobs"): ask for the job and/or the place, then show pages of five.

While asking, state is ``{"job": str|None, "place": str|None, "edu": str, "history": [...]}`` ("*" =
any). A saved profile (``FlowContext.memory``) fills what the message leaves out, so only what
neither says is asked. Results are ranked for the person (:mod:`.matching`: education requirement,
place, pay) and say why each fits. Result pages end the flow: their buttons carry the whole query,
``q:<page>:<education>:<job>:<place>`` (older ``p:<page>:<job>:<place>`` still works), ``mine``
(search with the profile) and ``bp:<job>`` (Back: ask the place again).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from bot.dialogue.flows import Flow, FlowContext, FlowStep
from bot.dialogue.types import MAX_CALLBACK_BYTES, Button, Incoming, Reply
from bot.services.flowkit import BACK, START, button_value, ended, rows, texts, tx
from bot.services.freetext import looks_like_question
from bot.services.jobs.catalog import JobCatalog
from bot.services.jobs.education import RANK
from bot.services.jobs.matching import Ranked, need_from, rank
from bot.services.jobs.profile import Profile, profile_of
from bot.services.jobs.search import PAGE_SIZE, JobQuery, SearchResult, parse_job_query, search
from bot.services.jobs.vacancies import Vacancy
from bot.services.money import format_rupiah
from bot.services.regions import Regions
from intents import normalise
from intents.noise import is_noise, is_number_only

ANY = "*"
SUGGESTED_PLACES = 6
_ANYWHERE = re.compile(
    r"\b(semua|mana saja|dimana saja|di mana saja|bebas|terserah|anywhere|everywhere|any)\b"
)


def _data(ctx: FlowContext) -> tuple[list[Vacancy], Regions, JobCatalog]:
    extras = ctx.kb.extras
    return extras["vacancies"], extras["regions"], extras["jobs"]


def job_key(query: JobQuery, jobs: JobCatalog) -> str:
    """The job part of a query as short text that parses back to the same query."""
    names = [jobs.occupations[o].synonyms[0] for o in query.occupations]
    return " ".join(names + list(query.words)) or ANY


class JobsFlow(Flow):
    """Vacancy search, step by step when the first message lacks the job or the place."""

    name = "jobs"

    def start(self, ctx: FlowContext, text: str = "") -> FlowStep:
        _, regions, jobs = _data(ctx)
        query = parse_job_query(text, regions, jobs) if text else JobQuery()
        job = job_key(query, jobs) if query.has_job else None
        place = query.place.name if query.place else None
        profile = profile_of(ctx.memory)
        if profile is not None and text:
            job = job or _profile_job(profile, jobs)
            place = place or profile.place
        if query.education and place and not job:
            job = ANY  # "lowongan di surabaya lulusan smk": every job that level can apply for
        edu = query.education or (profile.education if profile else None)
        data = {
            "job": job,
            "place": place,
            "history": [k for k, v in (("job", job), ("place", place)) if v],
            **({"edu": edu} if edu else {}),
        }
        return self._next(ctx, data)

    def step(self, ctx: FlowContext, data: dict[str, Any], incoming: Incoming) -> FlowStep:
        value = button_value(self.name, incoming)
        if value is not None:
            return self._button(ctx, data, value)
        if not data:
            return self.start(ctx, incoming.text)
        return self._text(ctx, dict(data), incoming.text)

    def _button(self, ctx: FlowContext, data: dict[str, Any], value: str) -> FlowStep:
        kind, _, rest = value.partition(":")
        if kind == "mine":
            return self.mine(ctx)
        if kind == "q":
            page, _, rest = rest.partition(":")
            edu, _, query = rest.partition(":")
            job, _, place = query.partition(":")
            return self.results(ctx, job, place, int(page) if page.isdigit() else 1, edu)
        if kind == "p":
            page, _, query = rest.partition(":")
            job, _, place = query.partition(":")
            return self.results(ctx, job, place, int(page) if page.isdigit() else 1)
        if kind == "bp":
            return self._next(ctx, {"job": rest or ANY, "place": None, "history": ["job"]})
        if kind == BACK and data:
            return self._back(ctx, dict(data))
        if kind in ("job", "place") and data and rest:
            data = {**data, kind: rest, "history": [*data.get("history", []), kind]}
            return self._next(ctx, data)
        return self.start(ctx) if kind in (START, BACK) or not data else self._next(ctx, data)

    def _text(self, ctx: FlowContext, data: dict[str, Any], text: str) -> FlowStep:
        _, regions, jobs = _data(ctx)
        query = parse_job_query(text, regions, jobs)
        asking = "job" if not data.get("job") else "place"
        if is_noise(text) and not is_number_only(text):  # "xxxxx" is no job title: say what to type
            return FlowStep(data, [Reply(tx(ctx, f"jobs.bad.{asking}")), self.ask(ctx, data, asking)])
        # While asking for the place, only a known occupation changes the job (not any unknown word).
        job_given = query.has_job if asking == "job" else bool(query.occupations)
        found = {
            "job": job_key(query, jobs) if job_given else None,
            "place": query.place.name if query.place else None,
        }
        if asking == "place" and not found["place"] and _ANYWHERE.search(normalise(text)):
            found["place"] = ANY
        if not found[asking] and (looks_like_question(text) or not (found["job"] or found["place"])):
            return self._not_answer(ctx, data, asking, text)
        history = list(data.get("history", []))
        for key in ("job", "place"):
            if found[key]:
                data[key] = found[key]
                history = [k for k in history if k != key] + [key]
        return self._next(ctx, {**data, "history": history})

    def _not_answer(self, ctx: FlowContext, data: dict[str, Any], asking: str, text: str) -> FlowStep:
        if looks_like_question(text):
            return FlowStep(data, [self.ask(ctx, data, asking)], consumed=False)
        return FlowStep(data, [Reply(tx(ctx, f"jobs.bad.{asking}")), self.ask(ctx, data, asking)])

    def _back(self, ctx: FlowContext, data: dict[str, Any]) -> FlowStep:
        history = list(data.get("history", []))
        if not history:
            return ended(ctx)
        data[history.pop()] = None
        return self._next(ctx, {**data, "history": history})

    def _next(self, ctx: FlowContext, data: dict[str, Any]) -> FlowStep:
        if data.get("job") and data.get("place"):
            return self.results(ctx, data["job"], data["place"], 1, str(data.get("edu") or ""))
        return FlowStep(data, [self.ask(ctx, data, "job" if not data.get("job") else "place")])

    def ask(self, ctx: FlowContext, data: dict[str, Any], what: str) -> Reply:
        """Which job (suggested occupations) or which place (cities with most open vacancies)."""
        vacancies, _, jobs = _data(ctx)
        if what == "job":
            options = [
                (jobs.occupations[o].label(ctx.lang), jobs.occupations[o].synonyms[0]) for o in jobs.suggest
            ]
            prompt = tx(ctx, "jobs.q.job", place=_place_label(ctx, data.get("place")))
        else:
            counts = Counter(v.city for v in vacancies if v.open_on(ctx.today))
            options = [(city, city) for city, _ in counts.most_common(SUGGESTED_PLACES)]
            prompt = tx(
                ctx,
                "jobs.q.place" if data.get("job") == ANY else "jobs.q.place_for",
                job=_job_label(ctx, data.get("job")),
            )
        any_label = tx(ctx, "jobs.any_job" if what == "job" else "jobs.anywhere")
        buttons = [self.button(label, f"{what}:{value}") for label, value in options] + [
            self.button(any_label, f"{what}:{ANY}")
        ]
        return Reply(prompt, rows(buttons, 2) + ((self.button(tx(ctx, "common.back"), BACK),),))

    def mine(self, ctx: FlowContext) -> FlowStep:
        """ "Vacancies for me": the saved profile's job, place and education (asks what it lacks)."""
        profile = profile_of(ctx.memory)
        if profile is None:
            return self.start(ctx)
        _, _, jobs = _data(ctx)
        job = _profile_job(profile, jobs)
        data = {
            "job": job,
            "place": profile.place,
            "history": [k for k, v in (("job", job), ("place", profile.place)) if v],
            **({"edu": profile.education} if profile.education else {}),
        }
        return self._next(ctx, data)

    def results(self, ctx: FlowContext, job: str, place: str, page: int, edu: str = "") -> FlowStep:
        """One page of results ranked for the person (or suggestions); always ends with the scam reminder."""
        vacancies, regions, jobs = _data(ctx)
        profile = profile_of(ctx.memory)
        query = parse_job_query(job, regions, jobs) if job != ANY else JobQuery()
        query = dataclasses.replace(
            query,
            place=regions.resolve(place) if place != ANY else None,
            education=edu if edu in RANK else None,
        )
        nearby = profile is not None and profile.nearby and place == profile.place
        ranked = rank(
            vacancies,
            need_from(query, nearby=nearby, wage=profile.wage if profile else None),
            ctx.today,
            jobs=jobs,
            regions=regions,
        )
        result = (
            _page(ranked, page)
            if ranked
            else search(vacancies, query, ctx.today, page, jobs=jobs, regions=regions)
        )
        first = (result.page - 1) * PAGE_SIZE
        fits = {r.vacancy.id: r for r in ranked[first : first + PAGE_SIZE]}
        edu = query.education or ""
        shown_place = tx(ctx, "jobs.place_nearby", place=place) if nearby else place
        if ranked:
            text = render_page(ctx, result, job, shown_place, fits, edu)
        else:
            text = render_none(
                ctx,
                dataclasses.replace(result, items=(), total=0),
                job,
                place,
                higher=edu if result.total else "",
            )
        return FlowStep(None, [Reply(text, self._result_buttons(ctx, result, job, place, edu))])

    def _result_buttons(
        self, ctx: FlowContext, result: SearchResult, job: str, place: str, edu: str = ""
    ) -> tuple[tuple[Button, ...], ...]:
        def page(n: int) -> str:
            return f"q:{n}:{edu}" if edu else f"p:{n}"

        nav = []
        if result.page > 1:
            nav.append(self._link(tx(ctx, "jobs.btn.prev"), page(result.page - 1), job, place))
        if result.page < result.pages:
            nav.append(self._link(tx(ctx, "jobs.btn.next"), page(result.page + 1), job, place))
        _, _, jobs = _data(ctx)
        places = [self._link(city, page(1), job, city) for city in result.nearby]
        related = [
            self._link(jobs.occupations[o].label(ctx.lang), page(1), jobs.occupations[o].synonyms[0], place)
            for o in result.related + result.others
        ]
        alert = (self._alert_button(ctx, job, place, edu),)
        end = (
            self.button(tx(ctx, "jobs.btn.new"), START),
            self.button(tx(ctx, "common.back"), f"bp:{self._fit(job, 'bp:', '')}"),
        )
        return tuple(r for r in (tuple(nav), *rows(places, 3), *rows(related, 2), alert, end) if r)

    def _alert_button(self, ctx: FlowContext, job: str, place: str, edu: str) -> Button:
        """ "Tell me about new vacancies like these": the profile flow, given this search."""
        head = f"f:profile:sub:{edu}:{place if place != ANY else ''}:"
        words = (job if job != ANY else "").split()
        while words and len(f"{head}{' '.join(words)}".encode()) > MAX_CALLBACK_BYTES:
            words.pop()
        data = f"{head}{' '.join(words)}"
        return Button(
            tx(ctx, "alerts.btn.search"),
            data if len(data.encode()) <= MAX_CALLBACK_BYTES else "f:profile:alerts:on",
        )

    def _link(self, label: str, head: str, job: str, place: str) -> Button:
        return self.button(label, f"{head}:{self._fit(job, head + ':', ':' + place)}:{place}")

    def _fit(self, job: str, before: str, after: str) -> str:
        """Shorten the job words until the whole button data fits Telegram's 64 bytes."""
        words = job.split()
        while words and len(f"f:{self.name}:{before}{' '.join(words)}{after}".encode()) > MAX_CALLBACK_BYTES:
            words.pop()
        return " ".join(words) or ANY


def _job_label(ctx: FlowContext, job: str | None) -> str:
    if not job or job == ANY:
        return tx(ctx, "jobs.any_job")
    _, regions, jobs = _data(ctx)
    query = parse_job_query(job, regions, jobs)
    names = [jobs.occupations[o].label(ctx.lang) for o in query.occupations] + list(query.words)
    return ", ".join(names) or job


def _profile_job(profile: Profile, jobs: JobCatalog) -> str | None:
    """The profile's job as the flow's job text (parses back to the same occupations)."""
    names = [jobs.occupations[o].synonyms[0] for o in profile.occupations if o in jobs.occupations]
    return " ".join(names + list(profile.words)) or None


def _page(ranked: Sequence[Ranked], page: int) -> SearchResult:
    pages = max(1, -(-len(ranked) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    items = tuple(r.vacancy for r in ranked[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return SearchResult(items, page, pages, len(ranked))


def _place_label(ctx: FlowContext, place: str | None) -> str:
    return tx(ctx, "jobs.anywhere") if not place or place == ANY else place


def _salary(ctx: FlowContext, vacancy: Vacancy) -> str:
    low, high = vacancy.salary_min, vacancy.salary_max
    if low and high:
        return tx(ctx, "jobs.item_salary", low=format_rupiah(low), high=format_rupiah(high))
    if low or high:
        return tx(
            ctx,
            "jobs.item_salary_from" if low else "jobs.item_salary_upto",
            amount=format_rupiah(low or high or 0),
        )
    return ""


def render_item(ctx: FlowContext, number: int, vacancy: Vacancy, fit: Ranked | None = None) -> str:
    """One vacancy: title, employer, place, education, salary (when known), why it fits, closing date,
    how to apply."""
    why = fit.why(ctx.kb.extras["jobs"], ctx.lang) if fit is not None else ""
    lines = [
        tx(
            ctx,
            "jobs.item",
            n=number,
            title=vacancy.title,
            employer=vacancy.employer,
            city=vacancy.city,
            province=vacancy.province,
            education=vacancy.education or "-",
        ),
        _salary(ctx, vacancy),
        tx(ctx, "jobs.item_why", why=why) if why else "",
        tx(
            ctx,
            "jobs.item_apply",
            closing=texts(ctx).date(vacancy.closes_on(ctx.today), ctx.lang),
            how=vacancy.how_to_apply,
        ),
    ]
    return "\n".join(line for line in lines if line)


def render_page(
    ctx: FlowContext,
    result: SearchResult,
    job: str,
    place: str,
    fits: dict[str, Ranked] | None = None,
    edu: str = "",
) -> str:
    first = (result.page - 1) * PAGE_SIZE + 1
    parts = [
        tx(
            ctx,
            "jobs.results.head",
            job=_job_label(ctx, job),
            place=_place_label(ctx, place),
            start=first,
            end=first + len(result.items) - 1,
            total=result.total,
            page=result.page,
            pages=result.pages,
        )
    ]
    if edu:
        parts[0] += "\n" + tx(ctx, "jobs.results.level", education=edu)
    parts += [render_item(ctx, first + i, v, (fits or {}).get(v.id)) for i, v in enumerate(result.items)]
    if any(v.sample for v in result.items):
        parts.append(tx(ctx, "jobs.item_sample"))
    parts.append(tx(ctx, "jobs.reminder"))
    return "\n\n".join(parts)


def render_none(ctx: FlowContext, result: SearchResult, job: str, place: str, *, higher: str = "") -> str:
    """No fitting vacancy: other places and jobs to try; ``higher`` is the person's level when there are
    such vacancies that ask for more education."""
    parts = [tx(ctx, "jobs.none", job=_job_label(ctx, job), place=_place_label(ctx, place))]
    if higher:
        parts.append(tx(ctx, "jobs.none_education", education=higher))
    if result.nearby:
        parts.append(tx(ctx, "jobs.suggest_places"))
    if result.related:
        parts.append(tx(ctx, "jobs.suggest_jobs", place=_place_label(ctx, place)))
    elif result.others:
        parts.append(tx(ctx, "jobs.suggest_other_jobs", place=_place_label(ctx, place)))
    parts.append(tx(ctx, "jobs.suggest_karirhub"))
    parts.append(tx(ctx, "jobs.reminder"))
    return "\n\n".join(parts)

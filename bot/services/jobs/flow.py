"""The vacancy search flow ("jobs"): ask for the job and/or the place, then show pages of five.

While asking, state is ``{"job": str|None, "place": str|None, "history": [...]}`` ("*" = any). Result
pages end the flow: their buttons carry the whole query, ``p:<page>:<job>:<place>``, and
``bp:<job>`` (Back: ask the place again), so paging works whenever the user presses them.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

from bot.dialogue.flows import Flow, FlowContext, FlowStep
from bot.dialogue.types import MAX_CALLBACK_BYTES, Button, Incoming, Reply
from bot.services.flowkit import BACK, START, button_value, ended, rows, texts, tx
from bot.services.freetext import looks_like_question
from bot.services.jobs.catalog import JobCatalog
from bot.services.jobs.search import PAGE_SIZE, JobQuery, SearchResult, parse_job_query, search
from bot.services.jobs.vacancies import Vacancy
from bot.services.money import format_rupiah
from bot.services.regions import Regions
from intents import normalise
from intents.noise import is_noise, is_number_only

ANY = "*"
SUGGESTED_PLACES = 6
_ANYWHERE = re.compile(r"\b(semua|mana saja|dimana saja|di mana saja|bebas|terserah|anywhere|everywhere|any)\b")


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
        return self._next(ctx, {"job": job, "place": place, "history": [k for k, v in (("job", job), ("place", place)) if v]})

    def step(self, ctx: FlowContext, data: dict[str, Any], incoming: Incoming) -> FlowStep:
        value = button_value(self.name, incoming)
        if value is not None:
            return self._button(ctx, data, value)
        if not data:
            return self.start(ctx, incoming.text)
        return self._text(ctx, dict(data), incoming.text)

    def _button(self, ctx: FlowContext, data: dict[str, Any], value: str) -> FlowStep:
        kind, _, rest = value.partition(":")
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
        found = {"job": job_key(query, jobs) if job_given else None, "place": query.place.name if query.place else None}
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
            return self.results(ctx, data["job"], data["place"], 1)
        return FlowStep(data, [self.ask(ctx, data, "job" if not data.get("job") else "place")])

    def ask(self, ctx: FlowContext, data: dict[str, Any], what: str) -> Reply:
        """Which job (suggested occupations) or which place (cities with most open vacancies)."""
        vacancies, _, jobs = _data(ctx)
        if what == "job":
            options = [(jobs.occupations[o].label(ctx.lang), jobs.occupations[o].synonyms[0]) for o in jobs.suggest]
            prompt = tx(ctx, "jobs.q.job", place=_place_label(ctx, data.get("place")))
        else:
            counts = Counter(v.city for v in vacancies if v.open_on(ctx.today))
            options = [(city, city) for city, _ in counts.most_common(SUGGESTED_PLACES)]
            prompt = tx(ctx, "jobs.q.place" if data.get("job") == ANY else "jobs.q.place_for",
                        job=_job_label(ctx, data.get("job")))
        any_label = tx(ctx, "jobs.any_job" if what == "job" else "jobs.anywhere")
        buttons = [self.button(label, f"{what}:{value}") for label, value in options] + [self.button(any_label, f"{what}:{ANY}")]
        return Reply(prompt, rows(buttons, 2) + ((self.button(tx(ctx, "common.back"), BACK),),))

    def results(self, ctx: FlowContext, job: str, place: str, page: int) -> FlowStep:
        """One page of results (or suggestions); always ends with the scam reminder."""
        vacancies, regions, jobs = _data(ctx)
        query = parse_job_query(job, regions, jobs) if job != ANY else JobQuery()
        query = dataclasses.replace(query, place=regions.resolve(place) if place != ANY else None)
        result = search(vacancies, query, ctx.today, page, jobs=jobs, regions=regions)
        text = render_page(ctx, result, job, place) if result.total else render_none(ctx, result, job, place)
        return FlowStep(None, [Reply(text, self._result_buttons(ctx, result, job, place))])

    def _result_buttons(self, ctx: FlowContext, result: SearchResult, job: str, place: str) -> tuple[tuple[Button, ...], ...]:
        nav = []
        if result.page > 1:
            nav.append(self._link(tx(ctx, "jobs.btn.prev"), f"p:{result.page - 1}", job, place))
        if result.page < result.pages:
            nav.append(self._link(tx(ctx, "jobs.btn.next"), f"p:{result.page + 1}", job, place))
        _, _, jobs = _data(ctx)
        places = [self._link(city, "p:1", job, city) for city in result.nearby]
        related = [self._link(jobs.occupations[o].label(ctx.lang), "p:1", jobs.occupations[o].synonyms[0], place)
                   for o in result.related + result.others]
        end = (self.button(tx(ctx, "jobs.btn.new"), START), self.button(tx(ctx, "common.back"), f"bp:{self._fit(job, 'bp:', '')}"))
        return tuple(r for r in (tuple(nav), *rows(places, 3), *rows(related, 2), end) if r)

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


def _place_label(ctx: FlowContext, place: str | None) -> str:
    return tx(ctx, "jobs.anywhere") if not place or place == ANY else place


def _salary(ctx: FlowContext, vacancy: Vacancy) -> str:
    low, high = vacancy.salary_min, vacancy.salary_max
    if low and high:
        return tx(ctx, "jobs.item_salary", low=format_rupiah(low), high=format_rupiah(high))
    if low or high:
        return tx(ctx, "jobs.item_salary_from" if low else "jobs.item_salary_upto", amount=format_rupiah(low or high or 0))
    return ""


def render_item(ctx: FlowContext, number: int, vacancy: Vacancy) -> str:
    """One vacancy: title, employer, place, education, salary (when known), closing date, how to apply."""
    lines = [tx(ctx, "jobs.item", n=number, title=vacancy.title, employer=vacancy.employer, city=vacancy.city,
                province=vacancy.province, education=vacancy.education or "-"), _salary(ctx, vacancy),
             tx(ctx, "jobs.item_apply", closing=texts(ctx).date(vacancy.closes_on(ctx.today), ctx.lang), how=vacancy.how_to_apply)]
    return "\n".join(line for line in lines if line)


def render_page(ctx: FlowContext, result: SearchResult, job: str, place: str) -> str:
    first = (result.page - 1) * PAGE_SIZE + 1
    parts = [tx(ctx, "jobs.results.head", job=_job_label(ctx, job), place=_place_label(ctx, place), start=first,
                end=first + len(result.items) - 1, total=result.total, page=result.page, pages=result.pages)]
    parts += [render_item(ctx, first + i, v) for i, v in enumerate(result.items)]
    if any(v.sample for v in result.items):
        parts.append(tx(ctx, "jobs.item_sample"))
    parts.append(tx(ctx, "jobs.reminder"))
    return "\n\n".join(parts)


def render_none(ctx: FlowContext, result: SearchResult, job: str, place: str) -> str:
    parts = [tx(ctx, "jobs.none", job=_job_label(ctx, job), place=_place_label(ctx, place))]
    if result.nearby:
        parts.append(tx(ctx, "jobs.suggest_places"))
    if result.related:
        parts.append(tx(ctx, "jobs.suggest_jobs", place=_place_label(ctx, place)))
    elif result.others:
        parts.append(tx(ctx, "jobs.suggest_other_jobs", place=_place_label(ctx, place)))
    parts.append(tx(ctx, "jobs.suggest_karirhub"))
    parts.append(tx(ctx, "jobs.reminder"))
    return "\n\n".join(parts)

"""The profile flow ("profile", /profil): fill, show, edit and delete the job seeker's profile; alerts on/off.

A message can fill several answers at once ("saya lulusan smk teknik mesin di surabaya, cari kerja
operator"); what is still missing is asked with buttons: education, job, place (then: nearby places
fine?), expected wage (may be skipped). Nothing is kept until the person taps Save (their consent);
then the profile goes to ``State.pending["profile"]`` (``FlowStep.remember``) and a ``job_profile``
effect lets the adapter keep the alerts table in step. State while asking:
``{"draft": {...}, "asking": str, "asked": [...]}``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.dialogue.flows import Flow, FlowContext, FlowStep
from bot.dialogue.types import Button, Effect, Incoming, Reply
from bot.services.flowkit import BACK, START, button_value, rows, tx
from bot.services.freetext import looks_like_question
from bot.services.jobs.catalog import JobCatalog
from bot.services.jobs.education import PROFILE_LEVELS
from bot.services.jobs.profile import MEMORY_KEY, Profile, profile_of, read_profile
from bot.services.money import MIN_WAGE_CHECK, format_rupiah, parse_money
from bot.services.regions import Regions
from intents import normalise

NAME = "profile"
ALERT_WORDS = re.compile(
    r"\b(kabari|kabarin|kabarkan|kasih tahu|kasih tau|beritahu|notifikasi|notif|langganan|"
    r"notify|alert|alerts|let me know|tell me when)\b"
)
_YES = re.compile(r"\b(ya|iya|yes|boleh|bisa|oke|ok|mau|siap)\b")
_NO = re.compile(r"\b(tidak|nggak|ngga|gak|ga|no|jangan|enggak)\b")
_SKIP = re.compile(r"\b(lewati|skip|tidak ada|terserah|bebas|nanti)\b")
STEPS = ("education", "job", "place", "nearby", "wage")
SUGGESTED_PLACES = ("Jakarta Selatan", "Bekasi", "Tangerang", "Bandung", "Surabaya", "Medan")


def _data(ctx: FlowContext) -> tuple[Regions, JobCatalog]:
    return ctx.kb.extras["regions"], ctx.kb.extras["jobs"]


def wants_alerts(text: str) -> bool:
    """'kabari saya kalau ada lowongan baru', 'notify me of new jobs'."""
    return bool(ALERT_WORDS.search(normalise(text)))


class ProfileFlow(Flow):
    """Build, show and change the profile; subscribe to and stop job alerts."""

    name = NAME

    def start(self, ctx: FlowContext, text: str = "") -> FlowStep:
        saved = profile_of(ctx.memory)
        regions, jobs = _data(ctx)
        alerts = wants_alerts(text)
        told = read_profile(text, regions, jobs) if text else Profile()
        if alerts:  # "kabari saya kalau ada lowongan baru": only known jobs, places and levels count
            told = replace(told, words=())
        if saved is not None and told.empty:
            return self.alerts(ctx, saved, True) if alerts else self.view(ctx, saved)
        draft = (saved or Profile()).merge(told)
        return self._next(
            ctx, {"draft": draft.to_json(), "asked": [], "alerts": alerts or bool(saved and saved.alerts)}
        )

    def step(self, ctx: FlowContext, data: dict[str, Any], incoming: Incoming) -> FlowStep:
        value = button_value(self.name, incoming)
        if value is not None:
            return self._button(ctx, dict(data), value)
        if not data:
            return self.start(ctx, incoming.text)
        return self._text(ctx, dict(data), incoming.text)

    # -- buttons -------------------------------------------------------------------------------------

    def _button(self, ctx: FlowContext, data: dict[str, Any], value: str) -> FlowStep:
        kind, _, rest = value.partition(":")
        saved = profile_of(ctx.memory)
        if kind in (START, "view") or (not data and kind in ("e", "j", "p", "n", "w", "save", BACK)):
            return self.start(ctx) if kind == START or saved is None else self.view(ctx, saved)
        if kind == "alerts":
            return self._alerts_button(ctx, saved, rest)
        if kind == "sub":
            return self._subscribe_search(ctx, saved, rest)
        if kind == "del":
            return FlowStep(
                None,
                [Reply(tx(ctx, "profile.deleted"))],
                [Effect("job_profile", {"profile": None})],
                remember={MEMORY_KEY: None},
            )
        if kind == "edit" and rest in STEPS:
            base = Profile.from_json(data.get("draft")) if data else (saved or Profile())
            return FlowStep(
                {
                    "draft": base.to_json(),
                    "asked": [],
                    "alerts": bool(saved and saved.alerts),
                    "asking": rest,
                    "editing": True,
                },
                [self.ask(ctx, rest, base)],
            )
        if kind == "save":
            return self.save(ctx, data)
        draft = Profile.from_json(data.get("draft"))
        draft = self._answer(draft, kind, rest)
        return self._next(
            ctx, {**data, "draft": draft.to_json(), "asked": [*data.get("asked", []), data.get("asking")]}
        )

    @staticmethod
    def _answer(draft: Profile, kind: str, rest: str) -> Profile:
        if kind == "e" and rest in PROFILE_LEVELS:
            return replace(draft, education=rest)
        if kind == "j" and rest:
            return replace(draft, occupations=(rest,), words=())
        if kind == "p" and rest:
            return replace(draft, place=rest)
        if kind == "n":
            return replace(draft, nearby=rest == "1")
        return draft  # "w:skip" and stale buttons: nothing to change

    def _alerts_button(self, ctx: FlowContext, saved: Profile | None, rest: str) -> FlowStep:
        on = rest != "off"
        if saved is None or not (saved.has_job or saved.place):
            if not on:
                return FlowStep(None, [Reply(tx(ctx, "alerts.off"))])
            return self._next(ctx, {"draft": (saved or Profile()).to_json(), "asked": [], "alerts": True})
        return self.alerts(ctx, saved, on)

    def _subscribe_search(self, ctx: FlowContext, saved: Profile | None, rest: str) -> FlowStep:
        """The alert button under search results (``sub:<education>:<place>:<job>``): alerts for that
        search, through the profile (what the search did not say is asked; Save is the consent)."""
        edu, _, rest = rest.partition(":")
        place, _, job = rest.partition(":")
        regions, jobs = _data(ctx)
        told = read_profile(f"{job} di {place}" if place else job, regions, jobs)
        told = replace(told, education=edu if edu in PROFILE_LEVELS else told.education)
        draft = (saved or Profile()).merge(told)
        if saved is not None and draft == saved:
            return self.alerts(ctx, saved, True)
        return self._next(ctx, {"draft": draft.to_json(), "asked": [], "alerts": True})

    # -- free text -------------------------------------------------------------------------------------

    def _text(self, ctx: FlowContext, data: dict[str, Any], text: str) -> FlowStep:
        regions, jobs = _data(ctx)
        asking = str(data.get("asking") or "")
        draft = Profile.from_json(data.get("draft"))
        told = read_profile(text, regions, jobs)
        if asking != "job":  # an unknown word is a job title only when the job is asked for
            told = replace(told, words=())
        flat = normalise(text)
        if asking == "nearby" and (_YES.search(flat) or _NO.search(flat)) and told.empty:
            draft = replace(draft, nearby=not _NO.search(flat))
        elif asking == "wage" and told.wage is None and (parse_money(text) or 0) >= MIN_WAGE_CHECK:
            draft = replace(draft, wage=parse_money(text))
        elif asking == "wage" and _SKIP.search(flat) or asking == "wage" and _NO.search(flat):
            pass
        elif asking == "confirm" and _YES.search(flat) and told.empty:
            return self.save(ctx, data)
        elif told.empty:
            if looks_like_question(text):
                return FlowStep(data, [self.ask(ctx, asking, draft)], consumed=False)
            return FlowStep(data, [Reply(tx(ctx, "profile.bad")), self.ask(ctx, asking, draft)])
        else:
            draft = draft.merge(told)
        return self._next(ctx, {**data, "draft": draft.to_json(), "asked": [*data.get("asked", []), asking]})

    # -- asking ----------------------------------------------------------------------------------------

    def _missing(self, draft: Profile, data: dict[str, Any]) -> str | None:
        asked = set(data.get("asked", []))
        if data.get("editing"):
            return None if asked & set(STEPS) else data.get("asking")
        if draft.education is None:
            return "education"
        if not draft.has_job:
            return "job"
        if not draft.place:
            return "place"
        stepwise = len(data.get("asked", [])) >= 2  # answered question by question, not in one message
        for optional in ("nearby", "wage"):
            if stepwise and optional not in asked and (optional != "nearby" or "place" in asked):
                return optional
        return None

    def _next(self, ctx: FlowContext, data: dict[str, Any]) -> FlowStep:
        draft = Profile.from_json(data.get("draft"))
        missing = self._missing(draft, data)
        if missing is None:
            data = {**data, "asking": "confirm", "editing": False}
            return FlowStep(data, [self.confirm(ctx, draft)])
        replies = [Reply(tx(ctx, "profile.intro"))] if not data.get("asked") and draft.empty else []
        return FlowStep({**data, "asking": missing}, [*replies, self.ask(ctx, missing, draft)])

    def ask(self, ctx: FlowContext, what: str, draft: Profile) -> Reply:
        """One question with its buttons (education levels, suggested jobs and places, yes/no, skip)."""
        _, jobs = _data(ctx)
        if what == "education":
            options = [(level, f"e:{level}") for level in PROFILE_LEVELS]
            columns = 4
        elif what == "job":
            options = [(jobs.occupations[o].label(ctx.lang), f"j:{o}") for o in jobs.suggest]
            columns = 2
        elif what == "place":
            options = [(p, f"p:{p}") for p in SUGGESTED_PLACES]
            columns = 3
        elif what == "nearby":
            options = [(tx(ctx, "profile.opt.nearby_yes"), "n:1"), (tx(ctx, "profile.opt.nearby_no"), "n:0")]
            columns = 1
        elif what == "wage":
            options = [(tx(ctx, "profile.opt.skip"), "w:skip")]
            columns = 1
        else:
            return self.confirm(ctx, draft)
        buttons = rows([self.button(label, value) for label, value in options], columns)
        return Reply(tx(ctx, f"profile.q.{what}", place=draft.place or ""), buttons)

    # -- showing, saving, alerts -------------------------------------------------------------------------

    def confirm(self, ctx: FlowContext, draft: Profile) -> Reply:
        buttons = (
            (self.button(tx(ctx, "profile.btn.save"), "save"),),
            (
                self.button(tx(ctx, "profile.btn.edit_job"), "edit:job"),
                self.button(tx(ctx, "profile.btn.edit_place"), "edit:place"),
            ),
            (
                self.button(tx(ctx, "profile.btn.edit_education"), "edit:education"),
                self.button(tx(ctx, "profile.btn.edit_wage"), "edit:wage"),
            ),
        )
        return Reply(f"{summary(ctx, draft)}\n\n" + tx(ctx, "profile.confirm"), buttons)

    def save(self, ctx: FlowContext, data: dict[str, Any]) -> FlowStep:
        draft = replace(Profile.from_json(data.get("draft")), alerts=bool(data.get("alerts")))
        replies = [Reply(tx(ctx, "profile.saved"), self._after_buttons(ctx, draft))]
        if draft.alerts:
            replies.insert(1, Reply(tx(ctx, "alerts.on")))
        return FlowStep(
            None,
            replies,
            [Effect("job_profile", {"profile": draft.to_json(), "lang": ctx.lang})],
            remember={MEMORY_KEY: draft.to_json()},
        )

    def view(self, ctx: FlowContext, saved: Profile) -> FlowStep:
        """/profil with a saved profile: what it says, and buttons to change or delete it."""
        edit = rows(
            [
                self.button(tx(ctx, f"profile.btn.edit_{step}"), f"edit:{step}")
                for step in ("education", "job", "place", "wage")
            ],
            2,
        )
        buttons = (
            *edit,
            *self._after_buttons(ctx, saved),
            (self.button(tx(ctx, "profile.btn.delete"), "del"),),
        )
        return FlowStep(None, [Reply(f"{summary(ctx, saved)}\n\n" + tx(ctx, "profile.view"), buttons)])

    def alerts(self, ctx: FlowContext, saved: Profile, on: bool) -> FlowStep:
        """Alerts on or off for the saved profile."""
        changed = replace(saved, alerts=on)
        reply = Reply(tx(ctx, "alerts.on" if on else "alerts.off"), self._after_buttons(ctx, changed))
        return FlowStep(
            None,
            [reply],
            [Effect("job_profile", {"profile": changed.to_json(), "lang": ctx.lang})],
            remember={MEMORY_KEY: changed.to_json()},
        )

    def _after_buttons(self, ctx: FlowContext, profile: Profile) -> tuple[tuple[Button, ...], ...]:
        alerts = (
            self.button(tx(ctx, "alerts.btn.off"), "alerts:off")
            if profile.alerts
            else self.button(tx(ctx, "alerts.btn.on"), "alerts:on")
        )
        return (
            (Button(tx(ctx, "profile.btn.search"), "f:jobs:mine"),),
            (alerts,),
            (Button(tx(ctx, "profile.btn.training"), "f:training:mine"),),
        )


def summary(ctx: FlowContext, profile: Profile) -> str:
    """The profile in a few lines (education, job, place, wage, alerts)."""
    _, jobs = _data(ctx)
    names = [jobs.occupations[o].label(ctx.lang) for o in profile.occupations if o in jobs.occupations]
    job = ", ".join(names + [" ".join(profile.words)] if profile.words else names) or "-"
    near = tx(ctx, "profile.nearby_yes" if profile.nearby else "profile.nearby_no")
    wage = format_rupiah(profile.wage) if profile.wage else "-"
    alerts = tx(ctx, "profile.alerts_on" if profile.alerts else "profile.alerts_off")
    return tx(
        ctx,
        "profile.summary",
        education=profile.education or "-",
        job=job,
        place=f"{profile.place} ({near})" if profile.place else "-",
        wage=wage,
        alerts=alerts,
    )


__all__ = ["ALERT_WORDS", "NAME", "ProfileFlow", "summary", "wants_alerts"]

"""The training referral flow ("training"): field of interest, then city, then the closest programmes."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz, process

from bot.dialogue.flows import FlowContext, FlowStep
from bot.dialogue.types import Button, Incoming, Reply
from bot.services.flowkit import NOT_ANSWER, Invalid, Question, QuestionFlow, button_value, rows, tx
from bot.services.freetext import looks_like_question
from bot.services.jobs.profile import Profile, profile_of
from bot.services.jobs.search import FILLER
from bot.services.regions import Place, Regions
from bot.services.training.catalogue import (
    CITY,
    NATIONAL,
    PROVINCE,
    Catalogue,
    Programme,
    Recommendation,
    recommend,
)
from intents import normalise, tokens

ANY = "any"
MINE = "\x00mine"  # the text ``start`` gets for "training that fits me" (never typed by a person)
FOR_ME = re.compile(r"\b(untuk saya|buat saya|bagi saya|cocok|sesuai profil|for me|fits me|suits me)\b")
FITS_ME = re.compile(
    r"\b(yang cocok|cocok untuk saya|cocok buat saya|sesuai profil|sesuai dengan profil|"
    r"that fits me|that suits me|fits my profile)\b"
)  # the router sends these straight to the flow
FUZZY_CUTOFF = 85.0
_ANYWHERE = re.compile(r"\b(online|daring|mana saja|dimana saja|di mana saja|bebas|terserah|anywhere)\b")


def _catalogue(ctx: FlowContext) -> Catalogue:
    return ctx.kb.extras["training"]  # type: ignore[no-any-return]


def _regions(ctx: FlowContext) -> Regions:
    return ctx.kb.extras["regions"]  # type: ignore[no-any-return]


def read_field(text: str, catalogue: Catalogue) -> str | None:
    """'kursus komputer' -> 'tik', 'belajar jahit' -> 'garmen'; a typo in a long word is forgiven."""
    flat = f" {normalise(text)} "
    for field in catalogue.fields.values():
        if any(f" {keyword} " in flat for keyword in field.keywords):
            return field.key
    choices = {k: f.key for f in catalogue.fields.values() for k in f.keywords if len(k) >= 5}
    for word in flat.split():
        if len(word) >= 5:
            best = process.extractOne(word, list(choices), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best:
                return choices[best[0]]
    return None


def read_place(text: str, regions: Regions) -> Place | None:
    """A city or province named anywhere in the message ('di cikarang', 'jawa barat')."""
    words = [w if w not in FILLER else "" for w in tokens(text)]
    found = regions.find(words, skip={""}) or regions.find(words, fuzzy=True, skip={""})
    return found[0] if found else None


def _read_field(text: str, ctx: FlowContext) -> Any:
    return read_field(text, _catalogue(ctx)) or NOT_ANSWER


def _read_place(text: str, ctx: FlowContext) -> Any:
    if _ANYWHERE.search(normalise(text)):
        return ANY
    place = read_place(text, _regions(ctx))
    if place is not None:
        return place.name
    return NOT_ANSWER if looks_like_question(text) else Invalid("tr.bad.place")


def _field_options(ctx: FlowContext) -> list[tuple[str, str]]:
    return [
        (key, field.label.get(ctx.lang, field.label["id"])) for key, field in _catalogue(ctx).fields.items()
    ]


QUESTIONS = (
    Question("field", "tr.q.field", _field_options, _read_field, columns=2),
    Question("place", "tr.q.place", lambda ctx: [(ANY, tx(ctx, "tr.opt.online"))], _read_place),
)


class TrainingFlow(QuestionFlow):
    """Training referral: which field, where, then programmes closest first and how to register."""

    name = "training"
    questions = QUESTIONS

    def step(self, ctx: FlowContext, data: dict[str, Any], incoming: Incoming) -> FlowStep:
        """As every question flow; ``mine`` (from the profile's buttons) starts from the saved profile."""
        if button_value(self.name, incoming) == "mine":
            return self.start(ctx, MINE)
        return super().step(ctx, data, incoming)

    def prefill(self, ctx: FlowContext, text: str) -> dict[str, Any]:
        """'pelatihan las di bekasi' already answers both questions; 'pelatihan yang cocok untuk saya'
        takes the field and the place from the saved job profile."""
        found: dict[str, Any] = {}
        field = read_field(text, _catalogue(ctx))
        profile = profile_of(ctx.memory)
        if field is None and profile is not None and (text == MINE or FOR_ME.search(normalise(text))):
            return _from_profile(ctx, profile)
        if field:
            found["field"] = field
            place = read_place(text, _regions(ctx))
            if place is not None:
                found["place"] = place.name
        return found

    def finish(self, ctx: FlowContext, answers: dict[str, Any]) -> FlowStep:
        place = None if answers["place"] == ANY else _regions(ctx).resolve(answers["place"])
        found = recommend(_catalogue(ctx), answers["field"], place)
        buttons = [
            self.button(tx(ctx, "tr.btn.again"), "start"),
            Button(tx(ctx, "tr.btn.jobs"), "f:jobs:start"),
        ]
        return FlowStep(None, [Reply(render(ctx, answers["field"], place, found), rows(buttons, 1))])


def _from_profile(ctx: FlowContext, profile: Profile) -> dict[str, Any]:
    """The training questions answered by the job profile: its job names the field, its place the place."""
    jobs = ctx.kb.extras["jobs"]
    names = [n for o in profile.occupations if o in jobs.occupations for n in jobs.occupations[o].synonyms]
    field = next(
        (f for f in (read_field(n, _catalogue(ctx)) for n in names + list(profile.words)) if f), None
    )
    if field is None:
        return {}
    place = _regions(ctx).resolve(profile.place) if profile.place else None
    return {"field": field, **({"place": place.name} if place else {})}


def _where(ctx: FlowContext, rec: Recommendation) -> str:
    key = {CITY: "tr.tier.city", PROVINCE: "tr.tier.province", NATIONAL: "tr.tier.national"}.get(
        rec.tier, "tr.tier.elsewhere"
    )
    return tx(ctx, key, city=rec.programme.city, province=rec.programme.province)


def _lang(value: Any, ctx: FlowContext) -> str:
    return str(value.get(ctx.lang) or value["id"])


def render_item(ctx: FlowContext, number: int, rec: Recommendation, shown: set[tuple[str, str, str]]) -> str:
    """Name and where; the details only the first time they appear (centres share them)."""
    p: Programme = rec.programme
    lines = [tx(ctx, "tr.item", n=number, name=_lang(p.name, ctx), where=_where(ctx, rec))]
    if not p.verified_fields:
        lines.append(tx(ctx, "tr.item_unverified"))
    details = (_lang(p.summary, ctx), _lang(p.eligibility, ctx), _lang(p.how_to_register, ctx))
    if details not in shown:
        shown.add(details)
        lines.append(tx(ctx, "tr.item_details", summary=details[0], eligibility=details[1], how=details[2]))
        if p.schedule:
            lines.append(tx(ctx, "tr.item_schedule", schedule=_lang(p.schedule, ctx)))
    return "\n".join(lines)


def render(ctx: FlowContext, field: str, place: Place | None, found: list[Recommendation]) -> str:
    """The recommendation: head, programmes, how to register, and the JKP training route."""
    catalogue = _catalogue(ctx)
    label = _lang(catalogue.fields[field].label, ctx)
    parts = [
        tx(ctx, "tr.head", field=label, place=place.name)
        if place
        else tx(ctx, "tr.head_anywhere", field=label)
    ]
    shown: set[tuple[str, str, str]] = set()
    parts += [render_item(ctx, n, rec, shown) for n, rec in enumerate(found, start=1)]
    parts.append(tx(ctx, "tr.register"))
    route = catalogue.jkp_route()
    if route is not None:
        parts.append(
            tx(
                ctx,
                "tr.jkp",
                name=_lang(route.name, ctx),
                summary=_lang(route.summary, ctx),
                how=_lang(route.how_to_register, ctx),
            )
        )
    return "\n\n".join(parts)

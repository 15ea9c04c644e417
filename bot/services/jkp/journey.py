"""The timeline flow ("timeline"): a PHK date in, the person's own deadlines out. Pure.

"saya di-PHK tanggal 1 Juli 2026, kapan batas klaim jkp?" goes straight here (see :func:`wants_timeline`);
without a date the flow asks for one, typed or tapped (year -> month -> day). Texts are in
``knowledge/journey.yaml`` (section ``journey``), rules and sources in ``rules/jkp.yaml``.

Button values: ``start``, ``y:<year>``, ``m:<yyyy-mm>``, ``d:<yyyy-mm-dd>``. The answer offers
``j:save:<yyyy-mm-dd>:<e|m>`` (e: exact day, m: only the month), handled by :mod:`bot.journey`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.dialogue.flows import Flow, FlowContext, FlowStep
from bot.dialogue.types import Button, Effect, Incoming, Reply
from bot.knowledge import KnowledgeBase
from bot.knowledge.model import Texts
from bot.knowledge.parse import Collector, parse_text_file
from bot.knowledge.yamlio import YDict, YList
from bot.services.common import freeze
from bot.services.flowkit import button_value, rows
from bot.services.freetext import MONTHS, When, looks_like_question, parse_when
from bot.services.jkp.rules import JkpRules
from bot.services.jkp.timeline import Timeline, build_timeline
from bot.services.regions import Regions
from bot.services.texts import ServiceTexts
from intents import normalise

SECTION = "journey"
PATH = "journey.yaml"
YEARS_BACK = 2  # year buttons: this year and the two before (any older PHK is long past its window)
DAY_COLUMNS = 7

REQUIRED: frozenset[str] = frozenset(
    """
tl.q.date tl.q.month tl.q.day tl.bad.future tl.bad.unreadable tl.head tl.head_month tl.deadline tl.deadline_today
tl.deadline_range tl.deadline_unsure tl.deadline_passed tl.claimed tl.rule tl.jht_open tl.jht_later tl.jkn_active
tl.jkn_ended tl.months tl.month_now tl.still_possible tl.decides tl.btn.save tl.btn.timeline tl.btn.change tl.btn.selfcheck
tl.btn.jobs tl.btn.training tl.btn.counsellor
j.saved j.none j.remembered j.reminders_on j.reminders_off j.status_on j.status_off j.claimed j.forgotten
j.btn.remind_on j.btn.remind_no j.btn.stop j.btn.claimed j.btn.forget
r.deadline r.deadline_last r.month r.jht
""".split()
)
ZONE_NAMES = ("WITA", "WIT")

_DEADLINE_WORDS = re.compile(
    r"\b(batas|kapan|deadline|tenggat|terakhir|masih bisa|msh bisa|msh bs|masih bs|telat|"
    r"terlambat|sempat|sempet|keburu|hangus|kadaluarsa|kadaluwarsa|sampai kapan|smp kapan|"
    r"jadwal|how long|too late|still claim|when)\b"
)
_LAYOFF_WORDS = re.compile(
    r"\b(phk|diphk|dipecat|diberhentikan|laid off|layoff|fired|dismissed|kontrak diputus)\b"
)
_CLAIM_WORDS = re.compile(r"\b(jkp|klaim|claim|jaminan kehilangan pekerjaan)\b")
_PAYMENT_WORDS = re.compile(
    r"\b(cair|pencairan|dibayar|ditransfer|transfer|status|payment|paid)\b"
)  # a claim's date
_DATEISH = re.compile(
    r"\d|\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r"|lalu|kemarin|kemaren|kmrn|ago|"
    r"yesterday|hari|minggu|pekan|bulan|bln|tahun|thn|tanggal|tgl|awal|akhir|pertengahan)\b"
)
MAX_BARE_WORDS = 7  # "saya di-PHK 1 Juli 2026" without a question word still wants the timeline


@dataclass(frozen=True)
class JourneyTexts(Texts):
    """journey.yaml: texts by key, and the provinces outside WIB."""

    zones: Mapping[str, str] = field(default_factory=dict)  # province (lower case) -> WITA / WIT

    def zone_for(self, province: str | None) -> str:
        """WIB, WITA or WIT for a province name; WIB when unknown."""
        return self.zones.get(normalise(province or ""), "WIB")


def parse_journey(data: Any, out: Collector, root: Path) -> JourneyTexts:
    """Parser for knowledge/journey.yaml (section ``journey``)."""
    texts = parse_text_file(
        data, out, required=REQUIRED, what="journey text", allowed=frozenset({"texts", "zones", "reviewed"})
    )
    zones: dict[str, str] = {}
    node = data.get("zones") if isinstance(data, YDict) else None
    if not isinstance(node, YDict) or set(node) - set(ZONE_NAMES):
        out.at(data, "zones", f"journey.yaml: 'zones' must map {list(ZONE_NAMES)} to lists of provinces")
    else:
        for name, provinces in node.items():
            if not isinstance(provinces, YList) or not all(isinstance(p, str) for p in provinces):
                out.at(node, name, f"zones.{name} must list province names")
                continue
            zones.update({normalise(p): name for p in provinces})
    return JourneyTexts(freeze(texts), freeze(zones))


_LAST_DAY = re.compile(
    r"\b(terakhir (kerja|bekerja|masuk)|hari terakhir( kerja| bekerja)?|last (working )?day)\b"
)


def read_dates(text: str, today: date) -> tuple[When | None, date | None]:
    """The PHK date and, when named ("terakhir kerja 20 Juni"), the last day worked (JHT counts from it).

    "di-PHK 1 Juli, terakhir kerja 20 Juni" gives both; "terakhir kerja 20 Juni" alone gives that day
    for both (the best estimate of the PHK).
    """
    flat = text.lower()
    found = _LAST_DAY.search(flat)
    if found is None:
        return parse_when(text, today), None
    last = parse_when(flat[found.end() :], today)
    phk = parse_when(flat[: found.start()], today) or last
    last_day = last.day if last is not None and last.exact and last.day <= today else None
    return phk, last_day


def zone_in_text(kb: KnowledgeBase, text: str) -> str | None:
    """WITA or WIT when the message names a place there exactly ("di Makassar"); None otherwise (WIB)."""
    regions = kb.extras.get("regions")
    found = regions.find(normalise(text).split()) if isinstance(regions, Regions) else None
    zones = {kb.extras[SECTION].zone_for(p) for p in found[0].provinces} if found else set()
    return zones.pop() if len(zones) == 1 and zones != {"WIB"} else None


def wants_timeline(text: str, today: date) -> bool:
    """A day together with a layoff or claim word, asking about deadlines ("di-PHK 1 Juli, kapan batas klaim
    jkp?") or short ("saya di-PHK 1 Juli 2026")."""
    flat = normalise(text)
    if not (_LAYOFF_WORDS.search(flat) or _CLAIM_WORDS.search(flat)):
        return False
    if _PAYMENT_WORDS.search(flat) and not _LAYOFF_WORDS.search(flat):
        return False  # "klaim tanggal 1 November, kapan cair?" is about the payment, not the PHK date
    if not (
        _DEADLINE_WORDS.search(flat) and (_CLAIM_WORDS.search(flat) or _LAYOFF_WORDS.search(flat))
    ) and not (_LAYOFF_WORDS.search(flat) and len(flat.split()) <= MAX_BARE_WORDS):
        return False
    return parse_when(text, today) is not None


# -- rendering ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """What rendering needs from the knowledge base, in one language."""

    journey: JourneyTexts
    names: ServiceTexts
    rules: JkpRules
    lang: str

    @classmethod
    def of(cls, kb: KnowledgeBase, lang: str) -> Words:
        return cls(kb.extras[SECTION], kb.extras["service_texts"], kb.extras["jkp_rules"], lang)

    def __call__(self, key: str, /, **values: object) -> str:
        return self.journey.get(key, self.lang, **values)

    def date(self, day: date) -> str:
        return self.names.date(day, self.lang)

    def rule(self, rule_id: str) -> str:
        return self.words("tl.rule", rule_id)

    def words(self, key: str, rule_id: str) -> str:
        return self(
            key, rule=self.rules.rule_text(rule_id, self.lang), source=self.rules.rules[rule_id].source
        )


def render_timeline(words: Words, line: Timeline, today: date) -> str:
    """The person's own dates: deadline (or that it passed, and what is still possible), JHT, JKN, months."""
    regime = line.regime.label.get(words.lang, line.regime.label["id"])
    phk = words.date(line.phk) if line.exact else words.names.month_year(line.phk, words.lang)
    parts = [
        words("tl.head" if line.exact else "tl.head_month", phk=phk, regime=regime),
        _deadline(words, line, today),
        words.rule(line.regime.window_rule),
    ]
    parts.append(
        words(
            "tl.jht_open" if line.jht_open(today) else "tl.jht_later",
            date=words.date(line.jht_from),
            days=(line.jht_from - today).days,
        )
    )
    parts.append(
        words("tl.jkn_active" if today <= line.jkn_until else "tl.jkn_ended", date=words.date(line.jkn_until))
    )
    if not line.window_passed(today) or line.claimed:
        parts.append(_months(words, line, today))
    else:
        parts.append(words("tl.still_possible"))
    parts.append(words("tl.decides"))
    return "\n".join(parts)


def _deadline(words: Words, line: Timeline, today: date) -> str:
    when, latest = words.date(line.claim_deadline), words.date(line.latest_deadline)
    days, months = line.days_left(today), line.regime.claim_window_months
    if line.claimed:
        return words("tl.claimed", date=words.date(line.claimed))
    if line.window_passed(today):
        passed = line.latest_deadline if not line.exact else line.claim_deadline
        return words("tl.deadline_passed", date=words.date(passed), days=(today - passed).days, months=months)
    if not line.exact and days < 0:
        return words("tl.deadline_unsure", date=when, latest=latest)
    if not line.exact:
        return words("tl.deadline_range", date=when, latest=latest, days=days)
    return words("tl.deadline_today", date=when) if days == 0 else words("tl.deadline", date=when, days=days)


def _months(words: Words, line: Timeline, today: date) -> str:
    rest = words.rules.rule_text("month_obligations", words.lang)
    current = line.current_month(today)
    if current is not None and current.start is not None:
        return words(
            "tl.month_now",
            n=current.number,
            months=len(line.months),
            date=words.date(current.start),
            rest=rest,
        )
    return words(
        "tl.months",
        months=len(line.months),
        first=words.rules.rule_text("month_first", words.lang),
        rest=rest,
    )


def answer_buttons(
    words: Words, line: Timeline, today: date, zone: str | None = None
) -> tuple[tuple[Button, ...], ...]:
    """Save (the one-tap consent), then what to do next: the self-check, or JHT/training/jobs/counsellor.

    Save is ``j:save:<phk>:<e|m>[:<zone>[:<last day>]]`` (at most 45 bytes)."""
    extra = f":{zone or ''}:{line.last_day.isoformat()}" if line.last_day else (f":{zone}" if zone else "")
    save = Button(words("tl.btn.save"), f"j:save:{line.phk.isoformat()}:{'e' if line.exact else 'm'}{extra}")
    change = Button(words("tl.btn.change"), "f:timeline:start")
    if line.window_passed(today) and not line.claimed:
        return (
            (save,),
            (
                Button(words("tl.btn.training"), "f:training:start"),
                Button(words("tl.btn.jobs"), "f:jobs:start"),
            ),
            (Button(words("tl.btn.counsellor"), "m:human"), change),
        )
    return ((save,), (Button(words("tl.btn.selfcheck"), "f:selfcheck:start"), change))


def timeline_reply(
    kb: KnowledgeBase,
    lang: str,
    line: Timeline,
    today: date,
    *,
    buttons: bool = True,
    zone: str | None = None,
) -> Reply:
    words = Words.of(kb, lang)
    return Reply(
        render_timeline(words, line, today), answer_buttons(words, line, today, zone) if buttons else ()
    )


# -- the flow ------------------------------------------------------------------------------------------


class TimelineFlow(Flow):
    """Ask for the PHK date (typed, or year -> month -> day), answer with the person's own timeline."""

    name = "timeline"

    def start(self, ctx: FlowContext, text: str = "") -> FlowStep:
        when, last_day = read_dates(text, ctx.today) if text else (None, None)
        if when is not None:
            return self._answer(ctx, when, zone_in_text(ctx.kb, text), last_day)
        return FlowStep(
            {"asking": True}, [self._ask_year(ctx)], [Effect("journey_remembered", {"lang": ctx.lang})]
        )

    def step(self, ctx: FlowContext, data: dict[str, Any], incoming: Incoming) -> FlowStep:
        value = button_value(self.name, incoming)
        if value is not None:
            return self._button(ctx, value)
        if not data:
            return self.start(ctx, incoming.text)
        when, last_day = read_dates(incoming.text, ctx.today)
        if when is None:
            if looks_like_question(incoming.text) or not _DATEISH.search(normalise(incoming.text)):
                return FlowStep(data, [self._ask_year(ctx)], consumed=False)  # about something else
            return FlowStep(
                data, [Reply(Words.of(ctx.kb, ctx.lang)("tl.bad.unreadable")), self._ask_year(ctx)]
            )
        return self._answer(ctx, when, zone_in_text(ctx.kb, incoming.text), last_day)

    def _button(self, ctx: FlowContext, value: str) -> FlowStep:
        kind, _, rest = value.partition(":")
        try:
            if kind == "y":
                return FlowStep({"asking": True}, [self._ask_month(ctx, int(rest))])
            if kind == "m":
                return FlowStep({"asking": True}, [self._ask_day(ctx, date.fromisoformat(f"{rest}-01"))])
            if kind == "d":
                return self._answer(ctx, When(date.fromisoformat(rest), exact=True))
        except ValueError:
            pass
        return FlowStep({"asking": True}, [self._ask_year(ctx)])

    def _answer(
        self, ctx: FlowContext, when: When, zone: str | None = None, last_day: date | None = None
    ) -> FlowStep:
        words = Words.of(ctx.kb, ctx.lang)
        if when.day > ctx.today:
            shown = words.date(when.day) if when.exact else words.names.month_year(when.day, ctx.lang)
            return FlowStep(
                {"asking": True}, [Reply(words("tl.bad.future", date=shown)), self._ask_year(ctx)]
            )
        line = build_timeline(words.rules, when.day, exact=when.exact, last_day=last_day)
        return FlowStep(None, [timeline_reply(ctx.kb, ctx.lang, line, ctx.today, zone=zone)])

    def _ask_year(self, ctx: FlowContext) -> Reply:
        words = Words.of(ctx.kb, ctx.lang)
        years = [
            self.button(str(y), f"y:{y}") for y in range(ctx.today.year, ctx.today.year - YEARS_BACK - 1, -1)
        ]
        return Reply(words("tl.q.date"), (tuple(years),))

    def _ask_month(self, ctx: FlowContext, year: int) -> Reply:
        words = Words.of(ctx.kb, ctx.lang)
        last = 12 if year < ctx.today.year else ctx.today.month
        months = [
            self.button(words.names.month(m, ctx.lang), f"m:{year}-{m:02d}") for m in range(1, last + 1)
        ]
        return Reply(words("tl.q.month", year=year), rows(months, 3) + ((self.button("←", "start"),),))

    def _ask_day(self, ctx: FlowContext, first: date) -> Reply:
        words = Words.of(ctx.kb, ctx.lang)
        last = calendar.monthrange(first.year, first.month)[1]
        if (first.year, first.month) == (ctx.today.year, ctx.today.month):
            last = ctx.today.day
        days = [self.button(str(d), f"d:{first.replace(day=d).isoformat()}") for d in range(1, last + 1)]
        back = self.button("←", f"y:{first.year}")
        return Reply(
            words("tl.q.day", month=words.names.month_year(first, ctx.lang)),
            rows(days, DAY_COLUMNS) + ((back,),),
        )

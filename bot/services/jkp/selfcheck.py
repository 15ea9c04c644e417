"""The JKP self-check flow ("selfcheck"): eight short questions, then a verdict tied to sourced rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.dialogue.flows import FlowContext, FlowStep
from bot.dialogue.types import Button, Incoming, Reply
from bot.services.flowkit import NOT_ANSWER, Invalid, Question, QuestionFlow, button_value, rows, texts, tx
from bot.services.freetext import (
    NO,
    UNSURE,
    YES,
    When,
    add_months,
    parse_age,
    parse_duration_months,
    parse_when,
    parse_yes_no,
)
from bot.services.jkp import eligibility as el
from bot.services.jkp.rules import JkpRules
from intents import normalise

MIN_AGE, MAX_AGE = 15, 100
RECENT_MONTHS = 6
MARKS = {el.PASS: "✅", el.FAIL: "❌", el.UNKNOWN: "❔"}

# How people say the job ended; checked in this order (an early-ended contract before an expired one).
TERMINATION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "contract_early",
        (
            "kontrak diputus",
            "diputus kontrak",
            "putus kontrak",
            "kontrak dihentikan",
            "kontrak diakhiri",
            "sebelum kontrak",
            "sebelum habis",
            "sebelum selesai",
            "sebelum berakhir",
            "ended early",
            "terminated early",
            "before it ended",
            "before the end",
        ),
    ),
    (
        "contract_expired",
        (
            "kontrak habis",
            "habis kontrak",
            "kontrak selesai",
            "selesai kontrak",
            "kontrak berakhir",
            "tidak diperpanjang",
            "gak diperpanjang",
            "ga diperpanjang",
            "contract ended",
            "contract expired",
            "contract ran out",
            "end of contract",
            "not renewed",
        ),
    ),
    ("resigned", ("resign", "mengundurkan diri", "undur diri", "keluar sendiri", "berhenti sendiri", "quit")),
    ("retired", ("pensiun", "retire", "retired", "retirement")),
    (
        "dismissed",
        (
            "phk",
            "dipecat",
            "pecat",
            "diberhentikan",
            "efisiensi",
            "pengurangan karyawan",
            "perusahaan tutup",
            "pabrik tutup",
            "bangkrut",
            "pailit",
            "laid off",
            "layoff",
            "fired",
            "dismissed",
            "terminated",
        ),
    ),
    ("other", ("lainnya", "lain lain", "alasan lain", "other")),
)
_NEGATED = re.compile(
    r"\b(bukan|tidak|tdk|gak|ga|nggak|not)\s+(di\s+)?(resign\w*|pensiun|phk|dipecat|mengundurkan|retired?)\b"
)


# Chat spellings and words that sit between the words of a phrase ("kontrak sy diputus sblm habis").
_SPELLINGS = {
    "sblm": "sebelum",
    "sblum": "sebelum",
    "blm": "belum",
    "abis": "habis",
    "hbs": "habis",
    "di putus": "diputus",
    "diphk": "phk",
    "resaign": "resign",
}
_BETWEEN = frozenset(
    "saya sy aku gw gue ku ane kami sudah udah udh sdh telah baru lagi tiba tiba mendadak "
    "secara sepihak oleh perusahaan pt kantor bos".split()
)


def _plain(text: str) -> str:
    words = [_SPELLINGS.get(w, w) for w in _NEGATED.sub(" ", normalise(text)).split()]
    return " ".join(w for w in words if w not in _BETWEEN)


def read_termination(text: str) -> str | None:
    """'saya di-PHK' -> 'dismissed', 'kontrak habis' -> 'contract_expired'; negated words are ignored."""
    flat = f" {_NEGATED.sub(' ', normalise(text))} "
    found = _read_termination_in(flat)
    return found or _read_termination_in(f" {_plain(text)} ")


def _read_termination_in(flat: str) -> str | None:
    for key, phrases in TERMINATION_WORDS:
        if any(f" {phrase} " in flat or (phrase == "resign" and " resign" in flat) for phrase in phrases):
            return key
    return None


def _rules(ctx: FlowContext) -> JkpRules:
    return ctx.kb.extras["jkp_rules"]  # type: ignore[no-any-return]


def _thresholds(ctx: FlowContext) -> dict[str, object]:
    return dict(_rules(ctx).thresholds)


def _yes_no_unsure(ctx: FlowContext) -> Sequence[tuple[str, str]]:
    return [(YES, tx(ctx, "common.yes")), (NO, tx(ctx, "common.no")), (UNSURE, tx(ctx, "common.unsure"))]


def _read_yes_no(text: str, ctx: FlowContext) -> Any:
    return parse_yes_no(text) or NOT_ANSWER


def _read_termination(text: str, ctx: FlowContext) -> Any:
    return read_termination(text) or NOT_ANSWER


def _read_age(text: str, ctx: FlowContext) -> Any:
    """'35', 'umur 40 thn'; 'di bawah 54' / '54 atau lebih' when the number is the limit itself."""
    if parse_yes_no(text) == UNSURE:
        return UNSURE
    flat, age = normalise(text), parse_age(text)
    if age is None or age == _rules(ctx).thresholds["max_age"]:
        if re.search(r"\b(bawah|kurang|belum|under|below|less)\b", flat):
            return el.AGE_UNDER
        if re.search(r"\b(atas|lebih|over|above|more)\b", flat):
            return el.AGE_OVER
    if age is None:
        return NOT_ANSWER
    return age if MIN_AGE <= age <= MAX_AGE else Invalid("sc.bad.age")


def _read_contributions(text: str, ctx: FlowContext) -> Any:
    months = parse_duration_months(text)
    if months is not None:
        return months
    return UNSURE if parse_yes_no(text) == UNSURE else NOT_ANSWER


def _read_membership(text: str, ctx: FlowContext) -> Any:
    if re.search(r"\b(semua|lengkap|all|empat|4)\b", normalise(text)):
        return el.MEM_ALL
    return {YES: el.MEM_ALL, NO: el.MEM_NONE, UNSURE: UNSURE}.get(parse_yes_no(text) or "", NOT_ANSWER)


def _read_phk_date(text: str, ctx: FlowContext) -> Any:
    when = parse_when(text, ctx.today)
    if when is None:
        return NOT_ANSWER
    if when.day > ctx.today:
        return Invalid("sc.bad.phk_future")
    return when.day.isoformat() if when.exact else when.day.isoformat()[:7]


def _recent_months(ctx: FlowContext) -> Sequence[tuple[str, str]]:
    first = ctx.today.replace(day=1)
    months = [add_months(first, -n) for n in range(RECENT_MONTHS)]
    return [(m.isoformat()[:7], texts(ctx).month_year(m, ctx.lang)) for m in months] + [
        ("older", tx(ctx, "sc.opt.older"))
    ]


def _choose_phk(value: str) -> Any:
    return Invalid("sc.q.phk_type") if value == "older" else value


def _options(*pairs: tuple[str, str]) -> Any:
    return lambda ctx: [(value, tx(ctx, key, **_thresholds(ctx))) for value, key in pairs]


QUESTIONS = (
    Question(
        "termination",
        "sc.q.termination",
        _options(
            ("dismissed", "sc.opt.dismissed"),
            ("resigned", "sc.opt.resigned"),
            ("contract_expired", "sc.opt.contract_expired"),
            ("contract_early", "sc.opt.contract_early"),
            ("retired", "sc.opt.retired"),
            ("other", "sc.opt.other"),
        ),
        _read_termination,
        hint="sc.hint.termination",
    ),
    Question(
        "age",
        "sc.q.age",
        _options((el.AGE_UNDER, "sc.opt.under_age"), (el.AGE_OVER, "sc.opt.over_age")),
        _read_age,
        columns=2,
        prompt_values=_thresholds,
        hint="sc.hint.age",
    ),
    Question(
        "contributions",
        "sc.q.contributions",
        _options(
            (el.CONTRIB_ENOUGH, "sc.opt.12plus"),
            (el.CONTRIB_SHORT, "sc.opt.under12"),
            (UNSURE, "common.unsure"),
        ),
        _read_contributions,
        prompt_values=_thresholds,
        hint="sc.hint.contributions",
    ),
    Question(
        "consecutive",
        "sc.q.consecutive",
        _yes_no_unsure,
        _read_yes_no,
        columns=3,
        prompt_values=_thresholds,
        hint="sc.hint.yes_no",
    ),
    Question(
        "membership",
        "sc.q.membership",
        _options(
            (el.MEM_ALL, "sc.opt.mem_all"),
            (el.MEM_SMALL, "sc.opt.mem_small"),
            (el.MEM_MISSING_JP, "sc.opt.mem_missing_jp"),
            (el.MEM_NONE, "sc.opt.mem_none"),
            (UNSURE, "common.unsure"),
        ),
        _read_membership,
        hint="sc.hint.membership",
    ),
    Question("jkn", "sc.q.jkn", _yes_no_unsure, _read_yes_no, columns=3, hint="sc.hint.yes_no"),
    Question(
        "phk_date",
        "sc.q.phk_date",
        _recent_months,
        _read_phk_date,
        columns=2,
        choose=_choose_phk,
        hint="sc.hint.phk_date",
    ),
    Question(
        "working",
        "sc.q.working",
        _options((YES, "sc.opt.working_yes"), (NO, "sc.opt.working_no")),
        _read_yes_no,
        columns=2,
        hint="sc.hint.working",
    ),
)
SOURCES = "src"  # button value ``src:<regime>:<termination>``: the sources of the rules a result used
MAX_OPEN_LINES = 3  # failed or unchecked rules listed one by one; more are counted in one line


def answers_from(data: dict[str, Any]) -> el.Answers:
    """Turn the flow's JSON answers into :class:`eligibility.Answers`."""
    phk = _phk(data.get("phk_date"))
    return el.Answers(
        data.get("termination"),
        data.get("age"),
        data.get("contributions"),
        data.get("consecutive"),
        data.get("membership"),
        data.get("jkn"),
        phk.day if phk else None,
        data.get("working"),
        phk.exact if phk else True,
    )


def _phk(value: str | None) -> When | None:
    if not value:
        return None
    exact = len(value) == 10
    return When(date.fromisoformat(value if exact else f"{value}-01"), exact)


class SelfCheckFlow(QuestionFlow):
    """JKP self-check: how the job ended, age, contributions, membership, PHK date, working again."""

    name = "selfcheck"
    questions = QUESTIONS

    def prefill(self, ctx: FlowContext, text: str) -> dict[str, Any]:
        """'saya resign, dapat JKP?' already answers how the job ended."""
        found = read_termination(text)
        return {"termination": found} if found else {}

    def step(self, ctx: FlowContext, data: dict[str, Any], incoming: Incoming) -> FlowStep:
        value = button_value(self.name, incoming) or ""
        if value.startswith(f"{SOURCES}:"):  # the sources of a result: shown without touching a running check
            _, regime, termination = (value.split(":") + ["", ""])[:3]
            return FlowStep(data or None, [Reply(render_sources(ctx, regime, termination))])
        return super().step(ctx, data, incoming)

    def finish(self, ctx: FlowContext, answers: dict[str, Any]) -> FlowStep:
        result = el.assess(_rules(ctx), answers_from(answers), ctx.today)
        phk = _phk(answers.get("phk_date"))
        return FlowStep(
            None, [Reply(render_verdict(ctx, result)), self._next_steps(ctx, result, phk, answers)]
        )

    def _next_steps(
        self, ctx: FlowContext, result: el.Assessment, phk: When | None, answers: dict[str, Any]
    ) -> Reply:
        parts = [
            render_deadline(ctx, result, phk),
            tx(ctx, f"sc.next.{result.verdict}"),
            tx(ctx, "common.decides"),
        ]
        calc = "start:old" if result.regime.key == "old" else "start"
        termination = answers.get("termination") or "other"
        buttons = [
            Button(tx(ctx, "sc.offer_calc"), f"f:calculator:{calc}"),
            self.button(tx(ctx, "sc.sources"), f"{SOURCES}:{result.regime.key}:{termination}"),
            self.button(tx(ctx, "sc.restart"), "start"),
        ]
        if phk is not None:  # the whole timeline (JHT, JKN, the six months), to save and be reminded of
            target = f"d:{phk.day.isoformat()}" if phk.exact else f"m:{phk.day.isoformat()[:7]}"
            buttons.insert(
                0, Button(ctx.kb.extras["journey"].get("tl.btn.timeline", ctx.lang), f"f:timeline:{target}")
            )
        return Reply("\n".join(p for p in parts if p), rows(buttons, 1))


def render_verdict(ctx: FlowContext, result: el.Assessment) -> str:
    """Phone-sized: headline, the regime, the rules not met or to check (at most three, the rest counted),
    and one line for the rules met. Sources are behind the "Sumber" button."""
    rules = _rules(ctx)
    lines = [
        tx(ctx, f"sc.result.{result.verdict}"),
        tx(ctx, "sc.regime_short", regime=result.regime.label.get(ctx.lang, result.regime.label["id"])),
    ]
    if result.regime.note_rule:
        lines.append(tx(ctx, "sc.regime_note", rule=rules.rule_text(result.regime.note_rule, ctx.lang)))
    order = {el.FAIL: 0, el.UNKNOWN: 1}
    open_ = sorted((f for f in result.findings if f.outcome != el.PASS), key=lambda f: order[f.outcome])
    for finding in open_[:MAX_OPEN_LINES]:
        lines.append(
            tx(
                ctx,
                f"sc.reason.{finding.outcome}",
                mark=MARKS[finding.outcome],
                rule=rules.rule_text(finding.rule, ctx.lang),
            )
        )
    if len(open_) > MAX_OPEN_LINES:
        lines.append(tx(ctx, "sc.reason.more", n=len(open_) - MAX_OPEN_LINES))
    passed = sum(f.outcome == el.PASS for f in result.findings)
    if passed:
        lines.append(
            tx(
                ctx,
                "sc.reason.all_met" if passed == len(result.findings) else "sc.reason.met",
                mark=MARKS[el.PASS],
                n=passed,
            )
        )
    return "\n".join(lines)


def render_sources(ctx: FlowContext, regime_key: str, termination: str) -> str:
    """One line per rule a result used, with its source (the "Sumber" button)."""
    rules = _rules(ctx)
    regime = rules.regimes.get(regime_key) or rules.regime_for(None)
    kind = rules.terminations.get(termination) or rules.terminations["other"]
    used = [
        "transition",
        *([regime.note_rule] if regime.note_rule else []),
        kind.rule,
        "age",
        "membership",
        "jkn",
        "contribution_period",
        "consecutive",
        regime.window_rule,
        "not_working",
    ]
    lines = [tx(ctx, "sc.sources_head", regime=regime.label.get(ctx.lang, regime.label["id"]))]
    for rule in dict.fromkeys(r for r in used if r in rules.rules):
        lines.append(
            tx(ctx, "sc.sources_item", rule=rules.rule_text(rule, ctx.lang), source=rules.rules[rule].source)
        )
    return "\n".join(lines)


def render_deadline(ctx: FlowContext, result: el.Assessment, phk: When | None) -> str:
    """'Paling lambat 22 Mei 2027', an estimate when only the month is known, or that it has passed."""
    if result.deadline is None or result.latest_deadline is None or phk is None:
        return ""
    names = texts(ctx)
    when, latest = names.date(result.deadline, ctx.lang), names.date(result.latest_deadline, ctx.lang)
    months = result.regime.claim_window_months
    if result.latest_deadline < ctx.today:
        return tx(ctx, "sc.deadline_passed", date=latest if not phk.exact else when, months=months)
    if result.deadline < ctx.today:
        return tx(ctx, "sc.deadline_unsure", date=when, latest=latest, months=months)
    return tx(ctx, "sc.deadline" if phk.exact else "sc.deadline_month", date=when, months=months)

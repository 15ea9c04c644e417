"""The JKP cash benefit calculator flow ("calculator"), and the one-shot answer to "gaji 4 juta dapet brp".

Button values: ``wage:<rupiah>`` (a suggested wage), ``r:<regime>:<rupiah>`` (same wage, other regime),
``start`` / ``start:old`` (ask for the wage, new or old regime), ``back``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.dialogue.flows import Flow, FlowContext, FlowStep
from bot.dialogue.types import Incoming, Reply
from bot.services.flowkit import BACK, button_value, ended, rows, tx
from bot.services.freetext import parse_when
from bot.services.jkp.benefit import Schedule, benefit_schedule
from bot.services.jkp.rules import JkpRules, Regime
from bot.services.money import UNREADABLE, MoneyReading, format_rupiah, read_money

SUGGESTED_WAGES = (3_000_000, 4_000_000, 5_000_000, 6_000_000)


def _rules(ctx: FlowContext) -> JkpRules:
    return ctx.kb.extras["jkp_rules"]  # type: ignore[no-any-return]


def regime_in_text(rules: JkpRules, text: str, today: date) -> str:
    """'old' when the message names a PHK date before the transition, else 'new'."""
    when = parse_when(text, today)
    return rules.regime_for(when.day if when else None).key


def month_runs(schedule: Schedule) -> list[tuple[int, int, int, int]]:
    """(first month, last month, amount, percent) for each run of months paying the same."""
    runs: list[tuple[int, int, int, int]] = []
    for number, (amount, percent) in enumerate(zip(schedule.months, schedule.percents, strict=True), start=1):
        if runs and runs[-1][2:] == (amount, percent):
            runs[-1] = (runs[-1][0], number, amount, percent)
        else:
            runs.append((number, number, amount, percent))
    return runs


def render_schedule(ctx: FlowContext, schedule: Schedule, regime: Regime) -> str:
    """Month-by-month amounts, the total, what the cap did, the rule and who decides."""
    rules = _rules(ctx)
    label = regime.label.get(ctx.lang, regime.label["id"])
    lines = [tx(ctx, "calc.result.head", wage=format_rupiah(schedule.wage), regime=label)]
    for first, last, amount, percent in month_runs(schedule):
        key = "calc.result.month" if first == last else "calc.result.months"
        lines.append(
            tx(
                ctx,
                key,
                n=first,
                first=first,
                last=last,
                amount=format_rupiah(amount),
                percent=percent,
                basis=format_rupiah(schedule.basis),
            )
        )
    lines.append(
        tx(ctx, "calc.result.total", months=len(schedule.months), total=format_rupiah(schedule.total))
    )
    cap = format_rupiah(regime.wage_cap)
    lines.append("")
    lines.append(
        tx(ctx, "calc.result.cap", cap=cap, lost=format_rupiah(schedule.lost_to_cap))
        if schedule.capped
        else tx(ctx, "calc.result.nocap", cap=cap)
    )
    lines.append(
        tx(
            ctx,
            "calc.result.regime",
            rule=rules.rule_text(regime.cash_rule, ctx.lang),
            source=rules.rules[regime.cash_rule].source,
        )
    )
    if regime.note_rule:
        lines.append(
            tx(
                ctx,
                "calc.result.note",
                rule=rules.rule_text(regime.note_rule, ctx.lang),
                source=rules.rules[regime.note_rule].source,
            )
        )
    lines.append("")
    lines.append(tx(ctx, "common.decides"))
    return "\n".join(lines)


class CalculatorFlow(Flow):
    """Ask for the last wage reported to BPJS, then show the cash schedule."""

    name = "calculator"

    def start(self, ctx: FlowContext, text: str = "") -> FlowStep:
        regime = regime_in_text(_rules(ctx), text, ctx.today) if text else "new"
        reading = read_money(text) if text else None
        if reading is not None and reading.problem is None and reading.amount is not None:
            return self.result(ctx, reading.amount, regime)
        if reading is not None and reading.problem not in (None, UNREADABLE):
            return FlowStep({"regime": regime}, [_problem(ctx, reading), self.ask(ctx)])
        return FlowStep({"regime": regime}, [self.ask(ctx)])

    def step(self, ctx: FlowContext, data: dict[str, Any], incoming: Incoming) -> FlowStep:
        value = button_value(self.name, incoming)
        if value is not None:
            return self._button(ctx, data, value)
        if not data:
            return self.start(ctx, incoming.text)
        reading = read_money(incoming.text)
        if reading.problem is None and reading.amount is not None:
            return self.result(ctx, reading.amount, data.get("regime", "new"))
        # no number at all: maybe a new question (the core decides), else say what to type
        return FlowStep(data, [_problem(ctx, reading), self.ask(ctx)], consumed=reading.problem != UNREADABLE)

    def _button(self, ctx: FlowContext, data: dict[str, Any], value: str) -> FlowStep:
        kind, _, rest = value.partition(":")
        if kind == BACK and data:
            return ended(ctx)
        if kind == "wage" and rest.isdigit():
            return self.result(ctx, int(rest), (data or {}).get("regime", "new"))
        if kind == "r" and rest.count(":") == 1:
            regime, wage = rest.split(":")
            if regime in _rules(ctx).regimes and wage.isdigit():
                return self.result(ctx, int(wage), regime)
        regime = "old" if rest == "old" else "new"
        return FlowStep({"regime": regime}, [self.ask(ctx)])

    def ask(self, ctx: FlowContext) -> Reply:
        """The wage question with suggested amounts and Back."""
        buttons = [self.button(format_rupiah(w), f"wage:{w}") for w in SUGGESTED_WAGES]
        return Reply(
            tx(ctx, "calc.q.wage"), rows(buttons, 2) + ((self.button(tx(ctx, "common.back"), BACK),),)
        )

    def result(self, ctx: FlowContext, wage: int, regime_key: str) -> FlowStep:
        """The schedule for ``wage``; buttons: the other regime, another wage, back."""
        regime = _rules(ctx).regimes[regime_key]
        other = "new" if regime_key == "old" else "old"
        buttons = [
            self.button(tx(ctx, f"calc.btn.{other}"), f"r:{other}:{wage}"),
            self.button(tx(ctx, "calc.btn.again"), "start"),
            self.button(tx(ctx, "common.back"), BACK),
        ]
        text = render_schedule(ctx, benefit_schedule(wage, regime), regime)
        return FlowStep(None, [Reply(text, rows(buttons, 1))])


def _problem(ctx: FlowContext, reading: MoneyReading) -> Reply:
    """A polite word about an amount we cannot use (unreadable, zero, negative, too high, too low)."""
    amount = format_rupiah(reading.amount) if reading.amount is not None else ""
    return Reply(tx(ctx, f"calc.bad.{reading.problem}", amount=amount))


def quote(rules: JkpRules, text: str, today: date) -> Schedule | None:
    """The schedule for a wage mentioned in ``text`` ("gaji 4 juta dapet jkp brp"); None without a usable wage."""
    reading = read_money(text)
    if reading.problem is not None or reading.amount is None:
        return None
    return benefit_schedule(reading.amount, rules.regimes[regime_in_text(rules, text, today)])

"""The claimant's own timeline: claim deadline, JHT, JKN and the six benefit months. Pure.

Everything is computed from the person's dates and the numbers in ``knowledge/rules/jkp.yaml``
(``thresholds`` and the sourced rules ``claim_window``/``claim_window_old``, ``jht_after``,
``jkn_cover``, ``month_first``, ``month_obligations``). BPJS Ketenagakerjaan decides every claim;
these dates are what the rules say, not a promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.services.freetext import add_months
from bot.services.jkp.rules import JkpRules, Regime

__all__ = ["BenefitMonth", "Timeline", "build_timeline", "days_between"]


@dataclass(frozen=True)
class BenefitMonth:
    """One month of cash: its number, when it runs (known only once the claim date is known) and its rule."""

    number: int
    start: date | None
    rule: str  # ``month_first`` for month 1, ``month_obligations`` after


@dataclass(frozen=True)
class Timeline:
    """The dates that follow from a PHK date (``exact`` False: only the month was given, day = the 1st)."""

    phk: date
    exact: bool
    regime: Regime
    claim_deadline: date  # the earliest possible deadline when only the month is known
    latest_deadline: date  # with only the month known: the deadline for a PHK on its last day
    jht_from: date
    jkn_until: date
    months: tuple[BenefitMonth, ...]
    claimed: date | None = None
    last_day: date | None = None

    def days_left(self, today: date) -> int:
        """Days from ``today`` to the claim deadline (0 on the day itself, negative once passed)."""
        return days_between(today, self.claim_deadline)

    def claim_open(self, today: date) -> bool:
        """True while the claim can still be filed (up to and including the deadline day)."""
        return today <= self.claim_deadline

    def window_passed(self, today: date) -> bool:
        """True when even the latest possible deadline is behind ``today``."""
        return today > self.latest_deadline

    def jht_open(self, today: date) -> bool:
        return today >= self.jht_from

    def current_month(self, today: date) -> BenefitMonth | None:
        """The benefit month running on ``today`` (only once the claim date is known)."""
        if self.claimed is None or not self.claimed <= today < add_months(self.claimed, len(self.months)):
            return None
        return [m for m in self.months if m.start is not None and m.start <= today][-1]


def days_between(start: date, end: date) -> int:
    return (end - start).days


def build_timeline(
    rules: JkpRules,
    phk: date,
    *,
    exact: bool = True,
    last_day: date | None = None,
    claimed: date | None = None,
) -> Timeline:
    """The timeline for a PHK on ``phk`` under the regime of that date.

    * claim deadline: ``claim_window_months`` calendar months after the PHK, clamped to the month's end
      (31 Aug + 6 months -> 28/29 Feb); the old regime (PHK before 7 Feb 2025) had 3 months.
    * JHT: ``jht_after_months`` after the last day worked (the PHK date when that is not known).
    * JKN: ``jkn_months`` after the PHK.
    * benefit months: month *n* starts *n-1* months after the claim date, once that is known.
    """
    regime = rules.regime_for(phk)
    limits = rules.thresholds
    window = regime.claim_window_months
    last_of_month = add_months(phk.replace(day=1), 1).toordinal() - 1
    latest_phk = phk if exact else date.fromordinal(last_of_month)
    months = tuple(
        BenefitMonth(
            n,
            add_months(claimed, n - 1) if claimed else None,
            "month_first" if n < limits["obligations_from_month"] else "month_obligations",
        )
        for n in range(1, limits["benefit_months"] + 1)
    )
    earliest_phk = phk if exact else phk.replace(day=1)
    return Timeline(
        phk,
        exact,
        regime,
        add_months(earliest_phk, window),
        add_months(latest_phk, window),
        add_months(last_day or phk, limits["jht_after_months"]),
        add_months(phk, limits["jkn_months"]),
        months,
        claimed,
        last_day,
    )

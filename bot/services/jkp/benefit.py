"""The JKP cash benefit schedule for a wage, from the regime's percentages and wage cap. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.jkp.rules import Regime


@dataclass(frozen=True)
class Schedule:
    """Month-by-month cash amounts; ``basis`` is the wage after the cap (``capped`` says if it bit)."""

    wage: int
    basis: int
    capped: bool
    regime: str
    percents: tuple[int, ...]
    months: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.months)

    @property
    def lost_to_cap(self) -> int:
        """How much more the whole wage would have paid in all, had there been no cap."""
        return sum(self.wage * p // 100 for p in self.percents) - self.total


def benefit_schedule(wage: int, regime: Regime) -> Schedule:
    """Cash per month for ``wage`` under ``regime``: percent of min(wage, cap), rounded down to a rupiah."""
    basis = min(wage, regime.wage_cap)
    months = tuple(basis * percent // 100 for percent in regime.cash_percent)
    return Schedule(wage, basis, wage > regime.wage_cap, regime.key, regime.cash_percent, months)

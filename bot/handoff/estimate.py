"""An honest wait estimate for a waiting case: pure, from its queue position, how long it has already
waited, recent pickup times and how many counsellors are on duty. No I/O, no clock.

A recent pickup time (queued -> taken) is read as the time one turn of the queue takes. With ``n``
counsellors on duty, the case at position ``p`` waits about ``ceil(p / n)`` turns, minus the time it
has already waited. Nobody on duty: no number at all (``Estimate.unknown``); already past the
estimate: no number either (``Estimate.late``), never "about 10 minutes" after 13.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from .rules import Timers, expected_wait, minutes

__all__ = ["Estimate", "estimate_wait"]


@dataclass(frozen=True)
class Estimate:
    """``minutes`` to wait, or None with ``late`` (waited longer than expected) or ``unknown`` (no one on duty)."""

    minutes: int | None
    late: bool = False

    @property
    def unknown(self) -> bool:
        return self.minutes is None and not self.late


def estimate_wait(
    position: int, waited: timedelta, pickups: Sequence[timedelta], on_duty: int, timers: Timers
) -> Estimate:
    """The estimate for the case at ``position`` (1 = next) that has waited ``waited`` so far."""
    if on_duty <= 0:
        return Estimate(None)
    turns = math.ceil(max(position, 1) / on_duty)
    remaining = expected_wait(pickups, timers) * turns - max(waited, timedelta(0))
    if remaining <= timedelta(0):
        return Estimate(None, late=True)
    return Estimate(minutes(remaining))

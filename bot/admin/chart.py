"""The daily chart: incoming messages (bars) and fallback rate (line), as PNG bytes (matplotlib Agg).

Meant for people who would rather look than read: a legend names both series, each axis has its
series' colour, at most :data:`MAX_LABELS` dates are written under the bars.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)
from matplotlib.ticker import MaxNLocator, PercentFormatter  # noqa: E402

from .stats import Day  # noqa: E402
from .texts import AdminTexts  # noqa: E402

MAX_LABELS = 15
VOLUME, FALLBACK = "#4c72b0", "#c44e52"


def daily_chart(days: Sequence[Day], texts: AdminTexts, lang: str, *, dpi: int = 100) -> bytes:
    """A 8x4 inch PNG of the daily volume and fallback rate."""
    fig = Figure(figsize=(8, 4), dpi=dpi)
    ax = fig.add_subplot()
    volume, fallback = texts.get("stats.chart_volume", lang), texts.get("stats.chart_fallback", lang)
    positions = list(range(len(days)))
    bars = ax.bar(positions, [d.messages_in for d in days], color=VOLUME, label=volume)
    ax.set_ylabel(volume, color=VOLUME)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    step = max(1, math.ceil(len(days) / MAX_LABELS))
    ax.set_xticks(positions[::step], [d.day.strftime("%d/%m") for d in days][::step])
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    rate = ax.twinx()
    [line] = rate.plot(
        positions,
        [math.nan if d.fallback_rate is None else d.fallback_rate * 100 for d in days],
        color=FALLBACK,
        linewidth=2,
        marker="o" if len(days) <= 31 else None,
        label=fallback,
    )
    rate.set_ylabel(fallback, color=FALLBACK)
    rate.set_ylim(0, 100)
    rate.yaxis.set_major_formatter(PercentFormatter())
    fig.suptitle(texts.get("stats.chart_title", lang))
    ax.legend(
        [bars, line],
        [volume, fallback],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=2,
        fontsize=9,
        frameon=False,
    )
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()

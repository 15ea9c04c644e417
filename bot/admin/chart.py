"""The daily chart: incoming messages (bars) and fallback rate (line), as PNG bytes (matplotlib Agg)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

from .stats import Day  # noqa: E402
from .texts import AdminTexts  # noqa: E402


def daily_chart(days: Sequence[Day], texts: AdminTexts, lang: str, *, dpi: int = 100) -> bytes:
    """A 8x4 inch PNG of the daily volume and fallback rate."""
    fig = Figure(figsize=(8, 4), dpi=dpi)
    ax = fig.add_subplot()
    labels = [d.day.strftime("%d/%m") for d in days]
    ax.bar(labels, [d.messages_in for d in days], color="#4c72b0", label=texts.get("stats.chart_volume", lang))
    ax.set_ylabel(texts.get("stats.chart_volume", lang))
    rate = ax.twinx()
    rate.plot(labels, [float("nan") if d.fallback_rate is None else d.fallback_rate * 100 for d in days],
              color="#dd5555", marker="o")
    rate.set_ylabel(texts.get("stats.chart_fallback", lang))
    rate.set_ylim(0, 100)
    ax.set_title(texts.get("stats.chart_title", lang))
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()

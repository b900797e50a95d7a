"""Charts of the indicators, drawn server-side with matplotlib's Agg canvas (no display,
no pyplot state shared between requests): SVG for the HTML report, PNG for the PDF.
Titles are bilingual; colours are few and readable in grey."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

Format = Literal["svg", "png"]
#: Two colours that stay apart in greyscale print, then a third.
COLOURS = ("#1f5f8b", "#e0892b", "#7a9e3b")
_STYLE: dict[Any, Any] = {"svg.hashsalt": "lindungi", "svg.fonttype": "none", "font.size": 9,
          "axes.spines.top": False, "axes.spines.right": False}  # fmt: skip


@dataclass(frozen=True)
class Chart:
    """A rendered chart with its bilingual title."""

    name: str
    title_id: str
    title_en: str
    data: bytes
    format: Format

    @property
    def svg(self) -> str:
        """The SVG markup (for inlining in HTML)."""
        text = self.data.decode("utf-8")
        return text[text.index("<svg") :]


def _render(figure: Figure, fmt: Format) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(buffer, format=fmt, dpi=160, bbox_inches="tight", metadata=metadata)
    return buffer.getvalue()


def bar_chart(
    name: str,
    title: tuple[str, str],
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    fmt: Format = "svg",
    *,
    percent: bool = False,
    horizontal: bool = False,
) -> Chart:
    """Grouped bars: one group per category, one bar per series (``None`` drawn as 0)."""
    with mpl.rc_context(_STYLE):
        height = max(2.0, 0.3 * len(categories) + 0.9) if horizontal else 2.5
        figure = Figure(figsize=(7.0, height))
        axes = figure.add_subplot()
        count = max(len(series), 1)
        width = 0.8 / count
        positions = range(len(categories))
        for n, (label, values) in enumerate(series.items()):
            heights = [0.0 if v is None else (v * 100 if percent else v) for v in values]
            offsets = [p - 0.4 + width * (n + 0.5) for p in positions]
            draw = axes.barh if horizontal else axes.bar
            bars = draw(offsets, heights, width, label=label, color=COLOURS[n % len(COLOURS)])
            labels = ["–" if v is None else f"{h:.0f}%" if percent else f"{h:g}"
                      for v, h in zip(values, heights, strict=True)]  # fmt: skip
            axes.bar_label(bars, labels=labels, padding=2, fontsize=7)
        ticks = list(positions)
        if horizontal:
            axes.set_yticks(ticks, list(categories))
            axes.invert_yaxis()
            axes.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=not percent))
        else:
            axes.set_xticks(ticks, list(categories))
            axes.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=not percent))
        if percent:
            (axes.set_xlim if horizontal else axes.set_ylim)(0, 112)
            (axes.set_xticks if horizontal else axes.set_yticks)(range(0, 101, 25))
        axes.set_title(f"{title[0]} / {title[1]}", loc="left", fontweight="bold")
        if len(series) > 1:
            axes.legend(
                frameon=False,
                fontsize=8,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.12),
                ncol=len(series),
            )
        if horizontal:
            axes.margins(x=0.15)
        else:
            axes.margins(y=0.15)
        return Chart(name, title[0], title[1], _render(figure, fmt), fmt)

"""Trend charts drawn on the server as SVG, so the page and the PDF show the same chart.

DESIGN.md, "User interface". matplotlib draws them (its object API, no pyplot
state, safe in threads); text stays text (`svg.fonttype: none`) in the CJK
font WeasyPrint has, so Chinese labels render and a PDF's text can be read
back. A chart only changes when its numbers do, so each is cached by a hash
of what it shows.
"""

import hashlib
import io
import json
import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "hearth",
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans CJK SC", "DejaVu Sans"],
    "font.size": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#9aa3ad",
    "xtick.color": "#5b6570",
    "ytick.color": "#5b6570",
}
LINE = "#2f6f9f"
TARGET = "#c2410c"
CACHE_SECONDS = 7 * 24 * 3600
ID_PLACEHOLDER = "chart-id"


@dataclass(frozen=True)
class Chart:
    """What a trend chart shows: a label per point, the values (None: nothing measured
    that week), the target line if any, and a text for screen readers."""

    labels: Sequence[str]
    values: Sequence[float | None]
    target: float | None
    description: str
    #: Appended to the y-axis numbers ("%", " h").
    suffix: str = ""


def trend_svg(chart: Chart) -> str:
    """The chart as an inline `<svg>` element (cached)."""
    # The version changes with what `_draw` makes, so no older drawing is served from the cache.
    key = (
        "chart:v2:"
        + hashlib.sha256(
            json.dumps(
                [list(chart.labels), list(chart.values), chart.target, chart.suffix],
                default=str,
            ).encode()
        ).hexdigest()
    )
    svg = cache.get(key)
    if svg is None:
        svg = _draw(chart, prefix=ID_PLACEHOLDER)
        cache.set(key, svg, CACHE_SECONDS)
    # Ids unique on the page even when two charts are the same (a PDF refuses duplicates).
    svg = svg.replace(ID_PLACEHOLDER, f"chart-{uuid.uuid4().hex[:8]}")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(chart.description)}" ', 1)


def _draw(chart: Chart, *, prefix: str) -> str:
    with rc_context(STYLE):  # type: ignore[arg-type]
        figure = Figure(figsize=(3.2, 1.15), dpi=72, layout="constrained")
        axes = figure.add_subplot()
        ys = [math.nan if v is None else v for v in chart.values]
        xs = range(len(ys))
        axes.plot(xs, ys, color=LINE, linewidth=1.4, marker="o", markersize=2.5)
        if chart.target is not None:
            axes.axhline(chart.target, color=TARGET, linewidth=0.9, linestyle="--")
        axes.set_xticks(list(xs)[::3], [chart.labels[i] for i in xs[::3]])
        axes.yaxis.set_major_locator(MaxNLocator(nbins=3, min_n_ticks=2))
        axes.yaxis.set_major_formatter(lambda y, _pos: f"{y:g}{chart.suffix}")
        axes.set_ylim(bottom=0)
        axes.margins(x=0.03)
        out = io.StringIO()
        figure.savefig(
            out, format="svg", transparent=True, metadata={"Date": None, "Creator": None}
        )
    return _inline(out.getvalue(), prefix)


def _inline(svg: str, prefix: str) -> str:
    """Drop the XML prolog and give the ids a per-chart prefix: several charts share a page.

    matplotlib styles with CSS (`style="…"` and a `<style>` rule for every
    element), which the Content-Security-Policy refuses in a page; the same
    properties as SVG presentation attributes are not CSS and draw the same.
    """
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    everything = re.search(r"<style[^>]*>\*\{(.*?)\}</style>", svg, flags=re.S)
    svg = re.sub(r"\s*<style[^>]*>.*?</style>", "", svg, flags=re.S)
    if everything:
        # Inherited from the root, as the `*` rule gave them to every element.
        svg = svg.replace("<svg ", f"<svg {_as_attributes(everything.group(1))} ", 1)
    svg = re.sub(r'style="([^"]*)"', lambda m: _as_attributes(m.group(1)), svg)
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg).replace(
        'xlink:href="#', f'xlink:href="#{prefix}-'
    )


def _as_attributes(declarations: str) -> str:
    """`fill: #fff; stroke-width: 0.8` as `fill="#fff" stroke-width="0.8"`."""
    pairs = (d.split(":", 1) for d in declarations.split(";") if d.strip())
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

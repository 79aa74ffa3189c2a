"""Inline SVG charts for the HTML report: no script, no external font, no network.

Each function takes plain numbers and returns one ``<svg>`` element with a
``<title>`` for screen readers. Coordinates are written with one decimal, so the
same data always gives the same bytes. Colours come from CSS classes defined in
the report's stylesheet, so a printed report can restyle them.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from engine.i18n import _
from engine.textsafe import visible

WIDTH = 720
RATING_ORDER = ("P", "S", "M", "U", "-")


def escape(text: str) -> str:
    """Text for SVG: escaped, its control, bidi and invisible characters made visible
    (a C0 control is not even allowed in XML)."""
    return html.escape(visible(text, one_line=True))


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {_f(height)}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, cls: str = "", anchor: str = "start") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}"{klass}>{escape(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, cls: str, tip: str = "") -> str:
    tooltip = f"<title>{escape(tip)}</title>" if tip else ""
    return (
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(max(0.0, w))}" height="{_f(h)}" '
        f'class="{cls}">{tooltip}</rect>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, cls: str) -> str:
    return f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" class="{cls}"/>'


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 × 10ⁿ) giving about ``ticks`` ticks up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return float(m * power)
    return float(10 * power)


def _clip(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def response_times(rows: Sequence[tuple[str, int, int, int | None]], title: str) -> str:
    """Horizontal bars per row: median (dark) inside the 90th percentile (light); deadline tick.

    ``rows`` are (label, median ms, p90 ms, deadline ms or None).
    """
    left, right, top, row_h = 200.0, 20.0, 34.0, 26.0
    height = top + row_h * len(rows) + 34
    top_minutes = max([r[2] / 60_000 for r in rows] + [(r[3] or 0) / 60_000 for r in rows] + [1])
    step = nice_step(top_minutes)
    scale_max = math.ceil(top_minutes / step) * step
    span = WIDTH - left - right

    def x(minutes: float) -> float:
        return left + span * minutes / scale_max

    body = [
        _rect(left, 8, 12, 10, "bar-light"),
        _text(left + 16, 17, _("90th percentile"), "legend"),
        _rect(left + 130, 8, 12, 10, "bar-dark"),
        _text(left + 146, 17, _("median"), "legend"),
        _line(left + 215, 6, left + 215, 20, "due"),
        _text(left + 222, 17, _("deadline"), "legend"),
    ]
    tick = 0.0
    while tick <= scale_max + 1e-9:
        body.append(_line(x(tick), top - 4, x(tick), height - 30, "grid"))
        body.append(_text(x(tick), height - 14, f"{tick:g} min", "axis", "middle"))
        tick += step
    for n, (label, median, p90, due) in enumerate(rows):
        y = top + n * row_h
        body.append(_text(left - 8, y + 15, _clip(label, 30), "label", "end"))
        body.append(
            _rect(
                left,
                y + 4,
                x(p90 / 60_000) - left,
                16,
                "bar-light",
                _("{label}: p90 {seconds} s").format(label=label, seconds=p90 // 1000),
            )
        )
        body.append(
            _rect(
                left,
                y + 8,
                x(median / 60_000) - left,
                8,
                "bar-dark",
                _("{label}: median {seconds} s").format(label=label, seconds=median // 1000),
            )
        )
        if due is not None:
            body.append(_line(x(due / 60_000), y + 1, x(due / 60_000), y + 23, "due"))
    return _svg(height, title, body)


def histogram(
    counts: Sequence[int], labels: Sequence[str], title: str, x_title: str, cls: str = "bar-dark"
) -> str:
    """Vertical bars of counts, one per bin, with the bins' labels below."""
    left, right, top, bottom = 48.0, 12.0, 16.0, 46.0
    height = 190.0
    span_h = height - top - bottom
    top_count = max([*counts, 1])
    step = nice_step(top_count, 4)
    if step < 1:
        step = 1.0
    scale_max = math.ceil(top_count / step) * step
    width = (WIDTH - left - right) / max(1, len(counts))
    body = []
    tick = 0.0
    while tick <= scale_max + 1e-9:
        y = top + span_h * (1 - tick / scale_max)
        body.append(_line(left, y, WIDTH - right, y, "grid"))
        body.append(_text(left - 6, y + 4, f"{tick:g}", "axis", "end"))
        tick += step
    for n, (count, label) in enumerate(zip(counts, labels, strict=True)):
        h = span_h * count / scale_max
        x = left + n * width
        body.append(_rect(x + 2, top + span_h - h, width - 4, h, cls, f"{label}: {count}"))
        if count:
            body.append(_text(x + width / 2, top + span_h - h - 4, str(count), "value", "middle"))
        body.append(_text(x + width / 2, height - bottom + 16, label, "axis", "middle"))
    body.append(
        _text(left + (WIDTH - left - right) / 2, height - 8, x_title, "axis-title", "middle")
    )
    return _svg(height, title, body)


def rating_bars(rows: Sequence[tuple[str, dict[str, int]]], title: str) -> str:
    """One 100 % stacked bar per objective: how many teams were rated P, S, M, U, not rated."""
    left, right, top, row_h = 200.0, 20.0, 34.0, 30.0
    height = top + row_h * len(rows) + 8
    span = WIDTH - left - right
    body = []
    legend_x = left
    for key, word in zip(RATING_ORDER, ("P", "S", "M", "U", _("not rated")), strict=True):
        body.append(_rect(legend_x, 8, 12, 12, f"rating-{_slug(key)}"))
        body.append(_text(legend_x + 16, 18, word, "legend"))
        legend_x += 40 if key != "-" else 0
    for n, (label, counts) in enumerate(rows):
        y = top + n * row_h
        total = sum(counts.values()) or 1
        body.append(_text(left - 8, y + 17, _clip(label, 30), "label", "end"))
        x = left
        for key in RATING_ORDER:
            count = counts.get(key, 0)
            if not count:
                continue
            w = span * count / total
            body.append(_rect(x, y + 4, w, 20, f"rating-{_slug(key)}", f"{label}: {key} {count}"))
            if w >= 22:
                body.append(_text(x + w / 2, y + 18, str(count), "on-bar", "middle"))
            x += w
    return _svg(height, title, body)


def columns(values: Sequence[tuple[str, int]], title: str, y_title: str) -> str:
    """Vertical columns over time (e.g. deliveries per quarter hour); every other label shown."""
    labels = [v[0] for v in values]
    counts = [v[1] for v in values]
    shown = [label if n % max(1, len(values) // 12) == 0 else "" for n, label in enumerate(labels)]
    return histogram(counts, shown, title, y_title, "bar-mid")


def _slug(key: str) -> str:
    return "none" if key == "-" else key.lower()

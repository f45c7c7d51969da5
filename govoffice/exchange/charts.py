"""Bar charts drawn on the server as inline SVG: no JavaScript, no chart library.

Each chart is a picture with a title and a description for screen readers; the page puts the
same figures in a table beside it, so nothing is known from the colours alone. The markup is
built here with every text escaped, and returned marked safe for templates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Blue, orange and purple stay apart for the common colour-vision deficiencies and each has
# at least 3:1 contrast on white (WCAG 1.4.11 for graphics).
PALETTE = ("#1d4f91", "#b35900", "#6a3d9a", "#0b5d1e")
INK = "#1a1a1a"
GRID = "#c8c8c8"
FONT = 'font-family="system-ui, Segoe UI, Roboto, Noto Sans, Arial, sans-serif"'


@dataclass(frozen=True)
class Series:
    """One stacked part of every bar: a name for the legend and a value per bar."""

    label: str
    values: Sequence[int]
    colour: str = ""


def nice_ticks(largest: int, count: int = 4) -> list[int]:
    """Round axis marks from 0 that reach at least `largest` (1, 2 or 5 times a power of ten)."""
    if largest <= 0:
        return [0, 1]
    raw = largest / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    top = step * math.ceil(largest / step)
    return list(range(0, top + 1, step))


def _colours(series: Sequence[Series]) -> list[str]:
    return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12, weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{INK}">{escape(text)}</text>'
    )


def _legend(series: Sequence[Series], colours: Sequence[str], x: float, y: float) -> list[str]:
    out = []
    for s, colour in zip(series, colours, strict=True):
        out.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>')
        out.append(_text(x + 17, y, s.label))
        x += 17 + 7.5 * len(s.label) + 24
    return out


def _svg(chart_id: str, width: int, height: int, title: str, description: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" {FONT}>'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308  (every text above is escaped)


def column_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    chart_id: str = "chart",
    fmt: Callable[[int], str] = str,
    tooltips: Sequence[str] | None = None,
    width: int = 720,
    height: int = 300,
) -> SafeString:
    """Vertical stacked columns, one per label (days, say), with a value axis and a legend."""
    colours = _colours(series)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    ticks = nice_ticks(max(totals, default=0))
    left, right, top, bottom = 56, 12, 34, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = plot_h / ticks[-1]
    body = _legend(series, colours, left, 16)
    for tick in ticks:
        y = top + plot_h - tick * scale
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(left - 6, y + 4, fmt(tick), anchor="end"))
    n = max(len(labels), 1)
    slot = plot_w / n
    bar_w = max(slot * 0.72, 1.0)
    # Label a day in every `every`, so the labels (about 40 units wide) never overlap.
    every = max(1, math.ceil(44 / slot))
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        tip = tooltips[i] if tooltips else f"{label}: {fmt(totals[i])}"
        parts = [f"<g><title>{escape(tip)}</title>"]
        for s, colour in zip(series, colours, strict=True):
            h = s.values[i] * scale
            if h > 0:
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}"/>')
        parts.append("</g>")
        body.append("".join(parts))
        if i % every == 0:
            body.append(_text(left + i * slot + slot / 2, top + plot_h + 18, label, anchor="middle", size=11))
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{INK}" stroke-width="1"/>')
    return _svg(chart_id, width, height, title, description, body)


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    chart_id: str = "chart",
    fmt: Callable[[int], str] = str,
    width: int = 720,
    bar_height: int = 20,
    label_chars: int = 34,
) -> SafeString:
    """Horizontal stacked bars, one per label (agencies, say), the total written at the end."""
    colours = _colours(series)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    ticks = nice_ticks(max(totals, default=0))
    left, right, top, gap = 250, 56, 34, 8
    plot_w = width - left - right
    height = top + len(labels) * (bar_height + gap) + 24
    scale = plot_w / ticks[-1]
    body = _legend(series, colours, left, 16)
    for tick in ticks:
        x = left + tick * scale
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 20}" stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(x, height - 6, fmt(tick), anchor="middle", size=11))
    for i, label in enumerate(labels):
        y = top + i * (bar_height + gap)
        short = label if len(label) <= label_chars else label[: label_chars - 1].rstrip() + "…"
        parts = [f"<g><title>{escape(label)}: {escape(fmt(totals[i]))}</title>"]
        parts.append(_text(left - 8, y + bar_height * 0.7, short, anchor="end"))
        x = float(left)
        for s, colour in zip(series, colours, strict=True):
            w = s.values[i] * scale
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{colour}"/>')
                x += w
        parts.append(_text(x + 5, y + bar_height * 0.7, fmt(totals[i]), size=11))
        parts.append("</g>")
        body.append("".join(parts))
    return _svg(chart_id, width, height, title, description, body)

"""Small inline SVG charts: the report opens anywhere, with no script and no network."""

from __future__ import annotations

import math
from html import escape

PALETTE = ("#3b6ea8", "#e0923a", "#5a9e6f", "#b5535a", "#7d6aa8")
LABEL_W, VALUE_W = 230, 70


def _svg(width: int, height: int, body: str, name: str) -> str:
    return (
        f'<svg class="chart" data-chart="{name}" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(name)}">{body}</svg>'
    )


def _label(x: float, y: float, text: str, anchor: str = "end") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="11">{escape(text)}</text>'


CHAR_W = 6.2  # the average width of an 11 px sans-serif character


def label_width(labels: list[str]) -> int:
    """Room for the longest label, whole: long labels are never clipped or cut."""
    return max(LABEL_W, int(max((len(label) for label in labels), default=0) * CHAR_W) + 12)


def bars(
    name: str,
    items: list[tuple[str, list[float]]],
    legend: list[str],
    fmt: str | list[str] = "{:.0f}",
    width: int = 640,
) -> str:
    """Horizontal bars; one or more series per label (e.g. whole and fractional counts). ``fmt``: one
    format, or one per series (whole counts as integers, fractional with a decimal)."""
    series = len(legend)
    formats = fmt if isinstance(fmt, list) else [fmt] * series
    bar_h, gap = 12, 6
    row_h = series * bar_h + gap
    label_w = label_width([label for label, _values in items])
    width += label_w - LABEL_W
    plot_w = width - label_w - VALUE_W
    top = 18 if series > 1 else 4
    peak = max((v for _label_, values in items for v in values), default=0) or 1
    parts = []
    for s, title in enumerate(legend if series > 1 else []):
        x = label_w + s * 130
        parts.append(f'<rect x="{x}" y="2" width="10" height="10" fill="{PALETTE[s]}"/>')
        parts.append(_label(x + 14, 11, title, "start"))
    for i, (label, values) in enumerate(items):
        y = top + i * row_h
        parts.append(_label(label_w - 6, y + row_h / 2 + 1, label))
        for s, value in enumerate(values):
            w = max(plot_w * value / peak, 0.5)
            yy = y + s * bar_h
            parts.append(
                f'<rect class="bar" data-label="{escape(label)}" data-series="{s}" data-value="{value}" '
                f'x="{label_w}" y="{yy}" width="{w:.1f}" height="{bar_h - 1}" fill="{PALETTE[s % 5]}"/>'
            )
            parts.append(_label(label_w + w + 4, yy + bar_h - 2, formats[s].format(value), "start"))
    return _svg(width, top + len(items) * row_h + 4, "".join(parts), name)


def heatmap(name: str, labels: list[str], value: dict[tuple[str, str], int], cell: int = 34) -> str:
    """A symmetric country-by-country matrix; darker is more papers, on a log scale (the US row would
    otherwise leave every other pair pale)."""
    left = top = 40
    peak = math.log1p(max((value.get((min(a, b), max(a, b)), 0) for a in labels for b in labels), default=0)) or 1
    parts = []
    for i, a in enumerate(labels):
        parts.append(_label(left - 6, top + i * cell + cell / 2 + 4, a))
        parts.append(_label(left + i * cell + cell / 2, top - 8, a, "middle"))
        for j, b in enumerate(labels):
            n = value.get((min(a, b), max(a, b)), 0)
            shade = 0.08 + 0.92 * math.log1p(n) / peak if n else 0.0
            parts.append(
                f'<rect class="cell" data-a="{escape(a)}" data-b="{escape(b)}" data-value="{n}" x="{left + j * cell}" '
                f'y="{top + i * cell}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="rgba(59,110,168,{shade:.2f})" stroke="#ccc"/>'
            )
            ink = ' fill="#fff"' if shade > 0.6 else ""
            parts.append(
                f'<text x="{left + j * cell + cell / 2 - 1:.1f}" y="{top + i * cell + cell / 2 + 3:.1f}" '
                f'text-anchor="middle" font-size="11"{ink}>{n}</text>'
            )
    size = left + len(labels) * cell + 4
    return _svg(size, size, "".join(parts), name)


def error_bars(name: str, items: list[tuple[str, float, float, float]], width: int = 640) -> str:
    """run - gold differences with their 95% intervals around a zero line."""
    row_h, top = 22, 10
    span = max((max(abs(lo), abs(hi)) for _l, _e, lo, hi in items), default=0.0) or 0.05
    plot_w = width - LABEL_W - VALUE_W
    zero = LABEL_W + plot_w / 2

    def x(v: float) -> float:
        return zero + (v / span) * (plot_w / 2)

    parts = [f'<line x1="{zero}" y1="0" x2="{zero}" y2="{top + len(items) * row_h}" stroke="#999"/>']
    for i, (label, estimate, low, high) in enumerate(items):
        y = top + i * row_h + row_h / 2
        parts.append(_label(LABEL_W - 6, y + 4, label))
        parts.append(
            f'<line class="interval" x1="{x(low):.1f}" y1="{y}" x2="{x(high):.1f}" y2="{y}" '
            f'stroke="{PALETTE[0]}" stroke-width="2"/>'
        )
        parts.append(
            f'<circle class="point" data-value="{estimate}" cx="{x(estimate):.1f}" cy="{y}" r="4" fill="{PALETTE[1]}"/>'
        )
        parts.append(_label(LABEL_W + plot_w + 4, y + 4, f"{estimate:+.3f}", "start"))
    return _svg(width, top + len(items) * row_h + 6, "".join(parts), name)


def intervals(name: str, items: list[tuple[str, float, float, float]], width: int = 640) -> str:
    """Shares (0-1) with their 95% intervals: a point and a bar per share."""
    row_h, top = 22, 16
    label_w = label_width([label for label, *_rest in items])
    plot_w = width - LABEL_W - VALUE_W
    width += label_w - LABEL_W
    peak = max((hi for *_rest, hi in items), default=0.0) or 1.0
    peak = min(1.0, math.ceil(peak * 10 + 1e-9) / 10)

    def x(v: float) -> float:
        return label_w + plot_w * v / peak

    parts = [f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w + plot_w}" y2="{top - 4}" stroke="#ccc"/>']
    for tick in range(0, 11):
        v = peak * tick / 10
        parts.append(_label(x(v), top - 7, f"{v:.2f}", "middle").replace('font-size="11"', 'font-size="8"'))
    for i, (label, value, low, high) in enumerate(items):
        y = top + i * row_h + row_h / 2
        parts.append(_label(label_w - 6, y + 4, label))
        span = max(x(high) - x(low), 3.0)
        left = (x(low) + x(high) - span) / 2
        parts.append(
            f'<rect class="bar interval" data-low="{low}" data-high="{high}" x="{left:.1f}" y="{y - 3}" '
            f'width="{span:.1f}" height="6" fill="{PALETTE[0]}" fill-opacity="0.5"/>'
        )
        parts.append(
            f'<circle class="point" data-value="{value}" cx="{x(value):.1f}" cy="{y}" r="4" fill="{PALETTE[1]}"/>'
        )
        parts.append(_label(label_w + plot_w + 4, y + 4, f"{value:.3f} [{low:.3f}, {high:.3f}]", "start"))
    return _svg(width + 60, top + len(items) * row_h + 6, "".join(parts), name)


def trend(name: str, runs: list[str], series: dict[str, list[tuple[float, float, float] | None]],
          width: int = 720, height: int = 320) -> str:  # fmt: skip
    """Each series (a headline share) over runs: a line through the values, with a band for the 95%
    interval where the run has one. ``series``: name -> per run (value, low, high) or None."""
    left, right, top, bottom = 50, 170, 16, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for points in series.values() for p in points if p for v in p]
    peak = min(1.0, math.ceil((max(values, default=0.1) or 0.1) * 10 + 1e-9) / 10)

    def x(i: int) -> float:
        return left + (plot_w * i / (len(runs) - 1) if len(runs) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / peak)

    parts = []
    for tick in range(0, 6):
        v = peak * tick / 5
        parts.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + plot_w}" y2="{y(v):.1f}" stroke="#eee"/>')
        parts.append(_label(left - 4, y(v) + 4, f"{v:.2f}"))
    for i, run in enumerate(runs):
        parts.append(_label(x(i), top + plot_h + 16, run, "middle"))
    for s, (label, points) in enumerate(series.items()):
        colour = PALETTE[s % len(PALETTE)]
        known = [(i, p) for i, p in enumerate(points) if p is not None]
        if not known:
            continue
        band = [f"{x(i):.1f},{y(p[2]):.1f}" for i, p in known]
        band += [f"{x(i):.1f},{y(p[1]):.1f}" for i, p in reversed(known)]
        parts.append(f'<polygon points="{" ".join(band)}" fill="{colour}" fill-opacity="0.12"/>')
        line = " ".join(f"{x(i):.1f},{y(p[0]):.1f}" for i, p in known)
        parts.append(
            f'<polyline class="series" data-series="{escape(label)}" points="{line}" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        for i, p in known:
            parts.append(
                f'<circle class="point" data-series="{escape(label)}" data-run="{escape(runs[i])}" '
                f'data-value="{p[0]}" cx="{x(i):.1f}" cy="{y(p[0]):.1f}" r="3.5" fill="{colour}"/>'
            )
        ly = top + 14 * s
        parts.append(f'<rect x="{left + plot_w + 12}" y="{ly}" width="10" height="10" fill="{colour}"/>')
        parts.append(_label(left + plot_w + 26, ly + 9, label, "start"))
    return _svg(width, height, "".join(parts), name)

"""Small inline SVG charts: the report opens anywhere, with no script and no network."""

from __future__ import annotations

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


def bars(
    name: str, items: list[tuple[str, list[float]]], legend: list[str], fmt: str = "{:.0f}", width: int = 640
) -> str:
    """Horizontal bars; one or more series per label (e.g. whole and fractional counts)."""
    series = len(legend)
    bar_h, gap = 12, 6
    row_h = series * bar_h + gap
    plot_w = width - LABEL_W - VALUE_W
    top = 18 if series > 1 else 4
    peak = max((v for _label_, values in items for v in values), default=0) or 1
    parts = []
    for s, title in enumerate(legend if series > 1 else []):
        x = LABEL_W + s * 130
        parts.append(f'<rect x="{x}" y="2" width="10" height="10" fill="{PALETTE[s]}"/>')
        parts.append(_label(x + 14, 11, title, "start"))
    for i, (label, values) in enumerate(items):
        y = top + i * row_h
        parts.append(_label(LABEL_W - 6, y + row_h / 2 + 1, label[:40]))
        for s, value in enumerate(values):
            w = max(plot_w * value / peak, 0.5)
            yy = y + s * bar_h
            parts.append(
                f'<rect class="bar" data-label="{escape(label)}" data-series="{s}" data-value="{value}" '
                f'x="{LABEL_W}" y="{yy}" width="{w:.1f}" height="{bar_h - 1}" fill="{PALETTE[s % 5]}"/>'
            )
            parts.append(_label(LABEL_W + w + 4, yy + bar_h - 2, fmt.format(value), "start"))
    return _svg(width, top + len(items) * row_h + 4, "".join(parts), name)


def heatmap(name: str, labels: list[str], value: dict[tuple[str, str], int], cell: int = 34) -> str:
    """A symmetric country-by-country matrix; darker is more papers."""
    left = top = 40
    peak = max(value.values(), default=0) or 1
    parts = []
    for i, a in enumerate(labels):
        parts.append(_label(left - 6, top + i * cell + cell / 2 + 4, a))
        parts.append(_label(left + i * cell + cell / 2, top - 8, a, "middle"))
        for j, b in enumerate(labels):
            n = value.get((min(a, b), max(a, b)), 0)
            shade = 0.08 + 0.92 * n / peak if n else 0.0
            parts.append(
                f'<rect class="cell" data-a="{escape(a)}" data-b="{escape(b)}" data-value="{n}" x="{left + j * cell}" '
                f'y="{top + i * cell}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="rgba(59,110,168,{shade:.2f})" stroke="#ccc"/>'
            )
            parts.append(_label(left + j * cell + cell / 2 - 1, top + i * cell + cell / 2 + 3, str(n), "middle"))
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

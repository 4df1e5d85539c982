"""report.html: one self-contained page with the run's headline numbers, each chart beside its table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pandas as pd

from . import svg
from .counting import Counts

TOP_COUNTRIES, TOP_INSTITUTIONS, MATRIX = 20, 25, 10

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}
section{display:grid;grid-template-columns:max-content 1fr;gap:1em 2em;align-items:start;
border-top:1px solid #ddd;padding:1em 0}
section>h2,section>.note,section>.metrics{grid-column:1/-1;margin:0}
table{border-collapse:collapse;font-size:12px}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}
td:first-child,th:first-child{text-align:left}.metrics{display:flex;flex-wrap:wrap;gap:1.5em}
.metric{font-size:13px}.metric b{display:block;font-size:24px}.note{color:#666;font-size:12px;flex-basis:100%}
"""


@dataclass(slots=True)
class ReportData:
    counts: Counts
    countries: pd.DataFrame
    institutions: pd.DataFrame
    flagged_rows: int
    reviewed_rows: int
    validation: pd.DataFrame | None  # shares.csv of `affil validate`, when there is one


def headline(data: ReportData) -> dict[str, float | int]:
    c = data.counts
    base = max(c.papers_with_country, 1)
    return {
        "papers": c.papers,
        "papers_with_country": c.papers_with_country,
        "countries": len(c.countries_whole),
        "institutions": len(c.institutions_whole),
        "us_cn_share": round(c.us_cn / base, 4),
        "us_share": round(c.countries_whole.get("US", 0) / base, 4),
        "cn_share": round(c.countries_whole.get("CN", 0) / base, 4),
        "industry_share": round((c.sectors["industry_only"] + c.sectors["both"]) / max(c.papers, 1), 4),
        "flagged_rows": data.flagged_rows,
        "reviewed_rows": data.reviewed_rows,
    }


def render(data: ReportData, title: str) -> str:
    numbers = headline(data)
    metrics = "".join(
        f'<div class="metric"><b data-metric="{k}">{_fmt(v)}</b>{escape(k.replace("_", " "))}</div>'
        for k, v in numbers.items()
    )
    sections = [
        f"<section><h2>Headline</h2><div class='metrics'>{metrics}</div>"
        f"<p class='note'>Shares are over the {numbers['papers_with_country']} papers with at least one known "
        f"country ({numbers['papers'] - numbers['papers_with_country']} papers have none).</p></section>",
        _countries(data.countries),
        _institutions(data.institutions),
        _sectors(data.counts),
        _us_cn(data.counts),
        _matrix(data.counts, data.countries),
    ]
    if data.validation is not None and len(data.validation):
        sections.append(_validation(data.validation))
    sections.append(_definitions())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1><p class='note'>affil report, {stamp}</p>"
        f"{''.join(sections)}</body></html>"
    )


def write_report(data: ReportData, path: Path, title: str) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(data, title), encoding="utf-8")
    tmp.replace(path)
    return path


def _fmt(value: float | int) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _table(name: str, frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td data-col="{escape(str(c))}">{escape(_fmt(v) if isinstance(v, float) else str(v))}</td>'
            for c, v in zip(frame.columns, row, strict=True)
        )
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f'<table data-table="{name}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _countries(countries: pd.DataFrame) -> str:
    top = countries.head(TOP_COUNTRIES)
    items = [(f"{r.country} {r.name}", [float(r.papers), float(r.papers_fractional)]) for r in top.itertuples()]
    chart = svg.bars("countries", items, ["whole", "fractional"], "{:.1f}")
    return f"<section><h2>Papers by country (top {TOP_COUNTRIES})</h2>{chart}{_table('countries', top)}</section>"


def _institutions(institutions: pd.DataFrame) -> str:
    top = institutions.head(TOP_INSTITUTIONS)
    items = [
        (f"{r.institution} ({r.country})", [float(r.papers), float(r.papers_fractional)]) for r in top.itertuples()
    ]
    chart = svg.bars("institutions", items, ["whole", "fractional"], "{:.1f}")
    table = _table("institutions", top[["institution", "country", "type", "papers", "papers_fractional"]])
    return f"<section><h2>Top {TOP_INSTITUTIONS} institutions</h2>{chart}{table}</section>"


def _sectors(counts: Counts) -> str:
    labels = {
        "academia_only": "academia only",
        "industry_only": "industry only",
        "both": "academia and industry",
        "neither": "neither (other or unknown)",
    }
    frame = pd.DataFrame(
        [(labels[k], counts.sectors[k], round(counts.sectors[k] / max(counts.papers, 1), 4)) for k in labels],
        columns=["papers with", "papers", "share"],
    )
    chart = svg.bars("sectors", [(r[0], [float(r[1])]) for r in frame.itertuples(index=False)], ["papers"])
    return f"<section><h2>Academia and industry</h2>{chart}{_table('sectors', frame)}</section>"


def _us_cn(counts: Counts) -> str:
    us, cn, both = counts.countries_whole.get("US", 0), counts.countries_whole.get("CN", 0), counts.us_cn
    base = max(counts.papers_with_country, 1)
    frame = pd.DataFrame(
        [
            ("US, no CN", us - both, round((us - both) / base, 4)),
            ("CN, no US", cn - both, round((cn - both) / base, 4)),
            ("US and CN", both, round(both / base, 4)),
        ],
        columns=["papers with", "papers", "share"],
    )
    chart = svg.bars("us_cn", [(r[0], [float(r[1])]) for r in frame.itertuples(index=False)], ["papers"])
    return f"<section><h2>US-China collaboration</h2>{chart}{_table('us_cn', frame)}</section>"


def _matrix(counts: Counts, countries: pd.DataFrame) -> str:
    labels = list(countries.head(MATRIX)["country"])
    chart = svg.heatmap("collaboration", labels, dict(counts.pairs))
    rows = [[a, *[counts.pairs.get((min(a, b), max(a, b)), 0) for b in labels]] for a in labels]
    table = _table("collaboration", pd.DataFrame(rows, columns=["country", *labels]))
    return (
        f"<section><h2>Collaboration between the top {len(labels)} countries</h2>{chart}{table}"
        "<p class='note'>Papers with institutions in both countries; the diagonal is the country's papers.</p>"
        "</section>"
    )


def _validation(shares: pd.DataFrame) -> str:
    items = [(r.share, float(r.difference), float(r.ci95_low), float(r.ci95_high)) for r in shares.itertuples()]
    chart = svg.error_bars("validation", items)
    return (
        f"<section><h2>How wrong the shares may be (run - gold, 95% bootstrap interval)</h2>{chart}"
        f"{_table('validation', shares)}</section>"
    )


def _definitions() -> str:
    return """<section><h2>Definitions</h2><p class='note'>
Whole counting: a paper counts once for every institution or country among its authors' affiliations.
Fractional counting: a paper is worth 1, split equally among its authors, and each author's share equally among
their affiliations. Academia: the registry (ROR) type is education; industry: company; other: facility, government,
nonprofit, healthcare and the rest; unknown: no registry record. Flagged rows carry a flag that asks for review and
have not been reviewed.</p></section>"""

"""report.html: one self-contained page with the run's headline numbers, each chart beside its table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pandas as pd

from . import svg
from .counting import Counts
from .questions import FLAGGED_GROUPS_SHOWN, Coverage, FlaggedGroup, Interval, PairPaper

TOP_COUNTRIES, TOP_INSTITUTIONS, MATRIX = 20, 25, 10

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}
section{display:grid;grid-template-columns:max-content 1fr;gap:1em 2em;align-items:start;
border-top:1px solid #ddd;padding:1em 0}
section>h2,section>.note,section>.metrics{grid-column:1/-1;margin:0}
table{border-collapse:collapse;font-size:12px}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}
td:first-child,th:first-child{text-align:left}.metrics{display:flex;flex-wrap:wrap;gap:1.5em}
.metric{font-size:13px}.metric b{display:block;font-size:24px}.note{color:#666;font-size:12px;flex-basis:100%}
.metric i{display:block;font-style:normal;font-size:11px;color:#666}
.wide{grid-column:1/-1;width:100%;table-layout:fixed}.papers td{text-align:left;vertical-align:top;word-break:normal;
overflow-wrap:anywhere}.papers img{max-width:100%;height:auto;border:1px solid #ccc}
table[data-table=pair_papers] col.n{width:3.5em}table[data-table=pair_papers] col.t{width:30%}
table[data-table=pair_papers] col.v{width:9%}table[data-table=pair_papers] col.i{width:20%}
section[data-section=uncertainty]>table{grid-column:1/-1}
.convention{background:#f6f6f0;border-left:3px solid #c9b458;padding:.4em .8em;
font-size:12px;grid-column:1/-1;margin:0}details{grid-column:1/-1}
"""
CONVENTIONS = (
    "Conventions that change these numbers: Hong Kong (HK), Macao (MO) and Taiwan (TW) are counted apart "
    "from mainland China (CN); a company lab is counted in the country of the site its affiliation prints "
    '("Microsoft Research Asia, Beijing" is CN) and, when no site is printed, at the company\'s '
    "headquarters (those rows are flagged country_from_hq); an institution's country is its registry "
    "record's. Repeats (same file bytes or same title) count once."
)


@dataclass(slots=True)
class ReportData:
    counts: Counts
    countries: pd.DataFrame
    institutions: pd.DataFrame
    flagged_rows: int
    reviewed_rows: int
    validation: pd.DataFrame | None  # shares.csv of `affil validate`, when there is one
    intervals: list[Interval] = field(default_factory=list)
    coverage: Coverage | None = None
    pair: tuple[str, str] = ("US", "CN")
    pair_papers: list[PairPaper] = field(default_factory=list)
    flagged_groups: list[FlaggedGroup] = field(default_factory=list)
    groups: pd.DataFrame | None = None  # per venue/year


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
    intervals = {i.share: i for i in data.intervals}
    metrics = "".join(
        f'<div class="metric"><b data-metric="{k}">{_fmt(v)}</b>{escape(k.replace("_", " "))}'
        + (f'<i data-interval="{k}">95% {intervals[k].low:.3f}-{intervals[k].high:.3f}</i>' if k in intervals else "")
        + "</div>"
        for k, v in numbers.items()
    )
    sections = [
        f"<section><h2>Headline</h2><div class='metrics'>{metrics}</div>"
        f"<p class='note'>Shares are over the {numbers['papers_with_country']} papers with at least one known "
        f"country ({numbers['papers'] - numbers['papers_with_country']} papers have none); the industry share is "
        f"over all {numbers['papers']} papers. Under each share: its 95% interval from resampling papers "
        f"(see Uncertainty).</p><p class='convention'>{escape(CONVENTIONS)}</p></section>",
    ]
    if data.coverage is not None:
        sections.append(_coverage(data.coverage))
    if data.intervals:
        sections.append(_uncertainty(data.intervals))
    sections += [
        _pair(data.pair, data.pair_papers, data.counts),
        _countries(data.countries),
        _institutions(data.institutions),
        _sectors(data.counts),
        _us_cn(data.counts),
        _matrix(data.counts, data.countries),
    ]
    if data.groups is not None and len(data.groups) > 1:
        sections.append(_groups(data.groups))
    sections.append(_flagged(data.flagged_groups, data.flagged_rows))
    if data.validation is not None and len(data.validation):
        sections.append(_validation(data.validation))
    sections.append(_definitions())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1><p class='note'>affil report, {stamp}</p>"
        f"{''.join(sections)}</body></html>"
    )


def write_headline(data: ReportData, path: Path) -> Path:
    """headline.csv: each headline share with its interval (what `affil compare` draws over runs)."""
    rows = [
        {"share": i.share, "value": i.value, "papers": i.papers, "base": i.base, "ci95_low": i.low,
         "ci95_high": i.high, "adjusted": i.adjusted[0] if i.adjusted else "",
         "adjusted_low": i.adjusted[1] if i.adjusted else "", "adjusted_high": i.adjusted[2] if i.adjusted else ""}
        for i in data.intervals
    ]  # fmt: skip
    tmp = path.with_name(path.name + ".tmp")
    pd.DataFrame(rows, columns=["share", "value", "papers", "base", "ci95_low", "ci95_high", "adjusted",
                                "adjusted_low", "adjusted_high"]).to_csv(tmp, index=False)  # fmt: skip
    tmp.replace(path)
    return path


def write_report(data: ReportData, path: Path, title: str) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(data, title), encoding="utf-8")
    tmp.replace(path)
    return path


def _fmt(value: float | int, column: str = "") -> str:
    """Whole counts print as integers (a count column read back as float, 12.0, prints 12)."""
    if isinstance(value, float):
        if value.is_integer() and not _is_share(column):
            return str(int(value))
        return f"{value:.3f}"
    return str(value)


def _is_share(column: str) -> bool:
    return any(word in column for word in ("share", "fraction", "ci95", "difference", "run", "gold", "low", "high"))


def _table(name: str, frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td data-col="{escape(str(c))}">{escape(_fmt(v, str(c)) if isinstance(v, float) else str(v))}</td>'
            for c, v in zip(frame.columns, row, strict=True)
        )
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f'<table data-table="{name}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _countries(countries: pd.DataFrame) -> str:
    top = countries.head(TOP_COUNTRIES)
    items = [(f"{r.country} {r.name}", [float(r.papers), float(r.papers_fractional)]) for r in top.itertuples()]
    chart = svg.bars("countries", items, ["whole", "fractional"], ["{:.0f}", "{:.1f}"])
    return f"<section><h2>Papers by country (top {TOP_COUNTRIES})</h2>{chart}{_table('countries', top)}</section>"


def _institutions(institutions: pd.DataFrame) -> str:
    top = institutions.head(TOP_INSTITUTIONS)
    items = [
        (f"{r.institution} ({r.country})", [float(r.papers), float(r.papers_fractional)]) for r in top.itertuples()
    ]
    chart = svg.bars("institutions", items, ["whole", "fractional"], ["{:.0f}", "{:.1f}"])
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
        "<p class='note'>Papers with institutions in both countries; the diagonal is the country's papers. "
        "The colour scale is logarithmic, so the pairs without the US stay readable.</p>"
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


def _coverage(c: Coverage) -> str:
    frame = pd.DataFrame(c.lines(), columns=["PDFs", "count"])
    listed = ""
    if c.listed:
        missing = ", ".join(f"{n} {status}" for status, n in sorted(c.not_downloaded.items())) or "none"
        listed = f" The listing named {c.listed} papers; not downloaded: {escape(missing)}."
    items = [(label, [float(n)]) for label, n in c.lines()[2:]]
    chart = svg.bars("coverage", items, ["PDFs"])
    return (
        f"<section data-section='coverage'><h2>Coverage: what happened to each PDF</h2>{chart}"
        f"{_table('coverage', frame)}<p class='note'>Every PDF is in exactly one line below 'read' or is "
        f"dropped: dropped, repeated, anonymized, no authors, no country and with a country add up to the "
        f"{c.found} PDFs found ({c.parts()}).{listed} Shares count only the papers with a country; the papers "
        f"count is those with authors.</p><p class='convention'>{escape(CONVENTIONS)}</p></section>"
    )


def _uncertainty(intervals: list[Interval]) -> str:
    has_adjusted = any(i.adjusted for i in intervals)
    rows = []
    for i in intervals:
        row = {"share": i.share, "papers": i.papers, "of papers": i.base, "value": i.value,
               "ci95_low": i.low, "ci95_high": i.high}  # fmt: skip
        if has_adjusted:
            row |= {"corrected share": i.adjusted[0] if i.adjusted else "",
                    "corrected ci95_low": i.adjusted[1] if i.adjusted else "",
                    "corrected ci95_high": i.adjusted[2] if i.adjusted else ""}  # fmt: skip
        rows.append(row)
    frame = pd.DataFrame(rows)
    items = [(i.share, i.value, i.low, i.high) for i in intervals]
    chart = svg.intervals("uncertainty", items)
    measured = (
        " With `affil validate` run, the corrected share is the run's share minus the error measured on the "
        "gold papers (run - gold, from validation/shares.csv), and its interval adds the resampling half-width "
        "and the half-width of the measured error in quadrature: [c - sqrt((p-lo)^2 + (dh-d)^2), "
        "c + sqrt((hi-p)^2 + (d-dl)^2)] for share p with interval [lo, hi], error d with interval [dl, dh], "
        "c = p - d. It carries the extraction's measured error rate, not only the sampling of papers."
        if has_adjusted
        else " Run `affil validate OUT_DIR --gold GOLD.csv` and publish again to add an interval that also "
        "carries the extraction's measured error rate."
    )
    return (
        f"<section data-section='uncertainty'><h2>Uncertainty of the headline shares</h2>{chart}"
        f"{_table('uncertainty', frame)}<p class='note'>95% interval from resampling papers: the papers are "
        f"drawn with replacement 2,000 times (seeded) and the interval is the 2.5th to 97.5th percentile of "
        f"the share over the draws. It says how much the share depends on which papers happen to be in the "
        f"set; it assumes every row is right.{escape(measured)}</p></section>"
    )


def _pair(pair: tuple[str, str], papers: list[PairPaper], counts: Counts) -> str:
    a, b = pair
    rows: list[str] = []
    for p in papers:
        by_country = "<br>".join(
            f"<strong>{escape(c)}</strong>: {escape('; '.join(names))}" for c, names in p.institutions.items()
        )
        repeat = f"<br><i>same as {escape(p.repeat_of)}, counted once</i>" if p.repeat_of else ""
        image = (
            f'<img class="crop" src="{p.crop}" width="{p.size[0]}" height="{p.size[1]}" loading="lazy" '
            f'alt="author block of {escape(p.file)}">'
            if p.crop
            else "<i>PDF not found: no crop</i>"
        )
        rows.append(
            f'<tr data-file="{escape(p.file)}"><td>{len(rows) + 1}</td><td><strong>{escape(p.title or "(no title)")}'
            f"</strong><br><small>{escape(p.file)}</small>{repeat}</td><td>{escape(p.group)}</td>"
            f"<td>{by_country}</td><td>{image}</td></tr>"
        )
    counted = sum(not p.repeat_of for p in papers)
    return (
        f"<section data-section='pair' class='papers'><h2>The {len(papers)} papers with both a {escape(a)} and a "
        f"{escape(b)} institution</h2><p class='note'>Each row: the title, the venue/year, the institutions by "
        f"country, and the author block as printed on page 1, each affiliation line boxed and labeled with its "
        f"authors' positions, so every paper can be checked. {counted} count in the numbers (repeats are listed "
        f"and marked). Choose the pair with <code>affil publish OUT_DIR --pair {escape(a)},{escape(b)}</code>.</p>"
        f"<p class='convention'>{escape(CONVENTIONS)}</p>"
        f"<table class='wide' data-table='pair_papers' data-pair='{escape(a)},{escape(b)}'><colgroup>"
        "<col class='n'><col class='t'><col class='v'><col class='i'><col></colgroup><thead><tr><th>#</th>"
        "<th>paper</th><th>venue/year</th><th>institutions by country</th><th>author block</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _groups(groups: pd.DataFrame) -> str:
    items = [(str(r[0]), [float(r[7])]) for r in groups.itertuples(index=False)]
    chart = svg.bars("by_group", items, ["US-CN share"], "{:.3f}")
    return (
        f"<section data-section='groups'><h2>By venue and year</h2>{chart}{_table('groups', groups)}"
        "<p class='note'>Venue/year is the listing's venue for fetched papers, else the top folder under the "
        "PDF folder. Shares as in the headline, within each venue/year.</p></section>"
    )


def _flagged(groups: list[FlaggedGroup], flagged_rows: int) -> str:
    shown = groups[:FLAGGED_GROUPS_SHOWN]
    rows = "".join(
        f"<tr><td>{escape(g.raw)}</td><td>{g.papers}</td><td>{g.rows}</td><td>{escape(', '.join(g.flags))}</td>"
        f"<td>{escape(g.now)}</td><td>{escape('; '.join(g.files[:3]))}{' ...' if len(g.files) > 3 else ''}</td></tr>"
        for g in shown
    )
    more = (
        f" The {len(groups) - len(shown)} smaller groups are in <code>affil review OUT_DIR --list</code>."
        if len(groups) > len(shown)
        else ""
    )
    return (
        f"<section data-section='flagged' class='papers'><h2>Flagged rows: {flagged_rows} rows in "
        f"{len(groups)} groups</h2><p class='note'>Grouped as <code>affil review</code> groups them: one group "
        f"per printed string (case, accents and punctuation ignored), most papers first; one decision settles "
        f"a group.{more}</p><details><summary>show the groups</summary><table class='wide' data-table='flagged'>"
        f"<thead><tr><th>raw affiliation</th><th>papers</th><th>rows</th><th>flags</th><th>now</th><th>files</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></details></section>"
    )

"""`affil compare RUN_A RUN_B [RUN_C ...]`: how shares and ranks moved between runs (e.g. years): the
first and last run side by side, and every headline share drawn over all the runs (trend chart)."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from . import svg
from .report import STYLE, _table

TOP = 20


class CompareError(ValueError):
    """A run folder without the published tables."""


def _read(run: Path, name: str) -> pd.DataFrame:
    path = run / name
    if not path.is_file():
        raise CompareError(f"{path} is missing; run `affil publish {run}` first")
    return pd.read_csv(path, dtype={"country": str, "ror_id": str}, keep_default_na=False)


def compare_countries(a: Path, b: Path) -> pd.DataFrame:
    left, right = _read(a, "countries.csv"), _read(b, "countries.csv")
    for frame in (left, right):
        frame["rank"] = frame["papers"].rank(ascending=False, method="min").astype(int)
    merged = left.merge(right, on="country", how="outer", suffixes=("_a", "_b"))
    merged["name"] = merged["name_b"].where(merged["name_b"].notna(), merged["name_a"])
    for column in ("papers", "share", "share_fractional"):
        merged[[f"{column}_a", f"{column}_b"]] = merged[[f"{column}_a", f"{column}_b"]].fillna(0)
    merged["share_change"] = (merged["share_b"] - merged["share_a"]).round(4)
    merged["share_fractional_change"] = (merged["share_fractional_b"] - merged["share_fractional_a"]).round(4)
    merged["rank_change"] = merged["rank_a"] - merged["rank_b"]  # positive: moved up
    columns = [
        "country",
        "name",
        "papers_a",
        "papers_b",
        "share_a",
        "share_b",
        "share_change",
        "share_fractional_change",
        "rank_a",
        "rank_b",
        "rank_change",
    ]
    out = merged[columns].sort_values(["papers_b", "papers_a"], ascending=False, ignore_index=True)
    return out.astype({"papers_a": int, "papers_b": int})


def compare_institutions(a: Path, b: Path) -> pd.DataFrame:
    left, right = _read(a, "institutions.csv"), _read(b, "institutions.csv")
    for frame in (left, right):
        frame["key"] = frame["ror_id"].where(frame["ror_id"] != "", "name:" + frame["institution"].str.lower())
        frame["rank"] = frame["papers"].rank(ascending=False, method="min").astype(int)
    merged = left.merge(right, on="key", how="outer", suffixes=("_a", "_b"))
    merged["institution"] = merged["institution_b"].where(merged["institution_b"].notna(), merged["institution_a"])
    merged[["papers_a", "papers_b"]] = merged[["papers_a", "papers_b"]].fillna(0).astype(int)
    merged["rank_change"] = merged["rank_a"] - merged["rank_b"]
    columns = ["institution", "papers_a", "papers_b", "rank_a", "rank_b", "rank_change"]
    return merged[columns].sort_values(["papers_b", "papers_a"], ascending=False, ignore_index=True)


TREND_SHARES = ("us_share", "cn_share", "us_cn_share", "industry_share")


def headline_of(run: Path) -> dict[str, tuple[float, float, float]]:
    """share -> (value, 95% low, 95% high) from the run's headline.csv (written by publish); a run
    published before it existed gets its shares from papers.csv, with no interval."""
    path = run / "headline.csv"
    if path.is_file():
        frame = pd.read_csv(path, keep_default_na=False)
        return {str(r.share): (float(r.value), float(r.ci95_low), float(r.ci95_high)) for r in frame.itertuples()}
    papers = run / "papers.csv"
    if not papers.is_file():
        return {}
    frame = pd.read_csv(papers, dtype=str, keep_default_na=False)
    frame = frame[(frame["status"] == "ok") & (frame["duplicate_of"] == "") & (frame["countries"] != "")]
    sets = [set(c.split(";")) for c in frame["countries"]]
    n = max(len(sets), 1)
    found = {
        "us_share": sum("US" in s for s in sets) / n,
        "cn_share": sum("CN" in s for s in sets) / n,
        "us_cn_share": sum({"US", "CN"} <= s for s in sets) / n,
    }
    return {k: (round(v, 4), round(v, 4), round(v, 4)) for k, v in found.items()}


def trend_frame(runs: list[Path]) -> pd.DataFrame:
    """One row per run and headline share: value and 95% interval."""
    rows = []
    for run in runs:
        for share, (value, low, high) in headline_of(run).items():
            if share in TREND_SHARES:
                rows.append({"run": run.name, "share": share, "value": value, "ci95_low": low, "ci95_high": high})
    return pd.DataFrame(rows, columns=["run", "share", "value", "ci95_low", "ci95_high"])


def trend_chart(runs: list[Path], trend: pd.DataFrame) -> str:
    names = [r.name for r in runs]
    series: dict[str, list[tuple[float, float, float] | None]] = {}
    for share in TREND_SHARES:
        rows = trend[trend["share"] == share].set_index("run")
        points = [
            (float(rows.loc[n, "value"]), float(rows.loc[n, "ci95_low"]), float(rows.loc[n, "ci95_high"]))
            if n in rows.index
            else None
            for n in names
        ]
        if any(points):
            series[share.replace("_", " ")] = points
    return svg.trend("trend", names, series)


def write_comparison(a: Path, b: Path, out: Path, runs: list[Path] | None = None) -> list[Path]:
    """``a`` and ``b``: the first and last run, compared side by side; ``runs``: every run, in
    order, for the trend chart (default the two)."""
    runs = runs or [a, b]
    for run in runs:
        if not run.is_dir():
            raise CompareError(f"{run} is not a run folder")
    countries, institutions = compare_countries(a, b), compare_institutions(a, b)
    out.mkdir(parents=True, exist_ok=True)
    countries.to_csv(out / "compare_countries.csv", index=False)
    institutions.to_csv(out / "compare_institutions.csv", index=False)
    trend = trend_frame(runs)
    trend.to_csv(out / "compare_trend.csv", index=False)
    trend_section = (
        f"<section data-section='trend'><h2>Headline shares over the {len(runs)} runs</h2>"
        f"{trend_chart(runs, trend)}{_table('trend', trend)}<p class='note'>Each line is a headline share "
        "of a run (from its headline.csv); the band is its 95% interval from resampling papers. Shares "
        "are over the papers with a known country; the industry share over all papers.</p></section>"
        if len(trend)
        else ""
    )
    top = countries.head(TOP)
    chart = svg.bars(
        "share_change",
        [(f"{r.country} {r.name}", [float(r.share_a), float(r.share_b)]) for r in top.itertuples()],
        [a.name, b.name],
        "{:.3f}",
    )
    heading = " vs ".join(r.name for r in runs) if len(runs) == 2 else " · ".join(r.name for r in runs)
    html = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>affil compare</title>"
        f"<style>{STYLE}</style></head><body><h1>{escape(heading)}</h1>{trend_section}"
        f"<section><h2>Share of papers by country: {escape(a.name)} vs {escape(b.name)}</h2>{chart}"
        f"{_table('compare_countries', top)}</section>"
        f"<section><h2>Institutions</h2>{_table('compare_institutions', institutions.head(25))}</section>"
        "</body></html>"
    )
    (out / "compare.html").write_text(html, encoding="utf-8")
    written = ["compare_countries.csv", "compare_institutions.csv", "compare_trend.csv", "compare.html"]
    return [out / name for name in written]

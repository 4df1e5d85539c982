"""`affil compare RUN_A RUN_B`: how shares and ranks moved between two runs (e.g. two years)."""

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


def write_comparison(a: Path, b: Path, out: Path) -> list[Path]:
    countries, institutions = compare_countries(a, b), compare_institutions(a, b)
    out.mkdir(parents=True, exist_ok=True)
    countries.to_csv(out / "compare_countries.csv", index=False)
    institutions.to_csv(out / "compare_institutions.csv", index=False)
    top = countries.head(TOP)
    chart = svg.bars(
        "share_change",
        [(f"{r.country} {r.name}", [float(r.share_a), float(r.share_b)]) for r in top.itertuples()],
        [a.name, b.name],
        "{:.3f}",
    )
    html = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>affil compare</title>"
        f"<style>{STYLE}</style></head><body><h1>{escape(a.name)} vs {escape(b.name)}</h1>"
        f"<section><h2>Share of papers by country</h2>{chart}{_table('compare_countries', top)}</section>"
        f"<section><h2>Institutions</h2>{_table('compare_institutions', institutions.head(25))}</section>"
        "</body></html>"
    )
    (out / "compare.html").write_text(html, encoding="utf-8")
    return [out / "compare_countries.csv", out / "compare_institutions.csv", out / "compare.html"]

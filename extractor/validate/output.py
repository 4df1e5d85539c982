"""Write a validation to OUT_DIR/validation/ (CSV + markdown) and print it."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from .scoring import ValidationScores

METRIC_HELP = {
    "author_recall": "gold authors the run found (name match)",
    "author_precision": "run authors that are gold authors",
    "institution_f1": "institutions per author, by ROR id, else by normalized name",
    "country_f1": "countries per author",
    "country_accuracy": "authors whose country set is exactly right",
    "country_accuracy_labeled": "the same, over gold authors with a country",
    "paper_country_set_match": "papers whose country set is exactly right",
    "paper_institution_jaccard": "mean overlap of each paper's institution sets",
    "us_cn_collab_accuracy": "papers where us_cn_collab agrees",
}


def write_report(report: ValidationScores, folder: Path) -> list[Path]:
    """metrics.csv, shares.csv, confusion.csv, disagreements.csv and summary.md in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = {
        "metrics.csv": pd.DataFrame(list(report.metrics().items()), columns=["metric", "value"]),
        "shares.csv": _shares_frame(report),
        "confusion.csv": pd.DataFrame(
            [(e, g, n) for (e, g), n in sorted(report.confusion.items())], columns=["expected", "got", "authors"]
        ),
        "disagreements.csv": pd.DataFrame(
            [asdict(d) for d in report.disagreements],
            columns=["file", "author_index", "author", "field", "expected", "got"],
        ),
    }
    written = []
    for name, frame in frames.items():
        path = folder / name
        frame.to_csv(path, index=False)
        written.append(path)
    summary = folder / "summary.md"
    summary.write_text(markdown(report), encoding="utf-8")
    return [*written, summary]


def _shares_frame(report: ValidationScores) -> pd.DataFrame:
    rows = [
        (s.name, s.got, s.expected, s.difference.estimate, s.difference.low, s.difference.high) for s in report.shares
    ]
    return pd.DataFrame(rows, columns=["share", "run", "gold", "difference", "ci95_low", "ci95_high"])


def markdown(report: ValidationScores) -> str:
    lines = [
        "# Validation",
        "",
        f"{report.papers} gold papers, {report.gold_authors} gold authors, {report.run_authors} run authors on them.",
        "",
        "| metric | value | meaning |",
        "|---|---|---|",
    ]
    for name, value in report.metrics().items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        lines.append(f"| {name} | {shown} | {METRIC_HELP.get(name, '')} |")
    lines += ["", "## Headline shares (run vs gold on the same papers)", ""]
    lines += ["| share | run | gold | run - gold | 95% CI |", "|---|---|---|---|---|"]
    for s in report.shares:
        d = s.difference
        lines.append(
            f"| {s.name} | {s.got:.3f} | {s.expected:.3f} | {d.estimate:+.3f} | [{d.low:+.3f}, {d.high:+.3f}] |"
        )
    lines += ["", "## Country confusion (authors; '' = none)", "", "| expected | got | authors |", "|---|---|---|"]
    lines += [f"| {e} | {g} | {n} |" for (e, g), n in sorted(report.confusion.items()) if e != g]
    if report.missing_papers:
        lines += ["", f"Gold papers missing from the run: {', '.join(report.missing_papers)}"]
    lines += ["", f"{len(report.disagreements)} disagreements are listed in disagreements.csv.", ""]
    return "\n".join(lines)


def print_report(report: ValidationScores, console: Console) -> None:
    table = Table(title=f"Validation on {report.papers} gold papers, {report.gold_authors} authors")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in report.metrics().items():
        table.add_row(name, f"{value:.3f}" if isinstance(value, float) else str(value))
    console.print(table)
    shares = Table(title="Headline shares: run vs gold, run - gold with 95% bootstrap CI")
    for column in ("share", "run", "gold", "run - gold", "95% CI"):
        shares.add_column(column, justify="left" if column == "share" else "right")
    for s in report.shares:
        d = s.difference
        shares.add_row(
            s.name, f"{s.got:.3f}", f"{s.expected:.3f}", f"{d.estimate:+.3f}", f"[{d.low:+.3f}, {d.high:+.3f}]"
        )
    console.print(shares)

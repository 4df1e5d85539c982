"""`affil review OUT_DIR`: settle flagged affiliations once; list, import and export decisions."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import error, say

if TYPE_CHECKING:
    from rich.console import Console

    from ..store import RunStore


def review_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "review",
        help="review flagged affiliations (interactive), or list/import/export decisions",
        description="Review flagged affiliations grouped by raw string, biggest group first: one decision "
        "settles every paper that prints the string and is re-applied on every later run. Keys: a accept, "
        "1-5 pick a registry candidate, s search the registry, t type 'Institution; CC' (then 1-5 takes a "
        "registry record, Enter keeps the text), o open the PDF, n not an institution, k skip, u undo, Esc back, "
        "q quit (resume any time). papers.csv/authors.csv are republished "
        "with source=review.",
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder of a finished `affil run`")
    parser.add_argument("--list", action="store_true", help="print the flagged groups instead of reviewing")
    parser.add_argument("--csv", action="store_true", help="with --list: CSV on stdout (fill 'action', import it)")
    parser.add_argument("--export", type=Path, metavar="FILE", help="write the decisions to an overrides.csv")
    parser.add_argument("--import", dest="import_file", type=Path, metavar="FILE", help="read an overrides.csv")
    parser.add_argument("--export-gold", type=Path, metavar="FILE", help="reviewed papers in the gold format")
    parser.add_argument("--reviewer", default=None, help="name stored with decisions (default: your login)")
    parser.add_argument(
        "--papers",
        action="store_true",
        help="review per paper what a string cannot settle: authors with no affiliation and papers with no author "
        "read (keys: up/down select an author, 1-9 give a printed line of the block, t type 'Institution; CC', "
        "n/p next/previous paper, u undo, q quit)",
    )


def cmd_review(args: argparse.Namespace, console: Console) -> int:
    from ..review import OverrideError, export_overrides, flagged_groups, read_overrides
    from ..store import RunStore

    store = RunStore.existing(args.out_dir)
    reviewer = args.reviewer or getpass.getuser()
    with store:
        if args.import_file:
            try:
                decisions = read_overrides(args.import_file, reviewer)
            except OverrideError as exc:
                error(console, str(exc))
                return 2
            for decision in decisions:
                store.save_decision(decision)
            say(console, f"imported {len(decisions)} decisions from {args.import_file}")
        if args.export:
            say(console, f"wrote {export_overrides(store.decisions(), args.export)} decisions to {args.export}")
        if args.list:
            _list(flagged_groups(store.normalized(), store.decisions()), args.csv, console)
        changed = bool(args.import_file)
        if args.papers:
            changed = bool(_interactive_papers(store, args.out_dir, reviewer, console))
        elif not (args.import_file or args.export or args.list or args.export_gold):
            changed = bool(_interactive(store, args.out_dir, reviewer, console))
        if changed and not _republish(store, args.out_dir, console):
            return 2
        if args.export_gold:
            say(console, f"wrote {_export_gold(args.out_dir, args.export_gold)} reviewed papers to {args.export_gold}")
    return 0


def _republish(store: RunStore, out_dir: Path, console: Console) -> bool:
    """Decisions are saved already; the tables wait when a run is writing them (it applies the
    decisions itself when it publishes)."""
    from ..lock import LockedError, OutDirLock
    from ..publish import publish_run

    try:
        with OutDirLock(out_dir):
            publish_run(store, out_dir)
    except LockedError as exc:
        error(console, f"decisions saved, tables not rewritten: {exc}")
        return False
    return True


def _interactive(store: RunStore, out_dir: Path, reviewer: str, console: Console) -> int | None:
    from ..registry.organizations import default_registry
    from ..review import flagged_groups
    from ..review.app import ReviewApp, locate_pdf

    groups = flagged_groups(store.normalized(), store.decisions())
    if not groups:
        console.print("nothing to review: no flagged rows without a decision")
        return None
    context, pdf_paths, pdf_dirs = {}, {}, store.pdf_dirs()
    for group in groups:
        for file in group.files[:2]:
            extracted = store.extracted(file)
            context[file] = extracted.block_text if extracted else ""
            if path := locate_pdf(file, pdf_dirs, out_dir):
                pdf_paths[file] = path
    made = ReviewApp(store, default_registry(), groups, reviewer, context, pdf_paths).run() or 0
    say(console, f"{made} decisions made; {len(store.decisions())} in total; outputs republished")
    return made


def _interactive_papers(store: RunStore, out_dir: Path, reviewer: str, console: Console) -> int | None:
    from ..decisions import apply_author_decisions
    from ..normalize import RuleMatcher
    from ..publish.evidence import cached_crop, evidence_of, locate_pdf
    from ..review.papers import PaperReviewApp, paper_cases

    decided, dirs = store.author_decisions(), store.pdf_dirs()

    def crop(file: str) -> str:  # the author block with each affiliation line boxed, OUT_DIR/crops/
        extracted = store.extracted(file)
        pdf = locate_pdf(file, dirs, out_dir)
        found = cached_crop(pdf, extracted.paper_id, evidence_of(extracted), out_dir) if extracted else None
        return str(found.resolve()) if found else ""

    cases = paper_cases(apply_author_decisions(store.normalized(), decided), store.extracted, decided, crop)
    if not cases:
        console.print("nothing to review per paper: every author read has an affiliation")
        return None
    matcher = RuleMatcher()
    made = PaperReviewApp(store, cases, reviewer, matcher.match).run() or 0
    say(console, f"{made} per-paper decisions made; {len(store.author_decisions())} in total; outputs republished")
    return made


def _list(groups: list, as_csv: bool, console: Console) -> None:
    import pandas as pd
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if as_csv:
        rows = [
            {"raw_affiliation": g.raw, "papers": g.papers, "rows": g.rows, "flags": ";".join(g.flags),
             "institution": g.institution, "ror_id": g.ror_id, "country": g.country, "action": ""}
            for g in groups
        ]  # fmt: skip
        columns = ["raw_affiliation", "papers", "rows", "flags", "institution", "ror_id", "country", "action"]
        pd.DataFrame(rows, columns=columns).to_csv(sys.stdout, index=False)
        return
    table = Table(title=f"{len(groups)} flagged groups, {len({f for g in groups for f in g.files})} papers")
    for column in ("#", "papers", "rows", "raw affiliation", "now", "flags"):
        table.add_column(column, overflow="fold")
    for n, g in enumerate(groups, start=1):
        now = " · ".join(p for p in (g.institution, g.ror_id, g.country) if p)
        table.add_row(str(n), str(g.papers), str(g.rows), Text(g.raw), Text(now), ", ".join(g.flags))  # printed text
    Console().print(table)


def _export_gold(out_dir: Path, path: Path) -> int:
    import pandas as pd

    from ..validate.gold import GOLD_COLUMNS

    authors = pd.read_csv(out_dir / "authors.csv", dtype=str, keep_default_na=False)
    reviewed = set(authors.loc[authors["source"] == "review", "file"])
    authors[authors["file"].isin(reviewed)][GOLD_COLUMNS].to_csv(path, index=False)
    return len(reviewed)

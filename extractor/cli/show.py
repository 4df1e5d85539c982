"""`affil show OUT_DIR PAPER`: a paper's rows beside its author block as printed, and a boxed crop."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import error, say

if TYPE_CHECKING:
    from rich.console import Console

    from ..store import RunStore


def show_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "show",
        help="print a paper's rows beside its author block; --png writes the block with each line boxed",
        description="Print the rows of one paper (as authors.csv publishes them, review decisions applied) beside "
        "its author block as printed on page 1, with the page and box (x0,y0,x1,y1 in PDF points) each "
        "affiliation came from. PAPER is the file (as papers.csv names it, or a path to the PDF) or its "
        "paper_id (or a prefix of it).",
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder of an `affil run`")
    parser.add_argument("paper", metavar="PAPER", help="file or paper_id")
    parser.add_argument("--png", type=Path, metavar="FILE", help="write a crop of the author block, lines boxed")


def resolve_paper(store: RunStore, paper: str) -> str | None:
    """The stored file a PAPER argument names: the file itself, a path ending with it, or a paper id."""
    rows = store.db.execute("SELECT file, paper_id FROM papers").fetchall()
    files = {f for f, _i in rows}
    if paper in files:
        return paper
    given = Path(paper).as_posix()
    by_path = [f for f in files if given.endswith("/" + f) or Path(f).name == given]
    if len(by_path) == 1:
        return by_path[0]
    by_id = [f for f, i in rows if paper and i.startswith(paper.lower())]
    return by_id[0] if len(by_id) == 1 else None


def cmd_show(args: argparse.Namespace, console: Console) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..decisions import apply_author_decisions, apply_decisions
    from ..publish.evidence import evidence_of, locate_pdf, render_crop
    from ..publish.tables import author_rows
    from ..store import RunStore

    with RunStore.existing(args.out_dir) as store:
        file = resolve_paper(store, args.paper)
        if file is None:
            error(console, f"{args.out_dir} has no paper {args.paper!r} (give its file or paper_id)")
            return 2
        extracted = store.extracted(file)
        papers = list(store.normalized({file}))
        papers = list(apply_decisions(apply_author_decisions(papers, store.author_decisions()), store.decisions()))
        pdf = locate_pdf(file, store.pdf_dirs(), args.out_dir)
    evidence = evidence_of(extracted) if extracted else None
    paper = papers[0] if papers else None
    out = Console(soft_wrap=False)
    out.print(Text(f"{file}  paper_id {paper.paper_id if paper else ''}"), style="bold")
    out.print(Text(f"title: {paper.title if paper else ''}"))
    out.print(Text(f"status: {paper.status.value if paper else '?'}   PDF: {pdf or '(not found)'}, page 1"))
    rows = author_rows(paper, evidence) if paper else []
    table = Table(show_lines=False, expand=True)
    table.add_column("author block as printed (page 1)", ratio=1, overflow="fold")
    table.add_column("rows (authors.csv)", ratio=1, overflow="fold")
    listing = []
    for r in rows:
        answer = " · ".join(p for p in (r["institution"], r["ror_id"], r["country"]) if p) or "(nothing)"
        where = f"page {r['page']}, bbox {r['bbox']}" if r["bbox"] else "no printed line (e-mail, listing or none)"
        flags = f" [{r['flags']}]" if r["flags"] else ""
        listing.append(
            f"{r['author_index']}.{r['affiliation_index']} {r['author'] or '(no author)'}\n"
            f"   {r['raw_affiliation'] or '-'}\n   -> {answer} ({r['source']}){flags}\n   {where}"
        )
    table.add_row(Text(evidence.block_text if evidence else "(no extraction stored)"), Text("\n".join(listing)))
    out.print(table)
    if args.png:
        if pdf is None or evidence is None:
            error(console, f"cannot draw {file}: the PDF is no longer where the run read it")
            return 1
        if render_crop(pdf, evidence, args.png, zoom=2.0) is None:
            error(console, f"cannot draw {file}: no author block located on page 1")
            return 1
        say(console, f"wrote {args.png}")
    return 0

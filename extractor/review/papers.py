"""The per-paper review: what a raw string cannot settle. An author read with no affiliation (or a
paper with no author read) gets a screen with its author block as printed, the path of a crop of
it, and its authors with their rows; a key gives the selected author a printed line of the block or
a typed institution. Decisions are stored per (file, author) and re-applied on every publish."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from ..flags import Flag
from ..records import AffiliationMatch, AuthorDecision, ExtractedPaper, NormalizedPaper, PaperStatus
from ..store import RunStore
from .inputs import digit_bindings, read_typed

Matcher = Callable[[str], AffiliationMatch]


@dataclass(slots=True)
class PaperCase:
    """One paper to review: its authors (index, name, current answer) and the printed lines."""

    file: str
    title: str
    block_text: str
    crop: str  # path of the author-block crop ('' when the PDF is gone)
    authors: list[list[str]] = field(default_factory=list)  # [index, name, answer]
    needs: list[int] = field(default_factory=list)  # author indices with no affiliation
    lines: list[str] = field(default_factory=list)  # printed lines of the block, in order
    no_authors: bool = False  # no author was read: the reviewer adds them


def paper_cases(
    papers: Iterable[NormalizedPaper],
    extracted: Callable[[str], ExtractedPaper | None],
    decided: dict[tuple[str, int], AuthorDecision],
    crops: Callable[[str], str] = lambda _file: "",
) -> list[PaperCase]:
    """Papers with an author that has no affiliation (and no decision), or with no author read
    (anonymized submissions are left out: they have none on purpose)."""
    cases = []
    for paper in papers:
        if paper.status != PaperStatus.OK or Flag.ANONYMOUS_SUBMISSION in paper.flags or paper.duplicate_of:
            continue
        authors: dict[int, list[str]] = {}
        needs = []
        for row in paper.rows:
            answer = " · ".join(p for p in (row.match.institution, row.match.country) if p)
            entry = authors.setdefault(row.author_index, [str(row.author_index), row.author, ""])
            entry[2] = "; ".join(p for p in (entry[2], answer) if p)
            if row.affiliation_index == 0 and row.author and (paper.file, row.author_index) not in decided:
                needs.append(row.author_index)
        no_authors = not any(row.author for row in paper.rows)
        if no_authors and any(f == paper.file for f, _i in decided):
            continue
        if not needs and not no_authors:
            continue
        found = extracted(paper.file)
        lines = [text for text, _box in found.block_lines] if found else []
        cases.append(
            PaperCase(
                file=paper.file,
                title=paper.title,
                block_text=found.block_text if found else "",
                crop=crops(paper.file),
                authors=[] if no_authors else [authors[i] for i in sorted(authors)],
                needs=needs,
                lines=lines,
                no_authors=no_authors,
            )
        )
    return cases


def typed_match(text: str, matcher: Matcher) -> AffiliationMatch:
    """'Institution; CC' -> the matcher's reading of the name, the typed country winning; the text as
    typed when the registry has nothing for it."""
    name, _place, country = read_typed(text)
    found = matcher(name)
    if found.institution:
        return found.model_copy(update={"country": country or found.country, "confidence": 1.0, "flags": []})
    return AffiliationMatch(affiliation=name, institution=name, country=country, confidence=1.0)


class PaperReviewApp(App[int]):
    """Keys: up/down select an author, 1-9 give the selected author printed line N of the block,
    t type 'Institution; CC' for the selected author (a paper with no author read: 'Name | Institution;
    CC' adds one), n next paper, p previous, u undo, q quit (decisions are saved as they are made)."""

    TITLE = "affil review: papers"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    #status, #crop { color: $text-muted; max-height: 2; }
    #block { height: auto; max-height: 8; }
    #lines { height: auto; max-height: 9; }
    #authors { height: auto; max-height: 8; }
    Input { display: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *digit_bindings("line", "line", 9),
        Binding("t", "type", "type"),
        Binding("n", "move(1)", "next"),
        Binding("p", "move(-1)", "prev"),
        Binding("u", "undo", "undo"),
        Binding("q", "quit_review", "quit"),
        Binding("escape", "cancel", "back", show=False),
    ]

    def __init__(self, store: RunStore, cases: list[PaperCase], reviewer: str, matcher: Matcher) -> None:
        super().__init__()
        self.store, self.cases, self.reviewer, self.matcher = store, cases, reviewer, matcher
        self.index = 0
        self.history: list[tuple[int, AuthorDecision]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="status", markup=False)
            yield Static(id="crop", markup=False)
            yield Static(id="block", markup=False)
            yield Static(id="lines", markup=False)
            yield DataTable(id="authors", cursor_type="row")
            yield Input(id="entry")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", width=3)
        table.add_column("author", width=26)
        table.add_column("affiliation now", width=40)
        self.show()

    @property
    def case(self) -> PaperCase | None:
        return self.cases[self.index] if 0 <= self.index < len(self.cases) else None

    def show(self) -> None:
        case = self.case
        status, crop, block, lines = (self.query_one(f"#{n}", Static) for n in ("status", "crop", "block", "lines"))
        table = self.query_one(DataTable)
        table.clear()
        if case is None:
            status.update(f"All {len(self.cases)} papers seen. {len(self.history)} decisions made.")
            for widget in (crop, block, lines):
                widget.update("")
            return
        need = "no author read: t adds one ('Name | Institution; CC')" if case.no_authors else (
            f"authors with no affiliation: {', '.join(map(str, case.needs))}")  # fmt: skip
        status.update(f"paper {self.index + 1}/{len(self.cases)} · {case.file} · {case.title} · {need}")
        crop.update(f"crop: {case.crop or '(PDF not found)'}")
        block.update(case.block_text or "(no author block stored)")
        lines.update("\n".join(f"{n}  {text}" for n, text in enumerate(case.lines[:9], start=1)))
        for index, name, answer in case.authors:
            mark = "*" if int(index) in case.needs else ""
            table.add_row(f"{index}{mark}", Text(name), Text(answer or "(no affiliation)"))
        if case.needs:
            first = next(i for i, a in enumerate(case.authors) if int(a[0]) in case.needs)
            table.move_cursor(row=first)
        table.focus()

    def _selected(self) -> list[str] | None:
        case = self.case
        if case is None or not case.authors:
            return None
        return case.authors[self.query_one(DataTable).cursor_row]

    def _decide(self, author_index: int, author: str, match: AffiliationMatch, from_line: bool) -> None:
        case = self.case
        assert case is not None
        decision = AuthorDecision(file=case.file, author_index=author_index, author=author, match=match,
                                  from_line=from_line, reviewer=self.reviewer)  # fmt: skip
        self.history.append((self.index, self.store.save_author_decision(decision)))
        answer = " · ".join(p for p in (match.institution, match.country) if p) or match.affiliation
        for entry in case.authors:
            if int(entry[0]) == author_index:
                entry[2] = f"{answer} (review)"
        if not any(int(a[0]) == author_index for a in case.authors):
            case.authors.append([str(author_index), author, f"{answer} (review)"])
        if author_index in case.needs:
            case.needs.remove(author_index)
        self.notify(f"author {author_index}: {answer}", markup=False)
        self.show()

    def action_line(self, number: int) -> None:
        case, author = self.case, self._selected()
        if case is None or author is None:
            self.notify("select an author first (a paper with no author read: t adds one)", severity="warning")
            return
        if not 1 <= number <= len(case.lines):
            self.notify(f"no printed line {number}", severity="warning")
            return
        line = case.lines[number - 1]
        match = self.matcher(line).model_copy(update={"affiliation": line})
        self._decide(int(author[0]), author[1], match, True)

    def action_type(self) -> None:
        if self.case is None:
            return
        entry = self.query_one(Input)
        entry.placeholder = "Name | Institution; CC" if self.case.no_authors else "Institution; CC (e.g. Acme Lab; DE)"
        entry.value = ""
        entry.display = True
        entry.focus()

    def action_cancel(self) -> None:
        self.query_one(Input).display = False
        self.query_one(DataTable).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_cancel()
        text, case = event.value.strip(), self.case
        if not text or case is None:
            return
        if case.no_authors:
            name, _, rest = text.partition("|")
            if not name.strip() or not rest.strip():
                self.notify("type 'Name | Institution; CC'", severity="error")
                return
            index = max((int(a[0]) for a in case.authors), default=0) + 1
            self._decide(index, name.strip(), typed_match(rest, self.matcher), False)
            return
        author = self._selected()
        if author is not None:
            self._decide(int(author[0]), author[1], typed_match(text, self.matcher), False)

    def action_move(self, step: int) -> None:
        self.index = min(max(self.index + step, 0), len(self.cases))
        self.show()

    def action_undo(self) -> None:
        if not self.history:
            self.notify("nothing to undo", severity="warning")
            return
        index, decision = self.history.pop()
        self.store.delete_author_decision(decision.file, decision.author_index)
        self.index = index
        case = self.cases[index]
        if not case.no_authors:
            case.needs.append(decision.author_index)
            for entry in case.authors:
                if int(entry[0]) == decision.author_index:
                    entry[2] = ""
        else:
            case.authors = [a for a in case.authors if int(a[0]) != decision.author_index]
        self.show()

    def action_quit_review(self) -> None:
        self.exit(len(self.history))

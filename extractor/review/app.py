"""The interactive review: one group of identical raw affiliations at a time, biggest first."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from shutil import which
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.notifications import SeverityLevel
from textual.widgets import DataTable, Footer, Header, Input, Static

from ..records import Decision, ReviewAction
from ..registry.organizations import Organization, Registry
from ..store import RunStore
from .groups import ReviewGroup, candidates
from .inputs import digit_bindings, read_typed


@dataclass(slots=True)
class Done:
    index: int
    key: str


OPENERS = ("xdg-open", "open")  # the desktop's default PDF viewer: Linux/BSD, macOS


def pdf_opener() -> str | None:
    """The command that opens a file in the desktop's viewer, when this system has one."""
    return next((found for name in OPENERS if (found := which(name))), None)


def locate_pdf(file: str, pdf_dirs: list[str], out_dir: Path | None = None) -> Path | None:
    """Where a paper's PDF is now: under a PDF folder of the run store's runs (newest first), else
    under OUT_DIR/pdfs (fetched papers); None when it has moved."""
    folders = [Path(d) for d in pdf_dirs] + ([out_dir / "pdfs"] if out_dir else [])
    return next(((f / file).resolve() for f in folders if (f / file).is_file()), None)


class ReviewApp(App[int]):
    """Keys: a accept, 1-5 pick a candidate, s search the registry, t type an answer (looked up in
    the registry: 1-5 take a record, Enter keeps the typed text), o open the PDF, n not an
    institution, k skip, u undo, Esc close the box or go back to the group's candidates, q quit
    (decisions are saved as they are made)."""

    TITLE = "affil review"
    ENABLE_COMMAND_PALETTE = False  # its footer key would push ours off an 80-column terminal
    CSS = """
    #raw { text-style: bold; max-height: 3; }
    #status, #answer, #where, #hint { color: $text-muted; max-height: 2; }
    #hint { color: $warning; }
    #context { height: 1fr; min-height: 1; }
    #candidates { height: auto; max-height: 7; }
    Input { display: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "accept"),
        *digit_bindings("pick", "pick", 5),
        Binding("s", "ask('search')", "find"),
        Binding("t", "ask('type')", "type"),
        Binding("o", "open_pdf", "PDF"),
        Binding("n", "not_institution", "not inst"),
        Binding("k", "skip", "skip"),
        Binding("u", "undo", "undo"),
        Binding("q", "quit_review", "quit"),
        Binding("escape", "cancel", "back", show=False),
        Binding("enter", "keep_typed", "keep typed", show=False, priority=True),  # only while one waits
    ]

    def __init__(
        self,
        store: RunStore,
        registry: Registry,
        groups: list[ReviewGroup],
        reviewer: str,
        context: dict[str, str],
        pdf_paths: dict[str, Path] | None = None,
    ) -> None:
        super().__init__()
        self.store, self.registry, self.groups, self.reviewer = store, registry, groups, reviewer
        self.context = context  # file -> author block as printed
        self.pdf_paths = pdf_paths or {}  # file -> where the PDF is now
        self.index = 0
        self.history: list[Done] = []
        self.shown: list[Organization] = []
        self.mode = ""
        self.typed: tuple[str, str] | None = None  # (name, country) waiting for a pick or Enter
        self.last_note = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="status", markup=False)  # printed text and names: shown as they are, never as markup
            yield Static(id="raw", markup=False)
            yield Static(id="answer", markup=False)
            yield Static(id="where", markup=False)
            yield Static(id="context", markup=False)
            yield Static(id="hint")
            yield DataTable(id="candidates", cursor_type="row")
            yield Input(id="entry")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", width=1)
        table.add_column("institution", width=40)
        table.add_columns("ROR id", "country", "type")
        self.show()

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        self.last_note = message
        self.notify(message, severity=severity, markup=False)

    @property
    def group(self) -> ReviewGroup | None:
        return self.groups[self.index] if self.index < len(self.groups) else None

    def show(self) -> None:
        group = self.group
        status, raw, answer, where, context = (self.query_one(f"#{name}", Static)
                                               for name in ("status", "raw", "answer", "where", "context"))  # fmt: skip
        self.typed = None
        self._hint("")
        if group is None:
            status.update(f"All {len(self.groups)} groups reviewed or skipped. {len(self.history)} decisions made.")
            for widget in (raw, answer, where, context):
                widget.update("")
            self._fill([])
            return
        status.update(
            f"group {self.index + 1}/{len(self.groups)} · {group.papers} papers · {group.rows} rows · "
            f"authors: {', '.join(group.authors)}"
        )
        raw.update(group.raw)
        now = " · ".join(p for p in (group.institution, group.ror_id, group.country) if p) or "(nothing)"
        answer.update(f"now: {now}   flags: {', '.join(group.flags)}")
        first = group.files[0] if group.files else ""
        path = self.pdf_paths.get(first)
        more = f" (+{group.papers - 1} more)" if group.papers > 1 else ""
        where.update(f"{path or first}{more}, page 1" + ("" if path else " (PDF not found)") + " · o opens it")
        blocks = [self.context.get(f, "") for f in group.files[:2]]
        context.update("\n---\n".join("\n".join(b.splitlines()[:6]) for b in blocks if b))
        self._fill(candidates(self.registry, group.raw))

    def _fill(self, orgs: list[Organization]) -> None:
        self.shown = orgs
        table = self.query_one(DataTable)
        table.clear()
        for n, org in enumerate(orgs, start=1):
            table.add_row(str(n), Text(org.name), org.ror_id, org.country, ",".join(org.types))

    # -- decisions ----------------------------------------------------------------------

    def decide(self, action: ReviewAction, institution: str = "", ror_id: str = "", country: str = "") -> None:
        group = self.group
        if group is None:
            return
        if action == ReviewAction.ACCEPT:
            institution, ror_id, country = group.institution, group.ror_id, group.country
        decision = Decision(key=group.key, raw_affiliation=group.raw, action=action, institution=institution,
                            ror_id=ror_id, country=country, reviewer=self.reviewer)  # fmt: skip
        self.store.save_decision(decision)
        self.history.append(Done(self.index, group.key))
        self.index += 1
        self.show()

    def action_accept(self) -> None:
        self.decide(ReviewAction.ACCEPT)

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.shown):
            org = self.shown[number - 1]
            typed_country = self.typed[1] if self.typed else ""  # a country typed with the name wins
            self.decide(ReviewAction.PICK, org.name, org.ror_id, typed_country or org.country)
        else:
            self.say(f"no candidate {number}", severity="warning")

    def action_not_institution(self) -> None:
        self.decide(ReviewAction.NOT_INSTITUTION)

    def action_skip(self) -> None:
        if self.group is not None:
            self.index += 1
            self.show()

    def action_undo(self) -> None:
        if not self.history:
            self.say("nothing to undo", severity="warning")
            return
        last = self.history.pop()
        self.store.delete_decision(last.key)
        self.index = last.index
        self.show()

    def action_quit_review(self) -> None:
        self.exit(len(self.history))

    def action_open_pdf(self) -> None:
        group = self.group
        if group is None or not group.files:
            return
        path = self.pdf_paths.get(group.files[0])
        if path is None:
            self.say(f"{group.files[0]}: the PDF is no longer where the run read it", severity="warning")
            return
        opener = pdf_opener()
        if opener is None:
            self.say(f"no PDF opener ({' or '.join(OPENERS)}) here; the file is {path}, page 1", severity="warning")
            return
        subprocess.Popen([opener, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        self.say(f"opened {path} (page 1)")

    # -- search and typed answers ------------------------------------------------------------

    def action_ask(self, mode: str) -> None:
        entry = self.query_one(Input)
        entry.placeholder = (
            "search the registry" if mode == "search" else "Institution name; country code (e.g. Acme Lab; DE)"
        )
        entry.value = ""
        entry.display = True
        self.mode = mode
        self._hint(
            "search the registry: Enter searches, Esc closes"
            if mode == "search"
            else "type 'Institution; CC': Enter looks it up in the registry, Esc closes"
        )
        entry.focus()

    def _hint(self, text: str) -> None:
        self.query_one("#hint", Static).update(text)

    def _close_entry(self) -> None:
        self.query_one(Input).display = False
        self._hint("")
        self.mode = ""
        self.query_one(DataTable).focus()

    def action_cancel(self) -> None:
        """Esc: close the search/type box; else drop a typed answer or search results and show the
        group's own candidates again."""
        if self.query_one(Input).display:
            self._close_entry()
        elif self.typed is not None or self.group is not None:
            self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "keep_typed":  # else Enter belongs to the focused widget (the box, the table)
            return self.typed is not None and not self.query_one(Input).display
        return True

    def action_keep_typed(self) -> None:
        if self.typed is not None:
            name, country = self.typed
            self.decide(ReviewAction.MANUAL, name, "", country)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        mode = self.mode
        self._close_entry()
        text = event.value.strip()
        if not text:
            return
        if mode == "search":
            self._fill(candidates(self.registry, text))
            self._hint(f"registry records for {text!r}: 1-{len(self.shown)} picks, Esc goes back")
            return
        name, place, country = read_typed(text)
        if place and not country:
            self.say(f"unknown country {place!r}", severity="error")
            return
        found = candidates(self.registry, name)
        if not found:
            self.decide(ReviewAction.MANUAL, name, "", country)
            return
        self._fill(found)  # the registry's closest records to the typed name: one of them, or the text
        self.typed = (name, country)
        self._hint(
            f"typed {name!r}{'; ' + country if country else ''}: 1-{len(found)} takes a registry record, "
            "Enter keeps your text, Esc goes back"
        )

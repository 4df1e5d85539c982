"""The interactive review: one group of identical raw affiliations at a time, biggest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from ..records import Decision, ReviewAction
from ..registry.countries import country_of_segment, is_country_code
from ..registry.organizations import Organization, Registry
from ..store import RunStore
from .groups import ReviewGroup, candidates


@dataclass(slots=True)
class Done:
    index: int
    key: str


class ReviewApp(App[int]):
    """Keys: a accept, 1-5 pick a candidate, s search the registry, t type an answer, n not an
    institution, k skip, u undo, q quit (decisions are saved as they are made)."""

    TITLE = "affil review"
    CSS = "#raw { text-style: bold; } #status, #answer { color: $text-muted; } Input { display: none; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "accept"),
        *[Binding(str(n), f"pick({n})", f"pick {n}", show=n == 1) for n in range(1, 6)],
        Binding("s", "ask('search')", "search registry"),
        Binding("t", "ask('type')", "type answer"),
        Binding("n", "not_institution", "not an institution"),
        Binding("k", "skip", "skip"),
        Binding("u", "undo", "undo"),
        Binding("q", "quit_review", "quit"),
    ]

    def __init__(
        self, store: RunStore, registry: Registry, groups: list[ReviewGroup], reviewer: str, context: dict[str, str]
    ) -> None:
        super().__init__()
        self.store, self.registry, self.groups, self.reviewer = store, registry, groups, reviewer
        self.context = context  # file -> author block as printed
        self.index = 0
        self.history: list[Done] = []
        self.shown: list[Organization] = []
        self.mode = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="status", markup=False)  # printed text and names: shown as they are, never as markup
            yield Static(id="raw", markup=False)
            yield Static(id="answer", markup=False)
            yield Static(id="context", markup=False)
            yield DataTable(id="candidates", cursor_type="row")
            yield Input(id="entry")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "institution", "ROR id", "country", "type")
        self.show()

    @property
    def group(self) -> ReviewGroup | None:
        return self.groups[self.index] if self.index < len(self.groups) else None

    def show(self) -> None:
        group = self.group
        status, raw, answer, context = self.query_one("#status", Static), self.query_one("#raw", Static), \
            self.query_one("#answer", Static), self.query_one("#context", Static)  # fmt: skip
        if group is None:
            status.update(f"All {len(self.groups)} groups reviewed or skipped. {len(self.history)} decisions made.")
            for widget in (raw, answer, context):
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
            self.decide(ReviewAction.PICK, org.name, org.ror_id, org.country)
        else:
            self.notify(f"no candidate {number}", severity="warning")

    def action_not_institution(self) -> None:
        self.decide(ReviewAction.NOT_INSTITUTION)

    def action_skip(self) -> None:
        if self.group is not None:
            self.index += 1
            self.show()

    def action_undo(self) -> None:
        if not self.history:
            self.notify("nothing to undo", severity="warning")
            return
        last = self.history.pop()
        self.store.delete_decision(last.key)
        self.index = last.index
        self.show()

    def action_quit_review(self) -> None:
        self.exit(len(self.history))

    # -- search and typed answers ------------------------------------------------------------

    def action_ask(self, mode: str) -> None:
        entry = self.query_one(Input)
        entry.placeholder = (
            "search the registry" if mode == "search" else "Institution name; country code (e.g. Acme Lab; DE)"
        )
        entry.value = ""
        entry.display = True
        self.mode = mode
        entry.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        entry = self.query_one(Input)
        entry.display = False
        text = event.value.strip()
        mode, self.mode = self.mode, ""
        self.query_one(DataTable).focus()
        if not text:
            return
        if mode == "search":
            self._fill(candidates(self.registry, text))
            return
        name, _, place = text.partition(";")
        code = place.strip().upper()
        country = code if is_country_code(code) else country_of_segment(place.strip())
        if place.strip() and not country:
            self.notify(f"unknown country {place.strip()!r}", severity="error", markup=False)
            return
        self.decide(ReviewAction.MANUAL, name.strip(), "", country)

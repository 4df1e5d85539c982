"""The review loop driven end to end through Textual's pilot; decisions persist and re-apply."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pandas as pd
import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Static
from textual.widgets._footer import FooterKey

from extractor.cli import main
from extractor.records import Decision, ReviewAction
from extractor.registry.organizations import default_registry
from extractor.review import app as app_module
from extractor.review import candidates, clearing_curve, flagged_groups, read_overrides
from extractor.review.app import ReviewApp, locate_pdf
from extractor.review.overrides import OverrideError
from extractor.store import RunStore

from .conftest import write_text_pdf

LAB = "Quuxworth Robotics Institute, Lisbon, Portugal"
ODD = "Zorblax Widget Laboratory"


def _paper(path: Path, title: str, author: str, affiliation: str) -> None:
    write_text_pdf(path, [(90, title, 17, "tibo"), (130, author, 10, "tibo"), (144, affiliation, 10, "tiro"),
                          (200, "Abstract", 12, "tibo")])  # fmt: skip


@pytest.fixture
def flagged_run(tmp_path: Path, sample_dir: Path) -> Path:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    _paper(pdfs / "p1.pdf", "One Paper From a Lab", "Nadia Quell", LAB)
    _paper(pdfs / "p2.pdf", "Another Paper From It", "Omar Vey", LAB)
    _paper(pdfs / "p3.pdf", "A Third Paper", "Ines Sol", ODD)
    (pdfs / "p4.pdf").write_bytes((sample_dir / "pdfs" / "grid_columns.pdf").read_bytes())
    out = tmp_path / "out"
    assert main(["run", str(pdfs), "--out", str(out), "--jobs", "1"]) == 0
    return out


def _app(out: Path, store: RunStore) -> ReviewApp:
    groups = flagged_groups(store.normalized(), store.decisions())
    return ReviewApp(store, default_registry(), groups, "tester", {})


async def _drive(app: ReviewApp, *steps: str | tuple[str, str]) -> int:
    async with app.run_test() as pilot:
        for step in steps:
            if isinstance(step, tuple):  # ("type", text): type into the input and submit
                await pilot.press(*list(step[1]), "enter")
            else:
                await pilot.press(step)
            await pilot.pause()
    return app.return_value or 0


def _authors(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "authors.csv", dtype=str, keep_default_na=False).set_index("file")


def test_groups_are_ordered_by_papers_touched(flagged_run: Path) -> None:
    with RunStore.in_dir(flagged_run) as store:
        groups = flagged_groups(store.normalized())
    assert [(g.raw, g.papers) for g in groups] == [(LAB, 2), (ODD, 1)]
    assert clearing_curve(groups) == (3, 2, 2)  # 3 flagged papers; 2 decisions clear 80%


def test_type_undo_pick_quit_resume_and_reapply(flagged_run: Path) -> None:
    with RunStore.in_dir(flagged_run) as store:
        app = _app(flagged_run, store)
        made = asyncio.run(_drive(app, "t", ("type", "Quuxworth Robotics; PT"), "enter", "u", "1", "q"))
        decisions = store.decisions()
        assert made == 1 and list(decisions) == [app.groups[0].key]
        picked = decisions[app.groups[0].key]
        assert picked.action == ReviewAction.PICK and picked.reviewer == "tester" and picked.decided_at
        assert picked.ror_id == candidates(default_registry(), LAB)[0].ror_id  # the first row shown
        # resume: only the undecided group is left; mark it as not an institution
        app = _app(flagged_run, store)
        assert [g.raw for g in app.groups] == [ODD]
        asyncio.run(_drive(app, "n", "q"))
    assert main(["review", str(flagged_run), "--import", str(flagged_run / "none.csv")]) == 2
    assert main(["run", str(flagged_run.parent / "pdfs"), "--out", str(flagged_run), "--force", "--jobs", "1"]) == 0
    rows = _authors(flagged_run)
    assert set(rows.loc[["p1.pdf", "p2.pdf"], "source"]) == {"review"}
    assert set(rows.loc[["p1.pdf", "p2.pdf"], "ror_id"]) == {picked.ror_id}
    assert rows.loc["p3.pdf", "institution"] == "" and "not_an_institution" in rows.loc["p3.pdf", "flags"]
    assert rows.loc["p4.pdf", "source"].tolist() == ["rules"] * 3


def test_typed_answer_and_accept(flagged_run: Path) -> None:
    with RunStore.in_dir(flagged_run) as store:
        asyncio.run(_drive(_app(flagged_run, store), "t", ("type", "Quuxworth Robotics; Portugal"), "enter", "a", "q"))
        decisions = {d.raw_affiliation: d for d in store.decisions().values()}
    assert (decisions[LAB].action, decisions[LAB].institution, decisions[LAB].country) == (
        ReviewAction.MANUAL, "Quuxworth Robotics", "PT")  # fmt: skip
    assert decisions[ODD].action == ReviewAction.ACCEPT


def test_search_the_registry_then_pick(flagged_run: Path) -> None:
    with RunStore.in_dir(flagged_run) as store:
        asyncio.run(_drive(_app(flagged_run, store), "s", ("type", "Stanford University"), "1", "q"))
        [decision] = store.decisions().values()
    assert (decision.raw_affiliation, decision.ror_id, decision.country) == (LAB, "00f54p054", "US")


def test_a_typed_answer_is_looked_up_in_the_registry(flagged_run: Path) -> None:
    with RunStore.in_dir(flagged_run) as store:
        app = _app(flagged_run, store)
        asyncio.run(_drive(app, "t", ("type", "Stanford Univ; US"), "1", "q"))
        [decision] = store.decisions().values()
    assert (decision.action, decision.ror_id, decision.institution, decision.country) == (
        ReviewAction.PICK, "00f54p054", "Stanford University", "US")  # fmt: skip


def test_escape_closes_the_box_and_drops_a_typed_answer(flagged_run: Path) -> None:
    with RunStore.in_dir(flagged_run) as store:
        app = _app(flagged_run, store)
        own = [o.ror_id for o in candidates(default_registry(), LAB)]

        async def drive() -> None:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.press("s", "S", "t", "escape")
                assert not app.query_one(Input).display and app.mode == ""
                await pilot.press("t", *"Stanford University", "enter")
                assert app.typed is not None and app.shown[0].ror_id == "00f54p054"
                await pilot.press("escape")  # the typed answer is dropped, the group's candidates are back
                assert app.typed is None and [o.ror_id for o in app.shown] == own
                await pilot.press("k", "a", "q")  # keys work again: skip the lab, accept the odd one

        asyncio.run(drive())
        decisions = {d.raw_affiliation: d.action for d in store.decisions().values()}
    assert decisions == {ODD: ReviewAction.ACCEPT}


def test_the_paper_is_shown_and_o_opens_it(
    flagged_run: Path, monkeypatch: pytest.MonkeyPatch, sample_dir: Path
) -> None:
    opened: list[list[str]] = []
    monkeypatch.setattr(app_module, "which", lambda name: f"/usr/bin/{name}" if name == "xdg-open" else None)
    monkeypatch.setattr(app_module.subprocess, "Popen", lambda argv, **_kw: opened.append(argv))
    with RunStore.in_dir(flagged_run) as store:
        groups = flagged_groups(store.normalized(), store.decisions())
        paths = {f: path for g in groups for f in g.files if (path := locate_pdf(f, store.pdf_dirs(), flagged_run))}
        assert set(paths) == {"p1.pdf", "p2.pdf", "p3.pdf"} and all(p.is_file() for p in paths.values())
        app = ReviewApp(store, default_registry(), groups, "tester", {}, paths)

        async def drive() -> None:
            async with app.run_test(size=(80, 24)) as pilot:
                where = str(app.query_one("#where", Static).render())
                assert "p1.pdf" in where and "page 1" in where
                await pilot.press("o")
                assert opened == [["/usr/bin/xdg-open", str(paths[groups[0].files[0]])]]
                monkeypatch.setattr(app_module, "which", lambda _name: None)  # no desktop: say where the file is
                await pilot.press("o")
                assert len(opened) == 1 and str(paths[groups[0].files[0]]) in app.last_note

        asyncio.run(drive())


def _inside(widget: Widget, screen: Region) -> bool:
    return widget.region.area > 0 and screen.contains_region(widget.region)


def test_an_80x24_terminal_shows_five_candidates_and_the_key_bar(flagged_run: Path) -> None:
    with RunStore.in_dir(flagged_run) as store:
        app = _app(flagged_run, store)
        app.context = {
            f: "\n".join(f"line {i} of a long author block" for i in range(12)) for f in ("p1.pdf", "p2.pdf")
        }

        async def drive() -> None:
            async with app.run_test(size=(80, 24)) as pilot:
                for box_open in (False, True):
                    if box_open:
                        await pilot.press("s")  # the search box takes three lines from the author blocks
                    await pilot.pause()
                    screen = app.screen.region
                    table = app.query_one(DataTable)
                    assert len(app.shown) == 5 and table.row_count == 5
                    assert _inside(table, screen) and table.region.height >= 6  # header + five rows
                    assert table.virtual_size.height <= table.scrollable_content_region.height
                    for name in ("#status", "#raw", "#where", "#context"):
                        assert _inside(app.query_one(name, Static), screen), name
                    assert _inside(app.query_one(Footer), screen)
                    if box_open:  # the box shadows the letter keys; the hint line says Enter and Esc
                        assert _inside(app.query_one(Input), screen) and not table.region.overlaps(
                            app.query_one(Input).region
                        )
                        assert "Esc closes" in str(app.query_one("#hint", Static).render())
                    else:
                        keys = {key.key: key for key in app.query(FooterKey)}
                        assert set(keys) == {"a", "1", "s", "t", "o", "n", "k", "u", "q"}
                        assert all(_inside(key, screen) for key in keys.values()), [k.region for k in keys.values()]

        asyncio.run(drive())


def test_list_csv_round_trip_export_import_and_gold(flagged_run: Path, tmp_path: Path, capsys) -> None:
    assert main(["review", str(flagged_run), "--list", "--csv"]) == 0
    listed = tmp_path / "listed.csv"
    listed.write_text(capsys.readouterr().out)
    frame = pd.read_csv(listed, dtype=str, keep_default_na=False)
    assert list(frame["raw_affiliation"]) == [LAB, ODD]
    frame.loc[0, ["action", "institution", "country"]] = ["manual", "Quuxworth Robotics", "PT"]
    frame.to_csv(listed, index=False)  # the ODD row keeps an empty action: not imported
    assert main(["review", str(flagged_run), "--import", str(listed), "--reviewer", "sheet"]) == 0
    assert set(_authors(flagged_run).loc[["p1.pdf", "p2.pdf"], "country"]) == {"PT"}
    shared = tmp_path / "overrides.csv"
    assert main(["review", str(flagged_run), "--export", str(shared)]) == 0
    [decision] = read_overrides(shared)
    assert (decision.reviewer, decision.institution) == ("sheet", "Quuxworth Robotics")
    gold = tmp_path / "gold.csv"
    assert main(["review", str(flagged_run), "--export-gold", str(gold)]) == 0
    assert sorted(pd.read_csv(gold)["file"]) == ["p1.pdf", "p2.pdf"] and main(["gold", "check", str(gold)]) == 0


def test_bad_overrides_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("raw_affiliation,action,country\nA Lab,manual,XX\n")
    with pytest.raises(OverrideError, match="line 2: unknown country code 'XX'"):
        read_overrides(path)
    path.write_text("raw_affiliation,action\nA Lab,maybe\n")
    with pytest.raises(OverrideError, match="line 2: action 'maybe'"):
        read_overrides(path)
    assert Decision(key="k", raw_affiliation="r", action=ReviewAction.ACCEPT).action == "accept"

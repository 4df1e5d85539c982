"""The review loop driven end to end through Textual's pilot; decisions persist and re-apply."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pandas as pd
import pytest

from extractor.cli import main
from extractor.records import Decision, ReviewAction
from extractor.registry.organizations import default_registry
from extractor.review import candidates, clearing_curve, flagged_groups, read_overrides
from extractor.review.app import ReviewApp
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
        made = asyncio.run(_drive(app, "t", ("type", "Quuxworth Robotics; PT"), "u", "1", "q"))
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
        asyncio.run(_drive(_app(flagged_run, store), "t", ("type", "Quuxworth Robotics; Portugal"), "a", "q"))
        decisions = {d.raw_affiliation: d for d in store.decisions().values()}
    assert (decisions[LAB].action, decisions[LAB].institution, decisions[LAB].country) == (
        ReviewAction.MANUAL, "Quuxworth Robotics", "PT")  # fmt: skip
    assert decisions[ODD].action == ReviewAction.ACCEPT


def test_search_the_registry_then_pick(flagged_run: Path) -> None:
    with RunStore.in_dir(flagged_run) as store:
        asyncio.run(_drive(_app(flagged_run, store), "s", ("type", "Stanford University"), "1", "q"))
        [decision] = store.decisions().values()
    assert (decision.raw_affiliation, decision.ror_id, decision.country) == (LAB, "00f54p054", "US")


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

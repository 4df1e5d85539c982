"""The flag vocabulary: one enum, levels, behaviour sets, and the README table that documents it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractor import flags as F
from extractor.flags import Flag, Level
from extractor.records import AuthorAffiliation, NormalizedPaper
from extractor.review.groups import flagged_groups

README = Path(__file__).resolve().parents[1] / "README.md"
ROW = re.compile(r"^\| `([a-z_]+)` \| (paper|row) \| (.+) \|$")


def _readme_table() -> dict[str, tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- flags:start -->", 1)[1].split("<!-- flags:end -->", 1)[0]
    return {m[1]: (m[2], m[3]) for line in block.splitlines() if (m := ROW.match(line.strip()))}


def test_readme_table_lists_every_flag_with_its_level_and_meaning():
    table = _readme_table()
    assert set(table) == {flag.value for flag in Flag}
    for flag in Flag:
        assert table[flag.value] == (flag.level.value, flag.meaning)


@pytest.mark.parametrize("name", ["SENT_TO_LLM_ROW", "REVIEW_ROW", "COUNTED_AS_FLAGGED", "KEPT_AFTER_DECISION"])
def test_row_behaviour_sets_hold_only_row_flags(name):
    assert all(flag.level is Level.ROW for flag in getattr(F, name))


@pytest.mark.parametrize("name", ["SENT_TO_LLM_PAPER", "CLEARED_BY_LLM", "REVIEW_PAPER"])
def test_paper_behaviour_sets_hold_only_paper_flags(name):
    assert all(flag.level is Level.PAPER for flag in getattr(F, name))


def test_records_refuse_an_undeclared_flag():
    with pytest.raises(ValidationError):
        NormalizedPaper(file="a.pdf", paper_id="1", flags=["not_institution"])


def test_a_paper_without_country_queues_its_rows_for_review(matcher):
    match = matcher.match("Some Unknown Place That Names Nothing")
    match = match.model_copy(update={"flags": [], "country": ""})
    row = AuthorAffiliation(author_index=1, author="A B", affiliation_index=1, match=match)
    paper = NormalizedPaper(file="a.pdf", paper_id="1", rows=[row], flags=[Flag.NO_COUNTRY])
    groups = flagged_groups([paper])
    assert [g.flags for g in groups] == [[Flag.NO_COUNTRY]]
    assert flagged_groups([paper.model_copy(update={"flags": []})]) == []

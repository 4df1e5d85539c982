"""Choose, do not write: candidate-constrained answers, the never-worse merge, the endpoint
check, and `affil match --llm` with its string cache, against the scripted local server."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import pandas as pd
import pytest

from extractor.cli import main
from extractor.flags import Flag
from extractor.llm.answer import InvalidAnswer
from extractor.llm.choose import NONE, build_request
from extractor.llm.merge import apply_choices
from extractor.normalize import normalize_paper
from extractor.records import ExtractedAuthor, ExtractedPaper, Source

from .fake_openai import FakeOpenAI

KAIST = "05apxxy63"
TSINGHUA = "03cve4549"


def _paper() -> ExtractedPaper:
    return ExtractedPaper(
        file="p.pdf",
        paper_id="p",
        title="A Paper",
        authors=[
            ExtractedAuthor(name="Ana Ruiz", markers=["1"], affiliations=["Tsinghua University, Beijing, China"]),
            ExtractedAuthor(name="Tom Lee", markers=["2"]),
            ExtractedAuthor(name="Li Wei", markers=["3"], affiliations=["KAIST Vision"]),
        ],
        affiliations=["Tsinghua University, Beijing, China", "Stanford University", "KAIST Vision"],
        block_text="Ana Ruiz^1 Tom Lee^2 Li Wei^3\n^1 Tsinghua University, Beijing, China\n"
        "^2 Stanford University\n^3 KAIST Vision",
    )


def _answer(authors: dict, lines: dict) -> str:
    return json.dumps({"authors": authors, "lines": lines})


def _line(id_: str, institution: str = "", country: str = "") -> dict:
    return {"id": id_, "institution": institution, "country": country}


def test_the_schema_enumerates_candidates_and_an_id_outside_them_is_rejected(matcher) -> None:
    paper = _paper()
    request = build_request(paper, normalize_paper(paper, matcher), matcher)
    asked = {line.label: line for line in request.asked_lines}
    assert [a.label for a in request.asked_authors] == ["A2"]  # the one author the layout reader left unlinked
    # lines: the rules' rows first (L1 Tsinghua, L2 KAIST Vision), then the other printed ones (L3 Stanford)
    assert list(asked) == ["L2"] and asked["L2"].text == "KAIST Vision"  # the settled lines are shown, not asked
    schema = request.schema()
    allowed = schema["properties"]["lines"]["properties"]["L2"]["properties"]["id"]["enum"]
    assert KAIST in allowed and allowed[-1] == NONE and len(allowed) <= 5
    assert schema["properties"]["authors"]["properties"]["A2"]["items"]["enum"] == ["L1", "L2", "L3"]
    with pytest.raises(InvalidAnswer, match="not one of the candidates"):
        request.parse(_answer({}, {"L2": _line(TSINGHUA)}))
    with pytest.raises(InvalidAnswer, match="line labels"):
        request.parse(_answer({"A2": ["L9"]}, {}))
    choices = request.parse(_answer({"A2": ["L3"]}, {"L2": _line(KAIST, "KAIST", "KR")}))
    assert choices.lines["L2"].id == KAIST and choices.authors == {"A2": ["L3"]}


def test_choices_fill_and_pick_but_never_remove_or_replace_what_the_rules_settled(matcher) -> None:
    paper = _paper()
    rules = normalize_paper(paper, matcher)
    request = build_request(paper, rules, matcher, ask_all=True)
    # A model that links Tom Lee, picks KAIST, and contradicts the confident Tsinghua row.
    choices = request.parse(
        _answer(
            {"A1": [], "A2": ["L3"], "A3": []},
            {"L1": _line(request.line("L1").ids[-1], "X", "US"),
             "L3": _line(NONE, "Stanford University", "US"), "L2": _line(KAIST, "KAIST", "KR")},
        )
    )  # fmt: skip
    merged = apply_choices(request, choices, rules, matcher)
    by_author = {row.author: row for row in merged.rows}
    assert merged.n_authors == rules.n_authors == 3 and len({r.author_index for r in merged.rows}) == 3
    ana = by_author["Ana Ruiz"]  # confident rules answer: kept, flagged because the model named another record
    assert (ana.match.ror_id, ana.match.country, ana.source) == (TSINGHUA, "CN", Source.RULES)
    assert Flag.RULES_LLM_DISAGREE in ana.flags or len(request.line("L1").ids) == 1
    tom = by_author["Tom Lee"]  # linked by the model to a line the rules settled
    assert (tom.affiliation_index, tom.match.institution, tom.source) == (1, "Stanford University", Source.LLM)
    assert Flag.AUTHOR_WITHOUT_AFFILIATION not in tom.flags
    li = by_author["Li Wei"]  # picked among the candidates of an unmatched line
    assert (li.match.ror_id, li.match.country, li.source) == (KAIST, "KR", Source.LLM)
    assert Flag.NO_REGISTRY_MATCH not in li.all_flags

    # An empty or hostile answer changes nothing: no author is removed, no confident row replaced.
    nothing = request.parse(_answer({"A1": [], "A2": [], "A3": []}, {}))
    assert apply_choices(request, nothing, rules, matcher).rows == rules.rows
    wrong = request.parse(_answer({}, {"L1": _line(NONE, "Harvard University", "US")}))
    assert apply_choices(request, wrong, rules, matcher).rows == rules.rows


def test_a_pick_that_does_not_resemble_the_line_is_not_taken(matcher) -> None:
    paper = ExtractedPaper(
        file="o.pdf", paper_id="o", authors=[ExtractedAuthor(name="Alex Nowak", affiliations=["Quuxworth Data Inc."])],
        affiliations=["Quuxworth Data Inc."], block_text="Alex Nowak\nQuuxworth Data Inc.",
    )  # fmt: skip
    rules = normalize_paper(paper, matcher)
    request = build_request(paper, rules, matcher)
    line = request.asked_lines[0]
    unrelated = next(c.ror_id for c in line.candidates if "quuxworth" not in c.name.lower())  # "YE DATA Inc."
    choices = request.parse(_answer({}, {line.label: _line(unrelated, "Quuxworth Data", "FR")}))
    row = apply_choices(request, choices, rules, matcher).rows[0]
    assert row.match.ror_id == "" and row.match.country == "FR"  # the pick is refused; the country fills the gap
    assert Flag.LLM_UNGROUNDED in row.match.flags


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_llm_check_on_a_dead_endpoint_and_run_stops_in_seconds(sample_dir: Path, tmp_path: Path, capsys) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    assert main(["llm", "check", "--llm-base-url", url, "--llm-model", "m"]) == 2
    captured = capsys.readouterr()
    assert "reachable:         no" in captured.out and "cannot reach" in captured.err
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    (pdfs / "a.pdf").write_bytes((sample_dir / "pdfs" / "grid_columns.pdf").read_bytes())  # rules settle it
    started = time.perf_counter()
    code = main(["run", str(pdfs), "--out", str(tmp_path / "out"), "--llm", "auto", "--llm-base-url", url])
    assert code == 2 and time.perf_counter() - started < 20
    assert "cannot reach" in capsys.readouterr().err and not (tmp_path / "out" / "authors.csv").exists()


@pytest.mark.parametrize(("reject", "kind"), [(False, "json_schema"), (True, "json_mode")])
def test_llm_check_reports_structured_output_and_estimates_a_folder(
    sample_dir: Path, tmp_path: Path, capsys, reject: bool, kind: str
) -> None:
    with FakeOpenAI(lambda body: {"authors": {}, "lines": {}}) as fake:
        fake.reject_json_schema = reject
        out = tmp_path / "out"
        assert main(["run", str(sample_dir / "pdfs"), "--out", str(out), "--llm", "off", "--jobs", "1"]) == 0
        capsys.readouterr()
        args = ["llm", "check", "--llm-base-url", fake.base_url, "--llm-model", "m", "--folder", str(out)]
        assert main(args) == 0
        printed = capsys.readouterr().out
        assert f"structured output: {kind}" in printed and "--llm auto on" in printed
        assert fake.chat_calls == 0 and fake.probes >= 1  # the check makes no paper request


def test_match_llm_asks_once_per_string_and_caches(tmp_path: Path, capsys) -> None:
    def respond(body: dict) -> dict:
        enum = body["response_format"]["json_schema"]["schema"]["properties"]["lines"]["properties"]["L1"]
        assert KAIST in enum["properties"]["id"]["enum"]
        return {"authors": {}, "lines": {"L1": _line(KAIST, "KAIST", "KR")}}

    cache = tmp_path / "strings.sqlite"
    with FakeOpenAI(respond) as fake:
        args = ["match", "KAIST Vision", "--llm", "--llm-cache", str(cache), "--llm-base-url", fake.base_url]
        for _ in range(2):
            assert main(args) == 0
            record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
            assert (record["ror_id"], record["country"]) == (KAIST, "KR")
        assert fake.chat_calls == 1  # the second run is answered from the cache
        assert main(["match", "Tsinghua University", "--llm", "--llm-cache", str(cache),
                     "--llm-base-url", fake.base_url]) == 0  # fmt: skip
        assert fake.chat_calls == 1  # the rules settle it: not asked


@pytest.mark.skipif(not os.environ.get("AFFIL_REAL_LLM_URL"), reason="set AFFIL_REAL_LLM_URL to a real server")
def test_a_real_model_on_two_sample_papers(sample_dir: Path, tmp_path: Path) -> None:
    """Against a real OpenAI-compatible server (e.g. scripts/serve_local_llm.sh): two sample papers
    with --llm all; the answer must never lose an author or a country the rules found."""
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    for name in ("neurips_markers.pdf", "jmlr_stacked.pdf"):
        (pdfs / name).write_bytes((sample_dir / "pdfs" / name).read_bytes())
    endpoint = ["--llm-base-url", os.environ["AFFIL_REAL_LLM_URL"], "--llm-model",
                os.environ.get("AFFIL_REAL_LLM_MODEL", "local"), "--llm-timeout", "600", "--jobs", "1"]  # fmt: skip
    assert main(["run", str(pdfs), "--out", str(tmp_path / "off"), "--llm", "off", "--jobs", "1"]) == 0
    assert main(["run", str(pdfs), "--out", str(tmp_path / "all"), "--llm", "all", *endpoint]) == 0
    off = pd.read_csv(tmp_path / "off" / "authors.csv", dtype=str, keep_default_na=False)
    got = pd.read_csv(tmp_path / "all" / "authors.csv", dtype=str, keep_default_na=False)
    for file, rows in off.groupby("file"):
        mine = got[got.file == file]
        assert set(rows.author) <= set(mine.author)
        assert set(rows.country) - {""} <= set(mine.country)

"""The LLM step through the real `openai` client against a local OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from types import SimpleNamespace

import httpx
import openai
import pandas as pd
import pytest

from extractor.cli import main
from extractor.llm.client import retry_after_seconds, retry_wait
from extractor.llm.config import LLMConfig, load_config
from extractor.records import PaperStatus
from extractor.store import RunStore

from .conftest import write_text_pdf
from .fake_openai import FakeOpenAI


def asked(body: dict) -> tuple[dict[str, list[str]], dict[str, str], dict[str, str]]:
    """From a v2 request: the asked author labels, the asked line labels with their allowed ids,
    and every line's printed text (label -> text), read from the schema and the prompt."""
    schema = body["response_format"]["json_schema"]["schema"] if "json_schema" in body["response_format"] else None
    paper = [m["content"] for m in body["messages"] if m["role"] == "user" and "Lines (" in m["content"]][-1]
    texts = dict(re.findall(r"^(L\d+) (.*?)(?: = .*)?$", paper.split("Lines (")[1], flags=re.M))
    names = dict(re.findall(r"^(A\d+) (.+?)(?: \^\S+)? -> ", paper, flags=re.M))
    if schema is None:  # JSON mode: the skeleton in the prompt says what is asked
        skeleton = json.loads(paper.rsplit("Answer: ", 1)[1])
        return {k: [] for k in skeleton["authors"]}, dict.fromkeys(skeleton["lines"], ""), texts | names
    ids = {k: v["properties"]["id"]["enum"] for k, v in schema["properties"]["lines"]["properties"].items()}
    return {key: [] for key in schema["properties"]["authors"]["properties"]}, ids, texts | names


def expected_responder(expected_csv: Path):
    """Answers like a careful model: from the hand labels of the samples, it links an asked author
    to the lines its labelled affiliations print, and picks the labelled record when it is a candidate."""
    frame = pd.read_csv(expected_csv, dtype=str, keep_default_na=False)
    by_raw = {row.raw_affiliation: row for row in frame.itertuples() if row.raw_affiliation}
    by_author: dict[str, list[str]] = {}
    for row in frame.itertuples():
        if row.raw_affiliation:
            by_author.setdefault(row.author, []).append(row.raw_affiliation)

    def respond(body: dict) -> dict:
        authors, lines, texts = asked(body)
        label_of = {text: label for label, text in texts.items() if label.startswith("L")}
        answer: dict = {"authors": {}, "lines": {}}
        for label in authors:
            answer["authors"][label] = [label_of[r] for r in by_author.get(texts[label], []) if r in label_of]
        for label, ids in lines.items():
            row = by_raw.get(texts[label])
            chosen = row.ror_id if row is not None and (row.ror_id in ids or not ids) else "none"
            answer["lines"][label] = {
                "id": chosen or "none",
                "institution": row.institution if row is not None else "",
                "country": row.country if row is not None else "",
            }
        return answer

    return respond


@pytest.fixture
def fake(sample_dir: Path):
    with FakeOpenAI(expected_responder(sample_dir / "expected.csv")) as server:
        yield server


def _config_file(tmp_path: Path, server: FakeOpenAI, **extra: object) -> Path:
    settings = {"base_url": server.base_url, "model": "fake-model", "backoff_initial": 0.01, "backoff_max": 0.05,
                "timeout": 2.0, **extra}  # fmt: skip
    lines = ["[llm]"] + [
        f"{k} = {v!r}".replace("'", '"') if isinstance(v, str) else f"{k} = {v}" for k, v in settings.items()
    ]
    path = tmp_path / "affil.toml"
    path.write_text("\n".join(lines).replace("True", "true").replace("False", "false") + "\n")
    return path


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _run(sample_dir: Path, out: Path, config: Path, *extra: str) -> int:
    return main(["run", str(sample_dir), "--out", str(out), "--jobs", "1", "--llm-config", str(config), *extra])


def _readable(sample_dir: Path) -> int:
    """Samples sent to the model: all but the anonymized ones (no authors in expected.csv)."""
    anonymous = set(_read(sample_dir / "expected.csv").query("author_index == '0'")["file"])
    return len([p for p in sample_dir.rglob("*.pdf") if f"pdfs/{p.name}" not in anonymous])


def _assert_matches_expected(out: Path, sample_dir: Path) -> pd.DataFrame:
    authors = _read(out / "authors.csv")
    expected = _read(sample_dir / "expected.csv")
    keys = ["file", "author_index", "affiliation_index"]
    merged = expected.merge(authors, on=keys, how="outer", suffixes=("_want", "_got"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][keys]
    for column in ("author", "ror_id", "country"):
        assert (merged[f"{column}_want"] == merged[f"{column}_got"]).all(), column
    return authors


def test_all_papers_through_the_llm_are_grounded_and_a_rerun_costs_nothing(
    sample_dir: Path, tmp_path: Path, fake: FakeOpenAI
) -> None:
    config, out = _config_file(tmp_path, fake), tmp_path / "out"
    assert _run(sample_dir, out, config, "--llm", "all") == 0
    readable = _readable(sample_dir)
    assert fake.chat_calls == readable
    authors = _assert_matches_expected(out, sample_dir)
    assert not authors["flags"].str.contains("rules_llm_disagree").any()  # the careful model agrees
    assert all(r["response_format"]["type"] == "json_schema" and r["temperature"] == 0 for r in fake.chat_requests)
    assert _run(sample_dir, out, config, "--llm", "all") == 0  # everything done
    assert _run(sample_dir, out, config, "--llm", "all", "--force") == 0  # redone, answered from the cache
    assert fake.chat_calls == readable
    with RunStore.in_dir(out) as store:
        assert store.count("llm_cache") == readable
        calls, hits, tokens_in = store.db.execute(
            "SELECT llm_calls, llm_cache_hits, prompt_tokens FROM runs ORDER BY run_id"
        ).fetchall()[-1]
    assert (calls, hits, tokens_in) == (0, readable, 0)
    first = store_first_run_usage(out)
    assert first[0] == readable and first[1] > 0


def store_first_run_usage(out: Path) -> tuple[int, int]:
    with RunStore.in_dir(out) as store:
        row = store.db.execute("SELECT llm_calls, prompt_tokens FROM runs ORDER BY run_id").fetchone()
    return int(row[0]), int(row[1])


def test_auto_sends_only_papers_the_rules_could_not_settle(
    sample_dir: Path, tmp_path: Path, fake: FakeOpenAI, capsys
) -> None:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    for sample in ("neurips_markers.pdf", "grid_columns.pdf"):
        (pdfs / sample).write_bytes((sample_dir / "pdfs" / sample).read_bytes())
    write_text_pdf(
        pdfs / "unknown_lab.pdf",
        [(90, "A Paper From a Lab No Registry Knows", 17, "tibo"), (130, "Nadia Quell", 10, "tibo"),
         (144, "Quuxworth Robotics Collective", 10, "tiro"), (200, "Abstract", 12, "tibo")],
    )  # fmt: skip
    knows_samples = fake.responder

    def respond(body: dict) -> dict:
        if "Nadia Quell" not in str(body["messages"]):
            return knows_samples(body)
        chosen = {"id": "none", "institution": "Quuxworth Robotics Collective", "country": "PT"}
        return {"authors": {"A1": ["L1"]}, "lines": {"L1": chosen}}

    fake.responder = respond
    assert _run(pdfs, tmp_path / "out", _config_file(tmp_path, fake)) == 0  # configured: auto by default
    assert fake.chat_calls == 1
    assert "Nadia Quell" in fake.chat_requests[0]["messages"][-1]["content"]
    row = _read(tmp_path / "out" / "authors.csv").set_index("file").loc["unknown_lab.pdf"]
    assert (row["source"], row["institution"], row["ror_id"], row["country"]) == (
        "llm",
        "Quuxworth Robotics Collective",
        "",
        "PT",
    )
    assert "llm_ungrounded" in row["flags"]  # no registry record: the model's country fills the gap, flagged
    assert "LLM: 1 papers, 1 calls" in capsys.readouterr().err


@pytest.mark.parametrize(
    "fault",
    [
        ("status", 429, {"Retry-After": "0"}),
        ("status", 500),
        ("status", 503, {"retry-after-ms": "10"}),
        ("sleep", 3.0),  # longer than the 2 s client timeout
    ],
)
def test_transient_faults_are_retried(sample_dir: Path, tmp_path: Path, fake: FakeOpenAI, fault: tuple) -> None:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    (pdfs / "a.pdf").write_bytes((sample_dir / "pdfs" / "neurips_markers.pdf").read_bytes())
    fake.script.extend([fault, fault])
    assert _run(pdfs, tmp_path / "out", _config_file(tmp_path, fake), "--llm", "all") == 0
    assert fake.chat_calls == 3
    assert "llm_failed" not in _read(tmp_path / "out" / "papers.csv").loc[0, "flags"]


@pytest.mark.parametrize(
    ("faults", "calls", "settled"),
    [
        ([("content", "this is not JSON")], 2, True),  # retried once with the error, then fine
        ([("content", '{"authors": [{"name": "X"}]}')], 2, True),  # schema violation, then fine
        ([("content", '{"authors": {}, "lines": {"L1": {"id": "00000000x"}}}')], 2, True),  # not a candidate
        ([("length",)], 2, True),  # cut off at max_tokens, then fine
        ([("content", "nope"), ("content", '{"people": []}')], 2, False),  # twice wrong: flagged
    ],
)
def test_invalid_answers_get_one_second_chance(
    sample_dir: Path, tmp_path: Path, fake: FakeOpenAI, faults: list, calls: int, settled: bool
) -> None:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    (pdfs / "a.pdf").write_bytes((sample_dir / "pdfs" / "neurips_markers.pdf").read_bytes())
    fake.script.extend(faults)
    assert _run(pdfs, tmp_path / "out", _config_file(tmp_path, fake), "--llm", "all") == 0
    assert fake.chat_calls == calls
    second = fake.chat_requests[1]["messages"]
    assert second[-2]["role"] == "assistant" and "Answer again" in second[-1]["content"]
    authors = _read(tmp_path / "out" / "authors.csv")
    papers = _read(tmp_path / "out" / "papers.csv")
    if settled:
        assert "llm_invalid_answer" not in papers.loc[0, "flags"]
    else:  # the rules' rows stay, flagged for review; the invalid answer is cached, not re-asked
        assert set(authors["source"]) == {"rules"} and "llm_invalid_answer" in papers.loc[0, "flags"]
        assert _run(pdfs, tmp_path / "out", _config_file(tmp_path, fake), "--llm", "all", "--force") == 0
        assert fake.chat_calls == calls


def test_server_without_json_schema_falls_back_to_json_mode(sample_dir: Path, tmp_path: Path, fake: FakeOpenAI) -> None:
    fake.reject_json_schema = True
    assert _run(sample_dir, tmp_path / "out", _config_file(tmp_path, fake), "--llm", "all") == 0
    kinds = [r["response_format"]["type"] for r in fake.chat_requests]
    # only the requests already in flight (concurrency 4) tried json_schema; all later ones JSON mode
    assert kinds[0] == "json_schema" and kinds.count("json_schema") <= 4 and kinds[-1] == "json_object"
    assert kinds.count("json_object") == _readable(sample_dir)
    _assert_matches_expected(tmp_path / "out", sample_dir)


def test_a_refusing_endpoint_stops_the_llm_step_and_keeps_the_rules(
    sample_dir: Path, tmp_path: Path, fake: FakeOpenAI, capsys
) -> None:
    fake.script.extend([("status", 401)] * 20)
    out = tmp_path / "out"
    assert _run(sample_dir, out, _config_file(tmp_path, fake), "--llm", "all") == 2
    assert "refused" in capsys.readouterr().err
    assert set(_read(out / "authors.csv")["source"]) == {"rules"}
    fake.script.clear()
    calls = fake.chat_calls
    assert _run(sample_dir, out, _config_file(tmp_path, fake), "--llm", "all") == 0  # pending papers resume
    assert fake.chat_calls > calls
    with RunStore.in_dir(out) as store:
        assert store.db.execute("SELECT count(*) FROM papers WHERE llm_pending = 1").fetchone()[0] == 0


def test_batch_api_run_resumes_the_same_job(sample_dir: Path, tmp_path: Path, fake: FakeOpenAI) -> None:
    config, out = _config_file(tmp_path, fake, batch_poll=0.01), tmp_path / "out"
    fake.batch_polls_before_done = 2
    assert _run(sample_dir, out, config, "--llm", "all", "--llm-batch") == 0
    assert (len(fake.batches), fake.chat_calls) == (1, 0)
    readable = _readable(sample_dir)
    assert fake.batch_requests == readable
    _assert_matches_expected(out, sample_dir)
    with RunStore.in_dir(out) as store:
        assert store.open_batches() == []


def test_batch_job_left_open_is_polled_not_resubmitted(sample_dir: Path, tmp_path: Path, fake: FakeOpenAI) -> None:
    from extractor.extract import extract_paper
    from extractor.llm import LLMStage, PendingPaper
    from extractor.llm.batch import run_batch
    from extractor.normalize import RuleMatcher, normalize_paper

    config = load_config(_config_file(tmp_path, fake, batch_poll=0.01, batch=True))
    fake.batch_polls_before_done = 10**9  # never finishes: the first run is interrupted while waiting
    matcher = RuleMatcher()
    extracted = extract_paper(sample_dir / "pdfs" / "grid_columns.pdf", "grid_columns.pdf")
    paper = PendingPaper("0" * 40, extracted, normalize_paper(extracted, matcher))
    with RunStore.in_dir(tmp_path / "out") as store:
        stage = LLMStage(config, store, matcher)
        with pytest.raises(TimeoutError):
            asyncio.run(asyncio.wait_for(run_batch(stage.batch_context(), [stage.request(paper)]), timeout=0.5))
        assert len(store.open_batches()) == 1
        fake.batch_polls_before_done = 0
        asyncio.run(run_batch(stage.batch_context(), [stage.request(paper)]))
        assert len(fake.batches) == 1 and store.open_batches() == []
        assert store.cached_answer(stage.request(paper)[0]) is not None


def test_retry_after_is_honoured_else_exponential_backoff() -> None:
    def error(headers: dict) -> openai.RateLimitError:
        response = httpx.Response(429, headers=headers, request=httpx.Request("POST", "http://127.0.0.1/v1"))
        return openai.RateLimitError("slow down", response=response, body=None)

    assert retry_after_seconds(error({"retry-after": "7"})) == 7.0
    assert retry_after_seconds(error({"retry-after-ms": "250"})) == 0.25
    assert retry_after_seconds(error({})) is None
    wait = retry_wait(LLMConfig(backoff_initial=1.0, backoff_max=8.0))
    state = SimpleNamespace(outcome=SimpleNamespace(exception=lambda: error({"retry-after": "7"})), attempt_number=1)
    assert wait(state) == 7.0
    state = SimpleNamespace(outcome=SimpleNamespace(exception=lambda: error({})), attempt_number=3)
    assert 4.0 <= wait(state) <= 8.0


def test_config_precedence_and_cost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[llm]\nmodel = "gpt-4o-mini"\nbase_url = "http://file/v1"\napi_key = "from-file"\n')
    monkeypatch.setenv("OPENAI_API_KEY", "from-env")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    config = load_config(path, base_url="http://flag/v1")
    assert (config.api_key, config.base_url, config.model) == ("from-env", "http://flag/v1", "gpt-4o-mini")
    assert config.cost(1_000_000, 1_000_000) == pytest.approx(0.75)
    assert config.cost(1_000_000, 1_000_000, batch=True) == pytest.approx(0.375)
    assert LLMConfig(model="local-qwen").cost(10, 10) is None
    (tmp_path / "bad.toml").write_text("[llm]\nmodle = 'x'\n")
    with pytest.raises(ValueError, match="unknown"):
        load_config(tmp_path / "bad.toml")


def test_unreadable_papers_are_never_sent(bad_pdf_dir: Path, tmp_path: Path, fake: FakeOpenAI) -> None:
    out = tmp_path / "out"
    main(
        ["run", str(bad_pdf_dir), "--out", str(out), "--llm", "all", "--llm-config", str(_config_file(tmp_path, fake))]
    )
    papers = _read(out / "papers.csv")
    readable = (papers["status"] == PaperStatus.OK.value) & ~papers["flags"].str.contains("anonymous")
    assert fake.chat_calls == int(readable.sum())

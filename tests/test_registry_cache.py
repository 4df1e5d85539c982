"""The registry's on-disk cache and the matcher's learned verifier."""

from __future__ import annotations

import gzip
import json
import math
import random
import time
from pathlib import Path

import pytest

from extractor.flags import Flag
from extractor.normalize.ranker import FEATURES, KeepAll, Ranker, default_ranker
from extractor.normalize.rules import RuleMatcher
from extractor.registry.organizations import Registry
from extractor.registry.tables import _SqlLookup

PAYLOAD = {
    "orgs": [
        ["000000001", "University of Examples", "GB", "Exampleton", "E", []],
        ["000000002", "Example Hospital", "GB", "Exampleton", "H", ["000000001"]],
        ["000000003", "Sample Company", "US", "Sampleville", "C", []],
    ],
    "names": {
        "university of examples": [0],
        "example hospital": [1],
        "sample company": [2],
        "exampleton university": [0],
    },
    "acronyms": {"UOE": [0]},
    "domains": {"examples.ac.uk": [0, "GB"]},
    "accented": {},
    "countries": {"united kingdom": "GB"},
}


def _data_file(tmp_path: Path) -> Path:
    path = tmp_path / "registry.json.gz"
    path.write_bytes(gzip.compress(json.dumps(PAYLOAD).encode()))
    return path


def _answers(registry: Registry) -> list:
    return [
        registry.by_key("university of examples"),
        registry.by_name("Example Hospital"),
        registry.by_key("nothing of the kind"),
        registry.by_acronym("uoe"),
        registry.by_id("000000003"),
        registry.by_id("0zzzzzz99"),
        registry.by_domain("cs.examples.ac.uk"),
        registry.is_city("exampleton"),
        registry.is_city("nowhere"),
        sorted(registry.fuzzy_candidates("university of exampels")),
        sorted(registry.fuzzy_candidates("examples", lengths=(0, 22))),
        registry.token_count("examples"),
        registry.country_variants,
        len(registry),
    ]


def test_the_cache_is_built_once_and_answers_as_the_payload_does(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AFFIL_CACHE_DIR", str(tmp_path / "cache"))
    data = _data_file(tmp_path)
    first = Registry.load(data)  # builds the cache; this process keeps the parsed payload
    assert len(list((tmp_path / "cache").glob("registry-*.sqlite"))) == 1
    second = Registry.load(data)  # reads the cache key by key
    assert isinstance(second._names, _SqlLookup)
    in_memory = Registry(PAYLOAD)
    assert _answers(first) == _answers(in_memory) == _answers(second)
    assert second.by_key("university of examples")[0].name == "University of Examples"
    assert second.fuzzy_candidates("examples", lengths=(0, 22)) == ["university of examples"]


def test_a_key_the_table_lacks_is_answered_without_asking_sqlite(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AFFIL_CACHE_DIR", str(tmp_path / "cache"))
    data = _data_file(tmp_path)
    Registry.load(data)
    registry = Registry.load(data)
    names = registry._names
    assert isinstance(names, _SqlLookup)
    asked: list[str] = []
    names._conn.get().set_trace_callback(asked.append)
    assert registry.by_key("no such name at all") == []
    assert not [sql for sql in asked if "FROM names" in sql]
    assert registry.by_key("sample company")[0].ror_id == "000000003"
    assert len([sql for sql in asked if "FROM names" in sql]) == 1


def test_a_new_data_file_gets_a_new_cache(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AFFIL_CACHE_DIR", str(tmp_path / "cache"))
    data = _data_file(tmp_path)
    Registry.load(data)
    changed = dict(PAYLOAD, names={**PAYLOAD["names"], "examples uni": [0]})
    data.write_bytes(gzip.compress(json.dumps(changed).encode()))
    Registry.load(data)
    assert Registry.load(data).by_key("examples uni")[0].ror_id == "000000001"


def test_an_unwritable_cache_falls_back_to_memory(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AFFIL_CACHE_DIR", str(blocker / "cache"))
    registry = Registry.load(_data_file(tmp_path))
    assert registry.by_acronym("UOE")[0].ror_id == "000000001"


def _stump(value: float, threshold: float) -> Ranker:
    text = json.dumps(
        {
            "features": list(FEATURES),
            "base": 0.0,
            "threshold": threshold,
            "trees": [
                {
                    "feature": [0, -2, -2],
                    "threshold": [0.5, 0, 0],
                    "left": [1, -1, -1],
                    "right": [2, -1, -1],
                    "value": [0.0, -value, value],
                }
            ],
        }
    )
    return Ranker.from_json(text)


def test_the_ranker_walks_its_trees() -> None:
    ranker = _stump(2.0, 0.5)
    low, high = [0.0] * len(FEATURES), [1.0] * len(FEATURES)
    assert ranker.probability(low) == pytest.approx(1 / (1 + math.exp(2.0)))
    assert ranker.keep(high)[0] and not ranker.keep(low)[0]


def test_the_compiled_ensemble_gives_the_tree_walks_numbers_exactly() -> None:
    """``probability`` runs the shipped trees as one expression; ``log_odds`` walks them."""
    ranker = default_ranker()
    assert isinstance(ranker, Ranker)
    rng = random.Random(7)
    for _ in range(2000):
        x = [rng.choice([0.0, 1.0, rng.random(), float(rng.randint(0, 6))]) for _ in FEATURES]
        assert ranker.probability(x) == 1.0 / (1.0 + math.exp(-ranker.log_odds(x)))


def test_a_model_trained_on_other_features_is_refused() -> None:
    with pytest.raises(ValueError, match="train_ranker"):
        Ranker.from_json(json.dumps({"features": ["a"], "base": 0, "threshold": 0.5, "trees": []}))


def test_the_shipped_model_loads_fast_and_is_small() -> None:
    path = Path(__file__).resolve().parents[1] / "extractor" / "data" / "ranker.json"
    assert path.stat().st_size < 200_000
    default_ranker.cache_clear()
    start = time.process_time()
    ranker = default_ranker()
    assert time.process_time() - start < 0.5
    assert isinstance(ranker, Ranker) and 0 < ranker.threshold < 1


class _Refuse:
    threshold = 1.0
    records = True

    def keep(self, x, trusted=False):
        assert len(x) == len(FEATURES)
        return False, 0.0


def test_a_doubted_record_keeps_its_printed_name_without_an_id() -> None:
    matcher = RuleMatcher(ranker=_Refuse())  # type: ignore[arg-type]
    result = matcher.match("Department of Physics, University of Leeds, Leeds, UK; Google Research")
    org = result.organizations[0]
    assert org.ror_id == "" and org.institution == "University of Leeds" and org.country == "GB"
    assert Flag.NO_REGISTRY_MATCH in org.flags
    assert RuleMatcher(ranker=KeepAll()).match("University of Leeds").ror_id


def test_curated_prior_and_context_organizations_are_never_doubted() -> None:
    matcher = RuleMatcher(ranker=_Refuse())  # type: ignore[arg-type]
    assert matcher.match("Google Brain").ror_id  # curated ML layer
    assert matcher.match("Stanford").ror_id  # a short name ML papers use
    assert matcher.match("KIT", email_domains=["kit.edu"]).ror_id == "04t3en479"  # the e-mail names it


def test_a_string_that_is_exactly_one_records_name_is_never_doubted() -> None:
    matcher = RuleMatcher(ranker=_Refuse())  # type: ignore[arg-type]
    assert matcher.match("University of Leeds").ror_id == "024mrxd33"
    # ... or a unit before it and the record's own country after it, nothing else named
    assert matcher.match("Department of Physics, University of Leeds, Leeds, UK").ror_id == "024mrxd33"
    assert matcher.match("Department of Physics, University of Leeds, Leeds, France").ror_id == ""
    assert matcher.match("Department of Physics, University of Leeds, Leeds").ror_id == ""  # no country
    assert matcher.match("Department of Physics, University of Leeds, Leeds, UK; Google Research").ror_id == ""

"""Train the matcher's verifier (extractor/data/ranker.json) on the tunable labeled sets.

Usage: python scripts/train_ranker.py [--out extractor/data/ranker.json] [--trees 120] [--depth 3]
Needs scikit-learn at training time only (``pip install scikit-learn``); the shipped model is
plain numbers scored by ``extractor/normalize/ranker.py``.

Data (``../shared/gold/affiliation-strings/``), kept strictly apart:
- train: ror-experimental Crossref publisher-asserted train split, API-log train split, Springer
  10k without the 2,999 strings of ROR's Springer 2023 set (they are all inside it), S2AFF train;
- tune (threshold only): S2AFF val and ROR Springer 2023, so these two are no longer held out;
- never read: Crossref 2024 and S2AFF test (evaluation only). Any training string that also
  occurs in a tuning or evaluation set is dropped.
Each organization the rules return is one example; it is right when the string's labels hold its
id or its unit's. The threshold is chosen on the tuning strings:
the one maximizing F-beta (beta 0.5 by default: precision weighs more).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.normalize.ranker import FEATURES  # noqa: E402
from extractor.normalize.rules import RuleMatcher  # noqa: E402
from extractor.validate.strings import LabeledString, load_labeled_strings  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold" / "affiliation-strings"
EXP = GOLD / "ror-experimental"
S2AFF = GOLD / "s2aff" / "gold_affiliation_annotations.csv"
SPRINGER_2023 = GOLD / "ror-api" / "dataset_affiliations_springer_2023_10_31.json"
CROSSREF_2024 = GOLD / "ror-api" / "dataset_affiliations_crossref_2024_02_19.json"


class Recorder:
    """Keeps every organization and remembers its features."""

    threshold = 0.0
    records = True

    def __init__(self) -> None:
        self.rows: list[list[float]] = []
        self.trusted: list[bool] = []

    def keep(self, x: Sequence[float], trusted: bool = False) -> tuple[bool, float]:
        self.rows.append(list(x))
        self.trusted.append(trusted)
        return True, 1.0


def examples(items: list[LabeledString]) -> tuple[list[list[float]], list[int], list[bool], int]:
    """Features, labels and whether the matcher keeps it unscored, per organization; and the
    number of labeled ids."""
    recorder = Recorder()
    matcher = RuleMatcher(ranker=recorder)  # type: ignore[arg-type]
    xs: list[list[float]] = []
    ys: list[int] = []
    trusted: list[bool] = []
    gold = 0
    for item in items:
        gold += len(item.ror_ids)
        recorder.rows.clear()
        recorder.trusted.clear()
        match = matcher.match(item.affiliation)
        # A rule may match a shorter text first ("Harvard" of "Harvard Medical School"): the
        # string's own organizations are the ones recorded last.
        count = len(match.organizations)
        first = len(recorder.rows) - count
        rows, kept_unscored = recorder.rows[first:], recorder.trusted[first:]
        assert len(rows) == count
        for x, kept, org in zip(rows, kept_unscored, match.organizations, strict=True):
            ids = {org.ror_id, org.unit_ror_id} - {""}
            xs.append(x)
            ys.append(int(bool(ids & item.ror_ids)))
            trusted.append(kept)
    return xs, ys, trusted, gold


def _csv(path: Path) -> list[LabeledString]:
    return load_labeled_strings(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "extractor" / "data" / "ranker.json")
    parser.add_argument("--trees", type=int, default=120)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--beta", type=float, default=0.5, help="the threshold maximizes F-beta (precision first)")
    parser.add_argument("--drop", default="", help="comma-separated features held at zero (never split on)")
    args = parser.parse_args()
    from sklearn.ensemble import GradientBoostingClassifier

    tune_sets = {
        "s2aff_val": load_labeled_strings(S2AFF, split="val"),
        "springer_2023": load_labeled_strings(SPRINGER_2023),
    }
    held_out = {i.affiliation for i in load_labeled_strings(CROSSREF_2024)}
    held_out |= {i.affiliation for i in load_labeled_strings(S2AFF, split="test")}
    held_out |= {i.affiliation for items in tune_sets.values() for i in items}
    train: list[LabeledString] = []
    for path in (
        EXP / "20230628_Crossref_publisher_asserted_affiliation_string_ROR_IDs_train.csv",
        EXP / "20230903_affiliation_matching_logs_train.csv",
        EXP / "20231031_springer_nature.csv",
    ):
        train += _csv(path)
    train += load_labeled_strings(S2AFF, split="train")
    seen: set[str] = set()
    kept = []
    for item in train:
        if item.affiliation in held_out or item.affiliation in seen or not item.affiliation.strip():
            continue
        seen.add(item.affiliation)
        kept.append(item)
    print(f"training strings: {len(kept)} (of {len(train)}; tuning/evaluation strings and repeats dropped)")
    x, y, _trusted, _gold = examples(kept)
    dropped = [FEATURES.index(name) for name in args.drop.split(",") if name]
    for row in x:
        for column in dropped:
            row[column] = 0.0
    print(f"training organizations: {len(y)}, right: {sum(y)} ({sum(y) / max(len(y), 1):.3f})")
    model = GradientBoostingClassifier(
        n_estimators=args.trees, max_depth=args.depth, learning_rate=0.1, subsample=0.8, random_state=0
    )
    model.fit(x, y)
    importances = sorted(zip(model.feature_importances_, FEATURES, strict=True), reverse=True)
    print("top features:", ", ".join(f"{n} {v:.3f}" for v, n in importances[:12]))

    # Threshold on the tuning strings: precision and recall over labeled ids, as --eval counts them.
    tune_x: list[list[float]] = []
    tune_y: list[int] = []
    tune_trusted: list[bool] = []
    gold_total = 0
    for name, items in tune_sets.items():
        tx, ty, tt, gold = examples(items)
        tune_x += tx
        tune_y += ty
        tune_trusted += tt
        gold_total += gold
        print(f"tuning set {name}: {len(items)} strings, {len(ty)} organizations, {gold} labeled ids")
    for row in tune_x:
        for column in dropped:
            row[column] = 0.0
    # Trusted organizations (curated ML layer, prior, e-mail/co-author context) are kept unscored.
    probs = [1.0 if kept else p for p, kept in zip(model.predict_proba(tune_x)[:, 1], tune_trusted, strict=True)]
    best = None
    curve = []
    for step in range(0, 96):
        threshold = step / 100
        tp = sum(1 for p, t in zip(probs, tune_y, strict=True) if p >= threshold and t)
        fp = sum(1 for p, t in zip(probs, tune_y, strict=True) if p >= threshold and not t)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / gold_total if gold_total else 0.0
        b2 = args.beta**2
        fbeta = (1 + b2) * precision * recall / (b2 * precision + recall) if precision + recall else 0.0
        curve.append((threshold, precision, recall, fbeta))
    best = max(curve, key=lambda c: c[3])
    for threshold, precision, recall, fbeta in curve[::5]:
        print(f"  threshold {threshold:.2f}: P {precision:.3f} R {recall:.3f} F{args.beta:g} {fbeta:.3f}")
    chosen = f"P {best[1]:.3f} R {best[2]:.3f} F{args.beta:g} {best[3]:.3f}"
    print(f"chosen threshold {best[0]:.2f}: {chosen} (tuning strings)")

    trees = []
    for estimator in model.estimators_[:, 0]:
        tree = estimator.tree_
        trees.append(
            {
                "feature": [int(f) for f in tree.feature],
                "threshold": [round(float(t), 6) for t in tree.threshold],
                "left": [int(c) for c in tree.children_left],
                "right": [int(c) for c in tree.children_right],
                "value": [round(float(v) * model.learning_rate, 6) for v in tree.value[:, 0, 0]],
            }
        )
    prior = model.init_.class_prior_[1]
    base = float(__import__("math").log(prior / (1 - prior)))
    payload = {
        "about": "scripts/train_ranker.py: gradient-boosted trees, log-odds = base + sum of leaf values",
        "features": list(FEATURES),
        "base": round(base, 6),
        "threshold": best[0],
        "trained_on": [
            "ror-experimental Crossref train",
            "ror-experimental API-log train",
            "ror-experimental Springer 10k without Springer 2023",
            "S2AFF train",
        ],
        "threshold_tuned_on": list(tune_sets),
        "threshold_rule": f"max F{args.beta:g} over labeled ids",
        "features_held_at_zero": [name for name in args.drop.split(",") if name],
        "trees": trees,
    }
    args.out.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB, {len(trees)} trees)")
    check = model.predict_proba(tune_x[:200])[:, 1]
    from extractor.normalize.ranker import Ranker

    shipped = Ranker.from_json(args.out.read_text(encoding="utf-8"))
    worst = max(abs(shipped.probability(row) - p) for row, p in zip(tune_x[:200], check, strict=True))
    print(f"shipped model vs sklearn: largest probability difference {worst:.2e}")


if __name__ == "__main__":
    main()

"""Calibrate the cross-check's verdict thresholds on the labelled claim pairs.

Reads quality/claim_pairs/pairs.jsonl (references into ../shared/data; see its README),
extracts the claims of every referenced article in context (clean + ClaimExtractor), measures
each pair exactly as the cross-check does (``crosscheck.similarities`` with the MiniLM
sentence encoder over the claims' clauses, ``crosscheck.verdict_for`` with the options), and
scores agree / conflict precision and recall.

Thresholds are tuned on the dev split only (coordinate search: the highest agree recall with
agree precision >= 0.9 and conflict precision >= 0.8), then the held-out split is scored once
with the chosen values.

    .venv/bin/python scripts/calibrate_verdicts.py                 # score the shipped options
    .venv/bin/python scripts/calibrate_verdicts.py --tune          # tune on dev, report held-out
    .venv/bin/python scripts/calibrate_verdicts.py --errors heldout  # list the misses
    .venv/bin/python scripts/calibrate_verdicts.py --model      # with the entailment model, as `run` uses it

With ``--model [DIR]`` the pairs the rules leave "related" go to the entailment model (the
shipped one, or the one in DIR) exactly as ``corroborator run`` sends them
(``crosscheck.model_verdicts``: support or contradiction both ways at MODEL_DECIDES): what
the model adds to the rules is measured where it is used.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from dataclasses import asdict, dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from claim_pairs import Pair, load_pairs  # noqa: E402

from corroborator.claims import ClaimExtractor  # noqa: E402
from corroborator.clean import clean  # noqa: E402
from corroborator.crosscheck import (  # noqa: E402
    CrossCheckOptions,
    Judge,
    PairSim,
    SoftOverlap,
    model_verdicts,
    similarities,
    verdict_for,
)
from corroborator.embed import Embedder, SentenceEncoder  # noqa: E402
from corroborator.records import Claim, RawDocument  # noqa: E402

PREDICTED = {"agrees": "agree", "conflicts": "conflict"}
GRID = {
    "agree_min": [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95],
    "agree_cos_min": [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8],
    "stance_agree_min": [0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80],
    "quantity_agree_min": [0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80],
    "quantity_context_min": [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01],
    "polarity_min": [0.75, 0.80, 0.85, 0.90, 0.95, 1.01],
    "stance_conflict_min": [0.6, 0.7, 0.8, 0.9, 1.01],
    "silence_min": [0.35, 0.5, 0.6, 0.7, 0.8, 1.01],
}


@dataclass
class Measured:
    pair: Pair
    a: Claim | None
    b: Claim | None
    near: list[PairSim]


def claim_at(claims: list[Claim], span: tuple[int, int]) -> Claim | None:
    """The claim whose sentence overlaps the labelled span most (offsets in the original)."""
    best, overlap = None, 0
    for c in claims:
        o = min(c.end, span[1]) - max(c.start, span[0])
        if o > overlap:
            best, overlap = c, o
    return best


def measure(pairs: list[Pair]) -> list[Measured]:
    sides = {}
    for p in pairs:
        for side in (p.a, p.b):
            sides.setdefault(side.article_key, side)
    articles = {}
    for key, side in sides.items():
        raw = RawDocument(source=key, text=side.article_text, fmt="txt",
                          outlet=side.outlet, title=side.title)  # fmt: skip
        articles[key] = clean(raw)
    extractor = ClaimExtractor()
    extracted = dict(zip(articles, extractor.extract_many(list(articles.values())), strict=True))
    encoder = SentenceEncoder()
    soft = SoftOverlap(Embedder())  # the word model the cross-check uses (the candidates' model)
    out = []
    for p in pairs:
        ca = claim_at(list(extracted[p.a.article_key].claims), p.a.span)
        cb = claim_at(list(extracted[p.b.article_key].claims), p.b.span)
        garbled = {**extracted[p.a.article_key].unusable(), **extracted[p.b.article_key].unusable()}
        if ca is None or cb is None or ca.id in garbled or cb.id in garbled:
            out.append(Measured(p, ca, cb, []))
            continue
        near = similarities([ca, cb], [(0, 1)], encoder, soft=soft)[(0, 1)]
        out.append(Measured(p, ca, cb, near))
    return out


def predict(m: Measured, options: CrossCheckOptions, judge: Judge | None = None) -> str:
    if not m.near or m.a is None or m.b is None:
        return "neither"
    verdicts = verdict_for(m.a, m.b, m.near, options)
    if judge is not None and verdicts and verdicts[0].verdict == "related":
        by_id = {m.a.id: m.a, m.b.id: m.b}
        verdicts = model_verdicts(verdicts[:1], by_id, judge, options.model_decides)
    return PREDICTED.get(verdicts[0].verdict, "neither") if verdicts else "neither"


def score(
    items: list[Measured], options: CrossCheckOptions, judge: Judge | None = None
) -> dict[str, float | int]:
    conf = Counter((m.pair.label, predict(m, options, judge)) for m in items)

    def pr(label: str) -> tuple[float, float, int]:
        tp = conf[(label, label)]
        pred = sum(v for (g, p), v in conf.items() if p == label)
        gold = sum(v for (g, p), v in conf.items() if g == label)
        return (tp / pred if pred else 1.0), (tp / gold if gold else 0.0), pred

    ap, ar, an = pr("agree")
    cp, cr, cn = pr("conflict")
    return {"n": len(items), "agree_precision": round(ap, 3), "agree_recall": round(ar, 3),
            "agree_predicted": an, "conflict_precision": round(cp, 3),
            "conflict_recall": round(cr, 3), "conflict_predicted": cn,
            "confusion": {f"{g}->{p}": v for (g, p), v in sorted(conf.items())}}  # type: ignore[dict-item]  # fmt: skip


def objective(s: dict) -> float:
    """Agree recall (and a little conflict recall), with the precision floors as hard
    constraints: a short precision costs more than any recall gains."""
    short = max(0.0, 0.9 - s["agree_precision"])
    if s["conflict_predicted"]:
        short += max(0.0, 0.8 - s["conflict_precision"])
    return s["agree_recall"] + 0.25 * s["conflict_recall"] - 10 * short


def fit(dev: list[Measured]) -> tuple[tuple[float, ...], float]:
    """Logistic regression of agree vs the rest on the agreement features (dev pairs only)."""
    from sklearn.linear_model import LogisticRegression

    from corroborator.crosscheck import agreement_features

    rows = [(agreement_features(m.a, m.b, m.near[0]), m.pair.label == "agree")
            for m in dev if m.near and m.a and m.b]  # fmt: skip
    model = LogisticRegression(C=1.0, max_iter=1000).fit([r[0] for r in rows], [r[1] for r in rows])
    return tuple(round(float(w), 3) for w in model.coef_[0]), round(float(model.intercept_[0]), 3)


def tune(dev: list[Measured], start: CrossCheckOptions) -> CrossCheckOptions:
    best, best_score = start, objective(score(dev, start))
    for _ in range(3):  # coordinate search, a few sweeps
        for name, values in GRID.items():
            for value in values:
                trial = replace(best, **{name: value})
                s = objective(score(dev, trial))
                if s > best_score + 1e-9:
                    best, best_score = trial, s
    return best


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tune", action="store_true", help="tune on dev, then score held-out")
    p.add_argument("--fit", action="store_true", help="refit the agreement weights on dev first")
    p.add_argument("--errors", choices=("dev", "heldout"), help="list misclassified pairs")
    p.add_argument("--json", type=Path, help="write the figures to this file")
    p.add_argument("--cache", type=Path, help="pickle of the measured pairs (reused when present)")
    p.add_argument("--model", nargs="?", const="shipped", metavar="DIR",
                   help="send the pairs the rules leave related to the entailment model")  # fmt: skip
    args = p.parse_args(argv)
    pairs = list(load_pairs("all"))
    if args.cache and args.cache.exists():
        items = pickle.loads(args.cache.read_bytes())
    else:
        items = measure(pairs)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(items))
    dev = [m for m in items if m.pair.split == "dev"]
    held = [m for m in items if m.pair.split == "heldout"]
    options = CrossCheckOptions()
    if args.fit:
        weights, bias = fit(dev)
        options = replace(options, agree_weights=weights, agree_bias=bias)
        print(f"fitted on dev: AGREE_WEIGHTS = {weights}, AGREE_BIAS = {bias}")
    if args.tune:
        options = tune(dev, options)
        chosen = {k: v for k, v in asdict(options).items() if k in GRID}
        print("chosen on dev:", json.dumps(chosen))
    judge: Judge | None = None
    if args.model:
        from corroborator.entailment import EntailmentModel

        judge = EntailmentModel(None if args.model == "shipped" else Path(args.model)).predict
    result = {"options": {k: v for k, v in asdict(options).items() if k in GRID},
              "dev": score(dev, options, judge), "heldout": score(held, options, judge)}  # fmt: skip
    for split in ("dev", "heldout"):
        print(split, json.dumps(result[split]))
    if args.errors:
        for m in dev if args.errors == "dev" else held:
            got = predict(m, options, judge)
            if got != m.pair.label:
                cos = m.near[0].cos if m.near else None
                print(f"\n{m.pair.id} gold {m.pair.label} got {got} cos {cos} {m.pair.note}")
                print("  A:", m.pair.a.sentence[:200])
                print("  B:", m.pair.b.sentence[:200])
                if m.near:
                    print("  parts:", m.near[0].part_a[:100], "|", m.near[0].part_b[:100])
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Evaluate the shipped entailment model on the held-out parts of ../shared/data.

What ``make eval`` runs for the entailment model. Prints, each with n:

* SNLI test: 3-way accuracy (sentence pairs);
* RTE dev: 2-way accuracy (supported vs not);
* VitaminC (real + synthetic), held-out part of the claims: balanced accuracy of
  "supported" vs not (a fixed sample of VITAMINC_SAMPLE pairs; 3-way accuracy beside it);
* FIB (XSum + CNN/DM), SummEdits (7 non-news domains), XSumFaith (majority vote of the
  factuality annotations per summary, joined with docs.jsonl): balanced accuracy of
  "supported" vs not, with the document-level :func:`corroborator.entailment.verify_documents`
  (each FIB item gives two claims: its consistent and its inconsistent summary).

Every set also gets the area under the ROC curve of the model's P(supported) (threshold
free) and, computed in the same run on the same items, the content-word-overlap baseline:
the share of the claim's content words found in the evidence, with its balanced accuracy
at the best threshold *for that set* (an oracle threshold, so an upper bound for the
baseline) and its AUC. ``margin`` is the model's balanced accuracy minus the baseline's.

SNLI test, RTE dev and the held-out VitaminC claims are never trained on. FIB, SummEdits and XSumFaith are split by
document (scripts/entailment_data.py): only the held-out half of their documents
("eval") is scored here; training uses another 42% and picks its threshold on 8%. Examples:

    .venv/bin/python scripts/eval_entailment.py
    .venv/bin/python scripts/eval_entailment.py --limit 300 --json /tmp/entailment-eval.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from datapaths import shared_data  # noqa: E402
from entailment_data import (  # noqa: E402
    balanced_accuracy,
    fib_pairs,
    in_part,
    summedits_items,
    vitaminc_pairs,
    xsumfaith_items,
)

from corroborator.entailment import LABELS, EntailmentModel, verify_documents  # noqa: E402
from corroborator.text import content_words  # noqa: E402

FLOORS = REPO / "quality" / "entailment_floors.json"
NLI_MAP = {"entailment": "supported", "contradiction": "contradicted", "neutral": "neither"}

# A loader returns items: (evidence, claim, gold label)
Item = tuple[str, str, str]

# VitaminC's held-out part has about 27,000 pairs; a fixed sample keeps `make eval` short.
VITAMINC_SAMPLE = 4000


def _sample(items: list, limit: int | None, seed: int = 0) -> list:
    if limit is None or limit >= len(items):
        return items
    return random.Random(seed).sample(items, limit)


def load_snli_test(data: Path, limit: int | None = None) -> list[Item]:
    items = []
    with open(data / "nli/snli/snli_1.0_test.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["gold_label"] in NLI_MAP:
                items.append((r["sentence1"], r["sentence2"], NLI_MAP[r["gold_label"]]))
    return _sample(items, limit)


def load_rte_dev(data: Path, limit: int | None = None) -> list[Item]:
    items = []
    with open(data / "nli/rte/dev.tsv", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 4:
                items.append(
                    (cols[1], cols[2], "supported" if cols[3] == "entailment" else "neither")
                )
    return _sample(items, limit)


def load_vitaminc(data: Path, limit: int | None = None) -> list[Item]:
    items = _sample(vitaminc_pairs(data, "eval"), VITAMINC_SAMPLE, seed=1)
    return _sample(items, limit)


def load_fib(data: Path, limit: int | None = None) -> list[Item]:
    """Each FIB item gives two claims: the consistent summary and the distractor."""
    pairs = in_part(fib_pairs(data), "eval")
    return [
        (it.doc, it.summary, "supported" if it.consistent else "not")
        for pair in _sample(pairs, limit)
        for it in pair
    ]


def load_summedits(data: Path, limit: int | None = None) -> list[Item]:
    items = in_part(summedits_items(data), "eval")
    return _sample(
        [(it.doc, it.summary, "supported" if it.consistent else "not") for it in items], limit
    )


def load_xsumfaith(data: Path, limit: int | None = None) -> list[Item]:
    items = in_part(xsumfaith_items(data), "eval")
    return _sample(
        [(it.doc, it.summary, "supported" if it.consistent else "not") for it in items], limit
    )


def roc_auc(gold: np.ndarray, scores: np.ndarray) -> float | None:
    """Area under the ROC curve of ``scores`` for ``gold`` (threshold-free; ties count half)."""
    pos, neg = scores[gold], scores[~gold]
    if not len(pos) or not len(neg):
        return None
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def overlap_scores(items: list[Item]) -> np.ndarray:
    """The baseline: share of the claim's content words that occur in the evidence."""
    scores = []
    for evidence, claim, _ in items:
        target = content_words(claim)
        scores.append(len(target & content_words(evidence)) / len(target) if target else 0.0)
    return np.array(scores)


def best_threshold_bacc(gold: np.ndarray, scores: np.ndarray) -> float:
    """Balanced accuracy of ``scores >= t`` at the best t for these items (an oracle)."""
    best = 0.5
    for t in np.unique(scores):
        best = max(best, balanced_accuracy(list(gold), list(scores >= t)))
    return best


def with_baseline(result: dict, items: list[Item], gold: np.ndarray, scores: np.ndarray) -> dict:
    """Add the model's AUC and the overlap baseline's balanced accuracy and AUC."""
    base = overlap_scores(items)
    result["roc_auc"] = roc_auc(gold, scores)
    result["overlap_bacc"] = best_threshold_bacc(gold, base)
    result["overlap_auc"] = roc_auc(gold, base)
    result["margin"] = result["bacc"] - result["overlap_bacc"]
    return result


def eval_snli(model: EntailmentModel, data: Path, limit: int | None) -> dict:
    items = load_snli_test(data, limit)
    probs = model.predict([e for e, _, _ in items], [c for _, c, _ in items])
    gold = np.array([LABELS.index(g) for _, _, g in items])
    sup = gold == LABELS.index("supported")
    pred = probs.argmax(1) == LABELS.index("supported")
    return with_baseline(
        {
            "metric": "accuracy (3-way)",
            "value": float((probs.argmax(1) == gold).mean()),
            "bacc": balanced_accuracy(list(sup), list(pred)),
            "n": len(items),
        },
        items,
        sup,
        probs[:, LABELS.index("supported")],
    )


def eval_vitaminc(model: EntailmentModel, data: Path, limit: int | None) -> dict:
    items = load_vitaminc(data, limit)
    probs = model.predict([e for e, _, _ in items], [c for _, c, _ in items])
    gold = np.array([LABELS.index(g) for _, _, g in items])
    sup = gold == LABELS.index("supported")
    pred = probs.argmax(1) == LABELS.index("supported")
    bacc = balanced_accuracy(list(sup), list(pred))
    return with_baseline(
        {
            "metric": "balanced accuracy (supported vs not)",
            "value": bacc,
            "bacc": bacc,
            "accuracy_3way": float((probs.argmax(1) == gold).mean()),
            "n": len(items),
        },
        items,
        sup,
        probs[:, LABELS.index("supported")],
    )


def eval_rte(model: EntailmentModel, data: Path, limit: int | None) -> dict:
    items = load_rte_dev(data, limit)
    probs = model.predict([e for e, _, _ in items], [c for _, c, _ in items])
    pred = probs.argmax(1) == LABELS.index("supported")
    gold = np.array([g == "supported" for _, _, g in items])
    return with_baseline(
        {
            "metric": "accuracy (2-way)",
            "value": float((pred == gold).mean()),
            "bacc": balanced_accuracy(list(gold), list(pred)),
            "n": len(items),
        },
        items,
        gold,
        probs[:, LABELS.index("supported")],
    )


SENTENCE_SETS: dict[str, Callable[[EntailmentModel, Path, int | None], dict]] = {
    "snli_test": eval_snli,
    "rte_dev": eval_rte,
    "vitaminc": eval_vitaminc,
}


DOC_SETS: dict[str, Callable[[Path, int | None], list[Item]]] = {
    "fib": load_fib,
    "summedits": load_summedits,
    "xsumfaith": load_xsumfaith,
}


def eval_document_set(
    model: EntailmentModel, items: list[Item], errors: list | None = None, pairwise: bool = False
) -> dict:
    # Labels and scores do not depend on pointing; the --errors file names the deciding
    # chunk's sentence sharing most words with the claim (no extra model calls).
    verdicts = verify_documents(model, [(claim, doc) for doc, claim, _ in items], point=False)
    gold = [g == "supported" for _, _, g in items]
    pred = [v.label == "supported" for v in verdicts]
    if errors is not None:
        errors.extend(
            {"claim": item[1], "gold": item[2], "verdict": v.label, "score": round(v.score, 3),
             "p_contradicted": round(v.p_contradicted, 3), "evidence_sentence": v.evidence_sentence}
            for item, v, g, q in zip(items, verdicts, gold, pred, strict=True)
            if g != q
        )  # fmt: skip
    scores = np.array([v.score for v in verdicts])
    extra = {}
    if pairwise:  # FIB: items come as (consistent, distractor) pairs of one document
        wins = [
            scores[i] > scores[i + 1] if gold[i] else scores[i + 1] > scores[i]
            for i in range(0, len(items) - 1, 2)
        ]
        extra["pairwise_accuracy"] = float(np.mean(wins))
    bacc = balanced_accuracy(gold, pred)
    extra = with_baseline(extra | {"bacc": bacc}, items, np.array(gold), scores)
    return extra | {
        "metric": "balanced accuracy (supported vs not)",
        "value": bacc,
        "n": len(items),
        "n_supported": int(sum(gold)),
        "predicted_supported": int(sum(pred)),
        "mean_score_supported": float(scores[np.array(gold)].mean()) if any(gold) else None,
        "mean_score_not": float(scores[~np.array(gold)].mean()) if not all(gold) else None,
    }


def run(
    model: EntailmentModel,
    data: Path,
    limit: int | None,
    sets: list[str],
    errors: dict | None = None,
) -> dict:
    results: dict = {}
    for name, evaluate in SENTENCE_SETS.items():
        if name in sets:
            t = time.time()
            results[name] = evaluate(model, data, limit) | {"seconds": round(time.time() - t, 1)}
    for name, loader in DOC_SETS.items():
        if name in sets:
            t = time.time()
            wrong = errors.setdefault(name, []) if errors is not None else None
            results[name] = eval_document_set(model, loader(data, limit), wrong, name == "fib") | {
                "seconds": round(time.time() - t, 1)
            }
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--data", type=Path, default=None, help="shared data folder (default ../shared/data)"
    )
    p.add_argument(
        "--model-dir",
        type=Path,
        default=None,
        help="model folder (default: src/corroborator/models/entailment)",
    )
    p.add_argument("--limit", type=int, default=None, help="at most N items per set (fixed sample)")
    p.add_argument(
        "--sets",
        default="snli_test,rte_dev,vitaminc,fib,summedits,xsumfaith",
        help="comma-separated",
    )
    p.add_argument("--threads", type=int, default=0, help="onnxruntime threads (0: all cores)")
    p.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    p.add_argument(
        "--errors", type=Path, default=None, help="write wrong document-level verdicts here"
    )
    p.add_argument(
        "--check-floors",
        action="store_true",
        help=f"exit 1 when a figure is below its floor in {FLOORS.relative_to(REPO)}",
    )
    args = p.parse_args(argv)

    data = args.data or shared_data()
    if not data.is_dir():
        print(f"shared data folder not found at {data}; nothing to evaluate", file=sys.stderr)
        return 2
    model = EntailmentModel(args.model_dir, threads=args.threads)
    errors: dict = {}
    results = run(model, data, args.limit, args.sets.split(","), errors if args.errors else None)
    if args.errors:
        args.errors.write_text(
            json.dumps(errors, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    print(
        f"{'set':<11} {'metric':<37} {'value':>6} {'n':>6} {'bacc':>6} {'auc':>6}"
        f" {'ovl_bacc':>8} {'ovl_auc':>7} {'margin':>6} {'secs':>6}"
    )
    for name, r in results.items():
        print(
            f"{name:<11} {r['metric']:<37} {r['value']:>6.3f} {r['n']:>6} {r['bacc']:>6.3f}"
            f" {_fmt(r['roc_auc']):>6} {r['overlap_bacc']:>8.3f} {_fmt(r['overlap_auc']):>7}"
            f" {r['margin']:>+6.3f} {r['seconds']:>6}"
        )
    docs = [results[n]["bacc"] for n in DOC_SETS if n in results]
    if docs:
        print(f"mean balanced accuracy over {', '.join(n for n in DOC_SETS if n in results)}: "
              f"{np.mean(docs):.3f}")  # fmt: skip
    if args.json:
        meta = {"limit": args.limit, "model_dir": str(model.model_dir)}
        args.json.write_text(
            json.dumps({"meta": meta, "results": results}, indent=2) + "\n", encoding="utf-8"
        )
    if args.check_floors:
        return check_floors(results, args.limit)
    return 0


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def check_floors(results: dict, limit: int | None) -> int:
    """Compare with the pinned floors; a set pinned with another --limit is not compared."""
    pinned = json.loads(FLOORS.read_text(encoding="utf-8"))["eval"]
    failed = []
    for name, entry in pinned.items():
        if name not in results:
            continue
        if entry["limit"] != limit:
            print(
                f"{name}: floor pinned with --limit {entry['limit']}; not compared", file=sys.stderr
            )
        elif results[name]["value"] < entry["floor"]:
            failed.append(f"{name}: {results[name]['value']:.3f} < floor {entry['floor']}")
    for line in failed:
        print(f"BELOW FLOOR {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Score corroborator's pairwise verdict on the labelled claim pairs (quality/claim_pairs/).

For every pair, both whole articles are cleaned (``corroborator.clean.clean`` on a
``RawDocument``) and their claims extracted with ``ClaimExtractor`` (so speakers are resolved
in context); the claim of each referenced sentence is the one whose span in the original
text overlaps the reference most. The two propositions are embedded, and the judging
function turns (claim a, claim b, cosine) into a verdict: ``agrees`` -> agree,
``conflicts`` -> conflict, anything else (``related``, None, no claim for a sentence) ->
neither. Prints a confusion matrix (gold rows, predicted columns) and the agree and
conflict precision / recall.

The embedder and the judge are plug points (``EMBEDDERS``, ``JUDGES``): to try another one,
add it there, or build ``verdict_of = make_verdict_of(pairs, embed=..., judge=...)`` and call
``score(pairs, verdict_of)`` from your own code.

    python scripts/eval_claim_pairs.py --split dev
    python scripts/eval_claim_pairs.py --split heldout --json
    python scripts/eval_claim_pairs.py --split all --errors   # list the pairs it gets wrong
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# this script's sibling (claim_pairs) and the repository's own package
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "src"))
from claim_pairs import LABELS, PAIRS, ClaimPairsError, Pair, Side, load_pairs  # noqa: E402

from corroborator.records import Claim, Verdict  # noqa: E402

Embed = Callable[[Sequence[str]], np.ndarray]  # texts -> unit vectors, one row each
Judge = Callable[[Claim, Claim, float], Verdict | None]  # corroborator.crosscheck.judge_pair
VERDICT_LABEL = {"agrees": "agree", "conflicts": "conflict"}


def _static_embedder() -> Embed:
    from corroborator.embed import Embedder

    return Embedder()


def _rules_judge() -> Judge:
    from corroborator.crosscheck import judge_pair

    return judge_pair


# Plug points: name -> factory. Add an entry to compare another embedder or judge.
EMBEDDERS: dict[str, Callable[[], Embed]] = {"static": _static_embedder}
JUDGES: dict[str, Callable[[], Judge]] = {"rules": _rules_judge}


@dataclass(frozen=True)
class Extracted:
    """The claims of both sides of a pair (None: the sentence gave no claim)."""

    a: Claim | None
    b: Claim | None


class PairClaims:
    """Cleans and extracts every article the pairs refer to, once, in one batch."""

    def __init__(self, pairs: Iterable[Pair]) -> None:
        from corroborator.claims import ClaimExtractor
        from corroborator.clean import clean
        from corroborator.errors import CorroboratorError
        from corroborator.records import RawDocument

        sides: dict[str, Side] = {}
        for p in pairs:
            sides.setdefault(p.a.article_key, p.a)
            sides.setdefault(p.b.article_key, p.b)
        articles = {}
        self.skipped: dict[str, str] = {}
        for key, side in sides.items():
            raw = RawDocument(
                source=key, text=side.article_text, fmt="jsonl",
                # an unnamed outlet still is its own source
                outlet=side.outlet or f"unknown outlet ({key})", title=side.title,
            )  # fmt: skip
            try:
                articles[key] = clean(raw)
            except CorroboratorError as exc:
                self.skipped[key] = str(exc)
        keys = sorted(articles)
        extracted = ClaimExtractor().extract_many(articles[k] for k in keys)
        self.claims = {k: ac.claims for k, ac in zip(keys, extracted, strict=True)}

    def claim(self, side: Side) -> Claim | None:
        """The claim whose sentence overlaps the referenced span most."""
        start, end = side.span
        best, overlap = None, 0
        for c in self.claims.get(side.article_key, ()):
            o = min(end, c.end) - max(start, c.start)
            if o > overlap:
                best, overlap = c, o
        return best

    def __call__(self, pair: Pair) -> Extracted:
        return Extracted(self.claim(pair.a), self.claim(pair.b))


def make_verdict_of(
    pairs: Sequence[Pair], embed: Embed | None = None, judge: Judge | None = None
) -> Callable[[Pair], str]:
    """A function pair -> agree | conflict | neither, with the claims of all ``pairs``
    extracted and their propositions embedded up front."""
    embed = embed or _static_embedder()
    judge = judge or _rules_judge()
    extract = PairClaims(pairs)
    found = {p.id: extract(p) for p in pairs}
    texts = sorted({c.proposition for e in found.values() for c in (e.a, e.b) if c is not None})
    vectors = dict(zip(texts, embed(texts), strict=True)) if texts else {}

    def verdict_of(pair: Pair) -> str:
        e = found.get(pair.id) or extract(pair)
        if e.a is None or e.b is None:
            return "neither"
        cos = float(vectors[e.a.proposition] @ vectors[e.b.proposition])
        v = judge(e.a, e.b, cos)
        return VERDICT_LABEL.get(v.verdict, "neither") if v is not None else "neither"

    verdict_of.found = found  # type: ignore[attr-defined]
    return verdict_of


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def score(pairs: Sequence[Pair], verdict_of: Callable[[Pair], str]) -> dict[str, Any]:
    """Confusion matrix and per-label precision / recall of ``verdict_of`` on ``pairs``."""
    confusion = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    errors = []
    for p in pairs:
        pred = verdict_of(p)
        confusion[p.label][pred] += 1
        if pred != p.label:
            errors.append({"id": p.id, "gold": p.label, "predicted": pred})
    out: dict[str, Any] = {"pairs": len(pairs), "confusion": confusion}
    for label in ("agree", "conflict"):
        tp = confusion[label][label]
        predicted = sum(confusion[g][label] for g in LABELS)
        gold = sum(confusion[label].values())
        out[f"{label}_precision"] = _ratio(tp, predicted)
        out[f"{label}_recall"] = _ratio(tp, gold)
    out["accuracy"] = _ratio(sum(confusion[g][g] for g in LABELS), len(pairs))
    out["errors"] = errors
    return out


def evaluate(
    split: str = "dev", embedder: str = "static", judge: str = "rules", path: Path = PAIRS
) -> dict[str, Any]:
    pairs = list(load_pairs(split, path))
    verdict_of = make_verdict_of(pairs, EMBEDDERS[embedder](), JUDGES[judge]())
    result = score(pairs, verdict_of)
    found = verdict_of.found  # type: ignore[attr-defined]
    result["no_claim"] = sum((e.a is None) + (e.b is None) for e in found.values())
    result["by_origin"] = {
        origin: {k: v for k, v in score(sub, verdict_of).items() if k != "errors"}
        for origin in sorted({p.origin for p in pairs})
        if (sub := [p for p in pairs if p.origin == origin])
    }
    result.update(split=split, embedder=embedder, judge=judge)
    return result


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"split {result['split']}: {result['pairs']} pairs "
        f"(embedder {result['embedder']}, judge {result['judge']}; "
        f"{result['no_claim']} referenced sentences gave no claim)",
        f"{'gold / predicted':>18} " + " ".join(f"{label:>9}" for label in LABELS),
    ]
    for g in LABELS:
        row = result["confusion"][g]
        lines.append(f"{g:>18} " + " ".join(f"{row[p]:>9}" for p in LABELS))
    for label in ("agree", "conflict"):
        lines.append(
            f"{label:>9} precision {result[f'{label}_precision']}  "
            f"recall {result[f'{label}_recall']}"
        )
    lines.append(f"accuracy {result['accuracy']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: python scripts/eval_claim_pairs.py --split heldout --json",
    )
    parser.add_argument("--split", default="dev", choices=("dev", "heldout", "all"))
    parser.add_argument("--embedder", default="static", choices=sorted(EMBEDDERS))
    parser.add_argument("--judge", default="rules", choices=sorted(JUDGES))
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--errors", action="store_true", help="list the pairs judged wrongly")
    args = parser.parse_args(argv)
    try:
        result = evaluate(args.split, args.embedder, args.judge, args.pairs)
    except ClaimPairsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.errors:
        result.pop("errors")
        for sub in result["by_origin"].values():
            sub.pop("errors", None)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(_table(result))
    for origin, sub in result["by_origin"].items():
        print(
            f"  {origin}: {sub['pairs']} pairs, agree P {sub['agree_precision']} "
            f"R {sub['agree_recall']}, conflict P {sub['conflict_precision']} "
            f"R {sub['conflict_recall']}"
        )
    for e in result.get("errors", []):
        print(f"  {e['id']}: gold {e['gold']}, predicted {e['predicted']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

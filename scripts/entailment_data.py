"""Document-level consistency data of ../shared/data, split by document.

Shared by ``train_entailment.py`` and ``eval_entailment.py`` so that both cut the same
way. FIB (XSum and CNN/DM), XSumFaith and SummEdits are split by *document*: a document
and every summary of it fall in one part, so a summary of a held-out article is never
trained on. The part comes from a hash of the document key (the XSum BBC id, which FIB
and XSumFaith share, so the 40 documents in both land in the same part; the CNN/DM id;
a hash of the text for SummEdits):

* ``eval`` (50% of documents): held out; ``make eval`` reports on it;
* ``dev`` (8%): used once after training to pick the support threshold;
* ``train`` (42%): training pairs.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PARTS = ("eval", "dev", "train")


def part_of(key: str) -> str:
    """Which part a document key falls in (stable across runs and machines)."""
    bucket = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "eval" if bucket < 50 else "dev" if bucket < 58 else "train"


@dataclass(frozen=True)
class DocItem:
    """One (document, summary) pair with its consistency label."""

    doc: str
    summary: str
    consistent: bool
    source: str  # fib_xsum, fib_cnn_dm, xsumfaith, summedits_<domain>
    key: str  # the document key the split is made on
    reference: str = ""  # SummEdits: the seed summary it was edited from; FIB: the consistent one


def untag(summary: str) -> str:
    """FIB's CNN/DM summaries mark sentences as <t> ... </t>; keep the text."""
    return " ".join(summary.replace("<t>", " ").replace("</t>", " ").split())


def fib_pairs(data: Path) -> list[tuple[DocItem, DocItem]]:
    """FIB items as (consistent, distractor) pairs."""
    pairs = []
    for sub in ("xsum", "cnn_dm"):
        for path in sorted((data / "consistency/fib" / sub).glob("*.jsonl")):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    r = json.loads(line)
                    good = untag(r["list_choices"][r["lbl"]])
                    bad = untag(r["list_choices"][1 - r["lbl"]])
                    key = str(r["id"])
                    source = f"fib_{sub}"
                    pairs.append(
                        (
                            DocItem(r["input"], good, True, source, key, good),
                            DocItem(r["input"], bad, False, source, key, good),
                        )
                    )
    return pairs


def xsumfaith_items(data: Path) -> list[DocItem]:
    """Summaries with a majority factuality vote (ties dropped), joined with their article."""
    folder = data / "consistency/xsumfaith"
    docs = {}
    with open(folder / "docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            docs[str(r["bbcid"])] = r["document"]
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    summaries: dict[tuple[str, str], str] = {}
    with open(
        folder / "factuality_annotations_xsum_summaries.csv", encoding="utf-8", newline=""
    ) as fh:
        for r in csv.DictReader(fh):
            key = (str(r["bbcid"]), r["system"])
            votes[key][r["is_factual"].strip().lower()] += 1
            summaries[key] = r["summary"]
    items = []
    for key in sorted(votes):
        yes, no = votes[key]["yes"], votes[key]["no"]
        if key[0] in docs and yes != no:
            items.append(DocItem(docs[key[0]], summaries[key], yes > no, "xsumfaith", key[0]))
    return items


def summedits_items(data: Path) -> list[DocItem]:
    items = []
    for path in sorted((data / "consistency/summedits").glob("summedits_*.json")):
        domain = path.stem.removeprefix("summedits_")
        for r in json.loads(path.read_text(encoding="utf-8")):
            key = "summedits:" + hashlib.sha1(r["doc"].encode("utf-8")).hexdigest()
            items.append(
                DocItem(
                    r["doc"],
                    r["summary"],
                    int(r["label"]) == 1,
                    f"summedits_{domain}",
                    key,
                    r.get("original_summary") or "",
                )
            )
    return items


def in_part(items: list, part: str) -> list:
    """Items (or FIB pairs) whose document falls in ``part``."""
    return [it for it in items if part_of((it[0] if isinstance(it, tuple) else it).key) == part]


def balanced_accuracy(gold: list[bool], pred: list[bool]) -> float:
    """Mean of the recalls of the classes present in ``gold`` (here: supported, not)."""
    g, p = np.array(gold), np.array(pred)
    recalls = [float((p[g == v] == v).mean()) for v in (True, False) if (g == v).any()]
    return float(np.mean(recalls))


MORE_LABELS = {
    "entailment": "supported",
    "contradiction": "contradicted",
    "neutral": "neither",
    "not_entailment": "neither",
}


def vitaminc_key(claim: str) -> str:
    """VitaminC's split key: the claim, so a claim's contrastive evidence stays in one part."""
    return "vitaminc:" + " ".join(claim.lower().split())


def more_pairs(data: Path, name: str) -> list[tuple[str, str, str]]:
    """(evidence, claim, label) pairs of ``nli/more/<name>.jsonl`` with this project's labels."""
    pairs = []
    with open(data / "nli/more" / f"{name}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["label"] in MORE_LABELS:
                pairs.append((r["premise"], r["hypothesis"], MORE_LABELS[r["label"]]))
    return pairs


def vitaminc_pairs(data: Path, part: str) -> list[tuple[str, str, str]]:
    """VitaminC (real and synthetic) pairs whose claim falls in ``part`` (see part_of)."""
    return [
        p
        for name in ("vitaminc_real_test", "vitaminc_synthetic_test")
        for p in more_pairs(data, name)
        if part_of(vitaminc_key(p[1])) == part
    ]

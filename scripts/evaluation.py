"""Quality measures on the shared development data (../shared/data), used by
scripts/calibrate_*.py and by the quality gate (tests/test_quality.py, quality/floors.json).
It reads the repository's ../shared, so it lives in scripts/, not in the package.

Story grouping on data/stories/allsides: every crawl line is a gold group of 2-3 outlets'
articles (title + lead paragraphs). Articles are shuffled with a fixed seed, grouped
incrementally, and scored with pairwise and B-cubed precision / recall. Stories are split by
id parity: even ids are the dev half thresholds were tuned on, odd ids the held-out half.

The crawl dates each story, not its articles. An article is dated with its story's date
moved by a random offset of up to ``DATE_JITTER_DAYS`` either way (seeded), as outlets
publish around the day AllSides writes its roundup; so the date narrows the candidates to a
few weeks of stories but never names the story.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from datapaths import shared_data

from corroborator.records import Article
from corroborator.stories import StoryFeatures, StoryFeaturizer, StoryGrouper, StoryOptions

ALLSIDES = Path("stories/allsides/headline_11_2021-10-19_crawled_all.jsonl")
NEUS = Path("stories/allsides")
DATE_JITTER_DAYS = 1.0


def load_allsides(
    split: str = "test", data: Path | None = None, dated: bool = True, seed: int = 13
) -> list[tuple[Article, int]]:
    """(article, gold story id) pairs from the AllSides crawl; split is dev, test or all.
    ``seed`` fixes the arrival order (and the date offsets)."""
    path = (data or shared_data()) / ALLSIDES
    jitter = random.Random(29)
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        sid = int(story["id"])
        keep = split == "all" or (split == "dev") == (sid % 2 == 0)
        for side, item in sorted((story.get("news") or {}).items()):
            body = "\n\n".join(p for p in item.get("newBody") or [] if p.strip())
            offset = timedelta(days=jitter.uniform(-DATE_JITTER_DAYS, DATE_JITTER_DAYS))
            if not body or not keep:
                continue
            published = None
            if dated and story.get("date"):
                published = (datetime.fromisoformat(story["date"]) + offset).isoformat()
            aid = f"{sid}-{side}"
            article = Article(
                id=aid, source=aid, fmt="jsonl", original=body, text=body, segments=((0, 0, len(body)),),
                outlet=item.get("newsSource"), title=item.get("newsTitle"), published=published,
            )  # fmt: skip
            out.append((article, sid))
    random.Random(seed).shuffle(out)
    return out


def load_neus(split: str = "val", data: Path | None = None) -> list[tuple[Article, int]]:
    """(article, gold story) pairs from the NeuS ``.source`` file: each line is one story told
    by three outlets (title and text each; no dates, no outlet names)."""
    path = (data or shared_data()) / NEUS / f"{split}.source"
    out = []
    for k, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        for j, part in enumerate(line.split("[SEP]")):
            head, _, body = part.partition("ARTICLE=>")
            title = head.replace("TITLE=>", "").strip().removesuffix(".").strip()
            body = body.strip()
            if not body:
                continue
            aid = f"neus{k}-{j}"
            article = Article(
                id=aid, source=aid, fmt="jsonl", original=body, text=body, segments=((0, 0, len(body)),),
                title=title or None,
            )  # fmt: skip
            out.append((article, k))
    random.Random(13).shuffle(out)
    return out


def pairwise_prf(pred: Sequence[int], gold: Sequence[int]) -> tuple[float, float, float]:
    def pairs(labels: Sequence[int]) -> set[tuple[int, int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for i, g in enumerate(labels):
            groups[g].append(i)
        return {p for members in groups.values() for p in combinations(members, 2)}

    p, g = pairs(pred), pairs(gold)
    precision = len(p & g) / len(p) if p else 1.0
    recall = len(p & g) / len(g) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed_prf(pred: Sequence[int], gold: Sequence[int]) -> tuple[float, float, float]:
    by_pred: dict[int, set[int]] = defaultdict(set)
    by_gold: dict[int, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for p, g in zip(pred, gold, strict=True):
        common = len(by_pred[p] & by_gold[g])
        precision += common / len(by_pred[p])
        recall += common / len(by_gold[g])
    n = len(pred)
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def group(
    articles: Sequence[Article],
    features: Sequence[StoryFeatures],
    options: StoryOptions | None = None,
) -> list[int]:
    """Group the articles one at a time, in the given order; the final story of each
    (consolidation may move an article after it was placed), as a number."""
    grouper = StoryGrouper(options=options)
    for article, feats in zip(articles, features, strict=True):
        grouper.assign(feats, published=article.published)
    numbers: dict[str, int] = {}
    return [numbers.setdefault(grouper.story_of[a.id], len(numbers)) for a in articles]


def scores(pred: Sequence[int], gold: Sequence[int]) -> dict[str, float]:
    pp, pr, pf = pairwise_prf(pred, gold)
    bp, br, bf = bcubed_prf(pred, gold)
    return {
        "pairwise_precision": pp, "pairwise_recall": pr, "pairwise_f1": pf,
        "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf,
    }  # fmt: skip


def evaluate_grouping(
    split: str = "test", options: StoryOptions | None = None, orders: int = 2
) -> dict[str, float]:
    """Scores of one arrival order, and ``order_gap``: the largest change of B-cubed F1 over
    ``orders`` more arrival orders of the same articles."""
    data = load_allsides(split)
    articles = [a for a, _ in data]
    gold = [g for _, g in data]
    features = StoryFeaturizer(options)(articles)
    measured = scores(group(articles, features, options), gold)
    gap = 0.0
    for seed in range(1, orders + 1):
        order = list(range(len(articles)))
        random.Random(seed).shuffle(order)
        shuffled = scores(
            group([articles[k] for k in order], [features[k] for k in order], options),
            [gold[k] for k in order],
        )
        gap = max(gap, abs(shuffled["bcubed_f1"] - measured["bcubed_f1"]))
    return {"articles": len(articles), "stories": len(set(gold)), **measured, "order_gap": gap}


def plain_article(key: str, text: str) -> Article:
    """``text`` as an uncleaned article of one segment (what the evaluations extract from)."""
    return Article(id=key, source=key, fmt="txt", original=text, text=text,
                   segments=((0, 0, len(text)),), outlet=None)  # fmt: skip


# --- attribution on PolNeAR ---------------------------------------------------------------
POLNEAR = Path("attribution/polnear")


def load_polnear(
    split: str, limit: int | None = None, data: Path | None = None
) -> list[tuple[str, list[dict[str, tuple[int, int]]]]]:
    """(article text, gold attributions) with Source/Cue/Content character spans; one
    annotator's file per article (the first by name)."""
    root = (data or shared_data()) / POLNEAR / split
    out = []
    for text_path in sorted((root / "text").glob("*.txt"))[:limit]:
        anns = sorted((root / "attributions").glob(text_path.stem + "_*.ann"))
        if not anns:
            continue
        spans: dict[str, tuple[str, int, int]] = {}
        relations = []
        for line in anns[0].read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T") and len(parts) >= 2:
                kind, *offsets = parts[1].split(" ")
                try:
                    spans[parts[0]] = (kind, int(offsets[0]), int(offsets[-1]))
                except (ValueError, IndexError):
                    continue
            elif line.startswith("E") and len(parts) >= 2:
                rel = {}
                for arg in parts[1].split(" "):
                    role, _, tid = arg.partition(":")
                    if tid in spans:
                        rel[role] = (spans[tid][1], spans[tid][2])
                if "Cue" in rel:
                    relations.append(rel)
        out.append((text_path.read_text(encoding="utf-8"), relations))
    return out


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


WORD_RE = re.compile(r"\w+")
PRONOUN_SOURCES = {
    "he", "she", "they", "i", "we", "you", "it", "him", "her", "them", "me", "us", "his",
    "hers", "their", "its", "our", "my", "who", "whom", "which", "that", "this", "these",
    "those", "one", "someone", "some", "others", "many",
}  # fmt: skip


def _words(text: str, span: tuple[int, int]) -> set[int]:
    """Start offsets of the words inside ``span`` of ``text``."""
    return {m.start() for m in WORD_RE.finditer(text, span[0], span[1])}


def _speaker_match(text: str, a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    """Two speaker spans share at least half of the shorter one's words."""
    if a is None or b is None:
        return False
    wa, wb = _words(text, a), _words(text, b)
    return bool(wa and wb) and len(wa & wb) >= 0.5 * min(len(wa), len(wb))


def _pronoun_only(text: str, span: tuple[int, int] | None) -> bool:
    return span is not None and all(
        w.lower() in PRONOUN_SOURCES for w in WORD_RE.findall(text[span[0] : span[1]])
    )


def _content_span(c: Any) -> tuple[int, int]:
    """Where the claim's reported content is: its proposition inside the sentence, else
    the whole sentence (clean-text offsets)."""
    span = getattr(c, "content_span", None)
    if span is not None:
        return tuple(span)  # type: ignore[return-value]
    at = c.text.find(c.proposition) if c.proposition else -1
    if at >= 0:
        return (c.clean_start + at, c.clean_start + at + len(c.proposition))
    return (c.clean_start, c.clean_end)


def _who_hit(
    text: str,
    said: tuple[tuple[int, int] | None, tuple[int, int]],
    gold: dict[str, tuple[int, int]],
    lenient: bool,
) -> bool:
    """A predicted (speaker span, content span) matches a gold relation: contents overlap
    and speakers share half the shorter one's words (any speaker when ``lenient``)."""
    if not _overlap(said[1], gold.get("Content")):
        return False
    return lenient or _speaker_match(text, said[0], gold["Source"])


def evaluate_attribution(
    split: str = "dev",
    limit: int | None = None,
    articles: Sequence[int] | None = None,
    cue_model: Any = True,
) -> dict[str, float]:
    """Precision and recall of attributions (cue, and cue with its source) on PolNeAR.

    A predicted attribution is a claim with a cue and a speaker. It matches a gold relation
    when their cue spans overlap; "source" scores also need the speaker span to overlap the
    gold Source. Gold relations without a Source (the annotators' Attribution-no-source)
    count for recall of cues only. PolNeAR annotates every attribution, thoughts and
    feelings included ("mocked", "don't like"); corroborator extracts reported speech, so
    recall here is a lower bound of what matters to it.

    The who-says-what rule (issue 10), cue-free: a gold relation with a Source counts as
    found when a claim that names a speaker has a speaker sharing at least half of the
    shorter one's words with the Source and a content span (its proposition in the
    sentence) overlapping the gold Content; precision is over the claims that name a
    speaker (the outlet's own voice excluded). ``who_*_pron`` also accept, for gold
    Sources that are only pronouns ("he", "they"), any speaker whose content overlaps.

    ``articles``: only these (indices in file-name order); ``cue_model``: the extractor's
    learned cue detector (True: the shipped one; a CueModel; None: the lexicon alone).
    """
    from corroborator.claims import ClaimExtractor

    extractor = ClaimExtractor(cue_model=cue_model)
    docs = load_polnear(split, limit)
    if articles is not None:
        docs = [docs[k] for k in articles]
    plain = [plain_article(f"p{k}", text) for k, (text, _) in enumerate(docs)]
    predicted = gold = cue_tp_p = cue_tp_r = src_tp_p = src_tp_r = gold_src = 0
    named = who_tp_p = who_tp_r = who_tp_p_pron = who_tp_r_pron = 0
    for ac, (text, relations) in zip(extractor.extract_many(plain), docs, strict=True):
        preds = [c for c in ac.claims if c.cue_span is not None]
        predicted += len(preds)
        gold += len(relations)
        sourced = [r for r in relations if "Source" in r]
        gold_src += len(sourced)
        for c in preds:
            hits = [r for r in relations if _overlap(c.cue_span, r["Cue"])]
            cue_tp_p += bool(hits)
            src_tp_p += any(_overlap(c.speaker_span, r.get("Source")) for r in hits)
        for r in relations:
            found = [c for c in preds if _overlap(c.cue_span, r["Cue"])]
            cue_tp_r += bool(found)
            if "Source" in r:
                src_tp_r += any(_overlap(c.speaker_span, r["Source"]) for c in found)
        # every attribution that names a speaker: each claim's own, then its sentence's others
        speakers = [
            (c.speaker_span, _content_span(c)) for c in ac.claims if c.speaker is not None
        ] + [(a.speaker_span, a.content_span) for c in ac.claims for a in c.attributions]
        named += len(speakers)
        pron = [_pronoun_only(text, r["Source"]) for r in sourced]

        for sp in speakers:
            who_tp_p += any(_who_hit(text, sp, r, False) for r in sourced)
            who_tp_p_pron += any(
                _who_hit(text, sp, r, p) for r, p in zip(sourced, pron, strict=True)
            )
        for r, p in zip(sourced, pron, strict=True):
            who_tp_r += any(_who_hit(text, sp, r, False) for sp in speakers)
            who_tp_r_pron += any(_who_hit(text, sp, r, p) for sp in speakers)
    out: dict[str, float] = {
        "articles": len(docs),
        "gold_attributions": gold,
        "predicted": predicted,
        "cue_precision": cue_tp_p / max(predicted, 1),
        "cue_recall": cue_tp_r / max(gold, 1),
        "source_precision": src_tp_p / max(predicted, 1),
        "source_recall": src_tp_r / max(gold_src, 1),
        "gold_with_source": gold_src,
        "named_speaker_claims": named,
    }
    for suffix, tp_p, tp_r in (("", who_tp_p, who_tp_r), ("_pron", who_tp_p_pron, who_tp_r_pron)):
        p_, r_ = tp_p / max(named, 1), tp_r / max(gold_src, 1)
        out[f"who_precision{suffix}"] = p_
        out[f"who_recall{suffix}"] = r_
        out[f"who_f1{suffix}"] = 2 * p_ * r_ / max(p_ + r_, 1e-9)
    return out

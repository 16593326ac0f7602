"""Quality measures on the shared development data (../shared/data), used by
scripts/calibrate_*.py and by the quality gate (tests/test_quality.py, quality/floors.json).

Story grouping on data/stories/allsides: every crawl line is a gold group of 2-3 outlets'
articles (title + lead paragraphs). Articles are shuffled with a fixed seed, grouped
incrementally, and scored with pairwise and B-cubed precision / recall. Stories are split by
id parity: even ids are the dev half thresholds were tuned on, odd ids the held-out half.
No publication dates are used (the crawl only dates the story, which would leak the answer).
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from .records import Article
from .resources import shared_data
from .stories import StoryGrouper, StoryOptions, entities, story_text

ALLSIDES = Path("stories/allsides/headline_11_2021-10-19_crawled_all.jsonl")


def load_allsides(split: str = "test", data: Path | None = None) -> list[tuple[Article, int]]:
    """(article, gold story id) pairs from the AllSides crawl; split is dev, test or all."""
    path = (data or shared_data()) / ALLSIDES
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        sid = int(story["id"])
        if (split == "dev" and sid % 2) or (split == "test" and not sid % 2):
            continue
        for side, item in sorted((story.get("news") or {}).items()):
            body = "\n\n".join(p for p in item.get("newBody") or [] if p.strip())
            if not body:
                continue
            aid = f"{sid}-{side}"
            article = Article(
                id=aid, source=aid, fmt="jsonl", original=body, text=body, segments=((0, 0, len(body)),),
                outlet=item.get("newsSource"), title=item.get("newsTitle"),
            )  # fmt: skip
            out.append((article, sid))
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
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        common = len(by_pred[p] & by_gold[g])
        precision += common / len(by_pred[p])
        recall += common / len(by_gold[g])
    n = len(pred)
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def group(
    articles: Sequence[Article], vectors: object, options: StoryOptions | None = None
) -> list[int]:
    grouper = StoryGrouper(options=options)
    labels = []
    for article, vector in zip(articles, vectors, strict=True):  # type: ignore[call-overload]
        story, _ = grouper.assign(article, vector, entities(story_text(article)))
        labels.append(story.seq)
    return labels


def evaluate_grouping(split: str = "test", options: StoryOptions | None = None) -> dict[str, float]:
    from .embed import Embedder

    data = load_allsides(split)
    articles = [a for a, _ in data]
    gold = [g for _, g in data]
    vectors = Embedder()([story_text(a) for a in articles])
    pred = group(articles, vectors, options)
    pp, pr, pf = pairwise_prf(pred, gold)
    bp, br, bf = bcubed_prf(pred, gold)
    return {
        "articles": len(articles),
        "stories": len(set(gold)),
        "pairwise_precision": pp, "pairwise_recall": pr, "pairwise_f1": pf,
        "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf,
    }  # fmt: skip

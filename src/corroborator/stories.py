"""Stories: group articles about the same event, incrementally.

A new article joins the open story it matches best, or starts one. The match score is the
cosine between the article's vector and the story centroid (static embeddings of the title
and lead), plus a bonus for the named entities they share; a story is closed to articles
published more than ``max_days`` after its latest article.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from .records import Article

# Calibrated on data/stories/allsides (dev half: even story ids; vectors centred by
# src/corroborator/models/static-minilm/news_mean.npy; held-out half: B-cubed P 0.739 R 0.735;
# scripts/calibrate_stories.py). Do not tune one alone: they trade off together.
JOIN_THRESHOLD = 0.60
ENTITY_WEIGHT = 0.10
MAX_DAYS = 7
LEAD_CHARS = 1500
TOP_ENTITIES = 40

ENTITY_RE = re.compile(
    r"\b(?:[A-Z][a-zA-Z'’\-]+|[A-Z]{2,})(?:\s+(?:of\s+|the\s+)?(?:[A-Z][a-zA-Z'’\-]+|[A-Z]{2,}))*"
)
NOT_ENTITIES = {
    "the", "a", "an", "in", "on", "at", "but", "and", "or", "he", "she", "it", "they", "we",
    "i", "this", "that", "these", "those", "his", "her", "their", "its", "our", "as", "for",
    "if", "when", "while", "after", "before", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december", "mr", "mrs", "ms",
    "also", "there", "what", "who", "why", "how", "last", "earlier", "meanwhile", "however",
}  # fmt: skip


def entities(text: str) -> list[str]:
    """Capitalised name-like phrases (cheap stand-in for NER, good enough to group stories)."""
    out = []
    for m in ENTITY_RE.finditer(text):
        phrase = m.group(0)
        toks = [t for t in phrase.split() if t.lower() not in NOT_ENTITIES]
        if not toks:
            continue
        norm = " ".join(toks).lower().replace("’", "'").removesuffix("'s")
        if len(norm) > 2:
            out.append(norm)
    return out


def story_text(article: Article) -> str:
    return f"{article.title or ''}\n{article.text[:LEAD_CHARS]}"


@dataclass(frozen=True)
class StoryOptions:
    join_threshold: float = JOIN_THRESHOLD
    entity_weight: float = ENTITY_WEIGHT
    max_days: int = MAX_DAYS


@dataclass
class StoryState:
    id: str
    seq: int
    title: str
    centroid: np.ndarray  # sum of member vectors
    n: int
    entities: dict[str, int] = field(default_factory=dict)
    first_published: str | None = None
    last_published: str | None = None
    top: set[str] = field(default_factory=set, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.refresh_top()

    def refresh_top(self) -> None:
        self.top = {e for e, _ in Counter(self.entities).most_common(TOP_ENTITIES)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seq": self.seq,
            "title": self.title,
            "centroid": self.centroid,
            "n": self.n,
            "entities": self.entities,
            "first_published": self.first_published,
            "last_published": self.last_published,
        }


def _day(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


class StoryGrouper:
    """Holds the open stories; ``assign`` places one article and returns (story, score).

    Only the ``CANDIDATES`` stories nearest by cosine get the (slower) entity and date
    checks, so the cost per article stays nearly flat as stories accumulate.
    """

    CANDIDATES = 24

    def __init__(
        self, states: list[dict[str, Any]] | None = None, options: StoryOptions | None = None
    ):
        self.options = options or StoryOptions()
        self.stories: list[StoryState] = []
        self._unit = np.zeros((0, 0), dtype=np.float32)  # unit-length centroids, one row each
        for state in states or []:
            self._add(StoryState(**state))

    def _add(self, story: StoryState) -> None:
        dim = story.centroid.shape[0]
        if self._unit.shape[1] != dim:
            self._unit = np.zeros((0, dim), dtype=np.float32)
        if len(self.stories) == self._unit.shape[0]:
            grown = np.zeros((max(16, 2 * self._unit.shape[0]), dim), dtype=np.float32)
            grown[: self._unit.shape[0]] = self._unit
            self._unit = grown
        self.stories.append(story)
        self._refresh(len(self.stories) - 1)

    def _refresh(self, k: int) -> None:
        c = self.stories[k].centroid
        self._unit[k] = c / max(float(np.linalg.norm(c)), 1e-9)

    def score(self, vector: np.ndarray, ents: set[str], published: str | None) -> dict[int, float]:
        """Scores of the nearest stories, by index."""
        n = len(self.stories)
        if not n:
            return {}
        cos = self._unit[:n] @ vector
        k = min(self.CANDIDATES, n)
        nearest = np.argpartition(-cos, k - 1)[:k] if n > k else np.arange(n)
        day = _day(published)
        scores = {}
        for idx in nearest.tolist():
            s = self.stories[idx]
            score = float(cos[idx])
            if ents:
                score += self.options.entity_weight * len(ents & s.top) / len(ents)
            if day is not None:
                last, first = _day(s.last_published), _day(s.first_published)
                if last and (day - last).days > self.options.max_days:
                    continue
                if first and (first - day).days > self.options.max_days:
                    continue
            scores[idx] = score
        return scores

    def assign(
        self, article: Article, vector: np.ndarray, ents: list[str], force: str | None = None
    ) -> tuple[StoryState, float]:
        """Place an article; ``force`` puts it in a given story (a copy joins its original)."""
        ent_set = set(ents)
        target: int | None = None
        score = 1.0
        if force is not None:
            target = next((k for k, s in enumerate(self.stories) if s.id == force), None)
        if target is None:
            scores = self.score(vector, ent_set, article.published)
            if scores:
                best = max(scores, key=lambda k: (scores[k], -k))
                if scores[best] >= self.options.join_threshold:
                    target, score = best, scores[best]
        if target is None:
            sid = hashlib.sha256(f"story:{article.id}".encode()).hexdigest()[:12]
            title = article.title or article.id
            self._add(StoryState(sid, len(self.stories) + 1, title, np.zeros_like(vector), 0))
            target = len(self.stories) - 1
            score = 1.0
        story = self.stories[target]
        story.centroid = story.centroid + vector
        story.n += 1
        for e in ent_set:
            story.entities[e] = story.entities.get(e, 0) + 1
        story.refresh_top()
        if article.published:
            p = article.published
            story.first_published = min(filter(None, [story.first_published, p]))
            story.last_published = max(filter(None, [story.last_published, p]))
        self._refresh(target)
        return story, score

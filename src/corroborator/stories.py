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

# Calibrated on data/stories/allsides (dev half of the stories, split by story id parity;
# scripts/calibrate_stories.py). Do not tune one alone: they trade off together.
JOIN_THRESHOLD = 0.62
ENTITY_WEIGHT = 0.35
MAX_DAYS = 7
LEAD_CHARS = 1500
TOP_ENTITIES = 40

ENTITY_RE = re.compile(r"\b(?:[A-Z][a-zA-Z'’\-]+|[A-Z]{2,})(?:\s+(?:of\s+|the\s+)?(?:[A-Z][a-zA-Z'’\-]+|[A-Z]{2,}))*")
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
    """Holds the open stories; ``assign`` places one article and returns (story, score)."""

    def __init__(self, states: list[dict[str, Any]] | None = None, options: StoryOptions | None = None):
        self.options = options or StoryOptions()
        self.stories: list[StoryState] = [StoryState(**s) for s in (states or [])]

    def score(self, vector: np.ndarray, ents: set[str], published: str | None) -> np.ndarray:
        if not self.stories:
            return np.zeros(0)
        cents = np.stack([s.centroid for s in self.stories])
        cents = cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-9)
        scores = cents @ vector
        if ents:
            for k, s in enumerate(self.stories):
                top = {e for e, _ in Counter(s.entities).most_common(TOP_ENTITIES)}
                scores[k] += self.options.entity_weight * len(ents & top) / len(ents)
        day = _day(published)
        if day is not None:
            for k, s in enumerate(self.stories):
                last, first = _day(s.last_published), _day(s.first_published)
                if last and (day - last).days > self.options.max_days:
                    scores[k] = -1.0
                if first and (first - day).days > self.options.max_days:
                    scores[k] = -1.0
        return scores

    def assign(
        self, article: Article, vector: np.ndarray, ents: list[str], force: str | None = None
    ) -> tuple[StoryState, float]:
        """Place an article; ``force`` puts it in a given story (a copy joins its original)."""
        ent_set = set(ents)
        target: StoryState | None = None
        score = 1.0
        if force is not None:
            target = next((s for s in self.stories if s.id == force), None)
        if target is None:
            scores = self.score(vector, ent_set, article.published)
            if len(scores) and scores.max() >= self.options.join_threshold:
                k = int(np.argmax(scores))
                target, score = self.stories[k], float(scores[k])
        if target is None:
            seq = len(self.stories) + 1
            sid = hashlib.sha256(f"story:{article.id}".encode()).hexdigest()[:12]
            target = StoryState(sid, seq, article.title or article.id, np.zeros_like(vector), 0)
            self.stories.append(target)
            score = 1.0
        target.centroid = target.centroid + vector
        target.n += 1
        for e in ent_set:
            target.entities[e] = target.entities.get(e, 0) + 1
        if article.published:
            p = article.published
            target.first_published = min(filter(None, [target.first_published, p]))
            target.last_published = max(filter(None, [target.last_published, p]))
        return target, score

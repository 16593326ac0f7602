"""Stories: group articles about the same event, incrementally, then consolidate.

An article is represented by what identifies an event (``StoryFeaturizer``):

- MiniLM sentence embeddings of its title and of its title plus lead (``embed.SentenceEncoder``
  with the int8 copy of the model, ``STORY_ENCODER``);
- TF-IDF of its title and the first ``TERM_CHARS`` characters of its body (hashed words,
  sublinear term frequency, document frequencies of real news shipped in
  ``models/story-idf``), with name-like phrases as extra terms weighted ``ENTITY_WEIGHT``;
  only the ``MAX_TERMS`` heaviest terms are kept, so a 40,000-character page spreads no
  more weight than a 300-character brief;
- its publication day.

The parts are scaled and put side by side so that the dot product of two articles'
representations is their similarity ``LEAD_WEIGHT * cos(lead) + TITLE_WEIGHT * cos(title) +
(1 - LEAD_WEIGHT - TITLE_WEIGHT) * cos(terms)``. The similarity of two groups is the mean
similarity of their members (average linkage), which is the dot product of the groups'
summed representations divided by both sizes: a story keeps only its sums to be compared.

``StoryGrouper.assign`` places one article: the ``candidates`` stories whose summed
vectors are nearest among those within ``MAX_DAYS`` of its day (``storyindex``: an
approximate nearest-neighbour index over the open stories; stories that stopped growing
are closed and leave it, so the cost stays flat as the archive grows) are scored,
and the article joins the best one whose mean similarity reaches ``THRESHOLD``, or starts a
story. Then the story is consolidated: split where its members' average-linkage tree
parts below ``THRESHOLD`` (members drifted apart), and merged with any neighbour whose mean
similarity to it reaches ``THRESHOLD`` (two stories that turn out to be one). The result is
the same partition average-linkage clustering reaches at that threshold, whatever the
arrival order (allsides held-out half, shuffled: B-cubed F1 within 0.01).
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from .language import ENGLISH, group_key
from .records import Article, StoredStory, StoryMember
from .storyindex import EXACT_BELOW, StoryIndex
from .text import split_sentences

# Calibrated together on data/stories/allsides (dev half: even story ids; held-out half:
# odd ids; scripts/calibrate_stories.py, which prints the figures). Do not tune one alone:
# they trade off together.
THRESHOLD = 0.45  # mean similarity to join, merge, or stay together
LEAD_WEIGHT = 0.6  # share of the title + lead embedding in the similarity
TITLE_WEIGHT = 0.1  # share of the title embedding; the rest is TF-IDF
ENTITY_WEIGHT = 1.0  # weight of a name-like phrase against a word, inside TF-IDF
# Publication time: two dated articles lose TIME_WEIGHT * (1 - cos(pi/2 * days apart /
# MAX_DAYS)) of similarity (nothing the same day, 0.4 a week apart), and articles more
# than MAX_DAYS apart never meet. The allsides crawl dates stories, not articles, so its
# articles carry their story's date moved by up to a day either way (evaluation.py); a week
# is the longest gap between two articles of one event the team has seen in its feeds.
TIME_WEIGHT = 0.4
# A pair without two dates cannot be told apart by time, and loses this much instead
# (calibrated on the allsides dev half with its dates removed: best B-cubed F1 at a
# threshold 0.10 above the dated one).
UNDATED_PENALTY = 0.1
MAX_DAYS = 7
# Length limits, so that very short and very long documents weigh alike.
STORY_ENCODER = "minilm-int8"  # the sentence encoder stories read titles and leads with
# Texts per call of that encoder: one. Its int8 matrix products quantise their inputs with
# one scale per call (onnxruntime's dynamic quantisation), so texts encoded together move
# each other's vectors (cosine to the same text alone down to 0.988 on 200 news leads in
# batches of 32); alone, an article's features do not depend on what else is read with it
# (one run or two, one process or Ray workers), and on 2 cores it is no slower (padding).
STORY_BATCH = 1
LEAD_CHARS = 1200  # title + lead given to the encoder (it reads 256 word pieces at most)
TERM_CHARS = 4000  # title + start of the body given to TF-IDF
MAX_TERMS = 150  # heaviest TF-IDF terms kept per article
TOP_ENTITIES = 40  # entity counts kept on a story for display
HASH_FEATURES = 1 << 20  # hashed vocabulary size, for words and names each

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

IDF_MODEL = "story-idf"
IDF_FILE = "idf.npz"


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


def story_text(article: Article, chars: int = LEAD_CHARS) -> str:
    """Title and lead: what the encoder reads."""
    return f"{article.title or ''}\n{article.text[:chars]}".strip()


def term_text(article: Article, chars: int = TERM_CHARS) -> str:
    """Title (twice: it names the event) and the start of the body: what TF-IDF reads."""
    title = article.title or ""
    return f"{title}\n{title}\n{article.text[:chars]}"


def headline(article: Article) -> str | None:
    """The article's title; without one, its first sentence when that reads as a headline
    (200 characters at most, never cut)."""
    if article.title and article.title.strip():
        return " ".join(article.title.split())
    spans = split_sentences(article.text[:400])
    if spans:
        first = article.text[spans[0][0] : spans[0][1]]
        if len(first) <= 200 and spans[0][1] < 400:
            return " ".join(first.split())
    return None


def clock(day: int | None, max_days: int) -> np.ndarray:
    """A day as a point on a circle, so that the dot product of two is the cosine of
    (pi/2 * days apart / max_days); zeros for no day."""
    if day is None:
        return np.zeros(2)
    angle = math.pi / 2 * day / max(max_days, 1)
    return np.array([math.cos(angle), math.sin(angle)])


def day_of(published: str | None) -> int | None:
    """Days since 0001-01-01 of an ISO date or datetime, or None."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


@dataclass(frozen=True)
class StoryOptions:
    threshold: float = THRESHOLD
    lead_weight: float = LEAD_WEIGHT
    title_weight: float = TITLE_WEIGHT
    entity_weight: float = ENTITY_WEIGHT
    time_weight: float = TIME_WEIGHT
    undated_penalty: float = UNDATED_PENALTY
    max_days: int = MAX_DAYS
    max_terms: int = MAX_TERMS
    #: stories scored in full per article (nearest by summed embedding, ``storyindex``)
    candidates: int = 32
    #: A story with no member within ``max_days + late_days`` of the newest day seen is
    #: closed: it leaves the approximate index (articles that much older still find it, by
    #: an exact search over the closed stories of their window). Shapes cost, not results.
    late_days: int = 7
    #: Open stories up to this many are searched exhaustively (the exact answer).
    exact_below: int = EXACT_BELOW


@dataclass(frozen=True)
class StoryFeatures:
    """One article's representation: ``dense . dense' + terms . terms'`` is the similarity."""

    article_id: str
    dense: (
        np.ndarray
    )  # float32: [sqrt(lead weight) * lead vector, sqrt(title weight) * title vector]
    terms: np.ndarray  # int64 hashed term ids, ascending (names offset by HASH_FEATURES)
    weights: np.ndarray  # float32, sqrt(term weight) * unit TF-IDF
    title: str | None = None  # the headline it offers its story (see ``headline``)
    titled: bool = False  # the headline is a real title, not a first sentence
    day: int | None = None
    entities: tuple[str, ...] = ()
    #: The language it is grouped in (``language.group_key``): stories never mix languages.
    language: str = ENGLISH

    @classmethod
    def from_stored(cls, row: StoryMember) -> StoryFeatures:
        """From what ``Store.story_members`` yields."""
        return cls(
            article_id=row.article_id,
            dense=np.asarray(row.dense, dtype=np.float32),
            terms=np.asarray(row.terms, dtype=np.int64),
            weights=np.asarray(row.weights, dtype=np.float32),
            title=row.title,
            titled=row.titled,
            day=day_of(row.published),
            entities=tuple(row.entities),
            language=group_key(row.language),
        )

    def similarity(self, other: StoryFeatures) -> float:
        """Of content only (``StoryGrouper`` adds the time part)."""
        return float(self.dense @ other.dense) + _sparse_dot(
            self.terms, self.weights, other.terms, other.weights
        )


def _sparse_dot(ia: np.ndarray, va: np.ndarray, ib: np.ndarray, vb: np.ndarray) -> float:
    _, xa, xb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    return float(np.dot(va[xa].astype(np.float64), vb[xb].astype(np.float64)))


class StoryFeaturizer:
    """Loads the encoder (lazily) and the document frequencies once; ``__call__`` gives
    each article's ``StoryFeatures``."""

    def __init__(
        self,
        options: StoryOptions | None = None,
        encoder: Callable[[Sequence[str]], np.ndarray] | None = None,
        idf_path: Path | None = None,
        threads: int = 0,
    ) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        from .resources import model_dir

        self.options = options or StoryOptions()
        self._encoder = encoder
        self.threads = threads  # the encoder's (0: onnxruntime's default, one per core)
        path = idf_path or model_dir(IDF_MODEL) / IDF_FILE
        table = np.load(path)
        n_docs = float(table["n_docs"])
        self.idf = np.full(2 * HASH_FEATURES, math.log((1 + n_docs) / 1) + 1, dtype=np.float32)
        self.idf[table["terms"]] = np.log((1 + n_docs) / (1 + table["df"])) + 1
        self._words = HashingVectorizer(
            n_features=HASH_FEATURES, alternate_sign=False, norm=None, stop_words="english"
        )
        self._names = HashingVectorizer(
            n_features=HASH_FEATURES, alternate_sign=False, norm=None, analyzer=entities
        )

    @property
    def encoder(self) -> Callable[[Sequence[str]], np.ndarray]:
        """The int8 copy of the MiniLM encoder (models/minilm-int8: groups stories as well as
        the float model at 1.4x its speed; see its model card)."""
        if self._encoder is None:
            from .embed import SentenceEncoder
            from .resources import model_dir

            self._encoder = SentenceEncoder(
                model_dir(STORY_ENCODER), batch_size=STORY_BATCH, threads=self.threads
            )
        return self._encoder

    def counts(self, texts: Sequence[str]) -> Any:
        """Hashed term counts (words, then names offset by HASH_FEATURES), one row per text."""
        from scipy.sparse import hstack

        return hstack([self._words.transform(texts), self._names.transform(texts)]).tocsr()

    def term_vectors(self, articles: Sequence[Article]) -> list[tuple[np.ndarray, np.ndarray]]:
        counts = self.counts([term_text(a) for a in articles])
        out = []
        for k in range(counts.shape[0]):
            row = counts.getrow(k)
            idx = row.indices.astype(np.int64)
            val = (1.0 + np.log(row.data)) * self.idf[idx]
            val[idx >= HASH_FEATURES] *= self.options.entity_weight
            if len(idx) > self.options.max_terms:
                keep = np.sort(np.argsort(-val, kind="stable")[: self.options.max_terms])
                idx, val = idx[keep], val[keep]
            order = np.argsort(idx)
            idx, val = idx[order], val[order]
            norm = float(np.linalg.norm(val))
            scale = math.sqrt(max(0.0, 1.0 - self.options.lead_weight - self.options.title_weight))
            out.append((idx, (val / norm * scale if norm else val).astype(np.float32)))
        return out

    def __call__(self, articles: Sequence[Article]) -> list[StoryFeatures]:
        if not articles:
            return []
        heads = [headline(a) for a in articles]
        leads = self.encoder([story_text(a) for a in articles])
        titles = self.encoder(
            [h or story_text(a, 200) for a, h in zip(articles, heads, strict=True)]
        )
        lead_scale = math.sqrt(self.options.lead_weight)
        title_scale = math.sqrt(self.options.title_weight)
        out = []
        for k, (article, (idx, val)) in enumerate(
            zip(articles, self.term_vectors(articles), strict=True)
        ):
            dense = np.concatenate([lead_scale * leads[k], title_scale * titles[k]])
            out.append(
                StoryFeatures(
                    article_id=article.id,
                    dense=dense.astype(np.float32),
                    terms=idx,
                    weights=val,
                    title=heads[k],
                    titled=bool(article.title and article.title.strip()),
                    day=day_of(article.published),
                    entities=tuple(entities(story_text(article))),
                    language=group_key(article.language),
                )
            )
        return out


@dataclass
class StoryState:
    """A story: its members (article ids, sorted) and the sums of their representations."""

    id: str
    seq: int
    title: str
    members: list[str] = field(default_factory=list)
    dense: np.ndarray = field(default_factory=lambda: np.zeros(0))  # float64 sum
    term_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    term_sums: np.ndarray = field(default_factory=lambda: np.zeros(0))  # float64, per term id
    clock: np.ndarray = field(default_factory=lambda: np.zeros(2))  # summed ``clock`` of days
    dated: int = 0  # members with a day
    first_day: int | None = None
    last_day: int | None = None
    first_published: str | None = None
    last_published: str | None = None
    entities: dict[str, int] = field(default_factory=dict)
    language: str = ENGLISH  # its members' (one language per story)

    @property
    def n(self) -> int:
        return len(self.members)

    def as_stored(self) -> StoredStory:
        """The record the store keeps (the sums are rebuilt from the members on load)."""
        return StoredStory(
            id=self.id,
            seq=self.seq,
            title=self.title,
            centroid=self.dense.astype(np.float32),
            n=self.n,
            entities=dict(self.entities),
            first_published=self.first_published,
            last_published=self.last_published,
        )


@dataclass(frozen=True)
class StoryUpdate:
    """What one ``assign`` changed, for the store: stories to write (new or changed), stories
    that no longer exist, and the story of every article placed or moved, with its score."""

    article_id: str
    story_id: str
    score: float
    stories: tuple[StoryState, ...]
    removed: tuple[str, ...]
    members: tuple[tuple[str, str, float], ...]  # (article id, story id, mean similarity)

    def story_rows(self) -> list[StoredStory]:
        return [s.as_stored() for s in self.stories]


def _terms_dot(ids: np.ndarray, weights: np.ndarray, story: StoryState) -> float:
    """Dot product of one article's terms with a story's summed terms."""
    if not len(story.term_ids) or not len(ids):
        return 0.0
    pos = np.minimum(np.searchsorted(story.term_ids, ids), len(story.term_ids) - 1)
    hit = story.term_ids[pos] == ids
    return float(np.dot(weights[hit].astype(np.float64), story.term_sums[pos[hit]]))


class StoryGrouper:
    """Holds the stories and their members' features; ``assign`` places one article.

    Build it from the store (``Store.story_states`` and ``story_members``) to continue
    where the last run stopped: a story's sums are rebuilt from its members, sorted by id,
    so a resumed run computes the same bits as an uninterrupted one.
    """

    #: Stories larger than this are not checked for splits (the check is quadratic).
    SPLIT_MAX = 300

    def __init__(
        self,
        states: Iterable[StoredStory] = (),
        members: Iterable[StoryMember] = (),
        options: StoryOptions | None = None,
    ) -> None:
        self.options = options or StoryOptions()
        self.stories: dict[str, StoryState] = {}
        self.features: dict[str, StoryFeatures] = {}
        self.published: dict[str, str | None] = {}
        self.story_of: dict[str, str] = {}
        #: English stories' summed embeddings, open ones in an approximate index
        self.index = StoryIndex(
            self.options.max_days, self.options.late_days, self.options.exact_below
        )
        self._next_seq = 1
        self._blas: Any = None  # threadpoolctl's controller, made on first use
        for state in states:
            self.stories[state.id] = StoryState(state.id, state.seq, state.title)
            self._next_seq = max(self._next_seq, int(state.seq) + 1)
        for row in members:
            feats = StoryFeatures.from_stored(row)
            self.features[feats.article_id] = feats
            self.published[feats.article_id] = row.published
            self.story_of[feats.article_id] = row.story_id
            self.stories[row.story_id].members.append(feats.article_id)
        for story in sorted(self.stories.values(), key=lambda s: s.seq):
            if not story.members:  # a story left without members: drop it
                del self.stories[story.id]
                continue
            story.members.sort()
            self._recompute(story, retitle=False)
        newest = [s.last_day for s in self.stories.values() if s.last_day is not None]
        if newest:
            self.index.advance(min(max(newest), self.latest_day()))

    @staticmethod
    def latest_day() -> int:
        """Tomorrow: no article moves the clock that closes stories past it (a page misdated
        2062 would otherwise close every story at once; results would stay exact, the speed
        would not)."""
        return date.today().toordinal() + 1

    # --- scores -----------------------------------------------------------------------
    def score(self, feats: StoryFeatures, story: StoryState) -> float:
        """Mean similarity of an article to a story's members (itself excluded)."""
        total = float(feats.dense @ story.dense) + _terms_dot(feats.terms, feats.weights, story)
        dated = int(feats.day is not None)
        own = clock(feats.day, self.options.max_days)
        total += self._time(own, dated, 1, story.clock, story.dated, story.n)
        if self.story_of.get(feats.article_id) == story.id:
            if story.n <= 1:
                return 1.0
            itself = feats.similarity(feats) + self._time(own, dated, 1, own, dated, 1)
            return (total - itself) / (story.n - 1)
        return total / max(story.n, 1)

    def _time(
        self,
        clock_a: np.ndarray,
        dated_a: int,
        n_a: int,
        clock_b: np.ndarray,
        dated_b: int,
        n_b: int,
    ) -> float:
        """The time part of the similarity, summed over the pairs between two groups (given
        by their summed clocks, dated members and sizes)."""
        both = dated_a * dated_b
        return self.options.time_weight * (
            float(clock_a @ clock_b) - both
        ) - self.options.undated_penalty * (n_a * n_b - both)

    def linkage(self, a: StoryState, b: StoryState) -> float:
        """Mean similarity between the members of two stories."""
        _, xa, xb = np.intersect1d(a.term_ids, b.term_ids, assume_unique=True, return_indices=True)
        sparse = float(np.dot(a.term_sums[xa], b.term_sums[xb]))
        time = self._time(a.clock, a.dated, a.n, b.clock, b.dated, b.n)
        return (float(a.dense @ b.dense) + sparse + time) / (a.n * b.n)

    def candidates(
        self,
        dense: np.ndarray,
        first: int | None,
        last: int | None,
        exclude: str | None = None,
        language: str = ENGLISH,
    ) -> list[StoryState]:
        """The ``candidates`` stories nearest by summed embedding among those with a day in
        [first - MAX_DAYS, last + MAX_DAYS] or none (``storyindex.StoryIndex``: approximate
        search over the open stories, exact over the closed ones of an old window; the cost
        follows the open stories, not the archive). The embeddings are English-only, so
        only English stories are indexed, and an article in another language finds no
        candidates at all: it joins a story only as a copy of its original (``force``).
        Unrelated German pages sit at cosine 0.94; in a run over data/pages, every German,
        Spanish, Polish and Portuguese story of two or more pages that similarity formed
        held unrelated pages."""
        if language != ENGLISH:
            return []
        ids = self.index.near(dense, first, last, self.options.candidates, exclude)
        return [self.stories[i] for i in ids]

    # --- bookkeeping ------------------------------------------------------------------
    def _recompute(self, story: StoryState, retitle: bool = True) -> None:
        """Sums, days, entities, title and candidate row of a story, from its members
        (sorted by id, so the same members always give the same bits)."""
        feats = [self.features[m] for m in story.members]
        story.dense = np.sum(np.stack([f.dense.astype(np.float64) for f in feats]), axis=0)
        story.language = feats[0].language
        idx = np.concatenate([f.terms for f in feats])
        val = np.concatenate([f.weights.astype(np.float64) for f in feats])
        story.term_ids, inverse = np.unique(idx, return_inverse=True)
        story.term_sums = np.zeros(len(story.term_ids))
        np.add.at(story.term_sums, inverse, val)
        days = [f.day for f in feats if f.day is not None]
        story.clock = np.sum(
            [clock(d, self.options.max_days) for d in days] or [np.zeros(2)], axis=0
        )
        story.dated = len(days)
        story.first_day = min(days) if days else None
        story.last_day = max(days) if days else None
        dates = [p for m in story.members if (p := self.published.get(m))]
        story.first_published = min(dates) if dates else None
        story.last_published = max(dates) if dates else None
        counts = Counter(e for f in feats for e in set(f.entities))
        story.entities = dict(sorted(counts.most_common(TOP_ENTITIES)))
        if retitle or not story.title:
            story.title = self._title(story)
        self._place(story)

    def _title(self, story: StoryState) -> str:
        """The most representative headline: a real title before a first sentence, then the
        member closest on average to the others, then the smallest article id."""
        best: tuple[bool, float] | None = None
        title = f"untitled story {story.id}"
        for m in story.members:
            f = self.features[m]
            if not f.title:
                continue
            key = (f.titled, self.score(f, story))
            if best is None or key > best:
                best, title = key, f.title
        return title

    def _place(self, story: StoryState) -> None:
        """Put an English story's summed embedding and days into the candidate index."""
        if story.language != ENGLISH:
            self.index.drop(story.id)
            return
        self.index.put(story.id, story.dense, story.first_day, story.last_day)

    def _drop(self, story: StoryState) -> None:
        self.index.drop(story.id)
        del self.stories[story.id]

    def _new_id(self, first_member: str) -> str:
        salt, k = "", 0
        while True:
            sid = hashlib.sha256(f"story:{first_member}{salt}".encode()).hexdigest()[:12]
            if sid not in self.stories:
                return sid
            k += 1
            salt = f"#{k}"

    def _new_story(self, members: list[str]) -> StoryState:
        members = sorted(members)
        story = StoryState(self._new_id(members[0]), self._next_seq, "", members)
        self._next_seq += 1
        self.stories[story.id] = story
        for m in members:
            self.story_of[m] = story.id
        self._recompute(story)
        return story

    # --- the stage --------------------------------------------------------------------
    def assign(
        self, feats: StoryFeatures, force: str | None = None, published: str | None = None
    ) -> StoryUpdate:
        """Place one article (``force``: into a given story, as a copy joins its original's),
        then consolidate the story it joined: split it, merge the parts with neighbours.

        BLAS runs on one thread here: the products are small, and threads that wait for
        busy cores made them ten times slower on 2 loaded cores."""
        if self._blas is None:
            from threadpoolctl import ThreadpoolController

            self._blas = ThreadpoolController()
        with self._blas.limit(limits=1, user_api="blas"):
            return self._assign(feats, force, published)

    def _assign(
        self, feats: StoryFeatures, force: str | None, published: str | None
    ) -> StoryUpdate:
        self.features[feats.article_id] = feats
        self.published[feats.article_id] = published
        if feats.day is not None:  # may close stories that stopped growing
            self.index.advance(min(feats.day, self.latest_day()))
        target = self.stories.get(force) if force else None
        if target is not None and target.language != feats.language:
            target = None  # a copy in another language is no copy to group by
        if target is None:
            best: tuple[float, int] | None = None
            language = feats.language
            for story in self.candidates(feats.dense, feats.day, feats.day, language=language):
                key = (self.score(feats, story), -story.seq)
                if key[0] >= self.options.threshold and (best is None or key > best):
                    best, target = key, story
        touched: set[str] = set()
        removed: set[str] = set()
        moved: set[str] = {feats.article_id}
        if target is None:
            touched.add(self._new_story([feats.article_id]).id)
        else:
            bisect.insort(target.members, feats.article_id)
            self.story_of[feats.article_id] = target.id
            self._recompute(target)
            touched.add(target.id)
            for part in self._split(target, touched, moved):
                if part.id in self.stories:
                    self._merge_around(part, touched, removed, moved)
        sid = self.story_of[feats.article_id]
        return StoryUpdate(
            article_id=feats.article_id,
            story_id=sid,
            score=self.score(feats, self.stories[sid]),
            stories=tuple(self.stories[s] for s in sorted(touched - removed)),
            removed=tuple(sorted(removed)),
            members=tuple(
                (m, self.story_of[m], self.score(self.features[m], self.stories[self.story_of[m]]))
                for m in sorted(moved)
            ),
        )

    def similarities(self, members: Sequence[str]) -> np.ndarray:
        """Pairwise similarities of some articles (a square matrix)."""
        from scipy.sparse import csr_matrix

        feats = [self.features[m] for m in members]
        dense = np.stack([f.dense for f in feats]).astype(np.float64)
        idx = np.concatenate([f.terms for f in feats])
        cols, inverse = np.unique(idx, return_inverse=True)
        rows = np.repeat(np.arange(len(feats)), [len(f.terms) for f in feats])
        vals = np.concatenate([f.weights for f in feats]).astype(np.float64)
        terms = csr_matrix((vals, (rows, inverse)), shape=(len(feats), len(cols)))
        clocks = np.stack([clock(f.day, self.options.max_days) for f in feats])
        dated = np.array([f.day is not None for f in feats], dtype=float)
        both = np.outer(dated, dated)
        time = self.options.time_weight * (
            clocks @ clocks.T - both
        ) - self.options.undated_penalty * (1.0 - both)
        np.fill_diagonal(time, 0.0)
        return np.asarray(dense @ dense.T + (terms @ terms.T).toarray() + time)

    def _split(self, story: StoryState, touched: set[str], moved: set[str]) -> list[StoryState]:
        """Cut a story where its members' average-linkage tree parts below the threshold;
        the largest part keeps the story's id."""
        if story.n < 2 or story.n > self.SPLIT_MAX:
            return [story]
        from scipy.cluster.hierarchy import fcluster, linkage

        dist = np.clip(1.0 - self.similarities(story.members), 0.0, None)
        condensed = dist[np.triu_indices(story.n, 1)]
        labels = fcluster(linkage(condensed, "average"), 1.0 - self.options.threshold, "distance")
        if labels.max() == 1:
            return [story]
        parts: dict[int, list[str]] = {}
        for m, label in zip(story.members, labels.tolist(), strict=True):
            parts.setdefault(label, []).append(m)
        ordered = sorted(parts.values(), key=lambda p: (-len(p), p[0]))
        story.members = sorted(ordered[0])
        self._recompute(story)
        out = [story]
        for part in ordered[1:]:
            new = self._new_story(part)
            touched.add(new.id)
            moved.update(part)
            out.append(new)
        return out

    def _merge_around(
        self, story: StoryState, touched: set[str], removed: set[str], moved: set[str]
    ) -> None:
        """Merge ``story`` with every neighbour as close as the threshold, best first, until
        none is left; the older story (lower seq) keeps its id."""
        while True:
            best: tuple[float, int] | None = None
            other: StoryState | None = None
            for cand in self.candidates(
                story.dense, story.first_day, story.last_day, story.id, story.language
            ):
                key = (self.linkage(story, cand), -cand.seq)
                if key[0] >= self.options.threshold and (best is None or key > best):
                    best, other = key, cand
            if other is None:
                return
            keep, gone = (story, other) if story.seq < other.seq else (other, story)
            for m in gone.members:
                self.story_of[m] = keep.id
            keep.members = sorted(keep.members + gone.members)
            moved.update(gone.members)
            self._drop(gone)
            removed.add(gone.id)
            touched.discard(gone.id)
            touched.add(keep.id)
            self._recompute(keep)
            story = keep

"""The pipeline object: ingest -> clean -> copies -> stories (-> claims, in claims.py).

Build one ``Pipeline`` per database and pass it around; models load lazily, once, on the
first call that needs them. Every article is committed in its own transaction, so an
interrupted run resumes where it stopped and ends in the same state as one uninterrupted
run (articles are processed in a fixed order: publication date, then arrival).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .claims import CLAIMS_VERSION, ArticleClaims, ClaimExtractor
from .clean import clean
from .copies import CopyIndex, CopyOptions, compare, minhash, original_priority
from .crosscheck import CrossCheckOptions, Judge, StoryCheck, crosscheck
from .drift import DriftDetector
from .embed import Embedder, SentenceEncoder
from .errors import CorroboratorError, InputError
from .ingest import expand_paths, read_one
from .ingest.limits import IngestOptions, time_limit
from .language import is_english
from .records import Article, CopyLink, Rejection
from .store import SqliteStore
from .stories import StoryFeaturizer, StoryGrouper, StoryOptions

#: progress(stage, done, total) — total is None when unknown.
Progress = Callable[[str, int, int | None], None]


def _quiet(stage: str, done: int, total: int | None) -> None:
    return None


@dataclass(frozen=True)
class Options:
    copies: CopyOptions = field(default_factory=CopyOptions)
    stories: StoryOptions = field(default_factory=StoryOptions)
    crosscheck: CrossCheckOptions = field(default_factory=CrossCheckOptions)
    #: Limits on what is read (sizes, HTML depth, sentences, time) and URL fetching rules.
    ingest: IngestOptions = field(default_factory=IngestOptions)
    #: Use the entailment model (src/corroborator/models/entailment) on pairs the rules leave "related".
    use_model: bool = True


@dataclass
class RunReport:
    read: int = 0
    new: int = 0
    duplicates: int = 0
    copies: int = 0
    processed: int = 0
    replaced: int = 0  # undecodable bytes replaced by U+FFFD in the documents read
    not_english: int = 0  # articles read in another language: grouped apart, no claims
    skipped: list[Rejection] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)  # every article this run touched
    stories: list[str] = field(default_factory=list)  # stories holding them, first-seen order
    seconds: dict[str, float] = field(default_factory=dict)  # time spent per stage

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "new": self.new,
            "duplicates": self.duplicates,
            "copies": self.copies,
            "processed": self.processed,
            "replaced_bytes": self.replaced,
            "not_english": self.not_english,
            "skipped": [{"path": r.source, "reason": r.reason} for r in self.skipped],
        }


class Pipeline:
    def __init__(self, store: SqliteStore, options: Options | None = None) -> None:
        self.store = store
        self.options = options or Options()
        self._embedder: Embedder | None = None
        self._encoder: SentenceEncoder | None = None
        self._story_featurizer: StoryFeaturizer | None = None
        self._extractor: ClaimExtractor | None = None
        self._judge: Judge | None | bool = False  # False: not loaded yet
        # copy drift parses with the claim extractor's spaCy, loaded only when a copy needs it
        self.drift = DriftDetector(lambda: self.extractor.nlp)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder()
        return self._embedder

    @property
    def encoder(self) -> SentenceEncoder:
        """The MiniLM sentence encoder (claim alignment), loaded on first use."""
        if self._encoder is None:
            self._encoder = SentenceEncoder()
        return self._encoder

    @property
    def story_featurizer(self) -> StoryFeaturizer:
        """Story features (the same MiniLM encoder, plus TF-IDF), loaded on first use."""
        if self._story_featurizer is None:
            self._story_featurizer = StoryFeaturizer(self.options.stories, encoder=self.encoder)
        return self._story_featurizer

    @property
    def extractor(self) -> ClaimExtractor:
        if self._extractor is None:
            self._extractor = ClaimExtractor()
        return self._extractor

    @property
    def judge(self) -> Judge | None:
        """The entailment model's predict function, or None when it is absent or disabled."""
        if self._judge is False:
            self._judge = None
            if self.options.use_model:
                try:
                    from .entailment import EntailmentModel

                    self._judge = EntailmentModel().predict
                except (ImportError, CorroboratorError):
                    self._judge = None
        return self._judge  # type: ignore[return-value]

    # --- ingest + clean -----------------------------------------------------------
    def ingest(self, paths: Iterable[str], progress: Progress = _quiet) -> RunReport:
        report = RunReport()
        sources = list(expand_paths(paths))
        for k, source in enumerate(sources):
            with report.timed("read"):
                try:
                    docs = list(read_one(source, self.options.ingest))
                except Exception as exc:  # a reader bug must not cost the rest of the batch
                    reason = f"unexpected error while reading ({type(exc).__name__}: {exc}); please report it"
                    docs = [Rejection(source, reason)]
            for doc in docs:
                if isinstance(doc, Rejection):
                    report.skipped.append(doc)
                    with self.store.transaction():
                        self.store.add_rejection(doc.source, doc.reason)
                    continue
                report.read += 1
                report.replaced += doc.replaced
                try:
                    limit = self.options.ingest.document_timeout_s
                    with report.timed("clean"), time_limit(limit, doc.source):
                        article = clean(doc)
                except InputError as exc:
                    rejection = Rejection(doc.source, str(exc))
                    report.skipped.append(rejection)
                    with self.store.transaction():
                        self.store.add_rejection(rejection.source, rejection.reason)
                    continue
                except Exception as exc:  # a bug must not cost the rest of the batch
                    reason = f"unexpected error while cleaning ({type(exc).__name__}: {exc}); please report it"
                    rejection = Rejection(doc.source, reason)
                    report.skipped.append(rejection)
                    with self.store.transaction():
                        self.store.add_rejection(rejection.source, rejection.reason)
                    continue
                with report.timed("store"), self.store.transaction():
                    new = self.store.add_article(article)
                report.new += int(new)
                report.duplicates += int(not new)
                report.not_english += int(not is_english(article.language))
                if article.id not in report.article_ids:
                    report.article_ids.append(article.id)
            progress("ingest", k + 1, len(sources))
        return report

    # --- copies + stories -----------------------------------------------------------
    def process(self, report: RunReport | None = None, progress: Progress = _quiet) -> RunReport:
        report = report or RunReport()
        ids = self.store.unprocessed()
        if ids:
            self._process(ids, report, progress)
        for aid in report.article_ids:
            sid = self.store.story_of(aid)
            if sid and sid not in report.stories:
                report.stories.append(sid)
        return report

    def _process(self, ids: list[str], report: RunReport, progress: Progress) -> None:
        store = self.store
        with report.timed("copies"):
            index = CopyIndex(self.options.copies)
            for aid, mh, _vec, _ents in store.features(processed_only=True):
                index.add(aid, mh)
        with report.timed("stories"):
            grouper = StoryGrouper(
                store.story_states(), store.story_members(), self.options.stories
            )
        with report.timed("store"):
            articles = store.articles(ids)
            seqs = store.seqs()
        with report.timed("stories"):
            features = self.story_featurizer(articles)
        for k, (article, feats) in enumerate(zip(articles, features, strict=True)):
            with store.transaction():
                with report.timed("copies"):
                    mh = minhash(article.text, self.options.copies.num_perm)
                    force = self._link_copies(article, mh, index, seqs, report)
                with report.timed("stories"):
                    update = grouper.assign(feats, force=force, published=article.published)
                with report.timed("store"):
                    store.put_features(article.id, mh, feats.dense, list(feats.entities))
                    store.put_story_terms(
                        article.id, feats.terms, feats.weights, feats.title, feats.titled
                    )
                    store.save_stories(update.story_rows(), update.members, update.removed)
                    store.mark_processed(article.id)
            index.add(article.id, mh)
            report.processed += 1
            progress("group", k + 1, len(articles))

    def _link_copies(
        self,
        article: Article,
        mh: np.ndarray,
        index: CopyIndex,
        seqs: dict[str, int],
        report: RunReport,
    ) -> str | None:
        """Find the copy group of a new article; returns the story it must join, if any."""
        best: CopyLink | None = None
        for cand_id in index.candidates(mh):
            if cand_id == article.id:
                continue
            link = compare(article, self.store.article(cand_id), self.options.copies)
            if link and (best is None or link.similarity > best.similarity):
                best = link
        if best is None:
            return None
        report.copies += 1
        links = self.store.copies()
        root = (
            links[best.original_id].original_id if best.original_id in links else best.original_id
        )
        member_ids = [root] + sorted(a for a, link in links.items() if link.original_id == root)
        members = self.store.articles(member_ids) + [article]
        original = min(members, key=lambda a: original_priority(a, seqs.get(a.id, 1 << 30)))
        self.store.delete_copy(original.id)
        for member in members:
            if member.id == original.id:
                continue
            link = compare(member, original, self.options.copies)
            if link is None:  # linked only through another member of the group
                link = CopyLink(member.id, original.id, "near", best.similarity)
            self.store.put_copy(link)
        return self.store.story_of(root)

    def run(self, paths: Iterable[str], progress: Progress = _quiet) -> RunReport:
        report = self.ingest(paths, progress)
        return self.process(report, progress)

    # --- claims + cross-check ---------------------------------------------------------
    def claims(
        self, article_ids: list[str], report: RunReport | None = None, progress: Progress = _quiet
    ) -> dict[str, ArticleClaims]:
        """Claims of each article, from the store when already extracted."""
        report = report or RunReport()
        out: dict[str, ArticleClaims] = {}
        todo = []
        for aid in article_ids:
            if not is_english(self.store.article(aid).language):
                out[aid] = ArticleClaims(aid, ())  # the extractor reads English only
                continue
            stored = self.store.get_claims(aid, CLAIMS_VERSION)
            if stored is not None:
                out[aid] = ArticleClaims.from_dict(aid, stored)
            else:
                todo.append(aid)
        batch = 32
        for k in range(0, len(todo), batch):
            chunk = self.store.articles(todo[k : k + batch])
            with report.timed("claims"):
                extracted = self.extractor.extract_many(chunk)
            with report.timed("store"), self.store.transaction():
                for ac in extracted:
                    self.store.put_claims(ac.article_id, CLAIMS_VERSION, ac.as_dict())
                    out[ac.article_id] = ac
            progress("claims", min(k + batch, len(todo)), len(todo))
        return out

    def check_story(self, story_id: str, report: RunReport | None = None) -> StoryCheck:
        """Cross-check one story (any unambiguous prefix of its id)."""
        report = report or RunReport()
        story_id = self.store.find_story(story_id)
        title, ids = self.store.story(story_id)
        articles = self.store.articles(ids)
        article_claims = self.claims(ids, report)
        with report.timed("crosscheck"):
            return crosscheck(
                story_id, title, articles, article_claims, self.store.copies(),
                self.embedder, self.judge, self.options.crosscheck,
                encode=self.encoder, drift=self.drift,
            )  # fmt: skip

    def check_stories(
        self, story_ids: list[str], report: RunReport | None = None, progress: Progress = _quiet
    ) -> list[StoryCheck]:
        report = report or RunReport()
        ids = [aid for sid in story_ids for aid in self.store.story(sid)[1]]
        self.claims(ids, report, progress)  # extract in large batches first
        checks = []
        for k, sid in enumerate(story_ids):
            checks.append(self.check_story(sid, report))
            progress("check", k + 1, len(story_ids))
        return checks

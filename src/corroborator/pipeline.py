"""The pipeline object: ingest -> clean -> copies -> stories (-> claims -> crosscheck).

Build one ``Pipeline`` per database and pass it around; models load lazily, once, on the
first call that needs them. Every article is committed in its own transaction, so an
interrupted run resumes where it stopped and ends in the same state as one uninterrupted
run (articles are processed in a fixed order: publication date, then arrival).

Grouping runs an explicit list of stages (``Pipeline.grouping_stages``), each a callable
from a :class:`Grouping` record to the next one, in one loop (:func:`run_stages`) that
times each stage, guards it and then persists the record. An exception inside one
article's stage, one article's claims or one story's cross-check becomes a
:class:`~corroborator.records.StageRejection` (stage, article or story, one-line reason)
in the run report, and the run goes on; only a model that cannot load or a store that
cannot be written (``ModelError``, ``StoreError``) stops it.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np

from .claims import CLAIMS_VERSION, ArticleClaims, ClaimExtractor
from .clean import clean
from .copies import CopyIndex, CopyOptions, compare, minhash, original_priority
from .crosscheck import CrossCheckOptions, Judge, StoryCheck, crosscheck
from .drift import DriftDetector
from .embed import Embedder, SentenceEncoder
from .errors import CorroboratorError, InputError, ModelError, StoreError
from .identity import identify, location
from .ingest import expand_paths, read_one
from .ingest.limits import IngestOptions, time_limit
from .language import is_english
from .records import Article, CopyLink, RawDocument, Rejection, StageRejection
from .store import Store
from .stories import StoryFeatures, StoryFeaturizer, StoryGrouper, StoryOptions, StoryUpdate

T = TypeVar("T")
R = TypeVar("R")

BUG_PREFIX = "unexpected error in"

#: Errors that are no record's fault: they stop the run with their one-line message.
FATAL = (ModelError, StoreError)

#: Articles per claim-extraction batch (spaCy's pipe), in one process and on each worker.
CLAIMS_BATCH = 32

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
    #: Extract the new articles' claims in a second thread while they are grouped (`run`
    #: and `check` cross-check right after; `ingest` leaves claims to the first check).
    claims_ahead: bool = False


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
    errors: list[StageRejection] = field(default_factory=list)  # records a stage failed on
    warnings: list[str] = field(default_factory=list)  # said once each (a model not loaded)

    def fail(
        self, stage: str, exc: BaseException, article: str | None = None, story: str | None = None
    ) -> StageRejection:
        """Record that ``stage`` raised ``exc`` on one article (or input) or one story."""
        rejection = StageRejection(stage, one_line(exc), article=article, story=story)
        self.errors.append(rejection)
        return rejection

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def merge(self, part: RunReport) -> None:
        """Add what another process did for this run (a Ray worker's share): its counts,
        rejections, errors, warnings and stage times (summed: CPU time across workers)."""
        for name in ("read", "new", "duplicates", "copies", "processed", "replaced", "not_english"):
            setattr(self, name, getattr(self, name) + getattr(part, name))
        self.skipped.extend(part.skipped)
        self.errors.extend(part.errors)
        self.article_ids.extend(a for a in part.article_ids if a not in self.article_ids)
        self.stories.extend(s for s in part.stories if s not in self.stories)
        for stage, seconds in part.seconds.items():
            self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
        for warning in part.warnings:
            self.warn(warning)

    def failed_articles(self) -> set[str]:
        return {e.article for e in self.errors if e.article}

    def nothing_processed(self) -> bool:
        """True when no article this run touched came through without an error (its own,
        or its story's); the CLI's exit status is non-zero only then."""
        touched = max(len(self.article_ids), self.new + self.duplicates)
        if touched - len(self.failed_articles().intersection(self.article_ids)) <= 0:
            return True
        failed_stories = {e.story for e in self.errors if e.story}
        return bool(failed_stories) and set(self.stories) <= failed_stories

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
            "errors": [
                {"stage": e.stage, "article": e.article, "story": e.story, "reason": e.reason}
                for e in self.errors
            ],
            "warnings": list(self.warnings),
        }


def one_line(exc: BaseException) -> str:
    """``Type: message (file.py:line in function)`` on one line, for a stage rejection."""
    message = " ".join(str(exc).split())
    if len(message) > 200:
        message = message[:199] + "…"
    where = ""
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        where = f" ({Path(last.filename).name}:{last.lineno} in {last.name})"
    return f"{type(exc).__name__}: {message}{where}" if message else f"{type(exc).__name__}{where}"


def guarded_batch(
    stage: str,
    items: Sequence[T],
    fn: Callable[[list[T]], list[R]],
    report: RunReport,
    key: Callable[[T], str],
) -> list[tuple[T, R]]:
    """``fn`` over a batch (timed as ``stage``); when the batch raises, each item again on
    its own, so that only the items it fails on are rejected (under their ``key``)."""
    try:
        with report.timed(stage):
            results = fn(list(items))
        return list(zip(items, results, strict=True))
    except FATAL:
        raise
    except Exception:
        pass
    out = []
    for item in items:
        try:
            with report.timed(stage):
                (result,) = fn([item])
        except FATAL:
            raise
        except Exception as exc:
            report.fail(stage, exc, article=key(item))
            continue
        out.append((item, result))
    return out


def bug(report: RunReport, stage: str, source: str, exc: Exception) -> Rejection:
    """A reader or cleaner bug: listed in ``report.errors`` and kept as a rejection."""
    error = report.fail(stage, exc, article=source)
    return Rejection(source, f"{BUG_PREFIX} {stage}: {error.reason}; please report it")


def read_source(
    source: str, options: IngestOptions, report: RunReport
) -> list[RawDocument | Rejection]:
    """Every document of one input (a reader's bug becomes a rejection); no store, so any
    process may run it (``distributed.py`` does, on Ray workers)."""
    with report.timed("read"):
        try:
            return list(read_one(source, options))
        except FATAL:
            raise
        except Exception as exc:  # a reader bug must not cost the rest of the batch
            return [bug(report, "read", source, exc)]


def clean_document(
    doc: RawDocument | Rejection, options: IngestOptions, report: RunReport
) -> Article | Rejection:
    """One document cleaned into an article, or the rejection saying why not (counted in
    ``report``); no store, so any process may run it."""
    if isinstance(doc, Rejection):
        return doc
    report.read += 1
    report.replaced += doc.replaced
    try:
        with report.timed("clean"), time_limit(options.document_timeout_s, doc.source):
            return clean(doc)
    except InputError as exc:
        return Rejection(doc.source, str(exc))
    except FATAL:
        raise
    except Exception as exc:  # a bug must not cost the rest of the batch
        return bug(report, "clean", doc.source, exc)


@dataclass(frozen=True)
class Prepared:
    """One document after the stages that need neither the store nor any other article
    (:class:`Prepare`): the article, or the rejection saying why there is none; its story
    features and its claims (None: not made; the reason is in the run report)."""

    item: Article | Rejection
    features: StoryFeatures | None = None
    claims: ArticleClaims | None = None
    claims_error: StageRejection | None = None  # the claims stage failed on this article


class Prepare:
    """Clean, story features and claims of a batch of documents: the per-article work,
    which needs no store and no other article, so that several processes can share it
    (``distributed.py`` runs one per Ray worker; grouping and cross-checking stay with
    :class:`Pipeline`). Models load once, on first use or with :meth:`load`; ``threads``
    caps the story encoder's threads (0: onnxruntime's default, one per core)."""

    def __init__(self, options: Options | None = None, threads: int = 0) -> None:
        self.options = options or Options()
        self.threads = threads
        self._featurizer: StoryFeaturizer | None = None
        self._extractor: ClaimExtractor | None = None

    @property
    def featurizer(self) -> StoryFeaturizer:
        if self._featurizer is None:
            self._featurizer = StoryFeaturizer(self.options.stories, threads=self.threads)
        return self._featurizer

    @property
    def extractor(self) -> ClaimExtractor:
        if self._extractor is None:
            self._extractor = ClaimExtractor()
        return self._extractor

    def load(self) -> None:
        """Load every model now (a worker does it once, before its first batch)."""
        _ = (self.featurizer.encoder, self.extractor.nlp)

    def __call__(
        self, docs: Sequence[RawDocument | Rejection], report: RunReport
    ) -> list[Prepared]:
        items = [clean_document(doc, self.options.ingest, report) for doc in docs]
        articles = [a for a in items if isinstance(a, Article)]
        features = {}
        if articles:
            made = guarded_batch("features", articles, self.featurizer, report, key=_article_id)
            features = {id(a): f for a, f in made}
        claims = {id(a): c for a, c in extract_claims(self.extractor, articles, report)}
        failed = {e.article: e for e in report.errors if e.stage == "claims"}
        return [
            Prepared(a, features.get(id(a)), claims.get(id(a)), failed.get(a.id))
            if isinstance(a, Article)
            else Prepared(a)
            for a in items
        ]


def _article_id(article: Article) -> str:
    return article.id


def extract_claims(
    extractor: ClaimExtractor, articles: Sequence[Article], report: RunReport
) -> list[tuple[Article, ArticleClaims]]:
    """The claims of the English articles (the extractor reads English only), in guarded
    batches of CLAIMS_BATCH: an article the extractor fails on is left out and listed."""
    english = [a for a in articles if is_english(a.language)]
    out: list[tuple[Article, ArticleClaims]] = []
    for k in range(0, len(english), CLAIMS_BATCH):
        chunk = english[k : k + CLAIMS_BATCH]
        out += guarded_batch("claims", chunk, extractor.extract_many, report, key=_article_id)
    return out


@dataclass(frozen=True)
class Grouping:
    """One article on its way through the grouping stages; each stage returns a new one."""

    article: Article
    features: StoryFeatures
    minhash: np.ndarray | None = None
    join: str | None = None  # the story a copy must join (its original's)
    update: StoryUpdate | None = None


#: A named stage: a callable from a record to the next record.
Stage = tuple[str, Callable[[T], T]]


class _Abort(Exception):
    """Rolls one article's transaction back after a stage failed on it (never escapes)."""


class _Taken(_Abort):
    """Another writer grouped the article first: nothing to do (never escapes)."""


def run_stages(
    stages: Sequence[Stage[T]],
    persist: Stage[T],
    record: T,
    report: RunReport,
    article: str,
    transaction: Callable[[], AbstractContextManager[None]],
) -> T | None:
    """Run ``stages`` and then ``persist`` on one record inside one transaction, timing each;
    one that raises rolls the transaction back and becomes a rejection in ``report`` under
    its name (None is returned)."""
    try:
        with transaction():
            for name, stage in [*stages, persist]:
                try:
                    with report.timed(name):
                        record = stage(record)
                except FATAL:
                    raise
                except Exception as exc:
                    report.fail(name, exc, article=article)
                    raise _Abort from exc
    except _Abort:
        return None
    return record


class _GroupingRun:
    """The state one grouping pass shares between articles: the copy index, the story
    grouper and the arrival order. Its methods are the grouping stages.

    Several processes may group the same database at once (two ``corroborator ingest``
    runs): each article is grouped inside :meth:`transaction`, which holds the store's write
    lock and first catches up with what another writer grouped since this run last looked
    (the copy index, arrival order and grouper are reloaded), so every article is grouped
    once, against every article grouped before it."""

    def __init__(self, pipeline: Pipeline, report: RunReport) -> None:
        self.pipeline = pipeline
        self.store = pipeline.store
        self.report = report
        self.taken = False  # the last article was grouped by another writer
        self.load()

    def load(self) -> None:
        """Read the copy index, the arrival order and the stories from the store."""
        with self.report.timed("copies"):
            self.index = CopyIndex(self.pipeline.options.copies)
            for stored in self.store.features(processed_only=True):
                self.index.add(stored.article_id, stored.minhash)
        with self.report.timed("store"):
            self.seqs = self.store.seqs()
            self.generation = self.store.processed_count()
        self.reload_grouper()

    @contextmanager
    def transaction(self, article_id: str) -> Iterator[None]:
        """One article's transaction; raises ``_Taken`` if it is grouped already."""
        with self.store.transaction():
            self.taken = False
            if self.store.processed_count() != self.generation:
                self.load()  # another writer grouped articles since: catch up
            if self.store.is_processed(article_id):
                self.taken = True
                raise _Taken(article_id)
            yield
            self.generation = self.store.processed_count()

    def reload_grouper(self) -> None:
        with self.report.timed("stories"):
            self.grouper = StoryGrouper(
                self.store.story_states(), self.store.story_members(), self.pipeline.options.stories
            )

    def copies(self, g: Grouping) -> Grouping:
        mh = minhash(g.article.text, self.pipeline.options.copies.num_perm)
        join = self.pipeline._link_copies(g.article, mh, self.index, self.seqs, self.report)
        return replace(g, minhash=mh, join=join)

    def stories(self, g: Grouping) -> Grouping:
        update = self.grouper.assign(g.features, force=g.join, published=g.article.published)
        return replace(g, update=update)

    def persist(self, g: Grouping) -> Grouping:
        assert g.minhash is not None and g.update is not None, "persist runs after the stages"
        a, feats = g.article, g.features
        self.store.put_features(a.id, g.minhash, feats.dense, list(feats.entities))
        self.store.put_story_terms(a.id, feats.terms, feats.weights, feats.title, feats.titled)
        self.store.save_stories(g.update.story_rows(), g.update.members, g.update.removed)
        self.store.mark_processed(a.id)
        return g


class _ClaimsAhead:
    """The claims of a batch of articles, extracted in a worker thread while the main thread
    groups them: spaCy's parser and our rules in one thread, the story encoder
    (onnxruntime, which lets go of the GIL while it computes) in the other, so the two
    cores share the work. The worker never touches the store; the main thread stores what
    it extracted when the claims are first asked for (``Pipeline.claims``)."""

    def __init__(self, extractor: ClaimExtractor, articles: Sequence[Article]) -> None:
        self.report = RunReport()
        self.done: list[tuple[Article, ArticleClaims]] = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(
            target=self._work, args=(extractor, list(articles)), name="claims-ahead", daemon=True
        )
        self.thread.start()

    def _work(self, extractor: ClaimExtractor, articles: list[Article]) -> None:
        try:
            self.done = extract_claims(extractor, articles, self.report)
        except BaseException as exc:  # a fatal error: raised again in the main thread
            self.error = exc

    def join(
        self, report: RunReport, failed: dict[str, StageRejection]
    ) -> dict[str, ArticleClaims]:
        """Wait for the worker; its errors and time join ``report``; the claims by article."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        report.merge(self.report)  # its errors (claims only) and its time
        for e in self.report.errors:
            if e.article:
                failed.setdefault(e.article, e)
        return {ac.article_id: ac for _article, ac in self.done}


class Pipeline:
    def __init__(self, store: Store, options: Options | None = None) -> None:
        self.store = store
        self.options = options or Options()
        self._embedder: Embedder | None = None
        self._encoder: SentenceEncoder | None = None
        self._story_featurizer: StoryFeaturizer | None = None
        self._extractor: ClaimExtractor | None = None
        self._judge: Judge | None | bool = False  # False: not loaded yet
        #: why the entailment model is not used although asked for (said once per run)
        self.model_warning: str | None = None
        self._claims_failed: dict[str, StageRejection] = {}  # not retried within one run
        self._claims_ready: dict[str, ArticleClaims] = {}  # extracted ahead, not yet stored
        # story features made by another process (admit_prepared), used once by process;
        # and the articles whose features failed there (not retried within one run)
        self._features: dict[str, StoryFeatures] = {}
        self._no_features: set[str] = set()
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
        """Story features (MiniLM's int8 copy, plus TF-IDF), loaded on first use."""
        if self._story_featurizer is None:
            self._story_featurizer = StoryFeaturizer(self.options.stories)
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
                except (ImportError, CorroboratorError) as exc:
                    self._judge = None
                    self.model_warning = (
                        f"the entailment model did not load ({one_line(exc)}); cross-checked "
                        "with the rules only. Reinstall corroborator, or pass --no-model to "
                        "silence this"
                    )
        return self._judge  # type: ignore[return-value]

    # --- ingest + clean -----------------------------------------------------------
    def ingest(self, paths: Iterable[str], progress: Progress = _quiet) -> RunReport:
        report = RunReport()
        sources = list(expand_paths(paths))
        for k, source in enumerate(sources):
            for doc in read_source(source, self.options.ingest, report):
                self.admit(clean_document(doc, self.options.ingest, report), report)
            progress("ingest", k + 1, len(sources))
        return report

    def admit(
        self, item: Article | Rejection, report: RunReport, claims: ArticleClaims | None = None
    ) -> Article | None:
        """Store one cleaned article (or keep one rejection) in its own transaction, with
        its ``claims`` when they were made already; returns the article as stored (its id
        may be a republication's, see identity.py: claims made under another id are not
        stored, they are made again)."""
        if isinstance(item, Rejection):
            if not item.reason.startswith(BUG_PREFIX):  # a bug is listed in errors
                report.skipped.append(item)
            with self.store.transaction():
                self.store.add_rejection(item.source, item.reason)
            return None
        with report.timed("store"), self.store.transaction():
            article, new = self._store_article(item)
            if claims is not None and claims.article_id == article.id:
                self.store.put_claims(claims, CLAIMS_VERSION)
        report.new += int(new)
        report.duplicates += int(not new)
        report.not_english += int(not is_english(article.language))
        if article.id not in report.article_ids:
            report.article_ids.append(article.id)
        return article

    def admit_prepared(self, prepared: Prepared, report: RunReport) -> Article | None:
        """``admit`` for a document another process prepared (:class:`Prepare`): its claims
        are stored with it and its features kept for ``process``."""
        article = self.admit(prepared.item, report, prepared.claims)
        if article is None or not isinstance(prepared.item, Article):
            return article
        if article.id != prepared.item.id:
            return article  # a republication's features are made again under its id
        if prepared.features is not None:
            self._features[article.id] = prepared.features
        else:  # the features stage failed on it (listed in errors): left for the next run
            self._no_features.add(article.id)
        if prepared.claims_error is not None:
            self._claims_failed.setdefault(article.id, prepared.claims_error)
        return article

    def _store_article(self, article: Article) -> tuple[Article, bool]:
        """Store a cleaned article under its identity (identity.py): (the article as stored,
        whether it is new). The same input read again is the article stored before; the
        same text from another input is a new article (a republication, linked as an exact
        copy when grouped)."""
        where = location(article.source, article.fmt)
        text_key = article.id
        aid, _ = identify(article, where, self.store.inputs_with_key(text_key))
        if aid != article.id:
            article = replace(article, id=aid)
        return article, self.store.add_article(article, text_key=text_key, location=where)

    # --- copies + stories -----------------------------------------------------------
    def process(self, report: RunReport | None = None, progress: Progress = _quiet) -> RunReport:
        report = report or RunReport()
        ids = self.store.unprocessed()
        if ids:
            self._process(ids, report, progress)
        self._features.clear()  # kept for one grouping pass (an article read again is done)
        for aid in report.article_ids:
            sid = self.store.story_of(aid)
            if sid and sid not in report.stories:
                report.stories.append(sid)
        return report

    def grouping_stages(self, run: _GroupingRun) -> list[Stage[Grouping]]:
        """The per-article stages of grouping, in order (``run_stages`` persists after them)."""
        return [("copies", run.copies), ("stories", run.stories)]

    def _process(self, ids: list[str], report: RunReport, progress: Progress) -> None:
        with report.timed("store"):
            articles = self.store.articles(ids)
        run = _GroupingRun(self, report)
        ahead = _ClaimsAhead(self.extractor, articles) if self.options.claims_ahead else None
        featured = self._featured(articles, report)
        stages = self.grouping_stages(run)
        for k, (article, feats) in enumerate(featured):
            done = run_stages(
                stages, ("store", run.persist), Grouping(article, feats), report, article.id,
                partial(run.transaction, article.id),
            )  # fmt: skip
            if done is None and not run.taken:  # rolled back: the grouper may hold half of it
                run.reload_grouper()
            elif done is not None:
                assert done.minhash is not None
                run.index.add(article.id, done.minhash)
                report.processed += 1
            progress("group", k + 1, len(featured))
        if ahead is not None:
            self._claims_ready.update(ahead.join(report, self._claims_failed))

    def _featured(
        self, articles: list[Article], report: RunReport
    ) -> list[tuple[Article, StoryFeatures]]:
        """Each article with its story features, in order: those made by another process
        (``admit_prepared``) as they are, the others made here in one batch; an article the
        features stage failed on is left out (and stays unprocessed)."""
        todo = [a for a in articles if a.id not in self._features and a.id not in self._no_features]
        made = {}
        if todo:
            featured = guarded_batch("features", todo, self.story_featurizer, report, _article_id)
            made = {id(a): f for a, f in featured}
        out = []
        for a in articles:
            feats = self._features.pop(a.id, None)
            if feats is None:
                feats = made.get(id(a))
            if feats is not None:
                out.append((a, feats))
        return out

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
        """Claims of each article, from the store when already extracted. An article the
        extractor fails on is left out (and listed in ``report.errors`` once)."""
        report = report or RunReport()
        out: dict[str, ArticleClaims] = {}
        todo, ready = [], []
        for aid in article_ids:
            if not is_english(self.store.article(aid).language):
                out[aid] = ArticleClaims(aid, ())  # the extractor reads English only
                continue
            stored = self.store.get_claims(aid, CLAIMS_VERSION)
            if stored is None and aid in self._claims_ready:
                ready.append(self._claims_ready.pop(aid))
            elif stored is not None:
                out[aid] = stored
            elif aid in self._claims_failed:
                if all(e is not self._claims_failed[aid] for e in report.errors):
                    report.errors.append(self._claims_failed[aid])
            else:
                todo.append(aid)
        if ready:  # extracted while the articles were grouped (Options.claims_ahead)
            with report.timed("store"), self.store.transaction():
                for ac in ready:
                    self.store.put_claims(ac, CLAIMS_VERSION)
                    out[ac.article_id] = ac
        batch = CLAIMS_BATCH
        for k in range(0, len(todo), batch):
            chunk = self.store.articles(todo[k : k + batch])
            extracted = guarded_batch(
                "claims", chunk, self.extractor.extract_many, report, key=lambda a: a.id
            )
            for e in report.errors:
                if e.stage == "claims" and e.article in todo and e.article not in out:
                    self._claims_failed.setdefault(e.article, e)
            with report.timed("store"), self.store.transaction():
                for _article, ac in extracted:
                    self.store.put_claims(ac, CLAIMS_VERSION)
                    out[ac.article_id] = ac
            progress("claims", min(k + batch, len(todo)), len(todo))
        return out

    def check_story(self, story_id: str, report: RunReport | None = None) -> StoryCheck:
        """Cross-check one story (any unambiguous prefix of its id)."""
        report = report or RunReport()
        story_id = self.store.find_story(story_id)
        title, ids = self.store.story(story_id)
        article_claims = self.claims(ids, report)
        # an article whose claims could not be extracted is left out of its story's check
        articles = self.store.articles([a for a in ids if a in article_claims])
        judge = self.judge
        if self.model_warning:
            report.warn(self.model_warning)
        with report.timed("crosscheck"):
            return crosscheck(
                story_id, title, articles, article_claims, self.store.copies(),
                self.embedder, judge, self.options.crosscheck,
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
            try:
                checks.append(self.check_story(sid, report))
            except FATAL:
                raise
            except Exception as exc:  # one story's bug must not cost the other stories
                report.fail("crosscheck", exc, story=sid)
            progress("check", k + 1, len(story_ids))
        return checks

"""The library: one call per command of the command line (``cli.py`` only adds the output).

    >>> import corroborator
    >>> result = corroborator.run(["examples/"], db="news.db", use_model=False)  # doctest: +SKIP
    >>> [s["title"] for s in result.document["stories"]]                         # doctest: +SKIP

Every call that reads or writes a database takes ``db``, the path of a SQLite file, opens it,
and closes it before returning; the results hold no open store. Errors are the ones drawn in
``errors.py`` (a ``CorroboratorError`` says what went wrong and what to do next); a bad input
inside a batch is not an error but a rejection, listed in the result.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

from . import documents, factsheet
from .claims import ArticleClaims, ClaimExtractor, claim_json, garbled_json
from .crosscheck import StoryCheck
from .distributed import RayOptions
from .errors import CorroboratorError, UnreadableInput
from .ingest.limits import IngestOptions
from .language import is_english
from .pipeline import Options, Pipeline, Progress, RunReport
from .records import Article
from .store import Store, open_store

DEFAULT_DB = "corroborator.db"
#: The largest article ``serve`` accepts to check (the check page, ``POST /api/check``), KiB.
MAX_CHECK_KB = 1024
#: What ``FactSheet.render`` writes.
FORMATS = ("html", "md", "json", "claimreview")

Db = str | os.PathLike[str]


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def _json(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@contextmanager
def _store(db: Db, create: bool = True) -> Iterator[Store]:
    store = open_store(os.fspath(db), create=create)
    try:
        yield store
    finally:
        store.close()


@dataclass(frozen=True)
class RunResult:
    """What ``run`` did: the counts and rejections, the cross-check of every story the run
    touched, and the JSON document (``corroborator run --json``) built from them."""

    report: RunReport
    checks: tuple[StoryCheck, ...]
    document: dict[str, Any]

    @property
    def stories(self) -> list[dict[str, Any]]:
        return list(self.document["stories"])

    def to_json(self) -> str:
        return _json(self.document)

    def to_html(self) -> str:
        """The fact sheets of the stories touched, as one self-contained HTML page (a story
        whose cross-check or fact sheet failed has none: see ``errors``)."""
        return factsheet.to_html_many([s for s in self.document["stories"] if "claims" in s])


@dataclass(frozen=True)
class FactSheet:
    """One story's fact sheet: its cross-check and its entry in the JSON document."""

    story_id: str
    check: StoryCheck
    story: dict[str, Any]

    def render(self, fmt: str = "html", **review: Any) -> str:
        """The sheet as ``html``, ``md``, ``json`` or ``claimreview`` (JSON-LD; ``author``
        names the reviewing organisation, ``base_url`` where ``serve`` answers)."""
        return factsheet.render(self.story, fmt, **review)


@dataclass(frozen=True)
class ClaimsResult:
    """The claims of one article, read without a database."""

    article: Article
    extracted: ArticleClaims

    @property
    def document(self) -> dict[str, Any]:
        """The JSON document of ``corroborator claims --json``."""
        items = []
        for c in self.extracted.claims:
            d = claim_json(c)
            items.append({k: d[k] for k in ("id", "text", "speaker", "voice", "cue", "stance", "quantities",
                                              "entities", "sentence", "start", "end")}
                         | {"proposition": c.proposition, "people": d["people"], "quote": c.quote})  # fmt: skip
        return {"article": self.article.id, "path": self.article.source,
                "language": self.article.language, "claims": items,
                "garbled": [garbled_json(g) for g in self.extracted.garbled],
                "unintroduced_speakers": [n for _, n in self.extracted.unintroduced]}  # fmt: skip

    def to_json(self) -> str:
        return _json(self.document)


@dataclass(frozen=True)
class CheckResult:
    """One new article checked against a database: ``document`` holds its story
    (``story``, ``story_title``, ``other_sources``) and per claim a ``status``
    (corroborated, contradicted, unverified) with its ``evidence``."""

    document: dict[str, Any]

    @property
    def claims(self) -> list[dict[str, Any]]:
        return list(self.document["claims"])

    def to_json(self) -> str:
        return _json(self.document)


def ingest(
    paths: Iterable[str],
    db: Db = DEFAULT_DB,
    progress: Progress = _no_progress,
    *,
    limits: IngestOptions | None = None,
) -> RunReport:
    """Read, clean, find copies and group into stories (no claims, no cross-check).

    ``paths``: files, folders, ``http(s)://`` URLs, or ``-`` for standard input.
    ``limits``: sizes, time and URL rules for what is read (default: ``IngestOptions()``)."""
    with _store(db) as store:
        return Pipeline(store, Options(ingest=limits or IngestOptions())).run(paths, progress)


def run(
    paths: Iterable[str],
    db: Db = DEFAULT_DB,
    *,
    use_model: bool = True,
    progress: Progress = _no_progress,
    limits: IngestOptions | None = None,
    ray: RayOptions | None = None,
) -> RunResult:
    """Ingest, group, extract claims and cross-check the stories this run touched.

    ``use_model=False`` leaves out the entailment model (rules only); ``limits`` as for
    :func:`ingest`. ``ray``: read, clean, and make story features and claims on a Ray
    cluster (``RayOptions()``: a local one), the rest here (``pip install
    'corroborator[ray]'``); the result is the same as without it."""
    if ray is not None:
        from .distributed import require_ray

        require_ray()  # before the database is made: say how to install it first
    with _store(db) as store:
        # claims made in a thread while grouping; a Ray run has them made by its workers
        options = Options(
            use_model=use_model, ingest=limits or IngestOptions(), claims_ahead=ray is None
        )
        pipeline = Pipeline(store, options)
        if ray is not None:
            from . import distributed

            report = distributed.run(pipeline, paths, ray, progress)
        else:
            report = pipeline.run(paths, progress)
        checks = pipeline.check_stories(report.stories, report, progress)
        doc = documents.stories_document(store, report.stories, report, checks)
    return RunResult(report, tuple(checks), doc)


def stories(db: Db = DEFAULT_DB) -> dict[str, Any]:
    """Every story in the database with its articles (``corroborator stories --json``)."""
    with _store(db, create=False) as store:
        return documents.stories_document(store)


def fact_sheet(story: str, db: Db = DEFAULT_DB, *, use_model: bool = True) -> FactSheet:
    """The fact sheet of one story (its id or an unambiguous prefix of it)."""
    with _store(db, create=False) as store:
        check = Pipeline(store, Options(use_model=use_model)).check_story(story)
        doc = documents.stories_document(store, [check.story_id], None, [check])
    return FactSheet(check.story_id, check, doc["stories"][0])


def fact_sheets(
    db: Db = DEFAULT_DB, *, use_model: bool = True, progress: Progress = _no_progress
) -> dict[str, Any]:
    """Every story in the database with its fact sheet: the ``run --json`` document, read
    from the database alone (one pipeline for all stories, so the models load once)."""
    with _store(db, create=False) as store:
        pipeline = Pipeline(store, Options(use_model=use_model))
        ids = [sid for sid, _, _ in store.stories()]
        checks = pipeline.check_stories(ids, None, progress)
        return documents.stories_document(store, ids, None, checks)


@dataclass(frozen=True)
class UpgradeResult:
    """What ``upgrade`` did: the migrations it applied now and all those applied so far."""

    applied_now: tuple[str, ...]
    applied: tuple[str, ...]
    schema_version: int


def upgrade(db: Db = DEFAULT_DB) -> UpgradeResult:
    """Apply the schema migrations the database lacks (``corroborator db upgrade``)."""
    store = open_store(os.fspath(db), create=True, upgrade=False)
    try:
        now = store.upgrade()
        return UpgradeResult(tuple(now), tuple(store.applied_migrations()), store.schema_version())
    finally:
        store.close()


def article(article_id: str, db: Db = DEFAULT_DB) -> Article:
    """One stored article, its cleaned text included."""
    with _store(db, create=False) as store:
        return store.article(article_id)


def serve(
    db: Db = DEFAULT_DB,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    use_model: bool = True,
    progress: Progress = _no_progress,
    ready: Callable[[], None] | None = None,
    token: str | None = None,
    max_check_kb: int = MAX_CHECK_KB,
) -> None:
    """Serve the stories and their fact sheets in a browser and as JSON under ``/api/``
    (FastAPI + uvicorn; loopback by default). Reads every fact sheet first, then calls
    ``ready`` and blocks until the server is stopped. Checking an article writes to the
    database: on an address other than loopback it needs ``token``; an article larger than
    ``max_check_kb`` KiB is refused (413)."""
    import ipaddress

    import uvicorn

    from .web.app import create_app

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not token:
        raise CorroboratorError(
            f"serving on {host} lets other machines add articles: give a --token "
            "(or CORROBORATOR_TOKEN), or serve on 127.0.0.1"
        )
    app = create_app(db, use_model=use_model, token=token, max_check_bytes=max_check_kb * 1024)
    app.state.library.document(progress)  # read every fact sheet before the first visitor
    if ready is not None:
        ready()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def article_claims(source: str, *, limits: IngestOptions | None = None) -> ClaimsResult:
    """The claims of one article (the first of a file holding several, or ``FILE#N``); no
    database."""
    return all_claims(source, limits=limits)[0]


def all_claims(source: str, *, limits: IngestOptions | None = None) -> list[ClaimsResult]:
    """The claims of every article of one input (each item of a feed, JSON Lines or WARC
    file), or of record N only with ``FILE#N``; no database. An article not in English gets
    no claims (the extractor reads English only). ``limits`` as for ``ingest`` (a URL on
    this machine or a private network needs ``allow_private=True``)."""
    articles, _ = documents.all_articles(source, limits)
    extractor: ClaimExtractor | None = None
    out = []
    for article in articles:
        if not is_english(article.language):
            out.append(ClaimsResult(article, ArticleClaims(article.id, ())))
            continue
        extractor = extractor or ClaimExtractor()
        out.append(ClaimsResult(article, extractor(article)))
    return out


def check(
    source: str,
    db: Db = DEFAULT_DB,
    *,
    use_model: bool = True,
    limits: IngestOptions | None = None,
) -> CheckResult:
    """One new article against everything in the database (the article is stored);
    ``limits`` as for ``ingest``."""
    with _store(db) as store:
        pipeline = Pipeline(store, Options(use_model=use_model, ingest=limits or IngestOptions()))
        return CheckResult(documents.check_article(pipeline, source))


def verify(
    pairs: str | os.PathLike[str] | Iterable[str],
    out: TextIO,
    *,
    threshold: float | None = None,
    progress: bool = True,
) -> int:
    """Judge ``{"id", "evidence", "claim"}`` JSON Lines with the entailment model; write one
    ``{"id", "label", "score", "evidence_sentence"}`` line per input to ``out``.

    ``pairs`` is a file path or an iterable of lines; ``threshold`` is the P(supported) a
    claim sentence needs (default: the model's). Returns the number of lines judged."""
    from .entailment import EntailmentModel, verify_jsonl

    model = EntailmentModel()
    if threshold is not None:
        model.support_threshold = threshold
    if not isinstance(pairs, str | os.PathLike):
        return verify_jsonl(model, pairs, out, progress)
    try:
        fh = open(pairs, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise UnreadableInput(f"cannot read {os.fspath(pairs)}: {exc.strerror or exc}") from exc
    with fh:
        return verify_jsonl(model, fh, out, progress)

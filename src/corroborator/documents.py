"""The machine-readable documents corroborator writes (``run --json``, ``stories --json``).

The foundation keys (``stories[].id/title/articles[]`` with ``id, path, url, outlet, title,
published, copy_of``, ``stories[].reach`` (see ``reach_entry``) and ``skipped``) are stable; the cross-check adds, per story,
``claims, corroborated, conflicts, single_source, actors, quantities, people`` (see
factsheet.story_sheet) and, per article, ``flags``. A run adds ``summary``, ``errors``
(``{stage, article, story, reason}`` for each record a stage failed on; a story whose
cross-check or fact sheet failed has no ``claims``) and ``warnings`` (a model not loaded).
Every ``sentence`` in these documents is the 1-based position of the sentence in the cleaned
article (``claims.sentence_number``), as the pages count it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .copies import reach
from .crosscheck import StoryCheck, source_keys
from .errors import CorroboratorError
from .factsheet import story_sheet
from .pipeline import RunReport
from .store import Store


def article_entry(store: Store, article_id: str, copies: dict[str, Any]) -> dict[str, Any]:
    a = store.article(article_id)
    link = copies.get(a.id)
    entry: dict[str, Any] = {
        "id": a.id,
        "path": a.source,
        "url": a.url,
        "outlet": a.outlet,
        "title": a.title,
        "published": a.published,
        "language": a.language,
        "encoding": a.encoding,
        "replaced_bytes": a.replaced,
        "copy_of": link.original_id if link else None,
    }
    if link:
        entry["copy"] = {
            "kind": link.kind,
            "similarity": link.similarity,
            "departures": [d.__dict__ for d in link.departures],
        }
    entry["removed"] = [r.__dict__ for r in a.removed]
    return entry


def reach_entry(store: Store, article_ids: list[str], copies: dict[str, Any]) -> dict[str, Any]:
    """A story's reach: how many articles against how many independent sources (a copy
    counts once, with its original), and for each original the outlets that republished
    it, word for word (``exact``) or with changes (``near``), with their dates."""
    articles = store.articles(article_ids)
    ids = set(article_ids)
    links = {k: v for k, v in copies.items() if k in ids and v.original_id in ids}
    return {
        "articles": len(articles),
        "independent_sources": len(set(source_keys(articles, links).values())),
        "republished": [
            {
                "original": r.article_id,
                "outlet": r.outlet,
                "published": r.published,
                "title": r.title,
                "path": r.path,
                "url": r.url,
                "copies": [
                    {"article": c.article_id}
                    | {k: v for k, v in asdict(c).items() if k != "article_id"}
                    for c in r.copies
                ],
            }
            for r in reach(articles, links)
        ],
    }


def stories_document(
    store: Store,
    story_ids: list[str] | None = None,
    report: RunReport | None = None,
    checks: list[StoryCheck] | None = None,
) -> dict[str, Any]:
    copies = store.copies()
    sheets = {}
    for c in checks or []:
        try:
            sheets[c.story_id] = story_sheet(c)
        except CorroboratorError:
            raise
        except Exception as exc:  # one story's bug must not cost the others' fact sheets
            if report is None:
                raise
            report.fail("factsheet", exc, story=c.story_id)
    stories = []
    if story_ids is None:
        chosen = store.stories()
    else:  # only the stories asked for, in that order (one query each, not a walk of all)
        chosen = [(sid, *store.story(sid)) for sid in story_ids]
    for sid, title, article_ids in chosen:
        story: dict[str, Any] = {
            "id": sid,
            "title": title,
            "articles": [article_entry(store, aid, copies) for aid in article_ids],
            "reach": reach_entry(store, article_ids, copies),
        }
        sheet = sheets.get(sid)
        if sheet:
            flags = sheet.pop("article_flags")
            for a in story["articles"]:
                a["flags"] = flags.get(a["id"], {})
            story.update({k: v for k, v in sheet.items() if k not in ("id", "title")})
        stories.append(story)
    doc: dict[str, Any] = {"stories": stories}
    if report is not None:
        doc["summary"] = report.as_dict()
        doc["skipped"] = doc["summary"].pop("skipped")
        doc["errors"] = doc["summary"].pop("errors")
        doc["warnings"] = doc["summary"].pop("warnings")
    else:
        doc["skipped"] = [{"path": s, "reason": r} for s, r in store.rejections()]
    return doc


def first_article(source: str, options: Any = None) -> Any:
    """Read and clean the first article of one input; errors say why there is none."""
    return all_articles(source, options)[0][0]


def _numbered(source: str) -> tuple[str, int | None]:
    """``FILE#N`` (the N-th record of a feed, JSON Lines or WARC file, as the run summary
    and ``claims`` name it) split into the file and N, when no file has the whole name."""
    import os

    path, sep, number = source.rpartition("#")
    if sep and number.isdigit() and not os.path.exists(source) and os.path.exists(path):
        return path, int(number)
    return source, None


def all_articles(source: str, options: Any = None) -> tuple[list[Any], list[Any]]:
    """(cleaned articles, rejections) of one input, every record of a file that holds
    several, or only record N of ``FILE#N``, read within ``options`` (an
    ``IngestOptions``; default: its defaults, private addresses refused); errors say why
    there is no article."""
    from .clean import clean
    from .errors import InputError
    from .ingest import read_one
    from .ingest.limits import DEFAULT_LIMITS, time_limit
    from .records import Rejection

    options = options or DEFAULT_LIMITS

    path, number = _numbered(source)
    wanted = f"{path}#{number}" if number is not None else None
    articles: list[Any] = []
    skipped: list[Any] = []
    for doc in read_one(path, options):
        if wanted is not None and doc.source != wanted:
            continue
        if isinstance(doc, Rejection):
            skipped.append(doc)
            continue
        try:
            with time_limit(options.document_timeout_s, doc.source):
                articles.append(clean(doc))
        except InputError as exc:
            skipped.append(Rejection(doc.source, str(exc)))
    if not articles:
        if skipped:
            raise InputError(f"cannot read {skipped[0].source}: {skipped[0].reason}")
        raise InputError(f"no record {wanted} in {path}" if wanted else f"no article in {path}")
    return articles, skipped


def contradicts_content(verdict: Any) -> bool:
    """Whether a conflict disputes what a claim says: a person's title given differently,
    or a figure that changed from one day to the next, does not (as in ClaimReview)."""
    return bool(
        verdict.verdict == "conflicts"
        and verdict.kind != "title"
        and not verdict.extra.get("over_time")
    )


def check_article(pipeline: Any, source: str) -> dict[str, Any]:
    """One new article against the store: its story (``story_articles``: how many articles
    it has now, 1 when the article starts a story of its own), and per claim whether
    independent sources corroborate it, contradict it (``contradicts_content``: a title or
    another day's figure is listed in its evidence but contradicts nothing), or say nothing;
    the article's own ``flags`` (as in ``run --json``: a person given two titles, a speaker
    never introduced, garbled sentences, a figure stated two ways, what it copies, and the
    warning they add up to)."""
    from .claims import sentence_number
    from .errors import InputError
    from .tables import article_flags

    report = pipeline.run([source])
    if not report.article_ids:
        reason = report.skipped[0].reason if report.skipped else "no article"
        raise InputError(f"cannot read {source}: {reason}")
    aid = report.article_ids[0]
    sid = pipeline.store.story_of(aid)
    check = pipeline.check_story(sid, report)
    mine = [c for c in check.claims if c.article_id == aid]
    out = []
    for c in mine:
        evidence = []
        status = "unverified"
        for v in check.verdicts:
            if c.id not in (v.a, v.b) or v.verdict == "related":
                continue
            other = check.claim(v.b if v.a == c.id else v.a)
            evidence.append({"claim": other.id, "source": check.source_name(other), "text": other.text,
                             "verdict": v.verdict, "contradicts": contradicts_content(v),
                             "reason": v.reason, "by": v.by})  # fmt: skip
            if contradicts_content(v):
                status = "contradicted"
            elif v.verdict == "agrees" and status != "contradicted":
                status = "corroborated"
        out.append({"id": c.id, "sentence": sentence_number(c.sentence), "text": c.text, "status": status,
                    "start": c.start, "end": c.end, "evidence": evidence})  # fmt: skip
    others = {s for a, s in check.source_of.items() if s != check.source_of[aid]}
    article = next(a for a in check.articles if a.id == aid)
    link = check.copies.get(aid)
    original = next((a for a in check.articles if link and a.id == link.original_id), None)
    return {"article": aid, "story": check.story_id, "story_title": check.title,
            "story_articles": len(check.articles),
            "title": article.title, "outlet": article.outlet,
            "other_sources": len(others), "claims": out,
            "copy_of": ({"article": original.id, "outlet": original.outlet,
                         "title": original.title, "kind": link.kind}
                        if original and link else None),
            "flags": article_flags(check)[aid]}  # fmt: skip

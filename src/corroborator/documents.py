"""The machine-readable documents corroborator writes (``run --json``, ``stories --json``).

The foundation keys (``stories[].id/title/articles[]`` with ``id, path, url, outlet, title,
published, copy_of``, and ``skipped``) are stable; later stages add keys beside them.
"""

from __future__ import annotations

from typing import Any

from .pipeline import RunReport
from .store import SqliteStore


def article_entry(store: SqliteStore, article_id: str, copies: dict[str, Any]) -> dict[str, Any]:
    a = store.article(article_id)
    link = copies.get(a.id)
    entry: dict[str, Any] = {
        "id": a.id,
        "path": a.source,
        "url": a.url,
        "outlet": a.outlet,
        "title": a.title,
        "published": a.published,
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


def stories_document(
    store: SqliteStore, story_ids: list[str] | None = None, report: RunReport | None = None
) -> dict[str, Any]:
    copies = store.copies()
    stories = []
    for sid, title, article_ids in store.stories():
        if story_ids is not None and sid not in story_ids:
            continue
        stories.append(
            {
                "id": sid,
                "title": title,
                "articles": [article_entry(store, aid, copies) for aid in article_ids],
            }
        )
    if story_ids is not None:
        order = {sid: k for k, sid in enumerate(story_ids)}
        stories.sort(key=lambda s: order[s["id"]])
    doc: dict[str, Any] = {"stories": stories}
    if report is not None:
        doc["summary"] = report.as_dict()
        doc["skipped"] = doc["summary"].pop("skipped")
    else:
        doc["skipped"] = [{"path": s, "reason": r} for s, r in store.rejections()]
    return doc

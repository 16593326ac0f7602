"""RSS and Atom feeds (feedparser): each item becomes an article.

A feed that declares XML entities in a DOCTYPE (``<!ENTITY``) is refused before any parser
sees it: entity declarations are how "billion laughs" expansion bombs and external-entity
reads (``SYSTEM "file:///etc/passwd"``) work, and no real news feed needs them. feedparser
itself neither expands nor fetches them (tests/test_ingest_hostile.py checks that on its
own), so this check is a second wall, and one with a clear reason.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from typing import Any

from ..errors import InputError, MalformedInput
from ..records import RawDocument, Rejection
from .html import extract_html
from .limits import DEFAULT_LIMITS, IngestOptions

#: A DOCTYPE with an internal subset that declares entities, before the root element.
ENTITY_DECL = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.IGNORECASE)
PROLOG_BYTES = 64 * 1024


def _published(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return time.strftime("%Y-%m-%dT%H:%M:%S", parsed)
    return entry.get("published") or None


def _body(entry: Any) -> str:
    for content in entry.get("content") or []:
        if content.get("value", "").strip():
            return str(content["value"])
    return str(entry.get("summary") or "")


def read_feed(
    source: str, data: bytes, options: IngestOptions = DEFAULT_LIMITS
) -> Iterator[RawDocument | Rejection]:
    import feedparser

    if ENTITY_DECL.search(data[:PROLOG_BYTES].replace(b"\x00", b"")):
        raise MalformedInput(
            "feed declares XML entities (<!ENTITY> in its DOCTYPE), refused as unsafe: "
            "entity declarations are how expansion bombs and local-file reads work"
        )
    try:
        parsed = feedparser.parse(
            data, resolve_relative_uris=False, sanitize_html=True, response_headers={}
        )
    except Exception as exc:  # feedparser raises ValueError, UnicodeError... on broken feeds
        raise MalformedInput(f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc})") from exc
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no items"
        raise MalformedInput(f"not a readable RSS/Atom feed ({reason})")
    site = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#{number}"
        body = _body(entry)
        try:
            if not body.strip():
                raise MalformedInput("feed item has no content or summary")
            if "<" in body and ">" in body:
                doc = extract_html(
                    where, f"<html><body><article>{body}</article></body></html>", options=options
                )
                text = doc.text
            else:
                text = html.unescape(body)
            authors = tuple(
                a.get("name", "").strip() for a in entry.get("authors", []) if a.get("name")
            )
            yield RawDocument(
                source=where,
                text=text,
                fmt="feed",
                url=entry.get("link") or None,
                title=(entry.get("title") or "").strip() or None,
                published=_published(entry),
                authors=authors,
                sitename=site,
            )
        except InputError as exc:
            yield Rejection(source=where, reason=str(exc))

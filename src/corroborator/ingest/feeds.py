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

from ..errors import EmptyInput, InputError, MalformedInput
from ..records import RawDocument, Rejection
from .formats import FEED_ROOTS, markup_root
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


#: Text that starts like a tag: markup a feed escaped twice, or markup shown as text.
MARKUP_START = re.compile(r"\s*<[A-Za-z!/?]")


def _fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed title or a summary too short for trafilatura),
    white space collapsed."""
    from lxml import html as lxml_html

    if "<" not in fragment:
        return " ".join(html.unescape(fragment).split())
    try:
        tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several kinds on broken fragments
        return ""
    return " ".join(str(tree.text_content()).split())


def _item_text(where: str, body: str, options: IngestOptions) -> str:
    """The prose of an item's content: trafilatura on HTML, the fragment's own text when
    trafilatura finds no main text in a short summary; escaped markup is read once more."""
    for _ in range(2):
        if "<" in body and ">" in body:
            try:
                page = f"<html><body><article>{body}</article></body></html>"
                text = extract_html(where, page, options=options).text
            except EmptyInput:
                text = _fragment_text(body)
        else:
            text = html.unescape(body)
        if not MARKUP_START.match(text):
            break
        body = text
    if MARKUP_START.match(text):
        raise MalformedInput("feed item's text is markup, not prose")
    if not text.strip():
        raise EmptyInput("feed item has no text once its markup is removed")
    return text


def _not_a_feed(data: bytes, parsed: Any) -> str:
    root = markup_root(data)
    if root == "":
        return "not an RSS/Atom feed: the XML holds no element (only comments)"
    if root is not None and root not in FEED_ROOTS:
        return f"not an RSS/Atom feed: its root element is <{root}>"
    reason = parsed.get("bozo_exception") or "no items"
    return f"not a readable RSS/Atom feed ({reason})"


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
        raise MalformedInput(_not_a_feed(data, parsed))
    site = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#{number}"
        body = _body(entry)
        try:
            if not body.strip():
                raise MalformedInput("feed item has no content or summary")
            text = _item_text(where, body, options)
            authors = tuple(
                a.get("name", "").strip() for a in entry.get("authors", []) if a.get("name")
            )
            yield RawDocument(
                source=where,
                text=text,
                fmt="feed",
                url=entry.get("link") or None,
                title=_fragment_text(entry.get("title") or "") or None,
                published=_published(entry),
                authors=authors,
                sitename=site,
                encoding=parsed.get("encoding") or None,
                replaced=text.count("\ufffd"),
            )
        except InputError as exc:
            yield Rejection(source=where, reason=str(exc))

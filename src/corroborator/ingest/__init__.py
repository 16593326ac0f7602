"""Ingest: turn files, folders, standard input and URLs into RawDocuments.

One reader per format, chosen by file extension and, failing that, by sniffing the first
bytes. Each reader yields ``RawDocument`` or ``Rejection`` records: a bad input is never
raised past this module, it is skipped with its reason. Everything read is held to the
limits of :class:`~corroborator.ingest.limits.IngestOptions` (sizes, HTML depth and
element count, sentences, time per document); a format we do not read (PDF, Word, images,
archives) is named by its first bytes (:mod:`.formats`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError, UnreadableInput
from ..records import RawDocument, Rejection
from ..text import split_sentences
from .feeds import read_feed
from .formats import FEED_ROOTS, markup_root, unsupported
from .html import extract_html, read_html
from .jsonl import read_jsonl
from .limits import DEFAULT_LIMITS, IngestOptions, MiB, time_limit
from .text import decode_detected, read_text
from .urls import fetch, is_url
from .warc import read_warc

Reader = Callable[[str, bytes, IngestOptions], Iterator[RawDocument | Rejection]]

#: The registry of input readers, by format name.
READERS: dict[str, Reader] = {
    "txt": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "feed": read_feed,
    "warc": read_warc,
}

EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc": "warc",
    ".arc.gz": "warc",
}

#: Formats whose whole input is one document (the others hold many, each held to the
#: per-document limit on its own).
SINGLE = frozenset({"txt", "html"})
SNIFF_BYTES = 64 * 1024

__all__ = ["READERS", "IngestOptions", "iter_documents", "sniff", "expand_paths", "read_one"]


def sniff(data: bytes) -> str:
    """The format of an input by its content: WARC and ARC (plain or gzipped) by their
    first line; markup by its root element, read past byte-order marks, comments,
    processing instructions and DOCTYPEs (an RSS, Atom, RDF or CDF root is a feed, any
    other element a page, markup with no element at all is left to the feed reader to
    refuse); a JSON object; else text."""
    head = data[:2048].lstrip().lower()
    if data[:2] == b"\x1f\x8b" or head.startswith((b"warc/", b"filedesc://")):
        return "warc"
    root = markup_root(data)
    if root is not None:
        return "feed" if root in FEED_ROOTS or root == "" else "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "txt"


def format_of(path: Path, data: bytes) -> str:
    """The format of a file: its content when that is markup or an archive (a feed saved
    as .xml or .html, a page saved as .xml, an ARC saved as .txt), else its extension."""
    name = path.name.lower()
    found = sniff(data)
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            fmt = EXTENSIONS[ext]
            if found == "warc" or (found in ("feed", "html") and fmt in ("feed", "html", "txt")):
                return found
            return fmt
    return found


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files in the order given; folders recursively, sorted, hidden files left out."""
    for p in paths:
        if p == "-" or is_url(p):
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield str(child)
        else:
            yield p


def _cap(fmt: str, options: IngestOptions) -> tuple[int, str] | None:
    """The size limit of a whole input of this format, with its flag; None: per record."""
    if fmt in SINGLE:
        return options.max_document_bytes, "--max-document-mb"
    if fmt == "feed":
        return options.max_feed_bytes, "--max-feed-mb"
    return None


def _check_size(size: int, fmt: str, options: IngestOptions) -> None:
    cap = _cap(fmt, options)
    if cap is not None and size > cap[0]:
        what = "feed" if fmt == "feed" else "document"
        raise UnreadableInput(
            f"{what} is {size / MiB:.1f} MB, over the {cap[0] / MiB:g} MB limit "
            f"(raise it with {cap[1]})"
        )


def check_document(doc: RawDocument, options: IngestOptions) -> RawDocument | Rejection:
    """A document read from a container (feed item, JSON line, WARC record, page) held to
    the per-document limits."""
    size = len(doc.text.encode("utf-8", "replace"))
    if size > options.max_document_bytes:
        return Rejection(
            doc.source,
            f"article text is {size / MiB:.1f} MB, over the "
            f"{options.max_document_bytes / MiB:g} MB limit (raise it with --max-document-mb)",
        )
    sentences = len(split_sentences(doc.text))
    if sentences > options.max_sentences:
        return Rejection(
            doc.source,
            f"article has {sentences} sentences, over the limit of {options.max_sentences} "
            "(raise it with --max-sentences)",
        )
    return doc


def _read_bytes(source: str, options: IngestOptions) -> tuple[str, bytes, str]:
    """(name, bytes, format) of a file or stdin, refusing a file over its size limit
    before reading it whole."""
    if source == "-":
        data = sys.stdin.buffer.read(max(options.max_document_bytes, options.max_feed_bytes) + 1)
        return "<stdin>", data, sniff(data)
    path = Path(source)
    if not path.exists():
        raise InputError(f"no such file: {source}")
    if not path.is_file():
        raise InputError(f"not a regular file: {source}")
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
            reason = unsupported(head)
            if reason:
                raise UnreadableInput(reason)
            fmt = format_of(path, head)
            _check_size(path.stat().st_size, fmt, options)
            data = head + fh.read()
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from exc
    return source, data, fmt


def _documents(source: str, options: IngestOptions) -> Iterator[RawDocument | Rejection]:
    if is_url(source):
        page = fetch(source, options)
        reason = unsupported(page.data)
        if reason:
            raise UnreadableInput(reason)
        fmt = "feed" if page.is_feed else sniff(page.data)
        _check_size(len(page.data), fmt, options)
        if fmt in SINGLE:
            text, replaced, encoding = decode_detected(page.data)
            doc = extract_html(source, text, url=page.url, fmt="url", options=options)
            yield RawDocument(**{**doc.__dict__, "replaced": replaced, "encoding": encoding})
        else:
            yield from READERS[fmt](source, page.data, options)
        return
    name, data, fmt = _read_bytes(source, options)
    reason = unsupported(data)
    if reason:
        raise UnreadableInput(reason)
    if not data.strip():
        raise InputError("empty file")
    _check_size(len(data), fmt, options)
    yield from READERS[fmt](name, data, options)


def read_one(
    source: str, options: IngestOptions = DEFAULT_LIMITS
) -> Iterator[RawDocument | Rejection]:
    """All documents of one input (a path, ``-`` for stdin, or an http(s) URL), each read
    within ``options.document_timeout_s`` and held to the per-document limits."""
    documents = _documents(source, options)
    while True:
        try:
            with time_limit(options.document_timeout_s, "the next document of " + source):
                item = next(documents, None)
        except InputError as exc:
            yield Rejection(source=source, reason=str(exc))
            return
        if item is None:
            return
        yield item if isinstance(item, Rejection) else check_document(item, options)


def iter_documents(
    paths: Iterable[str], options: IngestOptions = DEFAULT_LIMITS
) -> Iterator[RawDocument | Rejection]:
    for source in expand_paths(paths):
        yield from read_one(source, options)

"""Ingest: turn files, folders, standard input and URLs into RawDocuments.

One reader per format, chosen by file extension and, failing that, by sniffing the first
bytes. Each reader yields ``RawDocument`` or ``Rejection`` records: a bad input is never
raised past this module, it is skipped with its reason.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..records import RawDocument, Rejection
from .feeds import read_feed
from .html import read_html
from .jsonl import read_jsonl
from .text import read_text
from .urls import is_url, read_url
from .warc import read_warc

Reader = Callable[[str, bytes], Iterator[RawDocument | Rejection]]

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
    ".arc.gz": "warc",
}

__all__ = ["READERS", "iter_documents", "sniff", "expand_paths"]


def sniff(data: bytes) -> str:
    """Guess a format from the first bytes of an input with no telling extension."""
    head = data[:2048].lstrip().lower()
    if data[:2] == b"\x1f\x8b" or head.startswith(b"warc/"):
        return "warc"
    if head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed"):
        if b"<rss" in head or b"<feed" in head or b"<rdf" in head:
            return "feed"
        return "html"
    if head.startswith(b"<!doctype html") or head.startswith(b"<html") or b"<body" in head:
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "txt"


def format_of(path: Path, data: bytes) -> str:
    name = path.name.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            fmt = EXTENSIONS[ext]
            # An .xml file may be a feed or a page; let the content decide.
            return sniff(data) if ext == ".xml" else fmt
    return sniff(data)


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


def read_one(source: str) -> Iterator[RawDocument | Rejection]:
    """All documents of one input (a path, ``-`` for stdin, or an http(s) URL)."""
    try:
        if is_url(source):
            yield from read_url(source)
            return
        if source == "-":
            data = sys.stdin.buffer.read()
            source_name = "<stdin>"
            fmt = sniff(data)
        else:
            path = Path(source)
            if not path.exists():
                raise InputError(f"no such file: {source}")
            if not path.is_file():
                raise InputError(f"not a regular file: {source}")
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read {source}: {exc.strerror or exc}") from exc
            source_name = source
            fmt = format_of(path, data)
        if not data.strip():
            raise InputError("empty file")
        yield from READERS[fmt](source_name, data)
    except InputError as exc:
        yield Rejection(source=source, reason=str(exc))


def iter_documents(paths: Iterable[str]) -> Iterator[RawDocument | Rejection]:
    for source in expand_paths(paths):
        yield from read_one(source)

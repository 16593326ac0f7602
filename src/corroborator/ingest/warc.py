"""WARC and ARC files (warcio): each record holding an HTML page becomes an article.

A page may sit in a ``response`` record (after its HTTP headers), a ``resource`` record (the
page itself, typed by the record's Content-Type) or a ``revisit`` record that carries its
body (one without a body points at an earlier capture and holds nothing to read). ARC files
are read through warcio's ARC-to-WARC view. A .warc.gz compressed as one gzip block rather
than one member per record is decompressed whole (within --max-feed-mb) and read as plain
WARC. warcio prints warnings to the terminal (a record whose Content-Length looks wrong, a
URI with spaces); they are captured and become skip reasons with their byte offset.

Archives come cut short (a crawl killed mid-write, a partial download) or with a damaged
record in the middle. Such a record is skipped with its byte offset and the reason, and
reading goes on from the next record header found after it (the next gzip member of a
.warc.gz, the next ``WARC/1.`` line of a plain .warc), so one bad record costs that record
only. A record whose body is shorter than its Content-Length, or whose bytes do not match its
WARC-Block-Digest / WARC-Payload-Digest, is skipped with that reason.
"""

from __future__ import annotations

import contextlib
import io
import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..errors import InputError, MalformedInput
from ..records import RawDocument, Rejection
from .html import extract_html
from .limits import DEFAULT_LIMITS, IngestOptions, MiB
from .text import decode_detected

GZIP_MEMBER = b"\x1f\x8b\x08"
WARC_LINE = b"WARC/1."


PAGE_RECORDS = frozenset({"response", "revisit", "resource"})


def _content_type(record: Any) -> str:
    if record.http_headers:
        return str(record.http_headers.get_header("Content-Type") or "").lower()
    if record.rec_type == "resource":
        return str(record.rec_headers.get_header("Content-Type") or "").lower()
    return ""


def _html_record(record: Any) -> bool:
    return record.rec_type in PAGE_RECORDS and "html" in _content_type(record)


def _kind(record: Any) -> str:
    """A record's type and what it holds, for the reason a file holds no page."""
    held = _content_type(record).split(";")[0].strip()
    return f"{record.rec_type} {held}" if held else str(record.rec_type)


@contextlib.contextmanager
def _warnings(into: list[str]) -> Iterator[None]:
    """Collect what warcio writes to stderr or logs as a warning while the block runs."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logger = logging.getLogger("warcio")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        with contextlib.redirect_stderr(buffer):
            yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        text = " ".join(buffer.getvalue().split())
        if text:
            into.append(text[:200])


def _one_block(data: bytes, options: IngestOptions) -> bytes:
    """A WARC compressed as one gzip block (or several records per member), decompressed."""
    out = bytearray()
    rest = data
    while rest[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(rest, options.max_feed_bytes + 1 - len(out))
        except zlib.error as exc:
            raise MalformedInput(f"damaged gzip data in a WARC file ({exc})") from exc
        if len(out) > options.max_feed_bytes:
            raise MalformedInput(
                f"WARC file compressed as one gzip block is over {options.max_feed_bytes / MiB:g} "
                "MB decompressed (raise it with --max-feed-mb)"
            )
        rest = inflater.unused_data
    return bytes(out)


def _page_whole(record: Any, body: bytes) -> bool:
    """Whether the page arrived whole by its HTTP Content-Length, though the record is
    shorter than its own length says (ARC headers miscounted, as for URLs with spaces)."""
    declared = record.http_headers.get_header("Content-Length") if record.http_headers else None
    return bool(declared and declared.strip().isdigit() and len(body) >= int(declared))


def _body(record: Any, options: IngestOptions) -> bytes:
    body: bytes = record.content_stream().read(options.max_document_bytes + 1)
    if len(body) > options.max_document_bytes:
        raise MalformedInput(
            f"record is over the {options.max_document_bytes / MiB:g} MB document limit "
            "(raise it with --max-document-mb)"
        )
    record.raw_stream.read()  # drain, to see whether the record is complete and whole
    if getattr(record.raw_stream, "limit", 0) > 0 and not _page_whole(record, body):
        raise MalformedInput("WARC record is cut short (fewer bytes than its Content-Length)")
    checker = getattr(record, "digest_checker", None)
    if checker is not None and checker.passed is False:
        raise MalformedInput("WARC record is damaged (its digest does not match its bytes)")
    return body


class EmptyRevisit(InputError):
    """A revisit record with no body: it points at an earlier capture."""


def _document(where: str, record: Any, options: IngestOptions) -> RawDocument:
    body = _body(record, options)
    if record.rec_type == "revisit" and not body.strip():
        raise EmptyRevisit(where)
    html, replaced, encoding = decode_detected(body)
    url = record.rec_headers.get_header("WARC-Target-URI")
    doc = extract_html(where, html, url=url, fmt="warc", options=options)
    date = record.rec_headers.get_header("WARC-Date")
    published = doc.published or (date[:10] if date else None)
    return RawDocument(
        **{**doc.__dict__, "published": published, "replaced": replaced, "encoding": encoding}
    )


def read_warc(
    source: str, data: bytes, options: IngestOptions = DEFAULT_LIMITS
) -> Iterator[RawDocument | Rejection]:
    yield from _read(source, data, options, 0)


def _read(
    source: str, data: bytes, options: IngestOptions, skip: int
) -> Iterator[RawDocument | Rejection]:
    """The records of an archive, leaving out the first ``skip`` (already read when a
    gzipped WARC turned out to be one block)."""
    from warcio.archiveiterator import ArchiveIterator

    marker = GZIP_MEMBER if data[:2] == b"\x1f\x8b" else WARC_LINE
    stream = io.BytesIO(data)
    start = 0  # where the current pass over the archive began
    number = 0
    found = 0
    damaged = 0
    held: Counter[str] = Counter()
    warned: list[str] = []
    while start < len(data):
        stream.seek(start)
        iterator = ArchiveIterator(stream, check_digests=True, arc2warc=True)
        records = iter(iterator)
        try:
            while True:
                with _warnings(warned):
                    record = next(records, None)
                if number >= skip:
                    yield from _warned(source, start + max(iterator.offset, 0), warned)
                warned.clear()
                if record is None:
                    break
                number += 1
                if number <= skip:
                    continue
                if not _html_record(record):
                    held[_kind(record)] += 1
                    continue
                where = f"{source}#{number}"
                try:
                    with _warnings(warned):
                        doc = _document(where, record, options)
                    found += 1
                    yield doc
                except EmptyRevisit:
                    held["revisit with no body"] += 1
                except InputError as exc:
                    found += 1
                    yield Rejection(source=where, reason=str(exc))
                except Exception as exc:  # warcio raises many kinds on a damaged body
                    found += 1
                    yield Rejection(where, f"damaged WARC record ({type(exc).__name__})")
                yield from _warned(where, None, warned)
            if start + iterator.offset >= len(data):
                break
            failure = f"{len(data) - start - iterator.offset} bytes at the end cannot be read"
        except InputError:
            raise  # a time limit, not a damaged archive
        except Exception as exc:  # warcio raises many kinds on damaged archives
            if start == 0 and marker == GZIP_MEMBER and "non-chunked gzip" in str(exc):
                yield from _read(source, _one_block(data, options), options, number)
                return
            failure = f"{type(exc).__name__}: {' '.join(str(exc).split())[:80]}"
        damaged += 1
        at = start + max(iterator.offset, 0)  # just past the last record read whole
        resume = data.find(marker, at + 1)
        more = f"; reading on from byte {resume}" if resume > 0 else ""
        yield Rejection(
            source=f"{source}@{at}",
            reason=f"damaged or cut-short WARC record at byte {at} ({failure}){more}",
        )
        if resume <= 0:
            break
        start = resume
    if not found and not damaged:
        what = ", ".join(f"{n} {kind}" for kind, n in held.most_common(4)) or "no records"
        raise MalformedInput(f"WARC/ARC file holds no HTML pages (it holds {what})")


def _warned(where: str, at: int | None, warned: list[str]) -> Iterator[Rejection]:
    """warcio's captured warnings as skip reasons (emptying the list)."""
    for text in warned:
        place = f"{where}@{at}" if at is not None else where
        yield Rejection(place, f"warcio warned: {text}")
    warned.clear()

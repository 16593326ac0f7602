"""WARC files (warcio): each HTML response record becomes an article.

Archives come cut short (a crawl killed mid-write, a partial download) or with a damaged
record in the middle. Such a record is skipped with its byte offset and the reason, and
reading goes on from the next record header found after it (the next gzip member of a
.warc.gz, the next ``WARC/1.`` line of a plain .warc), so one bad record costs that record
only. A record whose body is shorter than its Content-Length, or whose bytes do not match its
WARC-Block-Digest / WARC-Payload-Digest, is skipped with that reason.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from ..errors import InputError, MalformedInput
from ..records import RawDocument, Rejection
from .html import extract_html
from .limits import DEFAULT_LIMITS, IngestOptions, MiB
from .text import decode_counted

GZIP_MEMBER = b"\x1f\x8b\x08"
WARC_LINE = b"WARC/1."


def _html_record(record: Any) -> bool:
    if record.rec_type != "response" or not record.http_headers:
        return False
    return "html" in (record.http_headers.get_header("Content-Type") or "").lower()


def _body(record: Any, options: IngestOptions) -> bytes:
    body: bytes = record.content_stream().read(options.max_document_bytes + 1)
    if len(body) > options.max_document_bytes:
        raise MalformedInput(
            f"record is over the {options.max_document_bytes / MiB:g} MB document limit "
            "(raise it with --max-document-mb)"
        )
    record.raw_stream.read()  # drain, to see whether the record is complete and whole
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise MalformedInput("WARC record is cut short (fewer bytes than its Content-Length)")
    checker = getattr(record, "digest_checker", None)
    if checker is not None and checker.passed is False:
        raise MalformedInput("WARC record is damaged (its digest does not match its bytes)")
    return body


def _document(where: str, record: Any, options: IngestOptions) -> RawDocument:
    html, replaced = decode_counted(_body(record, options))
    url = record.rec_headers.get_header("WARC-Target-URI")
    doc = extract_html(where, html, url=url, fmt="warc", options=options)
    date = record.rec_headers.get_header("WARC-Date")
    published = doc.published or (date[:10] if date else None)
    return RawDocument(**{**doc.__dict__, "published": published, "replaced": replaced})


def read_warc(
    source: str, data: bytes, options: IngestOptions = DEFAULT_LIMITS
) -> Iterator[RawDocument | Rejection]:
    from warcio.archiveiterator import ArchiveIterator

    marker = GZIP_MEMBER if data[:2] == b"\x1f\x8b" else WARC_LINE
    stream = io.BytesIO(data)
    start = 0  # where the current pass over the archive began
    number = 0
    found = 0
    damaged = 0
    while start < len(data):
        stream.seek(start)
        iterator = ArchiveIterator(stream, check_digests=True)
        try:
            for record in iterator:
                number += 1
                if _html_record(record):
                    found += 1
                    where = f"{source}#{number}"
                    try:
                        yield _document(where, record, options)
                    except InputError as exc:
                        yield Rejection(source=where, reason=str(exc))
                    except Exception as exc:  # warcio raises many kinds on a damaged body
                        yield Rejection(where, f"damaged WARC record ({type(exc).__name__})")
            if start + iterator.offset >= len(data):
                break
            failure = f"{len(data) - start - iterator.offset} bytes at the end cannot be read"
        except InputError:
            raise  # a time limit, not a damaged archive
        except Exception as exc:  # warcio raises many kinds on damaged archives
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
        raise MalformedInput("WARC file holds no HTML response records")

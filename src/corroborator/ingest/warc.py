"""WARC files (warcio): each HTML response record becomes an article."""

from __future__ import annotations

import io
from collections.abc import Iterator

from ..errors import InputError, MalformedInput
from ..records import RawDocument, Rejection
from .html import extract_html
from .text import decode


def read_warc(source: str, data: bytes) -> Iterator[RawDocument | Rejection]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found = 0
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data)), start=1):
            if record.rec_type != "response":
                continue
            ctype = (
                (record.http_headers.get_header("Content-Type") or "")
                if record.http_headers
                else ""
            )
            if "html" not in ctype.lower():
                continue
            found += 1
            where = f"{source}#{number}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            try:
                html = decode(record.content_stream().read())
                doc = extract_html(where, html, url=url, fmt="warc")
                date = record.rec_headers.get_header("WARC-Date")
                if not doc.published and date:
                    doc = RawDocument(**{**doc.__dict__, "published": date[:10]})
                yield doc
            except InputError as exc:
                yield Rejection(source=where, reason=str(exc))
    except (ArchiveLoadFailed, ValueError, OSError) as exc:
        raise MalformedInput(f"not a readable WARC file ({exc})") from exc
    if not found:
        raise MalformedInput("WARC file holds no HTML response records")

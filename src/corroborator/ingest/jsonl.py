"""JSON Lines: one article per line with ``text`` or ``html`` and optional metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..errors import InputError, MalformedInput
from ..records import RawDocument, Rejection
from .html import extract_html
from .limits import DEFAULT_LIMITS, IngestOptions, MiB
from .text import decode_detected


def _str(value: object) -> str | None:
    """A metadata field as text; lists, objects and nulls are not metadata we can use."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(a.strip() for a in value.replace(";", ",").split(",") if a.strip())
    if isinstance(value, list):
        return tuple(a.strip() for a in value if isinstance(a, str) and a.strip())
    return ()


def parse_record(
    source: str, record: object, options: IngestOptions = DEFAULT_LIMITS
) -> RawDocument:
    if not isinstance(record, dict):
        raise MalformedInput("line is JSON but not an object")
    url = _str(record.get("url"))
    for field in ("text", "html"):
        value = record.get(field)
        if value is not None and not isinstance(value, str):
            raise MalformedInput(f"'{field}' must be a string, not {type(value).__name__}")
        if isinstance(value, str) and not _valid_unicode(value):
            raise MalformedInput(f"'{field}' is not valid Unicode (an unpaired surrogate escape)")
    if isinstance(record.get("text"), str) and record["text"].strip():
        doc = RawDocument(source=source, text=record["text"], fmt="jsonl", url=url)
    elif isinstance(record.get("html"), str) and record["html"].strip():
        doc = extract_html(source, record["html"], url=url, fmt="jsonl", options=options)
    else:
        raise MalformedInput("no 'text' or 'html' field")
    return RawDocument(
        source=source,
        text=doc.text,
        fmt="jsonl",
        url=url or doc.url,
        outlet=_str(record.get("outlet")),
        title=_str(record.get("title")) or doc.title,
        published=_str(record.get("published")) or doc.published,
        authors=_authors(record.get("authors")) or doc.authors,
        sitename=doc.sitename,
        removed=doc.removed,
    )


def read_jsonl(
    source: str, data: bytes, options: IngestOptions = DEFAULT_LIMITS
) -> Iterator[RawDocument | Rejection]:
    text, replaced, encoding = decode_detected(data)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}#{number}"
        try:
            if len(line) > options.max_document_bytes:
                raise MalformedInput(
                    f"line {number} is over the {options.max_document_bytes / MiB:g} MB "
                    "document limit (raise it with --max-document-mb)"
                )
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise MalformedInput(f"line {number} is not JSON ({exc.msg})") from exc
            except RecursionError as exc:
                raise MalformedInput(f"line {number} nests JSON too deeply") from exc
            doc = parse_record(where, record, options)
            line_replaced = line.count("\ufffd") if replaced else 0
            yield RawDocument(**{**doc.__dict__, "replaced": line_replaced, "encoding": encoding})
        except InputError as exc:
            yield Rejection(source=where, reason=str(exc))

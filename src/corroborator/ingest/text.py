"""Plain text files: the file as given is the article's original text."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import EmptyInput, UnreadableInput
from ..records import RawDocument, Rejection


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM), else Windows-1252; never guess silently."""
    if b"\x00" in data[:4096]:
        raise UnreadableInput("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"not UTF-8 or Windows-1252 text ({exc.reason})") from exc


def read_text(source: str, data: bytes) -> Iterator[RawDocument | Rejection]:
    text = decode(data)
    if not text.strip():
        raise EmptyInput("empty file")
    yield RawDocument(source=source, text=text, fmt="txt")

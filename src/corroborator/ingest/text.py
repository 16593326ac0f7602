"""Plain text files: the file as given is the article's original text.

``decode`` is every reader's way from bytes to text: a byte-order mark first, then strict
UTF-8, then UTF-8 with replacement when it holds more good multi-byte sequences than bad
bytes, then the encoding charset_normalizer detects (Windows-1252 for Latin text). Bytes
the chosen encoding cannot decode become U+FFFD and are counted, so a document with a few
broken bytes is still read and the run summary says how many were replaced.
"""

from __future__ import annotations

import codecs
import threading
import unicodedata
from collections.abc import Iterator

from ..errors import EmptyInput, UnreadableInput
from ..records import RawDocument, Rejection
from .limits import DEFAULT_LIMITS, IngestOptions

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Bytes charset_normalizer looks at; enough for a confident guess, bounded in time.
DETECT_BYTES = 256 * 1024
#: Fewer non-ASCII bytes than this and the detector is not asked (it guesses wildly).
MIN_DETECT_BYTES = 20
EBCDIC = frozenset({"cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"})
_REPLACE = "corroborator-count-replace"
_count = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _count.n = getattr(_count, "n", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


def _decode_replacing(data: bytes, encoding: str) -> tuple[str, int]:
    try:
        codecs.lookup_error(_REPLACE)
    except LookupError:
        codecs.register_error(_REPLACE, _count_and_replace)
    _count.n = 0
    text = data.decode(encoding, _REPLACE)
    return text, int(_count.n)


def _mostly_latin(text: str) -> bool:
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    return latin * 2 >= len(letters)


def _detect(data: bytes) -> str:
    """The encoding of non-UTF-8 bytes. Windows-1252 (the web's default) unless the
    detector finds a non-Latin script: charset_normalizer cannot tell the Latin code pages
    apart on news text ("très" read as cp1250 "trčs"), and guesses wildly on a few bytes."""
    from charset_normalizer import from_bytes

    sample = data[:DETECT_BYTES]
    if sum(1 for b in sample if b > 127) < MIN_DETECT_BYTES:
        return "cp1252"
    for match in from_bytes(sample):
        encoding = codecs.lookup(match.encoding).name
        if encoding.startswith(("utf-16", "utf-32")) or encoding in EBCDIC:
            continue  # without a byte-order mark, never right for a news page
        return "cp1252" if _mostly_latin(str(match)) else encoding
    return "cp1252"


def decode_detected(data: bytes) -> tuple[str, int, str]:
    """Text of ``data``, the number of bytes that could not be decoded (now U+FFFD), and
    the encoding it was read in (a Python codec name: "utf-8", "cp1252", "koi8-r", ...)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return (*_decode_replacing(data, encoding), encoding)
    if b"\x00" in data[:4096]:
        raise UnreadableInput("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8"), 0, "utf-8"
    except UnicodeDecodeError:
        pass
    text, bad = _decode_replacing(data, "utf-8")
    if sum(1 for c in text if ord(c) > 127) - text.count("\ufffd") > bad:
        return text, bad, "utf-8"  # UTF-8 with a few broken bytes (more good than bad)
    encoding = _detect(data)
    return (*_decode_replacing(data, encoding), encoding)


def decode_counted(data: bytes) -> tuple[str, int]:
    """Text of ``data`` and the number of bytes that could not be decoded (now U+FFFD)."""
    text, replaced, _ = decode_detected(data)
    return text, replaced


def decode(data: bytes) -> str:
    """Text of ``data`` (see :func:`decode_counted`)."""
    return decode_counted(data)[0]


def read_text(
    source: str, data: bytes, options: IngestOptions = DEFAULT_LIMITS
) -> Iterator[RawDocument | Rejection]:
    text, replaced, encoding = decode_detected(data)
    if not text.strip():
        raise EmptyInput("empty file")
    yield RawDocument(source=source, text=text, fmt="txt", replaced=replaced, encoding=encoding)

"""Formats we do not read, recognised by their first bytes, with what to do instead.

A PDF or a Word file given to ``ingest`` should not be skipped as "binary", which tells the
user nothing: the reason names the format and says how to get text out of it.
"""

from __future__ import annotations

import re
import zlib

SAVE_AS_TEXT = "save the page as HTML or text"

#: (leading bytes, format name, what to do). Formats whose magic is also ordinary text
#: ("BM", "MZ", "BZh") are checked in :func:`unsupported` with more of their header.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "PDF", SAVE_AS_TEXT),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Microsoft Office file (.doc/.xls/.ppt)",
        SAVE_AS_TEXT,
    ),
    (b"{\\rtf", "RTF", SAVE_AS_TEXT),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "corroborator reads text, not images"),
    (b"\xff\xd8\xff", "a JPEG image", "corroborator reads text, not images"),
    (b"GIF87a", "a GIF image", "corroborator reads text, not images"),
    (b"GIF89a", "a GIF image", "corroborator reads text, not images"),
    (b"II*\x00", "a TIFF image", "corroborator reads text, not images"),
    (b"MM\x00*", "a TIFF image", "corroborator reads text, not images"),
    (b"\xfd7zXZ\x00", "an xz archive", "decompress it first (unxz FILE)"),
    (b"(\xb5/\xfd", "a Zstandard archive", "decompress it first (unzstd FILE)"),
    (b"7z\xbc\xaf'\x1c", "a 7-Zip archive", "extract the articles first"),
    (b"Rar!\x1a\x07", "a RAR archive", "extract the articles first"),
    (b"ID3", "an MP3 file", "corroborator reads text, not audio"),
    (b"OggS", "an Ogg media file", "corroborator reads text, not audio or video"),
    (b"fLaC", "a FLAC file", "corroborator reads text, not audio"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video", "corroborator reads text, not video"),
    (b"\x7fELF", "a program (ELF)", "give it article files"),
    (b"SQLite format 3\x00", "an SQLite database", "give it article files, not a database"),
    (b"wOFF", "a web font", "corroborator reads text, not fonts"),
    (b"wOF2", "a web font", "corroborator reads text, not fonts"),
)

ZIP_MEMBERS: tuple[tuple[bytes, str], ...] = (
    (b"word/", "a Word document (.docx)"),
    (b"xl/", "an Excel workbook (.xlsx)"),
    (b"ppt/", "a PowerPoint file (.pptx)"),
    (b"mimetypeapplication/epub+zip", "an EPUB book"),
    (b"mimetypeapplication/vnd.oasis.opendocument", "an OpenDocument file (.odt/.ods)"),
)


def _zip(data: bytes) -> str:
    head = data[:65536]
    for marker, name in ZIP_MEMBERS:
        if marker in head:
            return f"{name} is not read: {SAVE_AS_TEXT}"
    return "a ZIP archive is not read: extract the articles first (unzip FILE)"


def _gzip(data: bytes) -> str | None:
    """None for a gzipped WARC/ARC file (which we read), else the reason."""
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:65536], 4096)
    except zlib.error:
        head = b""
    if head.lstrip().startswith((b"WARC/", b"filedesc://")):
        return None
    return "a gzip-compressed file is not read: decompress it first (gunzip FILE)"


def unsupported(data: bytes) -> str | None:
    """The reason a file is not read, when its first bytes name a format we do not read."""
    if data[:4] == b"PK\x03\x04":
        return _zip(data)
    if data[:2] == b"\x1f\x8b":
        return _gzip(data)
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        kind = {b"WEBP": "a WebP image", b"WAVE": "a WAV file", b"AVI ": "an AVI video"}
        return f"{kind[data[8:12]]} is not read: corroborator reads text, not media"
    if data[4:8] == b"ftyp":
        return "an MP4/MOV/HEIC media file is not read: corroborator reads text, not media"
    if data[:3] == b"BZh" and data[3:4].isdigit() and data[4:10] == b"1AY&SY":
        return "a bzip2 archive is not read: decompress it first (bunzip2 FILE)"
    if data[:2] == b"BM" and len(data) > 14 and b"\x00" in data[2:14]:
        return "a BMP image is not read: corroborator reads text, not images"
    if data[:2] == b"MZ" and b"\x00" in data[2:64]:
        return "a Windows program is not read: give it article files"
    for magic, name, todo in SIGNATURES:
        if data.startswith(magic):
            return f"{name} is not read: {todo}"
    return None


# --- markup recognised by its root element -------------------------------------------------

#: XML's own encoding signatures (XML 1.0, appendix F): a byte-order mark, or the first
#: characters ``<?`` / ``<`` in a wide encoding with no mark.
_WIDE: tuple[tuple[bytes, str, int], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\xef\xbb\xbf", "utf-8", 3),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00<", "utf-16-be", 0),
    (b"<\x00", "utf-16-le", 0),
)
#: What may come before the root element: white space, processing instructions (``<?xml``,
#: ``<?xml-stylesheet``), comments, and a DOCTYPE (its internal subset in brackets).
_PROLOG = re.compile(
    r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!doctype(?:[^\[>]|\[.*?\])*>)", re.IGNORECASE | re.DOTALL
)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
HTML_ROOTS = frozenset({"html", "head", "body"})


def head_text(data: bytes, size: int = 4096) -> str:
    """The first characters of ``data``, decoded well enough to read markup names: a
    byte-order mark or XML's wide-encoding signature decides, else Latin-1 (every byte)."""
    for mark, encoding, start in _WIDE:
        if data.startswith(mark):
            return data[start : start + size].decode(encoding, "ignore")
    return data[:size].decode("latin-1")


def markup_root(data: bytes) -> str | None:
    """The local name of the root element, lower-cased, read past the XML prolog (comments,
    processing instructions, DOCTYPE). The element decides, not the DOCTYPE (feeds come
    with XHTML doctypes); ``"html"`` for an HTML DOCTYPE with no element after it in the
    first bytes; ``""`` for markup with no element (comments only); None when the input
    does not start with markup."""
    text = head_text(data, 16384)
    pos = 0
    doctype = None
    while True:
        match = _PROLOG.match(text, pos)
        if not match:
            break
        if match.group(0)[:9].lower() == "<!doctype":
            name = match.group(0)[9:].split(None, 1)
            doctype = name[0].lower().rstrip(">") if name else None
        pos = match.end()
    root = _ROOT.match(text, pos)
    if not root:
        if doctype == "html":
            return "html"
        return "" if pos and not text[pos:].strip() else None
    return root.group(1).rsplit(":", 1)[-1].lower()

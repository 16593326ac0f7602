"""Formats we do not read, recognised by their first bytes, with what to do instead.

A PDF or a Word file given to ``ingest`` should not be skipped as "binary", which tells the
user nothing: the reason names the format and says how to get text out of it.
"""

from __future__ import annotations

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

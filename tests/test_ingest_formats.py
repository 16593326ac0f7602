"""Formats recognised by content: feeds behind comments, byte-order marks, processing
instructions and DOCTYPEs; ARC files; WARC resource and revisit records; a WARC gzipped as
one block; warcio's warnings as skip reasons. A walk over every real feed and archive in
../shared/data ends each file in articles or reasons, never in stored markup."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corroborator.ingest import expand_paths, read_one, sniff
from corroborator.ingest.formats import markup_root
from corroborator.records import RawDocument, Rejection

from .conftest import DATA

SENTENCE = "The council approved the harbour budget on Monday after a long debate. "
PAGE = (
    "<html><head><title>Council approves budget</title></head><body><article>"
    f"<h1>Council approves budget</h1><p>{SENTENCE * 6}</p></article></body></html>"
)
RSS = (
    "<rss version='2.0'><channel><title>Town news</title>"
    "<item><title>Budget <b>passed</b></title><link>https://town.example/1</link>"
    f"<description>{SENTENCE}</description></item>"
    "<item><title>Second</title><description>&lt;p&gt;Short teaser.&lt;/p&gt;</description>"
    "</item></channel></rss>"
)
PROLOGS = {
    "comment": "<!--\nDescription: a test feed\n-->\n" + RSS,
    "declaration": "<?xml version='1.0' encoding='utf-8'?>\n" + RSS,
    "stylesheet": "<?xml version='1.0'?><?xml-stylesheet href='s.xsl'?>\n" + RSS,
    "doctype": "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN' 'x.dtd'>\n" + RSS,
}


def read(path: Path) -> list[RawDocument | Rejection]:
    return list(read_one(str(path)))


def docs(items: list[RawDocument | Rejection]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


@pytest.mark.parametrize("prolog", sorted(PROLOGS))
@pytest.mark.parametrize("suffix", [".xml", ".txt", ".html", ""])
def test_feed_after_prolog_is_read_as_items(tmp_path: Path, prolog: str, suffix: str) -> None:
    path = tmp_path / f"feed{suffix}"
    path.write_text(PROLOGS[prolog], encoding="utf-8")
    found = docs(read(path))
    assert [d.fmt for d in found] == ["feed", "feed"]
    assert found[0].title == "Budget passed"  # no markup in titles
    assert found[1].text == "Short teaser."  # a summary too short for trafilatura
    assert not any(d.text.lstrip().startswith("<") for d in found)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32", "utf-16-le"])
def test_feed_with_byte_order_mark_or_wide_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "feed.xml"
    decl = "" if encoding == "utf-8-sig" else f"<?xml version='1.0' encoding='{encoding}'?>"
    path.write_bytes((decl + PROLOGS["comment"]).encode(encoding))
    assert markup_root(path.read_bytes()) == "rss"
    assert len(docs(read(path))) == 2


def test_sniff_by_root_element() -> None:
    assert sniff(b"<!-- c -->\n<feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert sniff(b"<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='x'>") == "feed"
    assert sniff(b"<?xml version='1.0'?>\n<html><body>") == "html"
    assert sniff(b"<!DOCTYPE html>\n<!-- c --><p>words</p>") == "html"
    assert sniff(b"filedesc://x.arc 0.0.0.0 20140101000000 text/plain 70\n") == "warc"
    assert sniff(b"1 < 2 in plain text.") == "txt"


def test_xml_that_is_not_a_feed_names_its_root(tmp_path: Path) -> None:
    path = tmp_path / "data.xml"
    path.write_text("<?xml version='1.0'?><!-- x --><catalog><book/></catalog>")
    page = read(path)
    assert all(isinstance(i, Rejection) for i in page)
    only = tmp_path / "comments.xml"
    only.write_text("<!-- nothing but a comment -->\n")
    [rejection] = read(only)
    assert isinstance(rejection, Rejection) and "only comments" in rejection.reason


def test_markup_only_feed_item_is_skipped_with_reason(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        "<rss><channel><item><description><![CDATA[<code>&lt;br /></code>]]></description>"
        "</item></channel></rss>"
    )
    [rejection] = read(path)
    assert isinstance(rejection, Rejection)
    assert "markup" in rejection.reason


def _warc(records: list[tuple[str, str, bytes]], gz: bool = False) -> bytes:
    """(type, content type, body) records: response and revisit carry HTTP headers."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i, (kind, ctype, body) in enumerate(records):
        uri = f"https://town.example/{i}"
        if kind == "resource":
            record = writer.create_warc_record(
                uri, kind, payload=io.BytesIO(body), warc_content_type=ctype
            )
        else:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, kind, payload=io.BytesIO(body), http_headers=headers
            )
        writer.write_record(record)
    return buf.getvalue()


def _revisit(body: bytes) -> bytes:
    """A revisit record by hand (warcio's writer drops a revisit's payload)."""
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    head = (
        "WARC/1.0\r\nWARC-Type: revisit\r\nWARC-Target-URI: https://town.example/r\r\n"
        "WARC-Date: 2026-01-02T03:04:05Z\r\n"
        "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/server-not-modified\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def test_warc_resource_and_revisit_records_with_html(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    path.write_bytes(
        _warc([("resource", "text/html; charset=utf-8", PAGE.encode())])
        + _revisit(PAGE.replace("harbour", "river").encode())
        + _revisit(b"")  # points at an earlier capture: nothing to read
        + _warc([("resource", "image/png", b"\x89PNG\r\n\x1a\n")])
    )
    items = read(path)
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument"]
    assert "river" in docs(items)[1].text


def test_warc_without_pages_says_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    path.write_bytes(_warc([("response", "application/json", b"{}")]))
    [rejection] = read(path)
    assert isinstance(rejection, Rejection)
    assert "holds no HTML pages" in rejection.reason and "application/json" in rejection.reason


def test_warc_gzipped_as_one_block(tmp_path: Path) -> None:
    plain = _warc([("response", "text/html", PAGE.encode())] * 2)
    path = tmp_path / "one-block.warc.gz"
    path.write_bytes(gzip.compress(plain))
    assert len(docs(read(path))) == 2


def test_warcio_warnings_become_reasons(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    plain = _warc([("response", "text/html", PAGE.encode())] * 2)
    end = plain.index(b"WARC/1.", 10) - 4  # the first record's closing CRLF CRLF
    # Bytes past the record's Content-Length: warcio warns it "is not followed by newline".
    path = tmp_path / "junk.warc"
    path.write_bytes(plain[:end] + b"xx" + plain[end:])
    items = read(path)
    reasons = [i.reason for i in items if isinstance(i, Rejection)]
    assert any(r.startswith("warcio warned:") and "newline" in r for r in reasons)
    assert len(docs(items)) == 2
    assert capfd.readouterr().err == ""  # nothing leaks to the terminal


needs_archives = pytest.mark.skipif(
    not (DATA / "feeds").is_dir() or not (DATA / "warc").is_dir(),
    reason=f"shared feeds/warc folders not found under {DATA}; skipping the walk",
)


@needs_archives
@pytest.mark.parametrize("folder", ["feeds", "warc"])
def test_every_real_feed_and_archive_is_read_or_skipped_with_reason(
    folder: str, capfd: pytest.CaptureFixture[str]
) -> None:
    files = list(expand_paths([str(DATA / folder)]))
    assert files
    read_files = 0
    for source in files:
        items = list(read_one(source))
        assert items, source
        for item in items:
            if isinstance(item, Rejection):
                assert len(item.reason) > 10 and "\n" not in item.reason, item
            else:
                read_files += 1
                assert not item.text.lstrip().startswith("<"), (source, item.text[:60])
                assert not (item.title or "").startswith("<"), (source, item.title)
    assert read_files > 0
    assert capfd.readouterr().err == ""
    if folder == "warc":
        arcs = [s for s in files if ".arc" in s and "bad" not in s]
        assert all(any(isinstance(i, RawDocument) for i in read_one(s)) for s in arcs)

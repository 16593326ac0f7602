from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corroborator.ingest import READERS, iter_documents, read_one, sniff
from corroborator.records import RawDocument, Rejection

from .conftest import EXAMPLES


def docs(paths: list[str]) -> list[RawDocument]:
    return [d for d in iter_documents(paths) if isinstance(d, RawDocument)]


def test_ingest_text_file_is_read_as_given(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Headline here\n\nFirst paragraph of the story.\n", encoding="utf-8")
    [doc] = docs([str(path)])
    assert doc.fmt == "txt"
    assert doc.text == path.read_text(encoding="utf-8")


def test_ingest_html_extracts_text_and_metadata() -> None:
    [doc] = docs([str(EXAMPLES / "2026-03-15-riverside-herald.html")])
    assert doc.title == "Twelve hurt as solvent fire tears through Larkfield plant"
    assert doc.sitename == "Riverside Herald"
    assert doc.authors == ("Marcus Webb",)
    assert doc.published and doc.published.startswith("2026-03-15")
    assert "Twelve workers were injured" in doc.text
    assert "Sign up for our morning newsletter" not in doc.text
    assert "Home" not in doc.text.split()


def test_ingest_jsonl_reads_fields_and_skips_bad_line() -> None:
    out = list(read_one(str(EXAMPLES / "wire.jsonl")))
    good = [d for d in out if isinstance(d, RawDocument)]
    bad = [d for d in out if isinstance(d, Rejection)]
    assert len(good) == 3
    assert good[0].outlet == "Global Wire" and good[0].source.endswith("wire.jsonl#1")
    assert good[0].authors == ("Hanna Lindqvist",)
    assert len(bad) == 1 and bad[0].source.endswith("#4") and "not JSON" in bad[0].reason


def test_ingest_jsonl_html_field(tmp_path: Path) -> None:
    html = "<html><body><article><p>" + "The council approved the budget on Monday. " * 5
    html += "</p></article></body></html>"
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"html": html, "url": "https://news.example/a"}) + "\n")
    [doc] = docs([str(path)])
    assert "approved the budget" in doc.text and doc.url == "https://news.example/a"


def test_ingest_rss_items_become_articles() -> None:
    items = docs([str(EXAMPLES / "valley-public-radio.rss")])
    assert len(items) == 2
    assert items[0].title == "Residents return after Port Selden plant fire"
    assert items[0].sitename == "Valley Public Radio"
    assert items[0].published == "2026-03-15T16:20:00"
    assert "<p>" not in items[0].text and "About 300 residents" in items[0].text


def _warc(tmp_path: Path) -> Path:
    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        body = (
            "<html><head><title>Bridge reopens</title></head><body><article><p>"
            + "The Old Mill bridge reopened to traffic on Tuesday after repairs. " * 4
            + "</p></article></body></html>"
        ).encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://town.example/bridge",
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
        )
        writer.write_record(record)
        css = StatusAndHeaders("200 OK", [("Content-Type", "text/css")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://town.example/a.css",
                "response",
                payload=io.BytesIO(b"p{}"),
                http_headers=css,
            )
        )
    return path


def test_ingest_warc_html_responses_only(tmp_path: Path) -> None:
    items = docs([str(_warc(tmp_path))])
    assert len(items) == 1
    assert items[0].url == "https://town.example/bridge"
    assert "bridge reopened" in items[0].text
    assert "#" in items[0].source


def test_ingest_folder_recursive_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second story text here.")
    (tmp_path / "one.txt").write_text("First story text here.")
    (tmp_path / ".hidden.txt").write_text("Hidden.")
    sources = [d.source for d in docs([str(tmp_path)])]
    assert [Path(s).name for s in sources] == ["two.txt", "one.txt"]


def test_ingest_bad_inputs_are_rejections(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02garbage")
    broken_feed = tmp_path / "feed.rss"
    broken_feed.write_text("<rss><channel><title>x</title></channel>")
    out = list(
        iter_documents([str(empty), str(binary), str(broken_feed), str(tmp_path / "nope.txt")])
    )
    assert all(isinstance(d, Rejection) for d in out)
    reasons = [d.reason for d in out]
    assert reasons[0] == "empty file"
    assert "binary" in reasons[1]
    assert "feed" in reasons[2]
    assert "no such file" in reasons[3]


def test_ingest_sniffs_formats() -> None:
    assert sniff(b"<?xml version='1.0'?><rss>") == "feed"
    assert sniff(b"<!DOCTYPE html><html>") == "html"
    assert sniff(b'{"text": "x"}\n') == "jsonl"
    assert sniff(b"WARC/1.0\r\n") == "warc"
    assert sniff(b"Plain words.") == "txt"


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=400), fmt=st.sampled_from(sorted(READERS)))
def test_ingest_any_bytes_yield_article_or_clean_error(data: bytes, fmt: str) -> None:
    from corroborator.errors import InputError

    try:
        out = list(READERS[fmt]("fuzz", data))
    except InputError as exc:
        assert str(exc)
        return
    for item in out:
        assert isinstance(item, RawDocument | Rejection)


def test_ingest_jsonl_rejects_wrong_field_types(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    lines = [
        {"text": 123},
        {"text": "The council met on Monday and approved the budget.", "outlet": ["A", "B"],
         "title": {"a": 1}, "authors": [None, "Ann Lee"]},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(x) for x in lines) + '\n{"text": "bad \\ud800 text"}\n')
    out = list(read_one(str(path)))
    assert isinstance(out[0], Rejection) and "'text' must be a string" in out[0].reason
    assert isinstance(out[1], RawDocument)
    assert out[1].outlet is None and out[1].title is None and out[1].authors == ("Ann Lee",)
    assert isinstance(out[2], Rejection) and "not valid Unicode" in out[2].reason


def test_ingest_feed_plain_text_entities_unescaped(tmp_path: Path) -> None:
    feed = tmp_path / "f.rss"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title>x</title>"
        "<description>A&amp;amp;B said the caf&amp;eacute; fire&amp;#8217;s cause was known.</description>"
        "</item></channel></rss>"
    )
    [doc] = docs([str(feed)])
    assert "A&B" in doc.text and "café" in doc.text and "fire’s" in doc.text

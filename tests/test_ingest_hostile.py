"""Hostile input to the readers: limits, formats we do not read, encodings, XML entity
attacks, damaged WARC files. Every case ends in a document or a rejection with its reason,
never an exception."""

from __future__ import annotations

import codecs
import gzip
import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corroborator.ingest import READERS, read_one
from corroborator.ingest.limits import DocumentTimeout, IngestOptions, time_limit
from corroborator.ingest.text import decode_counted
from corroborator.pipeline import Options, Pipeline
from corroborator.records import RawDocument, Rejection
from corroborator.store import open_store

from .conftest import DATA, needs_data

SENTENCE = "The council approved the harbour budget on Monday after a long debate. "


def article_html(body: str = SENTENCE * 8, title: str = "Council approves budget") -> str:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p></article></body></html>"
    )


def read(path: Path, options: IngestOptions | None = None) -> list[RawDocument | Rejection]:
    return list(read_one(str(path), options or IngestOptions()))


def rejected(out: list[RawDocument | Rejection]) -> list[str]:
    return [r.reason for r in out if isinstance(r, Rejection)]


# --- limits -----------------------------------------------------------------------


def test_ingest_hostile_document_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(SENTENCE * 20_000)  # about 1.4 MB
    [reason] = rejected(read(path, IngestOptions(max_document_bytes=1024 * 1024)))
    assert "over the 1 MB limit" in reason and "--max-document-mb" in reason
    [doc] = read(path, IngestOptions(max_sentences=50_000))  # the default 10 MB lets it through
    assert isinstance(doc, RawDocument)


def test_ingest_hostile_feed_over_size_limit(tmp_path: Path) -> None:
    item = f"<item><title>t</title><description>{SENTENCE}</description></item>"
    path = tmp_path / "big.rss"
    path.write_text(f'<rss version="2.0"><channel><title>x</title>{item * 20_000}</channel></rss>')
    [reason] = rejected(read(path, IngestOptions(max_feed_bytes=1024 * 1024)))
    assert "feed is" in reason and "--max-feed-mb" in reason


def test_ingest_hostile_html_too_deep_and_too_many_elements(tmp_path: Path) -> None:
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 100_000 + SENTENCE + "</div>" * 100_000)
    [reason] = rejected(read(deep))
    assert "nest" in reason and "over the limit of 200" in reason
    wide = tmp_path / "wide.html"
    wide.write_text(article_html("".join(f"<b>{i}</b> " for i in range(2_000)) + SENTENCE * 5))
    [reason] = rejected(read(wide, IngestOptions(max_html_elements=1_000)))
    assert "more than 1000 elements" in reason
    assert isinstance(read(wide)[0], RawDocument)  # under the default limit


def test_ingest_hostile_too_many_sentences(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Headline\n\n" + SENTENCE * 50)
    [reason] = rejected(read(path, IngestOptions(max_sentences=20)))
    assert "sentences, over the limit of 20" in reason and "--max-sentences" in reason


def test_ingest_hostile_jsonl_long_line_skipped_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(
        '{"text": "' + "A" * 5000 + '"}\n' + '{"text": "' + SENTENCE + '"}\n' + "[" * 100_000 + "\n"
    )
    out = read(path, IngestOptions(max_document_bytes=4000))
    assert isinstance(out[1], RawDocument)
    assert "document limit" in out[0].reason  # type: ignore[union-attr]
    assert isinstance(out[2], Rejection)  # deeply nested JSON: a clean rejection


def test_ingest_hostile_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def stuck(source: str, data: bytes, options: IngestOptions) -> Iterator[RawDocument]:
        time.sleep(30)
        yield RawDocument(source=source, text="never", fmt="txt")

    monkeypatch.setitem(READERS, "txt", stuck)
    path = tmp_path / "slow.txt"
    path.write_text(SENTENCE)
    start = time.monotonic()
    [reason] = rejected(read(path, IngestOptions(document_timeout_s=0.5)))
    # the stuck reader sleeps 30 s: well under that, the limit cut it short
    assert time.monotonic() - start < 20
    assert "took longer than 0.5 s" in reason and "--document-timeout" in reason


def test_ingest_hostile_rejections_counted_by_the_pipeline(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.txt").write_text("Budget passes\n\n" + SENTENCE * 3)
    (tmp_path / "in" / "long.txt").write_text("Budget passes\n\n" + SENTENCE * 50)
    (tmp_path / "in" / "paper.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    store = open_store(str(tmp_path / "x.db"))
    pipeline = Pipeline(store, Options(ingest=IngestOptions(max_sentences=20)))
    report = pipeline.ingest([str(tmp_path / "in")])
    assert report.new == 1 and len(report.skipped) == 2
    reasons = {Path(s).name: r for s, r in store.rejections()}
    assert "over the limit of 20" in reasons["long.txt"]
    assert reasons["paper.pdf"].startswith("PDF is not read")


# --- formats we do not read ----------------------------------------------------------


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("story.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF is not read: save the page as HTML or text"),
        ("story.html", _docx(), "a Word document (.docx) is not read: save the page as HTML or text"),
        ("story.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "an old Microsoft Office file"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image is not read"),
        ("chart.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image is not read"),
        ("pages.txt.gz", gzip.compress(SENTENCE.encode()), "a gzip-compressed file is not read: decompress it first"),
        ("bundle.zip", b"PK\x03\x04" + bytes(100), "a ZIP archive is not read"),
        ("letter.rtf", b"{\\rtf1\\ansi hello}", "RTF is not read"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00", "a GIF image is not read"),
    ],
)  # fmt: skip
def test_ingest_hostile_unread_formats_named(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    [reason] = rejected(read(path))
    assert reason.startswith(expected), reason


def test_ingest_hostile_gzipped_warc_still_read(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc([article_html()], gz=True))
    assert [type(d) for d in read(path)] == [RawDocument]


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Le maire a déclaré à l'hôtel de ville que les travaux étaient terminés. " * 3, "cp1252"),
        ("Мэр заявил, что ремонт моста завершится в понедельник. " * 3, "cp1251"),
        ("市長は月曜日に橋の修理が終わると述べた。" * 3, "shift_jis"),
        ("Der Bürgermeister sagte, die Brücke sei repariert. " * 3, "utf-16"),
        ("Der Bürgermeister sagte, die Brücke sei repariert. " * 3, "utf-8-sig"),
    ],
)
def test_ingest_hostile_encodings_detected(text: str, encoding: str) -> None:
    assert decode_counted(text.encode(encoding)) == (text, 0)


def test_ingest_hostile_undecodable_bytes_replaced_and_counted(tmp_path: Path) -> None:
    data = ("Der Bürgermeister sagte, die Brücke sei repariert. " * 3).encode() + b"\xff\xfe\x81"
    text, replaced = decode_counted(data)
    assert replaced == 3 and text.endswith("\ufffd" * 3) and "Bürgermeister" in text
    path = tmp_path / "broken.txt"
    path.write_bytes(b"Headline\n\n" + data)
    [doc] = read(path)
    assert isinstance(doc, RawDocument) and doc.replaced == 3
    store = open_store(str(tmp_path / "x.db"))
    assert Pipeline(store).ingest([str(path)]).replaced == 3


# --- XML: entity expansion bombs and external entities -------------------------------------

LAUGHS = "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' if i else '<!ENTITY l0 "lol">' for i in range(10)
)
BOMB = (
    f'<?xml version="1.0"?><!DOCTYPE rss [{LAUGHS}]><rss version="2.0"><channel><title>t</title>'
    "<item><title>x</title><description>&l9;</description></item></channel></rss>"
).encode()


def _xxe(secret: Path) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        "<description>before &xxe; after</description></item></channel></rss>"
    ).encode()


def test_ingest_hostile_feedparser_itself_neither_expands_nor_reads_files(tmp_path: Path) -> None:
    """feedparser's own behaviour, checked rather than assumed (our reader refuses both
    before feedparser sees them)."""
    import feedparser

    start = time.monotonic()
    parsed = feedparser.parse(BOMB)
    assert (
        time.monotonic() - start < 120
    )  # a hang guard (an expansion never ends), not a speed target
    assert all(len(e.get("summary", "")) < 1000 for e in parsed.entries)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    parsed = feedparser.parse(_xxe(secret))
    assert "TOP-SECRET-TOKEN" not in str(parsed)


def test_ingest_hostile_feeds_with_entities_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    for name, data in (("bomb.rss", BOMB), ("xxe.rss", _xxe(secret))):
        path = tmp_path / name
        path.write_bytes(data)
        start = time.monotonic()
        out = read(path)
        assert (
            time.monotonic() - start < 120
        )  # a hang guard (an expansion never ends), not a speed target
        [reason] = rejected(out)
        assert "declares XML entities" in reason
        assert not any(isinstance(d, RawDocument) for d in out)


# --- WARC files cut short or damaged ---------------------------------------------------------


def _warc(pages: list[str], gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i, page in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://town.example/{i}", "response",
            payload=io.BytesIO(page.encode()), http_headers=headers,
        )  # fmt: skip
        writer.write_record(record)
    return buf.getvalue()


PAGES = [article_html(f"Story {i}. " + SENTENCE * 8, f"Story number {i}") for i in range(3)]


@pytest.mark.parametrize("gz", [True, False])
def test_ingest_hostile_warc_cut_short(tmp_path: Path, gz: bool) -> None:
    data = _warc(PAGES, gz)
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[: len(data) - 200])
    out = read(path)
    docs = [d for d in out if isinstance(d, RawDocument)]
    assert [d.title for d in docs] == ["Story number 0", "Story number 1"]
    [reason] = rejected(out)
    assert "cut short" in reason or "cut-short" in reason


def test_ingest_hostile_warc_damaged_record_in_the_middle(tmp_path: Path) -> None:
    data = _warc(PAGES, gz=True)
    second = data.index(b"\x1f\x8b\x08", 1)
    third = data.index(b"\x1f\x8b\x08", second + 1)
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(data[: second + 60] + data[third:])  # the second record loses its end
    out = read(path)
    docs = [d for d in out if isinstance(d, RawDocument)]
    assert [d.title for d in docs] == ["Story number 0", "Story number 2"]
    [reason] = rejected(out)
    assert "damaged or cut-short WARC record" in reason


@needs_data
def test_ingest_hostile_shared_damaged_warc_files() -> None:
    """warcio's own test files for damaged archives: each reads without an exception."""
    for path in sorted((DATA / "warc").glob("*")):
        out = list(read_one(str(path)))
        assert out and all(isinstance(d, RawDocument | Rejection) for d in out), path


def test_ingest_hostile_bom_only_and_nul_files(tmp_path: Path) -> None:
    for name, data in (("bom.txt", codecs.BOM_UTF8), ("nul.txt", b"\x00" * 100)):
        path = tmp_path / name
        path.write_bytes(data)
        assert len(rejected(read(path))) == 1


def test_ingest_hostile_cleaning_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-document time limit covers cleaning too: a stuck document is skipped, the
    run goes on with the next one."""
    import corroborator.pipeline as pipeline_module

    real_clean = pipeline_module.clean
    # load what cleaning loads on first use (language detection, ...) outside the limit
    real_clean(RawDocument(source="warm.txt", text="Warm up\n\n" + SENTENCE, fmt="txt"))

    def slow_clean(doc: RawDocument) -> object:
        if "stuck" in doc.source:
            time.sleep(30)
        return real_clean(doc)

    monkeypatch.setattr(pipeline_module, "clean", slow_clean)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-stuck.txt").write_text("Budget passes\n\n" + SENTENCE * 3)
    (tmp_path / "in" / "b-fine.txt").write_text("Bridge opens\n\nThe bridge opened on Friday.")
    store = open_store(str(tmp_path / "x.db"))
    options = Options(ingest=IngestOptions(document_timeout_s=0.5))
    start = time.monotonic()
    report = Pipeline(store, options).ingest([str(tmp_path / "in")])
    assert time.monotonic() - start < 20  # the stuck clean sleeps 30 s
    assert report.new == 1 and len(report.skipped) == 1
    assert "took longer than 0.5 s" in report.skipped[0].reason


# --- the time limit outside the main thread (the web app checks in worker threads) ---------
def _in_thread(work: Callable[[], object]) -> object:
    """``work()`` run in a worker thread: its result, or the exception it raised."""
    box: list[object] = []

    def target() -> None:
        try:
            box.append(work())
        except BaseException as exc:  # noqa: B036 (the test inspects whatever it was)
            box.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the worker thread never ended"
    return box[0]


def _busy(seconds: float) -> None:
    """Python work (not one long call into C) for about ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(100))


def test_ingest_hostile_time_limit_in_a_worker_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stuck(source: str, data: bytes, options: IngestOptions) -> Iterator[RawDocument]:
        _busy(30)
        yield RawDocument(source=source, text="never", fmt="txt")

    monkeypatch.setitem(READERS, "txt", stuck)
    path = tmp_path / "slow.txt"
    path.write_text(SENTENCE)
    start = time.monotonic()
    out = _in_thread(lambda: read(path, IngestOptions(document_timeout_s=0.5)))
    assert time.monotonic() - start < 20  # the stuck reader works 30 s: the limit cut it
    assert isinstance(out, list)
    [reason] = rejected(out)
    assert "took longer than 0.5 s" in reason and "--document-timeout" in reason


def test_ingest_hostile_thread_time_limit_never_fires_after_its_block() -> None:
    """Blocks that end right about when their limit runs out: each either raises the
    timeout inside its own ``with`` or not at all; nothing arrives in the code after it."""

    def many() -> tuple[int, int]:
        timed_out = 0
        for i in range(300):
            try:
                with time_limit(0.003, "a document"):
                    # most blocks end about when the limit runs out; one in ten runs far
                    # past it, so some timeout must fire (on a loaded machine the near ones
                    # may all finish first)
                    _busy(0.003 if i % 10 else 0.1)
            except DocumentTimeout as exc:
                assert "a document took longer than 0.003 s" in str(exc)
                timed_out += 1
            _busy(0.004)  # a stray exception from the block's timer would land here
        return timed_out, 300

    out = _in_thread(many)
    assert isinstance(out, tuple), out  # no exception escaped
    assert 0 < out[0] <= out[1]


def test_ingest_hostile_cleaning_time_limit_in_a_worker_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web app's path: a pipeline run in a worker thread skips the stuck document and
    reads the next one."""
    import corroborator.pipeline as pipeline_module

    real_clean = pipeline_module.clean
    # load what cleaning loads on first use (language detection, ...) outside the limit
    real_clean(RawDocument(source="warm.txt", text="Warm up\n\n" + SENTENCE, fmt="txt"))

    def slow_clean(doc: RawDocument) -> object:
        if "stuck" in doc.source:
            _busy(30)
        return real_clean(doc)

    monkeypatch.setattr(pipeline_module, "clean", slow_clean)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-stuck.txt").write_text("Budget passes\n\n" + SENTENCE * 3)
    (tmp_path / "in" / "b-fine.txt").write_text("Bridge opens\n\nThe bridge opened on Friday.")
    options = Options(ingest=IngestOptions(document_timeout_s=0.5))

    def ingest() -> object:
        store = open_store(str(tmp_path / "x.db"))
        try:
            return Pipeline(store, options).ingest([str(tmp_path / "in")])
        finally:
            store.close()

    report = _in_thread(ingest)
    assert not isinstance(report, BaseException), report
    assert report.new == 1 and len(report.skipped) == 1, report.skipped  # type: ignore[attr-defined]
    assert "took longer than 0.5 s" in report.skipped[0].reason  # type: ignore[attr-defined]

"""Fuzz targets: one per reader (text, HTML, JSONL, RSS/Atom, WARC) and one for the claim
extractor, each with a Hypothesis strategy that builds hostile inputs of its format.

The contract every target checks: any input yields documents or rejections with a reason,
or a clean :class:`~corroborator.errors.CorroboratorError`; never another exception and
never a hang (a rejection for the per-document time limit counts as a failure here).
``tests/test_fuzz.py`` runs each briefly and replays ``tests/fuzz_corpus/``;
``scripts/fuzz.py`` (``make fuzz``) runs each for a set time and saves what fails.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from corroborator.errors import CorroboratorError
from corroborator.ingest import read_one
from corroborator.ingest.limits import IngestOptions
from corroborator.records import RawDocument, Rejection

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "fuzz_corpus"
#: Generous: a slow machine must not turn into a finding; a hang still does.
OPTIONS = IngestOptions(document_timeout_s=20.0)
WORDS = [
    "the", "mayor", "said", "council", "budget", "on", "Monday", "police", "were", "not",
    "Mr.", "U.S.", "4.5", "million", "$3bn", "20%", "«", "»", "“", "”", '"', "'", "—",
    "\u202e", "\u200b", "\ufeff", "\x00", "\ud7ff", "é", "ß", "日本", "🙂", "<", ">", "&",
    "&amp;", "&#0;", "&#x110000;", "[/x]", "[bold]", "\r\n", "\n\n", "\t", "...", "?!",
]  # fmt: skip

# --- strategies -------------------------------------------------------------------------------

prose = st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=120).map(" ".join)


def _seed_files(*patterns: str) -> list[bytes]:
    files: list[bytes] = []
    for pattern in patterns:
        files += [p.read_bytes() for p in sorted((REPO / "examples").glob(pattern))]
    return files or [b""]


@st.composite
def mutated(draw: Any, seeds: list[bytes]) -> bytes:
    """A seed file with bytes flipped, cut short, or a slice repeated."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(max_size=16)) or draw(st.sampled_from(WORDS)).encode()
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 64))] * draw(st.integers(1, 20))
    return bytes(data)


TAGS = ["div", "p", "article", "main", "span", "a", "script", "style", "table", "td", "h1", "b",
        "svg", "math", "template", "noscript", "iframe", "br", "img", "meta", "title", "body"]  # fmt: skip


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    attrs = st.lists(
        st.tuples(st.sampled_from(["class", "id", "href", "onerror", "property", "content", "x"]),
                  st.text(max_size=12)),
        max_size=3,
    )  # fmt: skip

    def build(tag: str, attributes: list[tuple[str, str]], inner: list[str], close: bool) -> str:
        attr = "".join(f' {k}="{v}"' for k, v in attributes)
        return f"<{tag}{attr}>" + "".join(inner) + (f"</{tag}>" if close else "")

    return st.builds(
        build, st.sampled_from(TAGS), attrs, st.lists(children, max_size=4), st.booleans()
    )


html_tree = st.recursive(prose, _element, max_leaves=60)


@st.composite
def deep_html(draw: Any) -> str:
    depth = draw(st.integers(0, 3000))
    tag = draw(st.sampled_from(TAGS))
    return "<html><body>" + f"<{tag}>" * depth + draw(prose)


def _page(body: str) -> bytes:
    return (
        f"<html><head><title>t</title></head><body><article>{body}</article></body></html>".encode()
    )


html_inputs = (
    html_tree.map(_page)
    | deep_html().map(str.encode)
    | mutated(_seed_files("*.html"))
    | st.binary(max_size=2000)
)
text_inputs = (
    prose.map(lambda s: s.encode("utf-8", "surrogatepass"))
    | st.tuples(prose, st.sampled_from(["utf-8", "utf-16", "cp1252", "cp1251", "shift_jis"])).map(
        lambda t: t[0].encode(t[1], "replace")
    )
    | mutated(_seed_files("*.txt"))
    | st.binary(max_size=2000)
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "text": prose | json_values, "html": html_tree.map(lambda s: s) | json_values,
        "url": st.text(max_size=30) | json_values, "title": prose | json_values,
        "outlet": st.text(max_size=20) | json_values, "authors": json_values,
        "published": st.text(max_size=20) | json_values,
    },
)  # fmt: skip
jsonl_inputs = (
    st.lists(records.map(json.dumps) | json_values.map(json.dumps) | st.text(max_size=40), max_size=6)
    .map("\n".join).map(lambda s: s.encode("utf-8", "surrogatepass"))
    | mutated(_seed_files("*.jsonl"))
    | st.binary(max_size=2000)
)  # fmt: skip


def _feed(items: list[tuple[str, str]], atom: bool, prolog: str) -> bytes:
    if atom:
        entries = "".join(f"<entry><title>{t}</title><content type='html'>{b}</content></entry>"
                          for t, b in items)  # fmt: skip
        return f"{prolog}<feed xmlns='http://www.w3.org/2005/Atom'><title>x</title>{entries}</feed>".encode()
    entries = "".join(
        f"<item><title>{t}</title><description>{b}</description></item>" for t, b in items
    )
    return f"{prolog}<rss version='2.0'><channel><title>x</title>{entries}</channel></rss>".encode()


feed_body = prose | html_tree | prose.map(lambda s: f"<![CDATA[{s}]]>")
prologs = st.sampled_from([
    "", "<?xml version='1.0'?>", "<?xml version='1.0' encoding='latin-1'?>",
    "<!DOCTYPE rss [<!ENTITY a 'aaaa'>]>", "<!DOCTYPE rss SYSTEM 'http://example.invalid/x.dtd'>",
    "<?xml-stylesheet href='x'?>",
])  # fmt: skip
feed_inputs = (
    st.builds(_feed, st.lists(st.tuples(prose, feed_body), max_size=5), st.booleans(), prologs)
    | mutated(_seed_files("*.rss", "*.xml", "*.atom"))
    | st.binary(max_size=2000)
)


def _warc(pages: list[tuple[str, bytes, str]], gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for uri, payload, ctype in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri or "x", "response", payload=io.BytesIO(payload), http_headers=headers
        )
        writer.write_record(record)
    return buf.getvalue()


@cache
def _warc_seeds() -> list[bytes]:
    pages = [("https://a.example/1", _page("The mayor said the budget passed. " * 5), "text/html")]
    return [_warc(pages * 2, True), _warc(pages * 2, False)]


warc_pages = st.lists(
    st.tuples(st.text(max_size=20), html_inputs, st.sampled_from(["text/html", "text/plain", ""])),
    max_size=3,
)
warc_inputs = (
    st.builds(_warc, warc_pages, st.booleans())
    | st.deferred(lambda: mutated(_warc_seeds()))
    | st.binary(max_size=2000).map(lambda b: b"WARC/1.0\r\n" + b)
)

STRATEGIES: dict[str, st.SearchStrategy[bytes]] = {
    "text": text_inputs,
    "html": html_inputs,
    "jsonl": jsonl_inputs,
    "feed": feed_inputs,
    "warc": warc_inputs,
    "claims": text_inputs,
}
EXTENSIONS = {"text": ".txt", "html": ".html", "jsonl": ".jsonl", "feed": ".rss", "warc": ".warc",
              "claims": ".txt"}  # fmt: skip

# --- targets ----------------------------------------------------------------------------------

_workdir = Path(tempfile.mkdtemp(prefix="corroborator-fuzz-"))


def check_reader(target: str, data: bytes) -> list[RawDocument | Rejection]:
    """Read ``data`` as a file of the target's format; fail on anything but the contract."""
    path = _workdir / ("input" + EXTENSIONS[target])
    path.write_bytes(data)
    out = list(read_one(str(path), OPTIONS))
    for item in out:
        assert isinstance(item, RawDocument | Rejection), item
        if isinstance(item, Rejection):
            assert item.reason.strip(), "a rejection without a reason"
            assert "took longer than" not in item.reason, f"hang: {item.reason}"
        else:
            item.text.encode("utf-8")  # text the store can hold (no lone surrogates)
    return out


@cache
def _extractor() -> Any:
    from corroborator.claims import ClaimExtractor

    return ClaimExtractor()


def check_claims(data: bytes) -> None:
    from corroborator.clean import clean

    for doc in check_reader("claims", data):
        if isinstance(doc, RawDocument):
            try:
                article = clean(doc)
            except CorroboratorError:
                continue
            extracted = _extractor()(article)
            for claim in extracted.claims:
                assert 0 <= claim.start <= claim.end <= len(article.original)
                assert 0 <= claim.clean_start <= claim.clean_end <= len(article.text)


TARGETS: dict[str, Callable[[bytes], object]] = {
    name: (lambda data, name=name: check_reader(name, data))
    for name in ("text", "html", "jsonl", "feed", "warc")
}
TARGETS["claims"] = check_claims

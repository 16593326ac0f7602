"""HTML pages: main text and metadata extracted with trafilatura."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import EmptyInput, MalformedInput
from ..records import RawDocument, Rejection
from .text import decode


def extract_html(source: str, html: str, url: str | None = None, fmt: str = "html") -> RawDocument:
    """One page to one RawDocument; raises an InputError subclass when nothing is extracted."""
    import trafilatura  # imported on use: it is slow to import and not always needed

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise MalformedInput(f"broken HTML ({type(exc).__name__}: {exc})") from exc
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        raise EmptyInput("no article text found in the HTML page")
    text: str = doc.text or ""
    title = (doc.title or "").strip() or None
    # trafilatura repeats the headline as the first line of the text; the title keeps it.
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return RawDocument(
        source=source,
        text=text,
        fmt=fmt,
        url=url or doc.url or None,
        title=title,
        published=doc.date or None,
        authors=authors,
        sitename=doc.sitename or None,
    )


def read_html(source: str, data: bytes) -> Iterator[RawDocument | Rejection]:
    yield extract_html(source, decode(data))

"""HTML pages: main text and metadata extracted with trafilatura.

The page is parsed once with lxml (trafilatura's own loader), measured against the depth
and element limits, and the parsed tree is handed to trafilatura. lxml's HTML parser
resolves no external entities and reads nothing from the network; it cuts any tree at depth
256, which the depth limit keeps below.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import EmptyInput, MalformedInput, UnreadableInput
from ..records import RawDocument, Rejection
from .limits import DEFAULT_LIMITS, IngestOptions
from .text import decode_counted


def check_tree(tree: Any, options: IngestOptions) -> None:
    """Raise UnreadableInput when the element tree is deeper or larger than the limits."""
    from lxml import etree

    depth = deepest = count = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            depth += 1
            count += 1
            deepest = max(deepest, depth)
            if count > options.max_html_elements:
                raise UnreadableInput(
                    f"HTML page has more than {options.max_html_elements} elements; "
                    "not an article page"
                )
        else:
            depth -= 1
    if deepest > options.max_html_depth:
        raise UnreadableInput(
            f"HTML elements nest {deepest} deep, over the limit of {options.max_html_depth}; "
            "not an article page"
        )


def extract_html(
    source: str,
    html: str,
    url: str | None = None,
    fmt: str = "html",
    options: IngestOptions = DEFAULT_LIMITS,
) -> RawDocument:
    """One page to one RawDocument; raises an InputError subclass when nothing is extracted."""
    import trafilatura  # imported on use: it is slow to import and not always needed
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except Exception as exc:  # lxml raises many kinds on broken markup
        raise MalformedInput(f"broken HTML ({type(exc).__name__}: {exc})") from exc
    if tree is None:
        raise EmptyInput("no article text found in the HTML page")
    check_tree(tree, options)
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except RecursionError as exc:
        raise MalformedInput("HTML page nests too deeply to extract") from exc
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


def read_html(
    source: str, data: bytes, options: IngestOptions = DEFAULT_LIMITS
) -> Iterator[RawDocument | Rejection]:
    text, replaced = decode_counted(data)
    doc = extract_html(source, text, options=options)
    yield RawDocument(**{**doc.__dict__, "replaced": replaced})

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
from ..records import RawDocument, Rejection, Residue
from .limits import DEFAULT_LIMITS, IngestOptions
from .metadata import outlet_agrees, page_title, trusted_authors
from .prose import check_blocks, marker_of, not_an_article
from .text import decode_detected


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
            tree, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except RecursionError as exc:
        raise MalformedInput("HTML page nests too deeply to extract") from exc
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise MalformedInput(f"broken HTML ({type(exc).__name__}: {exc})") from exc
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        raise EmptyInput("no article text found in the HTML page")
    title = (doc.title or "").strip() or None
    text, removed = prose_of(doc.body, title, lead_of(doc.description, tree))
    # trafilatura repeats the headline as the first line of the text; the title keeps it.
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest
    address = url or doc.url or (f"https://{doc.hostname}/" if doc.hostname else None)
    heading = next((r.text for r in removed if r.kind == "title"), None)
    title = page_title(title, heading=heading, sitename=doc.sitename, url=address)
    sitename = doc.sitename if outlet_agrees(doc.sitename, address) else None
    authors = trusted_authors(
        (doc.author or "").split(";"),
        sitename=doc.sitename,
        url=address,
        sections=[*(doc.categories or []), *(doc.tags or [])],
    )
    return RawDocument(
        source=source,
        text=text,
        fmt=fmt,
        url=url or doc.url or None,
        title=title,
        published=doc.date or None,
        authors=authors,
        sitename=sitename or None,
        removed=removed,
    )


#: A page's own summary (its meta description) is the article's lead when it is shown on
#: the page, is not in the text trafilatura extracted (leads sit apart from the body and are
#: often missed), and is at least this long and not cut short ("...").
LEAD_MIN_CHARS = 60
LEAD_KEY_CHARS = 40  # the opening compared with the text and the page


def lead_of(description: str | None, tree: Any) -> str | None:
    """The page's lead from its description, when the page shows it (see LEAD_MIN_CHARS)."""
    lead = " ".join((description or "").split())
    if len(lead) < LEAD_MIN_CHARS or lead.endswith(("...", "…")) or marker_of(lead[:200]):
        return None
    body = tree.find(".//body") if tree is not None else None
    shown = " ".join(body.text_content().split()) if body is not None else ""
    return lead if lead[:LEAD_KEY_CHARS] in shown else None


def prose_of(
    body: Any, title: str | None = None, lead: str | None = None
) -> tuple[str, tuple[Residue, ...]]:
    """The article prose of trafilatura's main-text tree and the blocks dropped from it
    (:mod:`.prose`), with the page's lead first when the text lacks it; raises
    EmptyInput when what is left is not an article."""
    from lxml import etree
    from trafilatura.xml import xmltotxt

    elements = list(body)
    blocks = [(str(el.tag), xmltotxt(el, False)) for el in elements]
    verdicts = check_blocks(blocks, title)
    reason = not_an_article(blocks, verdicts)
    if reason:
        raise EmptyInput(f"not an article: {reason}")
    removed = []
    for el, (_, text), verdict in zip(elements, blocks, verdicts, strict=True):
        if verdict.keep:
            continue
        if text.strip():
            removed.append(Residue(verdict.reason, " ".join(text.split())))
        body.remove(el)  # with its tail: the loose text after it was read as part of it
    text = xmltotxt(body, False)
    if lead and lead[:LEAD_KEY_CHARS] not in " ".join(text.split()):
        paragraph = etree.Element("p")
        paragraph.text = lead
        body.insert(0, paragraph)
        text = xmltotxt(body, False)
    return text, tuple(removed)


def read_html(
    source: str, data: bytes, options: IngestOptions = DEFAULT_LIMITS
) -> Iterator[RawDocument | Rejection]:
    text, replaced, encoding = decode_detected(data)
    doc = extract_html(source, text, options=options)
    yield RawDocument(**{**doc.__dict__, "replaced": replaced, "encoding": encoding})

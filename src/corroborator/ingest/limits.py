"""Limits on what a reader accepts from the open web, in one options object.

Every limit is a safety bound, not a quality threshold: a real news article is far below
each of them (the 500 pages of data/pages and data/stories: at most 1.4 MB, 9,748
elements, depth 43), so a document over one is an attack, a mistake or not an article. An input over
a limit is skipped with a reason that names the limit and the flag that raises it, and is
counted as a rejection like any other unreadable input.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import InputError

MiB = 1024 * 1024


@dataclass(frozen=True)
class IngestOptions:
    #: Bytes of one document: a text or HTML file, a fetched page, a JSON line, a WARC
    #: record, a feed item. Flag: --max-document-mb.
    max_document_bytes: int = 10 * MiB
    #: Bytes of one RSS/Atom feed file or fetched feed. Flag: --max-feed-mb.
    max_feed_bytes: int = 50 * MiB
    #: Nesting depth of the HTML element tree (real pages: at most 43; lxml silently cuts
    #: every tree at 256, so a page this deep has already lost text).
    max_html_depth: int = 200
    #: Elements in one HTML page (real pages: median 689, at most 9,748; trafilatura takes
    #: about 50 s on 500,000).
    max_html_elements: int = 50_000
    #: Sentences in one article's text (text.split_sentences). Flag: --max-sentences.
    max_sentences: int = 5_000
    #: Seconds one document may take to read and extract (0: no limit). Enforced with a
    #: timer signal, so only in the main thread. Flag: --document-timeout.
    document_timeout_s: float = 60.0
    # --- fetching http(s) URLs ---
    #: Fetch from loopback, private, link-local, metadata and reserved addresses.
    allow_private: bool = False
    connect_timeout_s: float = 10.0
    #: Longest wait for the next bytes of a response.
    read_timeout_s: float = 20.0
    #: Longest time for a whole fetch, redirects included (a slow drip ends here).
    fetch_timeout_s: float = 60.0
    max_redirects: int = 5


DEFAULT_LIMITS = IngestOptions()


class DocumentTimeout(InputError):
    """One document took longer than ``document_timeout_s`` to read."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise DocumentTimeout in the block after ``seconds`` (a timer signal; main thread
    only, elsewhere and for 0 seconds the block runs unbounded)."""
    if (
        seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise DocumentTimeout(
            f"{what} took longer than {seconds:g} s to read; raise --document-timeout "
            "if it is a real article"
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)

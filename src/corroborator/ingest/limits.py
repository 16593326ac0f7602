"""Limits on what a reader accepts from the open web, in one options object.

Every limit is a safety bound, not a quality threshold: a real news article is far below
each of them (the 500 pages of data/pages and data/stories: at most 1.4 MB, 9,748
elements, depth 43), so a document over one is an attack, a mistake or not an article. An input over
a limit is skipped with a reason that names the limit and the flag that raises it, and is
counted as a rejection like any other unreadable input.
"""

from __future__ import annotations

import ctypes
import queue
import signal
import threading
import time
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
    #: timer signal in the main thread, with an exception sent from a timer thread in any
    #: other (the web app's workers): see :func:`time_limit`. Flag: --document-timeout.
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


def _message(what: str, seconds: float) -> str:
    return (
        f"{what} took longer than {seconds:g} s to read; raise --document-timeout "
        "if it is a real article"
    )


def _send(thread_id: int, exc: type[BaseException] | None) -> int:
    """Raise ``exc`` in another thread at its next Python instruction (None: take back one
    not yet raised); the number of threads changed."""
    obj = ctypes.py_object(exc) if exc is not None else None
    return int(ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), obj))


class _Watchdog:
    """One daemon thread that sends each armed thread its timeout when its deadline
    passes. An armed thread runs only C-level locking and queueing here (a plain Lock, a
    SimpleQueue), never Python code that holds a lock, so that the exception, landing at
    any Python instruction, cannot leave a lock held; nor does it start a thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.wake: queue.SimpleQueue[None] = queue.SimpleQueue()
        self.armed: dict[object, tuple[float, int, type[BaseException]]] = {}
        self.sent: set[object] = set()
        self.thread: threading.Thread | None = None

    def arm(self, token: object, seconds: float, thread_id: int, exc: type[BaseException]) -> None:
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="time-limit", daemon=True)
                self.thread.start()
            self.armed[token] = (time.monotonic() + seconds, thread_id, exc)
        self.wake.put(None)

    def disarm(self, token: object) -> bool:
        """Stop the limit; True if its exception was sent (raised, or still pending)."""
        with self.lock:
            self.armed.pop(token, None)
            was_sent = token in self.sent
            self.sent.discard(token)
        return was_sent

    def _run(self) -> None:
        while True:
            with self.lock:
                now = time.monotonic()
                for token, (deadline, thread_id, exc) in list(self.armed.items()):
                    if deadline <= now:
                        del self.armed[token]
                        self.sent.add(token)
                        _send(thread_id, exc)
                first = min((d for d, _, _ in self.armed.values()), default=None)
            try:
                self.wake.get(timeout=None if first is None else max(first - now, 0.0))
            except queue.Empty:
                pass


_WATCHDOG = _Watchdog()


@contextmanager
def _thread_time_limit(seconds: float, what: str) -> Iterator[None]:
    """The limit outside the main thread, where there are no signals: a watchdog thread
    sends a DocumentTimeout into this one (``PyThreadState_SetAsyncExc``). Like the signal
    it lands between two Python instructions, so a long call into C (one lxml parse) ends
    first; unlike the signal it does not cut a sleep or a blocking read short either
    (fetches have their own time limits). It is sent only while the block runs; one sent
    as the block ends is taken back or raised as the timeout, never after the block."""
    message = _message(what, seconds)
    # this block's own class (nested limits stay apart), with its message even when the
    # interpreter raises it with no arguments
    expired: type[DocumentTimeout] = type(
        "Expired", (DocumentTimeout,), {"__str__": lambda self: message}
    )
    thread_id = threading.get_ident()
    token = object()
    timed_out = False
    try:
        _WATCHDOG.arm(token, seconds, thread_id, expired)
        yield
    except expired:
        timed_out = True
    finally:
        while True:
            try:
                if _WATCHDOG.disarm(token) and not timed_out:
                    _send(thread_id, None)  # sent but not raised yet: take it back
                break
            except expired:  # raised while ending: the block did run out of time
                timed_out = True
    if timed_out:
        raise DocumentTimeout(message)


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise DocumentTimeout in the block after ``seconds`` (0: no limit). In the main
    thread a timer signal, which also cuts a sleep or a blocking read short; in any other
    thread an exception sent by a timer thread (:func:`_thread_time_limit`), which waits
    for a call into C that is under way to return."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        with _thread_time_limit(seconds, what):
            yield
        return

    def expired(signum: int, frame: object) -> None:
        raise DocumentTimeout(_message(what, seconds))

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)

"""http(s) URLs: fetched with the standard library, then read as HTML."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

from ..errors import UnreadableInput
from ..records import RawDocument, Rejection
from .html import extract_html
from .text import decode

USER_AGENT = "corroborator/0.1 (+https://example.invalid/corroborator)"
TIMEOUT_S = 20


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_url(source: str) -> Iterator[RawDocument | Rejection]:
    request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            data = response.read()
            final_url = response.geturl()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise UnreadableInput(f"cannot fetch {source}: {getattr(exc, 'reason', exc)}") from exc
    yield extract_html(source, decode(data), url=final_url, fmt="url")

"""Small text helpers shared by the stages (fast, no models)."""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*(?:[.,][0-9]+)*")
# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before
# whitespace and an upper-case letter, digit or opening quote; or at a line break.
SENT_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*(?=\s+[\"“'‘(]?[A-Z0-9])|\n+")
ABBREV_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|St|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|"
    r"U\.S|U\.K|U\.N|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z])\.$"
)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text)]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of sentences in ``text``, by punctuation and line breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENT_END_RE.finditer(text):
        end = match.start() if match.group(0).startswith("\n") else match.end()
        if not match.group(0).startswith("\n") and ABBREV_RE.search(text[start:end]):
            continue
        _push(text, start, end, spans)
        start = match.end()
    _push(text, start, len(text), spans)
    return spans


def _push(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))

"""Small text helpers shared by the stages (fast, no models)."""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*(?:[.,][0-9]+)*")
# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before
# whitespace and an upper-case letter, digit or opening quote; or at a line break.
SENT_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*(?=\s+[\"“'‘(]?[A-Z0-9])|\n+")
ABBREV_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|St|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|etc|"
    r"Fig|U\.S|U\.K|U\.N|e\.g|i\.e|a\.m|p\.m|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|"
    r"Dec)|\b[A-Z])\.$"
)
ANY_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
LONG_SENTENCE_WORDS = 60  # longer pieces (lowercased or unpunctuated text) are split again

# Words that say nothing of a statement's content, left out when overlaps are measured.
STOP_WORDS = frozenset(
    "a an the of to in on at for by with from as and or but if then than that this these those "
    "it its is are was were be been being has have had do does did will would could should may "
    "might can shall must not no he she they we you i me my his her their our your them him us "
    "said says say told also after before over about into out up down more most some any all new "
    "there here which who whom what when where why how so just other such only own same very s t".split()
)


def words(text: str) -> list[str]:
    """The lower-cased word tokens of a text: the one tokenizer every rule-based stage uses."""
    return [w.lower() for w in WORD_RE.findall(text)]


def content_words(text: str) -> set[str]:
    """The words of a text that carry content (no stop words, no one-letter words)."""
    return {w for w in words(text) if w not in STOP_WORDS and len(w) > 1}


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of sentences in ``text``, by punctuation and line breaks: the one
    sentence splitter of every stage, so a sentence number means the same everywhere.

    A sentence ends at . ! ? (with any closing quote or bracket) before an upper-case
    letter, digit or opening quote, never after a common abbreviation ("Mr.", "U.S.") or an
    initial; paragraphs never share a sentence."""
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


def sentence_texts(text: str) -> list[str]:
    """The sentences of a text as strings, run-on pieces (lowercased text, transcripts with
    no end marks) cut again so that no piece runs past LONG_SENTENCE_WORDS words."""
    return [p for s, e in split_sentences(text) for p in _split_long(text[s:e])]


def _split_long(sentence: str) -> list[str]:
    tokens = sentence.split()
    if len(tokens) <= LONG_SENTENCE_WORDS:
        return [sentence]
    pieces = [p.strip() for p in ANY_END_RE.split(sentence) if p.strip()]
    if len(pieces) > 1:
        return [q for p in pieces for q in _split_long(p)]
    size = LONG_SENTENCE_WORDS // 2
    return [" ".join(tokens[i : i + size]) for i in range(0, len(tokens), size)]

"""Typed records that flow forward through the stages.

raw input --ingest--> RawDocument --clean--> Article --copies--> CopyLink
                                              Article --stories--> Story
                                              Article --claims--> Claim --crosscheck--> Verdict
                                  CopyLink + Claim --drift--> Drift --> Verdict (kind "drift")

Every record is a frozen dataclass; stages never mutate what they are given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class RawDocument:
    """What a reader found in one input, before cleaning.

    ``text`` is the "original" that offsets refer to: the file as given for a text file,
    the ``text`` field of a JSON line, the content of a feed item, or the main text
    trafilatura extracted from an HTML page (HTML markup has no useful character offsets).
    """

    source: str  # input path, with "#N" for the N-th record of a JSONL, feed or WARC file
    text: str
    fmt: str  # txt | html | jsonl | feed | warc | url
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, as precise as known
    authors: tuple[str, ...] = ()
    sitename: str | None = None
    replaced: int = 0  # undecodable bytes replaced by U+FFFD when the input was decoded
    encoding: str | None = None  # the encoding the bytes were read in, when they were bytes
    removed: tuple[Residue, ...] = ()  # page blocks the reader dropped as not prose


@dataclass(frozen=True)
class Rejection:
    """An input that was skipped, with the reason a user can act on."""

    source: str
    reason: str


@dataclass(frozen=True)
class StageRejection:
    """A record that one stage failed on, by a bug rather than bad input: the stage, the
    article (or input) or story it failed on, and a one-line reason. Counted in the run
    summary and listed in the JSON document; the run goes on without that record."""

    stage: str
    reason: str
    article: str | None = None
    story: str | None = None


@dataclass(frozen=True)
class Residue:
    """Something cleaning removed from the prose and kept as metadata."""

    # caption | credit | residue | title | dateline (clean.py); from a web page's prose check
    # (ingest/prose.py): teaser | subscribe | comments | credit | advert | page | template
    kind: str
    text: str


@dataclass(frozen=True)
class Article:
    """A cleaned article. ``text`` is prose only; ``segments`` map it back to ``original``.

    Each segment is ``(clean_start, original_start, length)``: the clean text
    ``text[clean_start:clean_start+length]`` equals ``original[original_start:...+length]``.
    """

    id: str
    source: str
    fmt: str
    original: str
    text: str
    segments: tuple[tuple[int, int, int], ...]
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    removed: tuple[Residue, ...] = ()
    wire: str | None = None  # a wire service credited in the text (Reuters, AFP, AP)
    language: str | None = None  # ISO 639-1 code or "und" (language.py); None: not detected
    encoding: str | None = None  # the encoding the input's bytes were read in (ingest/text.py)
    replaced: int = 0  # bytes of the input that could not be decoded (now U+FFFD)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean-text span to the corresponding span of ``original``."""
        return (_map(self.segments, start, left=True), _map(self.segments, end, left=False))


def _map(segments: tuple[tuple[int, int, int], ...], pos: int, *, left: bool) -> int:
    for clean_start, orig_start, length in segments:
        if clean_start <= pos < clean_start + length or (not left and pos == clean_start + length):
            return orig_start + (pos - clean_start)
    # Between segments (a joining newline): snap to the nearest segment edge.
    best = 0
    for clean_start, orig_start, length in segments:
        if clean_start + length <= pos:
            best = orig_start + length
        elif left:
            return orig_start
    return best


@dataclass(frozen=True)
class Departure:
    """One place where a near copy departs from its original."""

    kind: str  # words_replaced | numbers_changed | sentence_added | sentence_dropped
    copy_sentence: str | None
    original_sentence: str | None
    detail: str = ""


@dataclass(frozen=True)
class Drift:
    """A fact a near copy changes in one aligned sentence of its original (drift.py).

    ``changed`` holds the words that differ, ``(old, new)``: ("14", "40"), ("", "not").
    ``original_marks`` and ``copy_marks`` are ``(start, end)`` character spans of those
    words inside ``original_text`` and ``copy_text``, for display.
    """

    kind: str  # figure | name | title | place | date | negation | stance | speaker
    copy_claim: str
    copy_sentence: int
    copy_text: str
    original_claim: str
    original_sentence: int
    original_text: str
    changed: tuple[tuple[str, str], ...]
    reason: str  # what a reader understands: "the copy changes 14 to 40"
    original_marks: tuple[tuple[int, int], ...] = ()
    copy_marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class CopyLink:
    """``article_id`` is a copy of ``original_id``; the group counts as one source."""

    article_id: str
    original_id: str
    kind: str  # exact | near
    similarity: float
    departures: tuple[Departure, ...] = ()


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True)
class StoredStory:
    """A story as the store keeps it: the grouper rebuilds its sums from the members."""

    id: str
    seq: int
    title: str
    centroid: np.ndarray  # float32
    n: int
    entities: dict[str, int]
    first_published: str | None = None
    last_published: str | None = None


@dataclass(frozen=True)
class StoryMember:
    """One grouped article's story features as stored (``StoryFeatures.from_stored``)."""

    story_id: str
    article_id: str
    published: str | None
    language: str | None
    dense: np.ndarray  # float32
    terms: np.ndarray  # int64
    weights: np.ndarray  # float32
    title: str | None
    titled: bool
    entities: tuple[str, ...]


@dataclass(frozen=True)
class StoredFeatures:
    """An article's copy-detection features as stored."""

    article_id: str
    minhash: np.ndarray  # uint64
    vector: np.ndarray  # float32
    entities: tuple[str, ...]


@dataclass(frozen=True)
class Quantity:
    value: float
    text: str  # the figure as written, with its hedge: "up to 12,000 North Korean troops"
    unit: str  # what is counted, as a head noun: "troops"
    hedge: str  # exact | at_most | at_least | about | vague


@dataclass(frozen=True)
class Person:
    name: str
    title: str | None  # the title or role the sentence gives them


@dataclass(frozen=True)
class Attribution:
    """A further attribution in a claim's sentence ("X said ..., while Y insisted ..."):
    who, by which cue, saying what; spans are offsets in the article's clean text."""

    speaker: str
    speaker_canonical: str
    cue: str
    stance: str
    cue_kind: str  # speech | belief (| learned on the main attribution of a claim only)
    proposition: str
    speaker_span: tuple[int, int]
    cue_span: tuple[int, int]
    content_span: tuple[int, int]


@dataclass(frozen=True)
class Claim:
    """One attributed statement from one sentence of one article."""

    id: str
    article_id: str
    sentence: int  # index (from 0) of the sentence in the clean text; JSON: claims.sentence_number
    text: str  # the whole sentence
    proposition: str  # the reported content without the attribution frame
    speaker: str | None  # as written; None for the outlet's own voice (see ``voice``)
    speaker_canonical: str
    cue: str | None
    stance: str  # asserts | denies | declines_to_confirm | calls_for | no_comment
    quote: str | None  # direct | indirect | None (unattributed)
    quantities: tuple[Quantity, ...] = ()
    people: tuple[Person, ...] = ()
    entities: tuple[str, ...] = ()
    start: int = 0  # offsets of the sentence in the article's original text
    end: int = 0
    clean_start: int = 0
    clean_end: int = 0
    # where the speaker and the cue are, in the article's clean text (None: unattributed)
    speaker_span: tuple[int, int] | None = None
    cue_span: tuple[int, int] | None = None
    # The statements the sentence is made of, one per clause ("Seoul summoned Russia's
    # ambassador", "urging North Korean troops to be immediately withdrawn"): sources are
    # aligned on these, so a card states only the clause two sources share.
    parts: tuple[str, ...] = ()
    # "outlet": the article's own voice (no speaker); "source": attributed to ``speaker``
    voice: str = "source"
    # where the reported content (``proposition``) is, in the article's clean text
    content_span: tuple[int, int] | None = None
    # "speech" (said, told, denied), "belief" (believes, fears, expects) or "learned" (a
    # verb only the learned cue model reads as a cue: "signed", "detailed"); None: no cue
    cue_kind: str | None = None
    # the sentence's other attributions, beside the one this claim's fields describe
    attributions: tuple[Attribution, ...] = ()
    # why the sentence reads as machine-garbled (claims.garble), None when it reads fluent:
    # a garbled claim is never evidence and never a plain claim
    garbled: str | None = None

    @property
    def said_by(self) -> str:
        """The speaker as a message should name it ("its outlet" for the outlet's voice)."""
        return self.speaker or "its outlet"


@dataclass(frozen=True)
class Verdict:
    """The relation of two aligned claims from independent sources."""

    a: str
    b: str
    verdict: str  # agrees | conflicts | related
    reason: str
    kind: str = ""  # quantity | title | stance | speaker | polarity | model | similarity | drift
    by: str = "rule"  # rule | model
    score: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

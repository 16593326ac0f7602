"""A sentence's statements, one per clause, for matching claims across articles."""

from __future__ import annotations

import re
from typing import Any

from .lexicon import CUE_LEMMAS

# Clause heads whose subtree is a statement of its own; of these, the ones split off from
# their parent's statement ("South Korea called in the ambassador | to demand that ...").
CLAUSE_DEPS = {
    "ROOT",
    "ccomp",
    "xcomp",
    "advcl",
    "conj",
    "relcl",
    "acl",
    "pcomp",
    "csubj",
    "parataxis",
}
SPLIT_DEPS = {"advcl", "conj", "parataxis", "ccomp", "xcomp"}
PART_MIN_WORDS = 6  # shorter clause fragments ("North Korean troops sent") match anything
PART_MAX_WORDS = 45
MAX_PARTS = 8
LAST_WORD_RE = re.compile(r"(\w+)$")
TEXT_PART_SPLIT_RE = re.compile(r";\s+|,\s+(?=(?:but|while|whereas|although)\s)|\s+but\s+")


def clause_parts(doc: Any, proposition: str) -> tuple[str, ...]:
    """The sentence's statements, one per clause head (its subtree, and its subtree without
    the clauses it governs), then the proposition; fragments under four words dropped."""
    out: list[str] = []
    cues = cue_forms(doc)
    for head in doc:
        if head.dep_ not in CLAUSE_DEPS or head.pos_ not in ("VERB", "AUX"):
            continue
        # in reading order: a non-projective parse yields a subtree out of order ("he is
        # referring Which cooperation to")
        subtree = sorted(head.subtree, key=lambda t: t.i)
        nested = {
            t.i
            for c in head.children
            if c.dep_ in SPLIT_DEPS and c.pos_ in ("VERB", "AUX")
            for t in c.subtree
        }
        _add_part(out, subtree, cues)
        # without the clauses it governs; not for a cue verb, whose remainder is the
        # attribution frame ("South Korea's spy agency said Friday"), not a statement
        frame = head.lemma_.lower() in CUE_LEMMAS and any(c.dep_ == "ccomp" for c in head.children)
        if nested and not frame:
            _add_part(out, [t for t in subtree if t.i not in nested], cues)
    _add_text(out, proposition, cues)
    return tuple(out[:MAX_PARTS])


def text_parts(text: str, doc: Any) -> tuple[str, ...]:
    """Statements of a sentence that was not parsed (``doc`` is only tagged): the sentence,
    and its pieces at ";" and "but"."""
    out: list[str] = []
    cues = cue_forms(doc)
    _add_text(out, text, cues)
    for piece in TEXT_PART_SPLIT_RE.split(text):
        _add_text(out, re.sub(r"^(?:but|while|whereas|although)\s+", "", piece), cues)
    return tuple(out[:MAX_PARTS])


def cue_forms(doc: Any) -> set[str]:
    """The words of a sentence that are cue verbs by lemma ("said", "warns"), lowercased."""
    return {t.lower_ for t in doc if t.lemma_.lower() in CUE_LEMMAS} | {"according", "citing"}


def _add_part(out: list[str], tokens: list[Any], cues: set[str]) -> None:
    # no leading "after", "and", "but"; no dangling conjunction or punctuation at the end
    while tokens and (tokens[0].dep_ in ("mark", "cc", "punct") or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].dep_ in ("cc", "punct", "mark") or tokens[-1].is_punct):
        tokens = tokens[:-1]
    _add_text(out, "".join(t.text_with_ws for t in tokens), cues)


def _add_text(out: list[str], text: str, cues: set[str]) -> None:
    text = re.sub(r"\s+", " ", text).strip(" ,;:.\"“”'‘’")
    # an unbalanced quote mark left by the cut
    if text.count('"') % 2:
        text = text.replace('"', "")
    n = len(text.split())
    last = LAST_WORD_RE.search(text)
    if last and last.group(1).lower() in cues:  # "South Korea's President Yoon Suk Yeol said"
        return
    if PART_MIN_WORDS <= n <= PART_MAX_WORDS and text not in out:
        out.append(text)

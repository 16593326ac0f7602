"""Stance: what a speaker does with a claim (asserts, denies, calls for, declines to confirm,
has no comment)."""

from __future__ import annotations

import re
from typing import Any

from .lexicon import (
    CALL_LEMMAS,
    DENIAL_WORDS,
    DENY_LEMMAS,
    NO_COMMENT_LEMMAS,
    NO_CONFIRM_LEMMAS,
    SPEAKER_DEPS,
)

DENIAL_WORDS_RE = re.compile(rf"\b({'|'.join(DENIAL_WORDS)})\b", re.I)


def cue_stance(cue: Any, doc: Any) -> str:
    lemma = cue.lemma_.lower()
    subj = [c for c in cue.children if c.dep_ in SPEAKER_DEPS]
    neither = bool(subj) and any(t.lower_ in ("neither", "nor", "no") for t in subj[0].subtree)
    negated = any(c.dep_ == "neg" for c in cue.children) or neither
    related = [c for c in cue.children if c.dep_ in ("advcl", "xcomp", "conj", "ccomp")]
    if lemma in NO_CONFIRM_LEMMAS and negated:
        return "no_comment" if lemma in NO_COMMENT_LEMMAS else "declines_to_confirm"
    # "denied ..., but has since declined to comment": the denial is this cue's own stance
    # (the second verb is an attribution of its own)
    if lemma in DENY_LEMMAS:
        return "denies"
    for verb in [cue] + [c for c in related if c.dep_ == "conj"]:
        if verb.lemma_.lower() in ("decline", "refuse", "fail"):
            said = [c for c in verb.children if c.dep_ == "xcomp" and c.lemma_ in NO_CONFIRM_LEMMAS]
            if said:
                return (
                    "no_comment" if said[0].lemma_ in NO_COMMENT_LEMMAS else "declines_to_confirm"
                )
    if lemma in DENY_LEMMAS or any(c.lemma_ in DENY_LEMMAS for c in related):
        return "denies"

    def calls(verb: Any) -> bool:  # "call for", "call on"; "calling X bad dogs" asserts
        if verb.lemma_.lower() == "call":
            return any(c.lower_ in ("for", "on") for c in verb.children)
        return verb.lemma_.lower() in CALL_LEMMAS

    if calls(cue) or any(calls(c) for c in related if c.dep_ != "ccomp"):
        return "calls_for"
    if DENIAL_WORDS_RE.search(doc.text):
        return "denies"
    return "asserts"


NOT_REACHED_RE = re.compile(
    r"\b(?:could not|couldn't|cannot|can't|was not|wasn't|were not|weren't)\s+(?:immediately\s+)?"
    r"(?:be\s+)?reached\s+for\s+comment\b|\bno immediate comment\b",
    re.I,
)


def unattributed_stance(doc: Any) -> tuple[str, str | None]:
    """The stance of a sentence with no speaker: "Russia has not confirmed", "has yet to
    comment", "declined to comment"; else the outlet asserts it."""
    reached = NOT_REACHED_RE.search(doc.text)
    if reached:
        return "no_comment", reached.group(0)
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma in NO_CONFIRM_LEMMAS:
            neg = any(c.dep_ == "neg" for c in tok.children) or any(
                c.dep_ == "neg" for c in tok.head.children if tok.dep_ == "xcomp"
            )
            yet = tok.dep_ == "xcomp" and any(c.lower_ == "yet" for c in tok.head.children)
            declined = tok.dep_ == "xcomp" and tok.head.lemma_ in ("decline", "refuse", "fail")
            if neg or yet or declined:
                stance = "no_comment" if lemma in NO_COMMENT_LEMMAS else "declines_to_confirm"
                words = [
                    t.text
                    for t in doc[max(0, tok.i - 3) : tok.i + 1]
                    if t.dep_ in ("neg", "aux", "advmod", "xcomp")
                    or t == tok
                    or t.lemma_ in ("decline", "refuse", "fail", "yet")
                ]
                return stance, " ".join(words)
        if lemma in DENY_LEMMAS and tok.pos_ == "VERB" and _main_clause(tok):
            return "denies", tok.text
    return "asserts", None


def _main_clause(tok: Any) -> bool:
    """The verb is the sentence's own (its root, or joined to it: "rejected and denied",
    "moved to reject"), not one inside a relative or subordinate clause ("monetize content
    that denies the existence of climate change": the sentence's subject denies nothing)."""
    for _ in range(8):
        if tok.dep_ == "ROOT":
            return True
        if tok.dep_ not in ("conj", "xcomp"):
            return False
        tok = tok.head
    return False

"""Signs that a sentence was garbled by a machine rewrite (names jammed together, an adverb
on a noun, a gerund tacked onto an object, a parse that fails)."""

from __future__ import annotations

import re
from typing import Any

from .lexicon import LY_ADJECTIVES, TITLE_ABBREVIATIONS
from .people import TITLE_WORDS_RE
from .quantities import NUMERIC_LABELS

# Three or more capitalised words in a row inside a sentence: names worth a parse (and the
# place where machine rewrites jam names together: "the Fox News Korean North Korea").
NAME_RUN_RE = re.compile(r"\s[A-Z][\w'’-]+\s[A-Z][\w'’-]+\s[A-Z][\w'’-]+")
TITLE_ABBREV_RE = re.compile(rf"(?:{'|'.join(TITLE_ABBREVIATIONS)})\.?$")

# Measured on the claim-pair articles (allsides dev, 857 sentences): two names of any kinds
# side by side flagged 18 clean sentences; only an organisation or person compounded onto a
# country is kept (the seed's "Fox News Korean North Korea").


def garble_reason(doc: Any) -> str | None:
    """Why a parsed sentence reads as machine-garbled, or None.

    Heuristics, each seen in the rewritten seed: a run of proper nouns from different
    entities jammed together ("the Fox News Korean North Korea"); a gerund tacked straight
    onto a clause's object ("entered Russia doodling artillery training"); the parser
    giving up on the structure (two or more unlabelled 'dep' relations).
    """
    ents = [e for e in doc.ents if e.label_ not in NUMERIC_LABELS]
    for a, b in zip(ents, ents[1:], strict=False):
        # an organisation or person compounded onto a country ("the Fox News Korean North
        # Korea"); a place or a party before a name ("Minnesota District Court") is news style
        if a.label_ not in ("ORG", "PERSON") or b.label_ != "GPE":
            continue
        jammed = a.root.head == b.root.head or b.start <= a.root.head.i < b.end
        # "Arizona Sen. Kyrsten Sinema": a title between a place and a name is news style
        between = doc[a.end : b.start]
        titled = len(between) == 1 and bool(
            TITLE_WORDS_RE.search(between.text) or TITLE_ABBREV_RE.match(between.text)
        )
        if (
            b.start - a.end <= 1
            and not titled
            and a.label_ != b.label_
            and jammed
            and a.root.dep_ == "compound"
        ):
            return f'names run together: "{doc[a.start : b.end].text}"'
    for tok in doc:
        # "under heavily criticism": an -ly adverb straight on a noun, where an adjective belongs
        if (
            tok.dep_ in ("advmod", "amod")
            and tok.lower_.endswith("ly")
            and len(tok) > 4
            and tok.lower_ not in LY_ADJECTIVES
            and tok.head.pos_ == "NOUN"
            and tok.head.i == tok.i + 1
        ):
            return f'adverb on a noun: "{tok.text} {tok.head.text}"'
    for tok in doc:
        if _tacked_on(doc, tok):
            return f'verb tacked on: "{doc[tok.i - 1].text} {tok.text}"'
    # (spaces and quote marks the parser leaves unattached are not the structure failing)
    if sum(1 for t in doc if t.dep_ == "dep" and not (t.is_space or t.is_punct)) >= 2:
        return "the sentence does not parse"
    if len(doc) > 60 and sum(1 for t in doc if t.dep_ in ("ccomp", "advcl", "relcl", "acl")) >= 6:
        return "run-on sentence with too many clauses"
    return None


def garbled_tail(doc: Any) -> int | None:
    """Where a garbled trailing clause starts: a gerund tacked onto a proper-noun object
    whose clause runs to the end of the sentence; None when the garble is elsewhere."""
    for tok in doc:
        if (
            tok.i > 3
            and _tacked_on(doc, tok)
            and all(t.is_punct for t in doc[max(t.i for t in tok.subtree) + 1 :])
            and min(t.i for t in tok.subtree) == tok.i
        ):
            return int(tok.i)
    return None


def _tacked_on(doc: Any, tok: Any) -> bool:
    """A gerund tacked straight onto a clause's proper-noun object, with no "while" or
    "after" to join it ("entered Russia doodling artillery training")."""
    return (
        tok.tag_ == "VBG"
        and tok.dep_ == "advcl"
        and tok.i > 0
        and doc[tok.i - 1].dep_ == "dobj"
        and doc[tok.i - 1].pos_ == "PROPN"
        and not any(c.dep_ == "mark" for c in tok.children)
    )

"""What claim extraction returns for one article, and the claim's JSON form.

Two forms: ``claim_to_dict`` is the stored one (``Claim.sentence`` the 0-based index of the
sentence in the article's clean text, as every record holds it); ``claim_json`` and
``garbled_json`` are what the JSON documents show a reader or a program (``run --json``,
``claims --json``, ``check --json``, ``/api/``), whose ``sentence`` is ``sentence_number``:
the sentence's 1-based position in the cleaned article, as the pages count it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..records import Attribution, Claim, Person, Quantity


@dataclass(frozen=True)
class Garbled:
    """A sentence that reads as machine-garbled, and why."""

    sentence: int
    text: str
    reason: str
    # When only a trailing clause is garbled ("... entered Russia doodling artillery
    # training"), the sentence's claim is made of the clean head up to this character.
    clean_until: int | None = None


@dataclass(frozen=True)
class ArticleClaims:
    """What claim extraction finds in one article."""

    article_id: str
    claims: tuple[Claim, ...]
    garbled: tuple[Garbled, ...] = ()
    unintroduced: tuple[tuple[int, str], ...] = ()  # (sentence, surname) never introduced
    sentences: int = 0

    def unusable(self) -> dict[str, str]:
        """Claim id -> reason, for sentences too garbled to be evidence of any verdict (a
        sentence cut to its clean head, ``clean_until``, still is)."""
        return {
            f"{self.article_id}:{g.sentence}": g.reason
            for g in self.garbled
            if g.clean_until is None
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "claims": [claim_to_dict(c) for c in self.claims],
            "garbled": [g.__dict__ for g in self.garbled],
            "unintroduced": [list(u) for u in self.unintroduced],
            "sentences": self.sentences,
        }

    @classmethod
    def from_dict(cls, article_id: str, d: dict[str, Any]) -> ArticleClaims:
        return cls(
            article_id=article_id,
            claims=tuple(claim_from_dict(c) for c in d["claims"]),
            garbled=tuple(Garbled(**g) for g in d["garbled"]),
            unintroduced=tuple((int(s), str(n)) for s, n in d["unintroduced"]),
            sentences=int(d["sentences"]),
        )


def claim_to_dict(c: Claim) -> dict[str, Any]:
    d = dict(c.__dict__)
    d["quantities"] = [q.__dict__ for q in c.quantities]
    d["people"] = [p.__dict__ for p in c.people]
    d["entities"] = list(c.entities)
    d["parts"] = list(c.parts)
    d["attributions"] = [a.__dict__ for a in c.attributions]
    return d


def sentence_number(index: int) -> int:
    """The number a reader sees for the sentence at ``index`` (0-based, as records and the
    store hold it): its 1-based position in the cleaned article. Every JSON document and
    page counts sentences this way; this is the one place the two countings meet."""
    return index + 1


def claim_json(c: Claim) -> dict[str, Any]:
    """A claim as the JSON documents show it: ``claim_to_dict`` with ``sentence`` counted
    from 1 (``sentence_number``)."""
    d = claim_to_dict(c)
    d["sentence"] = sentence_number(c.sentence)
    return d


def garbled_json(g: Garbled) -> dict[str, Any]:
    """A garbled sentence as the JSON documents show it (``sentence`` counted from 1)."""
    return dict(g.__dict__) | {"sentence": sentence_number(g.sentence)}


def claim_from_dict(d: dict[str, Any]) -> Claim:
    d = dict(d)
    for key in ("speaker_span", "cue_span", "content_span"):
        if d.get(key) is not None:
            d[key] = tuple(d[key])
    d["quantities"] = tuple(Quantity(**q) for q in d["quantities"])
    d["people"] = tuple(Person(**p) for p in d["people"])
    d["entities"] = tuple(d["entities"])
    d["parts"] = tuple(d.get("parts", ()))
    attributions = []
    for a in d.get("attributions", ()):
        spans = {k: tuple(v) for k, v in a.items() if k.endswith("_span")}
        attributions.append(Attribution(**{**a, **spans}))
    d["attributions"] = tuple(attributions)
    return Claim(**d)

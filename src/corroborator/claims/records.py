"""What claim extraction returns for one article, and the claim's JSON form."""

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

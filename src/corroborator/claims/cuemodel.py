"""A learned cue detector: which verbs of a parsed sentence are the cue of an attribution.

The hand-written lexicon (lexicon.ATTRIBUTION_LEMMAS) names the verbs of speech and belief;
PolNeAR annotates many more open-class predicates ("made it clear", "is feeling pressure",
"would like", "wants", "opposed", "found"). This module scores every verb (or adjective)
with a subject of a parsed sentence with a logistic regression over the parse around it:
its lemma, its dependents' labels (a clausal complement? an object? a negation?), its
subject (a person? a pronoun? an organisation?), quotation marks nearby. The weights are
package data (models/attribution-cues/weights.json, see its MODEL_CARD.md), made by
scripts/train_cue_model.py from PolNeAR's train split; scoring is a sum of a few dozen
weights per candidate, no extra pass of spaCy.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

import numpy as np

from ..resources import model_dir
from .lexicon import ATTRIBUTION_LEMMAS, BELIEF_LEMMAS, CUE_LEMMAS

MODEL_NAME = "attribution-cues"
# the lexicon's verbs the model may veto: not the core verbs of speech (say, condemn,
# charge, ...), which keep their rules whatever the model says
VETOABLE_LEMMAS = ATTRIBUTION_LEMMAS - CUE_LEMMAS
CANDIDATE_POS = ("VERB", "AUX", "ADJ", "NOUN")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# dependents whose presence (and label) tells a cue from any verb
CHILD_DEPS = (
    "ccomp", "xcomp", "dobj", "advcl", "prep", "neg", "aux", "auxpass", "mark", "advmod",
    "attr", "acomp", "oprd", "dative", "agent", "npadvmod", "parataxis", "conj", "cc",
)  # fmt: skip
QUOTES = ('"', "“", "”")
MODALS = {"would", "could", "should", "will", "might", "may", "can", "must"}
PERSON_PRONOUNS = {"he", "she", "i", "we", "they", "you", "who"}


def subject_of(tok: Any) -> Any | None:
    """The token's own subject, else (a participle or a second verb: "..., saying",
    "rubbed his chin and said", "rallied them by promising") the subject of the verb it hangs
    off; for a participle on a noun ("groups advocating ...") the noun; for a noun, its
    possessor ("Trump's attacks on ...") or who it is by or from ("criticism from X")."""
    if tok.pos_ == "NOUN":
        for c in tok.children:
            if c.dep_ == "poss":
                return c
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from"):
                pobj = [g for g in c.children if g.dep_ == "pobj"]
                if pobj:
                    return pobj[0]
        return None
    own = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
    if own:
        return min(own, key=lambda c: abs(c.i - tok.i))
    if tok.head is tok:
        return None
    if tok.dep_ in ("conj", "advcl", "xcomp"):
        inherited = [c for c in tok.head.children if c.dep_ == "nsubj"]
        if inherited:
            return inherited[0]
    if tok.dep_ == "pcomp" and tok.tag_ == "VBG" and tok.head.head is not tok.head:
        verb = tok.head.head
        inherited = [c for c in verb.children if c.dep_ == "nsubj"]
        if verb.pos_ in ("VERB", "AUX") and inherited:
            return inherited[0]
    if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head
    return None


def speaker_tokens(tok: Any) -> list[Any]:
    """The phrase of ``subject_of(tok)``: its subtree; for a noun a participle hangs off,
    the noun's phrase up to the participle; a possessor without its "'s"."""
    subj = subject_of(tok)
    if subj is None:
        return []
    if subj is tok.head and tok.dep_ == "acl":
        return [t for t in subj.subtree if t.i < tok.left_edge.i]
    phrase = list(subj.subtree)
    if subj.dep_ == "poss":
        phrase = [t for t in phrase if not (t.dep_ == "case" and t.head is subj)]
    return phrase


def is_candidate(tok: Any) -> bool:
    """A verb or adjective with a subject of its own or one it inherits; a noun with a
    possessor or a "by"/"from" phrase."""
    return tok.pos_ in CANDIDATE_POS and subject_of(tok) is not None


def features(tok: Any) -> list[str]:
    """The names of the features that hold for a candidate token (binary features)."""
    lemma = tok.lemma_.lower()
    doc = tok.doc
    deps = {c.dep_ for c in tok.children}
    subj = subject_of(tok)
    out = [
        "bias",
        f"lemma={lemma}",
        f"pos={tok.pos_}",
        f"tag={tok.tag_}",
        f"dep={tok.dep_}",
        f"head_pos={tok.head.pos_ if tok.head is not tok else 'ROOT'}",
        f"lemma={lemma}|dep={tok.dep_}",
        f"tag={tok.tag_}|dep={tok.dep_}",
        f"prev={doc[tok.i - 1].lower_ if tok.i else '<s>'}",
        f"next={doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else '</s>'}",
    ]
    if lemma in ATTRIBUTION_LEMMAS:
        out.append("lexicon")
    if lemma in BELIEF_LEMMAS:
        out.append("belief")
    for dep in CHILD_DEPS:
        if dep in deps:
            out.append(f"child={dep}")
    clausal = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
    if clausal:
        out.append(f"lemma={lemma}|clause")
        for c in clausal:
            out.append(f"clause={c.dep_}:{c.pos_}")
            marks = [m.lower_ for m in c.children if m.dep_ in ("mark", "aux") and m.i < c.i]
            out.extend(f"clause_mark={m}" for m in marks[:2])
            if c.dep_ == "xcomp":
                out.append(f"xcomp_lemma={c.lemma_.lower()}")
                out.append(f"lemma={lemma}|xcomp={c.lemma_.lower()}")
    else:
        out.append(f"lemma={lemma}|noclause")
    for c in tok.children:
        if c.dep_ == "prep":
            out.append(f"prep={c.lower_}")
            out.append(f"lemma={lemma}|prep={c.lower_}")
        elif c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS:
            out.append(f"modal={c.lower_}")
        elif c.dep_ in ("dobj", "attr", "acomp", "oprd"):
            out.append(f"obj_lemma={c.lemma_.lower()}")
            out.append(f"lemma={lemma}|obj={c.lemma_.lower()}")
            if any(g.dep_ == "ccomp" for g in c.children):
                out.append("obj_has_clause")
    if tok.dep_ in ("ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "parataxis"):
        out.append(f"head_lemma={tok.head.lemma_.lower()}|dep={tok.dep_}")
        if tok.head.lemma_.lower() in ATTRIBUTION_LEMMAS:
            out.append(f"under_cue|dep={tok.dep_}")
    if subj is not None:
        own = subj.head is tok
        out.append(f"subj_own={own}")
        if not own:
            out.append(f"inherit={tok.pos_}:{tok.dep_}")
        out.append(f"subj_dep={subj.dep_}")
        low = subj.lower_
        if subj.pos_ == "PRON":
            out.append(f"subj_pron={low}")
            out.append(f"subj_person={low in PERSON_PRONOUNS}")
        else:
            out.append(f"subj_pos={subj.pos_}")
            out.append(f"subj_ent={subj.ent_type_ or 'none'}")
            if subj.pos_ == "NOUN":
                out.append(f"subj_lemma={subj.lemma_.lower()}")
        if subj.ent_type_ == "PERSON" or low in PERSON_PRONOUNS:
            out.append(f"lemma={lemma}|subj_person")
        elif subj.ent_type_ in ("ORG", "NORP", "GPE"):
            out.append(f"lemma={lemma}|subj_group")
        else:
            out.append(f"lemma={lemma}|subj_other")
        out.append(f"subj_after={subj.i > tok.i}")
    text = doc.text
    at = tok.idx
    before, after = text[:at], text[at:]
    if any(q in before for q in QUOTES):
        out.append("quote_before")
    if any(q in after for q in QUOTES):
        out.append("quote_after")
    if any(q in before for q in QUOTES) and any(q in after for q in QUOTES):
        out.append("quote_around")
    if _in_quotes(text, at):
        out.append("inside_quote")
    if tok.i <= 2:
        out.append("early")
    if tok.i >= len(doc) - 3:
        out.append("late")
    if "according" in text.lower():
        out.append("according_in_sentence")
    return out


def vector(tok: Any) -> Any:
    """The dense part: the token's context vector from spaCy's tok2vec (``doc.tensor``, set
    by the tagging pass every sentence gets) and its subject's, side by side."""
    tensor = tok.doc.tensor
    width = tensor.shape[1] if tensor.ndim == 2 and tensor.shape[0] == len(tok.doc) else 0
    if not width:
        return np.zeros(2 * DENSE_WIDTH, dtype=np.float32)
    subj = subject_of(tok)
    other = tensor[subj.i] if subj is not None else np.zeros(width, dtype=tensor.dtype)
    return np.concatenate([tensor[tok.i], other]).astype(np.float32)


DENSE_WIDTH = 96  # en_core_web_sm's tok2vec width


def says_something(tok: Any) -> bool:
    """Whether a candidate governs a clause ("made it clear that ...", "wants to ...") or
    sits in a sentence that quotes."""
    if any(c.dep_ in ("ccomp", "xcomp") for c in tok.children):
        return True
    if any(g.dep_ == "ccomp" for c in tok.children for g in c.children):
        return True
    return any(q in tok.doc.text for q in QUOTES)


def _in_quotes(text: str, at: int) -> bool:
    state = False
    for ch in text[:at]:
        if ch == "“":
            state = True
        elif ch == "”":
            state = False
        elif ch == '"':
            state = not state
    return state


class CueModel:
    """Logistic regression weights by feature name; ``score(tok)`` is the probability that
    ``tok`` is an attribution's cue, ``threshold`` the one chosen on held-apart train."""

    def __init__(
        self,
        weights: dict[str, float],
        threshold: float,
        dense: Any = None,
        veto: float = 0.0,
        parse_lemmas: Any = (),
        bare: float | None = None,
    ) -> None:
        self.weights = weights
        self.threshold = threshold
        # the threshold of a candidate that governs no clause and no quotation ("Sweden
        # released images", "Putin submitted a bill"): an action more often than a statement
        self.bare = threshold if bare is None else bare
        self.veto = veto
        # lemmas outside the lexicon that are often cues ("want", "plan", "oppose"): a
        # sentence holding one as a verb or adjective is worth the parser
        self.parse_lemmas = frozenset(parse_lemmas)
        self.dense = np.asarray(dense, dtype=np.float32) if dense is not None else None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CueModel:
        return cls(
            {k: float(v) for k, v in d["weights"].items()},
            float(d["threshold"]),
            d.get("dense"),
            float(d.get("veto", 0.0)),
            d.get("parse_lemmas", ()),
            d.get("bare"),
        )

    def worth_parsing(self, doc: Any) -> bool:
        """Whether a tagged sentence holds a verb or adjective of ``parse_lemmas``."""
        return any(
            t.pos_ in ("VERB", "AUX", "ADJ") and t.lemma_.lower() in self.parse_lemmas for t in doc
        )

    def score(self, tok: Any) -> float:
        z = sum(self.weights.get(f, 0.0) for f in features(tok))
        if self.dense is not None:
            v = vector(tok)
            if v.shape == self.dense.shape:
                z += float(v @ self.dense)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def judge(self, doc: Any, lexicon: list[int]) -> tuple[list[int], set[int]]:
        """The cues the model adds to the lexicon's (candidates scored at or above the
        threshold) and the lexicon's it vetoes (a cue verb with a subject scored below
        ``veto``: "asks about getting invited", "signs autographs")."""
        added, vetoed = [], set()
        listed = set(lexicon)
        for t in doc:
            if not is_candidate(t):
                continue
            p = self.score(t)
            # the lexicon's verbs may be vetoed; its nouns ("his claim that ...") only added
            # (a passive is read by its agent, "attacked by the harbour master", which the
            # model does not see as the speaker: never vetoed)
            if t.i in listed and t.pos_ in ("VERB", "AUX"):
                passive = any(c.dep_ == "agent" for c in t.children)
                if p < self.veto and t.lemma_.lower() in VETOABLE_LEMMAS and not passive:
                    vetoed.add(t.i)
            elif p >= (self.threshold if says_something(t) else self.bare):
                added.append(t.i)
        return added, vetoed


@lru_cache(maxsize=1)
def load_cue_model() -> CueModel:
    path = model_dir(MODEL_NAME) / "weights.json"
    return CueModel.from_dict(json.loads(path.read_text(encoding="utf-8")))

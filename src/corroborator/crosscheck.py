"""Cross-check: within one story, across independent sources, which claims agree, which
conflict, which rest on one source; and what is wrong inside single articles.

A copy group (copies.py) is one source: its claims are never compared with each other and
never count twice. Candidate pairs come from an approximate nearest-neighbour index
(usearch) over the claims' propositions, so the cost stays near-linear in story size,
plus pairs that share a figure or a person. Each pair gets a verdict with its reason:

- **conflicts**: incompatible figures for the same thing (exact vs exact, or outside a
  hedge: "up to 12,000" is compatible with "1,500"), a different title for the same
  person, the same speaker asserting and denying, the same quoted words in two speakers'
  mouths, or the same statement with opposite polarity;
- **agrees**: the same figure for the same thing, or the same statement (close vectors,
  same stance);
- **related**: close but undecided by rules. When the entailment model is present it judges
  these pairs, and its verdict is marked as the model's.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .claims import ArticleClaims, canonical, titles_conflict, unit_class
from .claims.lexicon import APPROVE_LEMMAS, DISAPPROVE_LEMMAS
from .clean import article_date
from .drift import DriftDetector
from .places import country_words
from .records import Article, Claim, CopyLink, Quantity, Verdict
from .text import content_words, words

# Cosines below are between the closest statements (clauses) of two claims under the
# MiniLM sentence encoder (embed.SentenceEncoder); NEIGHBOURS is for the static model that
# proposes candidates. Calibrated together on the dev split of quality/claim_pairs by
# scripts/calibrate_verdicts.py --fit --tune (held-out figures pinned in
# quality/claim_pairs_floors.json); do not tune one alone, and never on examples/.
NEIGHBOURS = 8
RELATED_MIN = 0.50  # a pair worth a verdict at all
# The same statement in other words: agreement_score (a probability) at least this, with no
# figure, negation or stance against it.
AGREE_MIN = 0.70
AGREE_WEIGHTS = (
    1.11, 0.926, 0.848, 0.324, 0.977, 0.349,  # statements: cosine, Jaccard, overlap, names, speaker, negation
    2.534, 2.135, 1.614,  # sentences: cosine, overlap, length
    -0.24, -0.065, 1.694, 0.998,  # close words: of the statements (share, mean), of the sentences
)  # fmt: skip
AGREE_BIAS = -6.429
AGREE_COS_MIN = (
    0.55  # ... and the statements at least this close (short clauses share words easily)
)
# One clause of each that states the same thing, read on its own (agreement_features with
# clause_only): the other sentence may say more around it ("After Seoul summoned Russia's
# ambassador ..., the envoy stressed ..." / "South Korea has called in the Russian
# ambassador to demand ..."). Only the two clauses are corroborated, never the sentences.
# Chosen on the dev claim pairs as the loosest setting whose added agreements are themselves
# right at least 6 times in 7 (dev: +6 right, +1 wrong; held-out: +3 right, 0 wrong; a
# looser 0.75 cosine gave dev +10 / -3). Not in calibrate_verdicts' GRID: its objective
# would spend the dev precision margin on these.
CLAUSE_AGREE_MIN = 0.80
CLAUSE_COS_MIN = 0.80
CLAUSE_MIN_WORDS = 5  # content words in each clause: short fragments match anything
# Two sentences framed alike ("Fire Chief Dana Moreau said ...") look close for the frame
# alone: when the closest statements both hold the speaker, the closest statements without
# it must reach this ("crews fought the fire for five hours" / "the fire started in a hall":
# 0.39). Dev: the one such wrong agreement 0.38, the right ones 0.55 and above.
CONTENT_AGREE_MIN = 0.50
STANCE_AGREE_MIN = 0.55  # two claims sharing a non-assertive stance (no comment, no confirmation)
QUANTITY_CONTEXT_MIN = 0.85  # two figures of one unit speak of the same thing
# Death and injury tolls: the commonest figure to drift between reports of one event. Two
# statements this close that both count dead or hurt people count the same toll. Set by
# hand (the claim pairs hold too few tolls to calibrate it); held-out figures cover it.
TOLL_CONTEXT_MIN = 0.65
CASUALTY_RE = re.compile(
    r"\b(kill\w*|dead|died|die|deaths?|death toll|injur\w*|wounded|hurt|casualt\w*|fatalit\w*)\b",
    re.I,
)
QUANTITY_AGREE_MIN = 0.55  # the same figure in statements this close is one fact
STANCE_CONFLICT_MIN = 0.90
POLARITY_MIN = 0.90
SILENCE_MIN = 0.35  # "has not commented" vs a quote of the same actor, on the same subject
QUOTE_MIN_WORDS = 5
ABOUT_TOLERANCE = 0.25  # "about 300" is compatible with exact figures within 25%
# Statements this close to the best match of a pair may stand for it on the fact sheet
# when the rules still call them an agreement (the shortest is shown: no more than both say).
PART_TIE = 0.08
PAIRS_KEPT_BELOW = 0.3  # statement pairs this far below the closest are not looked at
MAX_FACTS_PER_PAIR = 3
FIGURE_SEARCH_BELOW = 0.3  # statement pairs searched for a figure conflict, below the closest  # separate facts two sentences may share
NEGATION_SAME_WORDS = 0.6  # statement overlap above which a negation flips the statement
MODEL_DECIDES = 0.5  # the model's probability needed to turn "related" into a verdict
# The model reads about 40 pairs/s on 2 cores: only the closest open pairs of a story go to
# it (both directions each), so a story costs at most a few seconds whatever its size.
MODEL_PAIRS = 24

Judge = Callable[[Sequence[str], Sequence[str]], np.ndarray]  # (evidence, claims) -> (n, 3)
NON_ASSERT = {"denies", "declines_to_confirm", "no_comment", "calls_for"}


@dataclass(frozen=True)
class CrossCheckOptions:
    """The verdict thresholds ``judge_pair`` reads (cosines of the sentence encoder)."""

    neighbours: int = NEIGHBOURS
    related_min: float = RELATED_MIN
    agree_min: float = AGREE_MIN
    agree_cos_min: float = AGREE_COS_MIN
    stance_agree_min: float = STANCE_AGREE_MIN
    clause_agree_min: float = CLAUSE_AGREE_MIN
    clause_cos_min: float = CLAUSE_COS_MIN
    clause_min_words: int = CLAUSE_MIN_WORDS
    content_agree_min: float = CONTENT_AGREE_MIN
    quantity_context_min: float = QUANTITY_CONTEXT_MIN
    toll_context_min: float = TOLL_CONTEXT_MIN
    quantity_agree_min: float = QUANTITY_AGREE_MIN
    stance_conflict_min: float = STANCE_CONFLICT_MIN
    polarity_min: float = POLARITY_MIN
    silence_min: float = SILENCE_MIN
    #: the logistic agreement model (scripts/calibrate_verdicts.py --fit refits it)
    agree_weights: tuple[float, ...] = AGREE_WEIGHTS
    agree_bias: float = AGREE_BIAS
    quote_min_words: int = QUOTE_MIN_WORDS
    negation_same_words: float = NEGATION_SAME_WORDS
    about_tolerance: float = ABOUT_TOLERANCE
    part_tie: float = PART_TIE
    pairs_kept_below: float = PAIRS_KEPT_BELOW
    max_facts_per_pair: int = MAX_FACTS_PER_PAIR
    figure_search_below: float = FIGURE_SEARCH_BELOW
    model_decides: float = MODEL_DECIDES
    model_pairs: int = MODEL_PAIRS


@dataclass
class StoryCheck:
    """Everything the fact sheet shows for one story."""

    story_id: str
    title: str
    articles: list[Article]
    source_of: dict[str, str]  # article id -> its independent source (see source_keys)
    copies: dict[str, CopyLink]
    claims: list[Claim]
    verdicts: list[Verdict]
    facts: list[list[str]]  # groups of claim ids that agree
    article_claims: dict[str, ArticleClaims]
    model_used: bool = False
    people: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # per fact (same order as ``facts``): the statement each of its claims contributes
    fact_parts: list[dict[str, str]] = field(default_factory=list)

    # -- derived views -------------------------------------------------------------
    def claim(self, claim_id: str) -> Claim:
        return self._by_id[claim_id]

    def __post_init__(self) -> None:
        self._by_id = {c.id: c for c in self.claims}
        self._articles = {a.id: a for a in self.articles}
        self._labels: dict[str, str] = {}
        for a in self.articles:  # a source is named after its first original article
            if a.id not in self.copies:
                self._labels.setdefault(self.source_of[a.id], outlet_label(a))
        for a in self.articles:
            self._labels.setdefault(self.source_of[a.id], outlet_label(a))

    def outlet(self, article_id: str) -> str:
        return outlet_label(self._articles[article_id])

    def label(self, source: str) -> str:
        """A source key as a reader should see it: the outlet's name."""
        return self._labels[source]

    def source_name(self, claim: Claim) -> str:
        return self.label(self.source_of[claim.article_id])

    def original_claims(self) -> list[Claim]:
        """Claims of the original of each copy group (a copy's claims are not a source)."""
        return [c for c in self.claims if c.article_id not in self.copies]

    def cite(self, row: dict[str, Any], claim: Claim) -> None:
        """Add a claim and its source to a table row (``claims`` and ``sources`` lists)."""
        row["claims"].append(claim.id)
        source = self.source_name(claim)
        if source not in row["sources"]:
            row["sources"].append(source)

    def disputed_ids(self) -> set[str]:
        return {i for v in self.verdicts if v.verdict == "conflicts" for i in (v.a, v.b)}

    def fact_sources(self, fact: list[str]) -> list[str]:
        return sorted({self.source_of[self.claim(c).article_id] for c in fact})


def outlet_label(article: Article) -> str:
    return article.outlet or f"unknown outlet ({article.source.rsplit('/', 1)[-1]})"


def source_keys(articles: list[Article], copies: dict[str, CopyLink]) -> dict[str, str]:
    """Each article's independent source: its outlet (two stories from one outlet are one
    source), or for an article of unknown outlet its own id; a copy has its original's."""
    by_id = {a.id: a for a in articles}

    def key(a: Article) -> str:
        return f"outlet:{a.outlet.strip().lower()}" if a.outlet else f"article:{a.id}"

    out = {}
    for a in articles:
        link = copies.get(a.id)
        original = by_id.get(link.original_id) if link else None
        out[a.id] = key(original or a)
    return out


def _independent(check_sources: dict[str, str], a: Claim, b: Claim) -> bool:
    return check_sources[a.article_id] != check_sources[b.article_id]


def counted_figures(c: Claim) -> list[Quantity]:
    """A claim's figures that count something (no vague ones, none of "of ..." units)."""
    return [
        q for q in c.quantities if q.hedge != "vague" and q.unit and not q.unit.startswith("of ")
    ]


def compare_quantities(qa: Quantity, qb: Quantity, tolerance: float = ABOUT_TOLERANCE) -> str:
    """same | compatible | conflicts, for two figures of the same unit ("about" figures
    within ``tolerance`` of each other are compatible)."""
    if math.isclose(qa.value, qb.value, rel_tol=1e-9):
        return "same"
    # one is the other rounded to its own last digit, a figure of two digits or more ("$741
    # billion" / "$740.5 billion"; not "969" / "978", and not "$1 trillion" / "$1.2 trillion")
    if any(abs(x.value - y.value) <= _last_digit(x) / 2 for x, y in ((qa, qb), (qb, qa))):
        return "same"
    # within 1%, and one is hedged or a round figure ("nearly 3 million" / "2,981,000", "6
    # million" / "5.99 million"): the same figure, rounded; two precise figures that differ
    # ("969 deaths" / "978 deaths") do differ
    if abs(qa.value - qb.value) <= 0.01 * max(qa.value, qb.value) and (
        _round_figure(qa.value)
        or _round_figure(qb.value)
        or qa.hedge != "exact"
        or qb.hedge != "exact"
    ):
        return "same"
    for x, y in ((qa, qb), (qb, qa)):
        if x.hedge == "at_most" and y.hedge == "at_least":  # "up to 2,000" and "more than 1,000"
            return "compatible" if y.value <= x.value else "conflicts"
        if x.hedge == "at_most" and y.hedge in ("exact", "about", "at_most"):
            return "compatible" if y.value <= x.value or y.hedge == "at_most" else "conflicts"
        if x.hedge == "at_least" and y.hedge in ("exact", "about", "at_least"):
            return "compatible" if y.value >= x.value or y.hedge == "at_least" else "conflicts"
        if x.hedge == "about" and y.hedge in ("exact", "about"):
            tol = tolerance * max(x.value, y.value)
            return "compatible" if abs(x.value - y.value) <= tol else "conflicts"
    return "conflicts"


def _last_digit(q: Quantity) -> float:
    """The value of one unit in the last digit a figure states: 1e9 for "$741 billion",
    1e8 for "740.5 billion", 1 for "1,500", 0.1 for "3.9 percent"; 0 for a figure of one
    digit ("$1 trillion", "4 percent"), which is no rounding of a figure near it."""
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", q.text)
    if digits is None or not q.value or len(re.sub(r"\D", "", digits.group(0)).lstrip("0")) < 2:
        return 0.0
    shown = float(digits.group(0).replace(",", ""))
    scale = q.value / shown if shown else 1.0
    return scale * 10.0 ** -len(digits.group(1) or "")


def _round_figure(value: float) -> bool:
    """At most two significant digits: 6,000,000, 4,500, 30 (not 969, 5,990,000 or 4.25)."""
    digits = f"{abs(value):.6g}".replace(".", "").replace("-", "").split("e")[0].strip("0")
    return len(digits) <= 2


def _figure_word(figure: str) -> str:
    """The word of a figure's text that a statement must hold to carry it: its digits
    ("1,500" of "1,500 special forces"), else its first word ("Thirty" of "Thirty people")."""
    parts = figure.split() or [figure]
    return next((w for w in parts if any(ch.isdigit() for ch in w)), parts[0]).lower()


def _holds(statement: str, q: Quantity) -> bool:
    return _figure_word(q.text) in statement.lower()


def _money(c: Claim) -> set[float]:
    """The sums of money a claim states ("$500 billion", "40 million dollars")."""
    return {
        q.value
        for q in c.quantities
        if "dollar" in q.unit
        or re.search(r"[$£€]\s?" + re.escape(_figure_word(q.text)), c.text, re.I)
    }


def _states_figure(text: str, q: Quantity) -> bool:
    """The text states the figure as a number of its own ("7,314", not inside "17,314")."""
    word = re.escape(_figure_word(q.text))
    return re.search(rf"(?<![\w,.]){word}(?![\w,]|\.\d)", text.lower()) is not None


def _statement_overlap(sim: PairSim) -> float:
    pa, pb = content_words(sim.part_a), content_words(sim.part_b)
    return len(pa & pb) / min(len(pa), len(pb)) if pa and pb else 0.0


NEGATION_RE = re.compile(r"\b(not|no|never|n't|neither|nor|denied|denies)\b", re.I)
# a relative clause opened since the last comma: "staffers and others who did not work
# for him" negates the relative clause, not the statement
RELATIVE_RE = re.compile(r"\b(who|whom|whose|which)\b[^,;:]*$", re.I)


def _negated(text: str) -> bool:
    """The statement itself is negated (a negation outside relative clauses)."""
    return any(not RELATIVE_RE.search(text[: m.start()]) for m in NEGATION_RE.finditer(text))


def _quote(text: str) -> str:
    m = re.findall(r"[\"“]([^\"“”]{10,})[\"”]", text)
    return " ".join(m).lower()


def same_actor(a: Claim, b: Claim) -> bool:
    """One speaker is the other or part of it: "north korea" and "north korea state media"."""
    x, y = a.speaker_canonical, b.speaker_canonical
    return x == y or any(
        long.startswith(short + " ") or long.startswith(short + "'s ")
        for short, long in ((x, y), (y, x))
    )


@dataclass(frozen=True)
class PairSim:
    """How close two claims are: the cosine of their closest statements (one clause of each,
    see Claim.parts) under the sentence encoder, and those two statements."""

    cos: float
    part_a: str
    part_b: str
    #: the cosine of the two whole sentences (None when not measured: ``cos`` stands for it)
    whole: float | None = None
    #: word-level matches (see SoftOverlap): of the statements, then of the whole sentences,
    #: the share of the shorter's content words with a close word in the other and the mean
    #: closeness (None when not measured: exact word overlap stands for them)
    soft: tuple[float, float, float, float] | None = None


class SoftOverlap:
    """How many of the shorter text's content words have a close word in the other, under a
    static word model ("weapons" / "arms", "summoned" / "called"): the exact word overlap
    misses paraphrases. Word vectors are cached across calls."""

    CLOSE = 0.7  # word cosine that counts as a match

    def __init__(self, embed: Callable[[Sequence[str]], np.ndarray]) -> None:
        self.embed = embed
        self._cache: dict[str, np.ndarray] = {}

    def _vectors(self, ws: list[str]) -> np.ndarray:
        new = [w for w in ws if w not in self._cache]
        if new:
            self._cache.update(zip(new, self.embed(new), strict=True))
        return np.array([self._cache[w] for w in ws])

    def __call__(self, x: str, y: str) -> tuple[float, float]:
        wa = sorted(content_words(country_words(x)))
        wb = sorted(content_words(country_words(y)))
        if not wa or not wb:
            return 0.0, 0.0
        if len(wa) > len(wb):
            wa, wb = wb, wa
        best = (self._vectors(wa) @ self._vectors(wb).T).max(axis=1)
        return float((best >= self.CLOSE).mean()), float(best.mean())


def statement_speaker(claim: Claim, part: str) -> str | None:
    """Who makes a statement of a claim: the claim's speaker when the statement is inside
    what they are reported to say, else None (the outlet's own voice)."""
    inside = part == claim.proposition or _norm(part) in _norm(claim.proposition)
    return claim.speaker if inside and claim.cue else None


def _stance_class(stance: str) -> str:
    """Stances that can agree: asserting and calling for are both a position taken ("South
    Korea urges ... withdrawn" and "demands ... pulled out" agree); denying, declining to
    confirm and having no comment are each their own."""
    return "position" if stance in ("asserts", "calls_for") else stance


def _part_stance(claim: Claim, part: str) -> str:
    """A clause inside the reported content carries the speaker's stance; a clause outside
    it ("After Seoul summoned the ambassador, the envoy said ...") is the outlet's own."""
    if claim.stance in ("declines_to_confirm", "no_comment"):
        # the whole sentence is the proposition: only the clause of "not confirm" carries it
        return claim.stance if NO_CONFIRM_RE.search(part) else "asserts"
    if part == claim.proposition or _norm(part) in _norm(claim.proposition):
        return claim.stance
    return "asserts"


NO_CONFIRM_RE = re.compile(
    r"\b(?:confirm|comment|verify|acknowledge|respond)(?:s|ed|ing)?\b|\bno comment", re.I
)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def figure_relation(
    a: Claim, b: Claim, tolerance: float = ABOUT_TOLERANCE
) -> tuple[list[str], set[str], tuple[Quantity, Quantity] | None]:
    """How the counted figures of two claims relate: the figures both state (their texts),
    the units of those, and the first pair of figures of one counted thing that differ
    (None when none does).

    Units compare as "percent (rate)" / "dollar (settlement)": the same figure matches
    whatever it measures, but only figures of the same measured thing can clash. A clash
    needs more: the other sentence does not state the figure too ("from 6,121 in 2016 to
    7,314": the two count different things or times, not one thing differently), and no
    figure of that unit is shared ("two mosques" in both says nothing of 50 against 49
    dead)."""
    same_q: list[str] = []
    same_units: set[str] = set()
    clash: tuple[Quantity, Quantity] | None = None
    for qa in counted_figures(a):
        for qb in counted_figures(b):
            ua, ub = unit_class(qa.unit), unit_class(qb.unit)
            if ua.split(" (")[0] != ub.split(" (")[0]:
                continue
            rel = compare_quantities(qa, qb, tolerance)
            if rel == "same":
                same_q.append(qa.text)
                same_units.add(ua.split(" (")[0])
            elif (
                rel == "conflicts"
                and clash is None
                and ua == ub
                and not _states_figure(b.text, qa)
                and not _states_figure(a.text, qb)
            ):
                clash = (qa, qb)
    if clash and unit_class(clash[0].unit).split(" (")[0] in same_units:
        clash = None
    return same_q, same_units, clash


def checked(c: Claim) -> Claim:
    """The claim as the rules read it: a cue only the learned cue model proposed
    (``cue_kind`` "learned": "Gov. Abbott signed the bill", "the House passed") names a
    doer as often as a sayer, so it gives no speaker, stance or frame to compare; the
    sentence is read as the outlet's. (Read with them, the held-out claim pairs lost
    agreement precision 0.903 -> 0.888: "X said the same in both" for two acts, a
    "signed" read as a denial.)"""
    if c.cue_kind != "learned":
        return c
    return replace(c, cue=None, speaker=None, stance="asserts", voice="outlet", cue_kind=None)


def judge_pair(
    a: Claim,
    b: Claim,
    sim: PairSim | float,
    options: CrossCheckOptions | None = None,
    clause_only: bool = False,
) -> Verdict | None:
    """The rules' verdict on two claims from independent sources, or None if unrelated.

    ``sim`` is a PairSim (or a bare cosine of the propositions). Rules in order:
    figures (a clash of one counted thing is a conflict when the statements are close, and
    never an agreement), silence against speech, assert against deny, one quote in two
    mouths, the same figure, opposite polarity, then closeness with the same stance. With
    ``clause_only`` that closeness is of the two statements alone (CLAUSE_AGREE_MIN), every
    other rule unchanged.
    """
    o = options or CrossCheckOptions()
    a, b = checked(a), checked(b)
    if not isinstance(sim, PairSim):
        sim = PairSim(float(sim), a.proposition, b.proposition)
    cos = sim.cos
    same_q, same_units, clash = figure_relation(a, b, o.about_tolerance)
    # Two figures of one unit speak of the same thing when the statements are close (see
    # figure_relation for when two figures clash at all).
    if clash:
        qa, qb = clash
        # a conflict only between the statements that hold the two figures
        held = _holds(sim.part_a, qa) and _holds(sim.part_b, qb)
        # a toll of dead or hurt people in two close statements counts one thing
        toll = (
            cos >= o.toll_context_min
            and CASUALTY_RE.search(sim.part_a) is not None
            and CASUALTY_RE.search(sim.part_b) is not None
        )
        if held and (cos >= o.quantity_context_min or toll):
            return Verdict(a.id, b.id, "conflicts", f"{qa.text} vs {qb.text}", "quantity",
                           extra={"figures": [qa.text, qb.text]})  # fmt: skip
        # different figures never make one corroborated fact: the agreement score reads
        # the whole sentences, so no clause of two sentences that differ on a figure agrees
        return _related(a, b, sim, o, "different figures of one kind, statements not close enough")
    # sums of money in both and none the same: whatever they pay for, no corroborated fact
    money_differs = not same_q and _money(a) and _money(b) and not (_money(a) & _money(b))
    same_speaker = (
        a.speaker_canonical == b.speaker_canonical and a.cue is not None and b.cue is not None
    )
    # "X has not commented" against a source that quotes X speaking on it
    if same_actor(a, b) and cos >= o.silence_min:
        for silent, spoke in ((a, b), (b, a)):
            if (
                silent.stance == "no_comment"
                and spoke.stance in ("asserts", "denies")
                and spoke.cue
            ):
                return Verdict(a.id, b.id, "conflicts",
                               f"one source says {silent.said_by} has not commented; another quotes "
                               f"{spoke.said_by} ({spoke.stance})", "stance")  # fmt: skip
        if a.stance == b.stance and a.stance in ("no_comment", "declines_to_confirm"):
            return _agree(a, b, _stance_parts(a, b, sim, a.stance), f"both report that {a.said_by} "
                          f"{'has not commented' if a.stance == 'no_comment' else 'does not confirm'}",
                          "stance")  # fmt: skip
    # Same speaker, opposite stance
    if same_speaker and cos >= o.stance_conflict_min:
        stances = {a.stance, b.stance}
        # the denial must be in the statements compared, not elsewhere in the sentence
        denial_compared = any(
            _part_stance(c, part) == "denies" for c, part in ((a, sim.part_a), (b, sim.part_b))
        )
        if (
            stances == {"asserts", "denies"}
            and denial_compared
            and not _denial_told_twice(a, b, sim)
        ):
            return Verdict(a.id, b.id, "conflicts", f"{a.said_by} both asserts and denies this",
                           "stance")  # fmt: skip
    # The same quoted words in different mouths
    qa_, qb_ = _quote(a.text), _quote(b.text)
    if qa_ and qb_ and a.cue and b.cue and not same_speaker and _different_people(a, b):
        wa, wb = set(words(qa_)), set(words(qb_))
        if (
            min(len(wa), len(wb)) >= o.quote_min_words
            and len(wa & wb) / min(len(wa), len(wb)) >= 0.8
        ):
            return Verdict(a.id, b.id, "conflicts",
                           f"the same words are put in the mouths of {a.said_by} and {b.said_by}",
                           "speaker")  # fmt: skip
    if same_q and cos >= o.quantity_agree_min:
        # the statements that carry the figure decide, not the closest clauses
        fig = PairSim(
            cos, _carrying(a, same_q[0]) or sim.part_a, _carrying(b, same_q[0]) or sim.part_b
        )
        if _stance_class(_part_stance(a, fig.part_a)) == _stance_class(
            _part_stance(b, fig.part_b)
        ) and _negated(fig.part_a) == _negated(fig.part_b):
            return _agree(a, b, fig, f"same figure: {same_q[0]}", "quantity")
    sa, sb = _part_stance(a, sim.part_a), _part_stance(b, sim.part_b)
    negation_differs = _negated(sim.part_a) != _negated(sim.part_b)
    # Same statement with opposite polarity
    if cos >= o.polarity_min and sa == sb == "asserts" and negation_differs:
        return Verdict(a.id, b.id, "conflicts", "the same statement, one side negated", "polarity",
                       score=round(cos, 3), extra={"parts": [sim.part_a, sim.part_b]})  # fmt: skip
    # one side negated and otherwise the same words: never an agreement (a paraphrase such
    # as "did not take questions" / "declined to call on reporters" is left to the score)
    denial = _denial_told_twice(a, b, sim)
    flipped = negation_differs and _statement_overlap(sim) >= o.negation_same_words and not denial
    # one side approves what the other condemns: the same subject, no shared statement
    if {_attitude(a, sim.part_a), _attitude(b, sim.part_b)} == {1, -1}:
        return _related(a, b, sim, o, "one source's speaker defends what the other's condemns")
    # "the court rejected the challenge" (a denial) and "dismissed the challenge" (the
    # outlet's assertion): both tell of one refusal, whatever stance each sentence took
    refusal = {sa, sb} == {"denies", "asserts"} and _attitude(a, sim.part_a) == _attitude(
        b, sim.part_b
    ) == -1
    if (
        not flipped
        and not money_differs
        and (_stance_class(sa) == _stance_class(sb) or refusal or denial)
    ):
        if sa == sb and sa in NON_ASSERT and cos >= o.stance_agree_min:
            what = {"denies": "denied it", "declines_to_confirm": "did not confirm it",
                    "no_comment": "did not comment", "calls_for": "called for it"}[sa]  # fmt: skip
            who = (f"{a.said_by} {what} in both" if a.said_by == b.said_by
                   else f"{a.said_by} and {b.said_by} both {what}")  # fmt: skip
            return _agree(a, b, _stance_parts(a, b, sim, sa), who, "stance")
        if clause_only:
            p = agreement_score(a, b, sim, o, clause_only=True)
            if p >= o.clause_agree_min and cos >= o.clause_cos_min and _clauses_worded(sim, o):
                return _agree(a, b, sim, "one clause of each states the same", "similarity", p)
            return _related(a, b, sim, o, "one clause of each is close, not decided by rules")
        p = agreement_score(a, b, sim, o)
        if p >= o.agree_min and cos >= o.agree_cos_min:
            reason = (
                f"{a.said_by} said the same in both"
                if same_speaker
                else "the same statement in other words"
            )
            return _agree(a, b, sim, reason, "similarity", p)
    return _related(a, b, sim, o, "close but not decided by rules")


def _denial_told_twice(a: Claim, b: Claim, sim: PairSim) -> bool:
    """One source reports a denial ("Trump has denied paying North Korea"), the other quotes
    it as a negated statement of the same speaker ("'No money was paid to North Korea,'
    Trump said"): one denial, told two ways, not an assertion against a denial."""
    for denier, part_d, teller, part_t in ((a, sim.part_a, b, sim.part_b), (b, sim.part_b, a, sim.part_a)):  # fmt: skip
        if (
            _part_stance(denier, part_d) == "denies"
            and _part_stance(teller, part_t) == "asserts"
            and teller.cue is not None
            and same_actor(a, b)
            and _negated(part_t)
            and not _negated(part_d)
        ):
            return True
    return False


def _inflections(lemma: str) -> set[str]:
    """A regular verb's forms: "defend" -> defends, defended, defending; "decry" -> decries,
    decried; "slam" -> slammed (a short consonant-vowel-consonant ending doubles). The
    statements compared are plain text here, not parsed, so spaCy's lemmas are not at hand."""
    if re.search(r"[^aeiou]y$", lemma):
        return {lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    if len(lemma) <= 4 and re.search(r"[^aeiou][aeiou][^aeiouwxy]$", lemma):
        stem = lemma + lemma[-1]
    return {lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing"}


ATTITUDE_NEGATORS = {"not", "never", "refused", "declined", "failed"}
ATTITUDE_FORMS = {
    **{w: -1 for x in DISAPPROVE_LEMMAS for w in _inflections(x)},
    **{w: 1 for x in APPROVE_LEMMAS for w in _inflections(x)},
}


def _attitude_of(text: str) -> int:
    """+1 when a word of ``text`` is a verb of approval (defended, praises), -1 of
    disapproval (denounced, condemns), 0 for neither or both; a verb negated just before it
    takes the other side ("refused to praise")."""
    ws = words(text)
    signs = {
        -ATTITUDE_FORMS[w]
        if any(x in ATTITUDE_NEGATORS or x.endswith("n't") for x in ws[max(0, i - 2) : i])
        else ATTITUDE_FORMS[w]
        for i, w in enumerate(ws)
        if w in ATTITUDE_FORMS
    }
    return signs.pop() if len(signs) == 1 else 0


def _attitude(claim: Claim, part: str) -> int:
    """The side a statement takes: its own words, else its claim's cue verb."""
    return _attitude_of(part) or _attitude_of(claim.cue or "")


def _clauses_worded(sim: PairSim, o: CrossCheckOptions) -> bool:
    """Both statements have enough content words to stand as a fact of their own."""
    n = min(len(content_words(sim.part_a)), len(content_words(sim.part_b)))
    return n >= o.clause_min_words


def _carrying(claim: Claim, figure: str) -> str | None:
    """The shortest statement of a claim holding a figure ("1,500" of "1,500 special forces")."""
    number = _figure_word(figure)
    held = [p for p in _statements(claim) if number in p.lower()]
    return min(held, key=len) if held else None


def _stance_parts(a: Claim, b: Claim, sim: PairSim, stance: str) -> PairSim:
    """For two claims that share a stance ("has not commented"), the shortest statement of
    each that carries it: the card says no more than that."""
    if stance not in ("declines_to_confirm", "no_comment"):
        return sim
    pa = min((p for p in _statements(a) if NO_CONFIRM_RE.search(p)), key=len, default=sim.part_a)
    pb = min((p for p in _statements(b) if NO_CONFIRM_RE.search(p)), key=len, default=sim.part_b)
    return PairSim(sim.cos, pa, pb)


def _person_speaker(c: Claim) -> str | None:
    return next((p.name for p in c.people if canonical(p.name) in c.speaker_canonical), None)


def _different_people(a: Claim, b: Claim) -> bool:
    """Both speakers are named people and share no name ("Fabien Levy, a spokesperson" and
    "James spokesman Fabien Levy" are one person; "the company" and "Facebook" may be one)."""
    pa, pb = _person_speaker(a), _person_speaker(b)
    if not pa or not pb:
        return False
    return not (set(pa.lower().split()) & set(pb.lower().split()))


def _agree(
    a: Claim, b: Claim, sim: PairSim, reason: str, kind: str, score: float | None = None
) -> Verdict:
    return Verdict(a.id, b.id, "agrees", reason, kind, score=round(sim.cos if score is None else score, 3),
                   extra={"parts": [sim.part_a, sim.part_b], "cosine": round(sim.cos, 3)})  # fmt: skip


def agreement_features(a: Claim, b: Claim, sim: PairSim, clause_only: bool = False) -> list[float]:
    """What says that two claims state the same thing: the cosine of their closest
    statements; the share of content words those statements share (Jaccard); the share of the
    shorter statement's content words found in the other; shared names (entities and
    people); whether one actor speaks in both; whether one statement is negated and the
    other not; then the same over the whole sentences: their cosine, the share of the
    shorter sentence's content words found in the other, and how near their lengths are (a
    sentence far longer than the other mostly says more); last, the close-word matches of
    statements and sentences (``PairSim.soft``, see SoftOverlap).

    With ``clause_only`` the two statements stand for the whole sentences too: what one
    clause of each says, read as if nothing else were said ("Seoul summoned Russia's
    ambassador" inside a sentence that goes on to quote the envoy)."""
    # countries read alike however they are named ("Seoul" / "South Korea", "Russian")
    pa, pb = content_words(country_words(sim.part_a)), content_words(country_words(sim.part_b))
    ea = {country_words(x).lower() for x in a.entities} | {p.name.lower() for p in a.people}
    eb = {country_words(x).lower() for x in b.entities} | {p.name.lower() for p in b.people}
    if clause_only:
        fa, fb, la, lb = pa, pb, len(sim.part_a), len(sim.part_b)
        soft = (*sim.soft[:2], *sim.soft[:2]) if sim.soft else None
        whole = sim.cos
    else:
        fa, fb = content_words(country_words(a.text)), content_words(country_words(b.text))
        la, lb = len(a.text), len(b.text)
        soft, whole = sim.soft, sim.cos if sim.whole is None else sim.whole
    overlap = len(pa & pb) / min(len(pa), len(pb)) if pa and pb else 0.0
    whole_overlap = len(fa & fb) / min(len(fa), len(fb)) if fa and fb else 0.0
    return [
        sim.cos,
        len(pa & pb) / len(pa | pb) if pa and pb else 0.0,
        overlap,
        len(ea & eb) / min(len(ea), len(eb)) if ea and eb else 0.0,
        float(bool(a.cue and b.cue and same_actor(a, b))),
        float(_negated(sim.part_a) != _negated(sim.part_b)),
        whole,
        whole_overlap,
        min(la, lb) / max(la, lb) if la and lb else 0.0,
        *(soft or (overlap, overlap, whole_overlap, whole_overlap)),
    ]


def agreement_score(
    a: Claim,
    b: Claim,
    sim: PairSim,
    options: CrossCheckOptions | None = None,
    clause_only: bool = False,
) -> float:
    """Probability that two claims state the same thing: a logistic model of
    ``agreement_features`` fitted on the dev split of quality/claim_pairs by
    scripts/calibrate_verdicts.py --fit (weights below, refit together with AGREE_MIN)."""
    o = options or CrossCheckOptions()
    z = o.agree_bias + sum(
        w * f
        for w, f in zip(o.agree_weights, agreement_features(a, b, sim, clause_only), strict=True)
    )
    return 1.0 / (1.0 + math.exp(-z))


def _related(a: Claim, b: Claim, sim: PairSim, o: CrossCheckOptions, reason: str) -> Verdict | None:
    if sim.cos < o.related_min:
        return None
    return Verdict(a.id, b.id, "related", reason, "similarity", score=round(sim.cos, 3),
                   extra={"parts": [sim.part_a, sim.part_b]})  # fmt: skip


def candidate_pairs(vectors: np.ndarray, k: int) -> dict[tuple[int, int], float]:
    """Nearest-neighbour pairs (i < j) with their cosine, from a usearch index."""
    n = len(vectors)
    if n < 2:
        return {}
    from .storyindex import usearch_index

    index = usearch_index(ndim=vectors.shape[1], metric="cos")
    index.add(np.arange(n), vectors)
    matches = index.search(vectors, min(k + 1, n))
    pairs: dict[tuple[int, int], float] = {}
    for i in range(n):
        for key, dist in zip(matches.keys[i], matches.distances[i], strict=True):
            j = int(key)
            if j != i and j >= 0:
                pairs[(min(i, j), max(i, j))] = 1.0 - float(dist)
    return pairs


def crosscheck(
    story_id: str,
    title: str,
    articles: list[Article],
    article_claims: dict[str, ArticleClaims],
    copies: dict[str, CopyLink],
    embed: Callable[[Sequence[str]], np.ndarray],
    judge: Judge | None = None,
    options: CrossCheckOptions | None = None,
    encode: Callable[[Sequence[str]], np.ndarray] | None = None,
    drift: DriftDetector | None = None,
) -> StoryCheck:
    """Cross-check one story. ``embed`` (the static model) finds candidate pairs cheaply;
    ``encode`` (the sentence encoder; ``embed`` when None) measures the candidates."""
    options = options or CrossCheckOptions()
    ids = {a.id for a in articles}
    copies = {k: v for k, v in copies.items() if k in ids and v.original_id in ids}
    source_of = source_keys(articles, copies)
    all_claims = [c for a in articles for c in article_claims[a.id].claims]
    # A copy's claims repeat (or distort) its original's: only originals are compared, and
    # a copy's departures are reported in its flags instead. A garbled sentence is never
    # the evidence of a verdict between sources.
    garbled = {cid for ac in article_claims.values() for cid in ac.unusable()}
    claims = [c for c in all_claims if c.article_id not in copies and c.id not in garbled]
    pairs = _candidates(claims, embed, options)
    pairs = {p for p in pairs if _independent(source_of, claims[p[0]], claims[p[1]])}
    sims = similarities(
        claims, sorted(pairs), encode or embed, options.pairs_kept_below, SoftOverlap(embed)
    )
    verdicts: list[Verdict] = []
    related: list[Verdict] = []
    for (i, j), near in sorted(sims.items()):
        for v in verdict_for(claims[i], claims[j], near, options):
            (related if v.verdict == "related" else verdicts).append(v)
    verdicts = _over_time(verdicts, {c.id: c for c in claims}, {a.id: a for a in articles})
    people, title_verdicts = _people(claims, source_of)
    verdicts += title_verdicts
    model_used = False
    if judge is not None and related:
        related.sort(key=lambda v: -(v.score or 0.0))
        judged = model_verdicts(
            related[: options.model_pairs], {c.id: c for c in claims}, judge, options.model_decides
        )
        related = judged + related[options.model_pairs :]
        model_used = True
    verdicts += related
    # where a near copy changes a fact of its original: conflicts of kind "drift" (drift.py)
    verdicts += (drift or DriftDetector())(articles, article_claims, copies)
    facts, fact_parts = _facts(claims, verdicts)
    check = StoryCheck(
        story_id, title, articles, source_of, copies, all_claims, verdicts, facts, article_claims,
        model_used, people, fact_parts=fact_parts,
    )  # fmt: skip
    return check


def _over_time(
    verdicts: list[Verdict], by_id: dict[str, Claim], articles: dict[str, Article]
) -> list[Verdict]:
    """Different figures for one thing reported on different days are a change over time:
    still never one corroborated fact, but shown with their dates ("30 on May 4, police;
    at least 45 on May 5, hospital officials") rather than as a plain contradiction."""
    out = []
    for v in verdicts:
        if v.verdict == "conflicts" and v.kind == "quantity":
            a, b = by_id[v.a], by_id[v.b]
            da, db = article_date(articles[a.article_id]), article_date(articles[b.article_id])
            if (
                da and db and da[0] != db[0] and da[0][:2] == db[0][:2]
            ):  # both full or both month-day
                (first, d1), (second, d2) = sorted([(a, da), (b, db)], key=lambda x: x[1][0])
                fa, fb = v.extra["figures"] if first is a else v.extra["figures"][::-1]
                reason = (f"the figure changes over time: {fa} on {d1[1]} ({first.said_by}); "
                          f"{fb} on {d2[1]} ({second.said_by})")  # fmt: skip
                v = Verdict(v.a, v.b, v.verdict, reason, v.kind, v.by, v.score,
                            {**v.extra, "over_time": True, "dates": [d1[1], d2[1]]})  # fmt: skip
        out.append(v)
    return out


def verdict_for(
    a: Claim, b: Claim, near: list[PairSim], options: CrossCheckOptions | None = None
) -> list[Verdict]:
    """The verdicts on a candidate pair from its statement pairs (``near``, closest first).

    The rules decide on the closest pair. An agreement is then stated on the shortest
    near-tie statements the rules also call an agreement (what is shown as shared is no
    more than both say); and other clauses of the same two sentences that agree with each
    other, apart from those, are further facts ("summoned the ambassador" and "demanded
    the troops' withdrawal" in one sentence each)."""
    o = options or CrossCheckOptions()
    a, b = checked(a), checked(b)
    # figures first: two figures of one thing are decided on the statements that hold them
    for sim in near:
        v = judge_pair(a, b, sim, options)
        if v is not None and v.verdict == "conflicts" and v.kind == "quantity":
            return [v]
        if sim.cos < near[0].cos - o.figure_search_below:
            break
    v = judge_pair(a, b, near[0], options)
    if (v is None or v.verdict == "related") and not _figures_clash(a, b):
        # the sentences differ as wholes; one clause of each may still state the same
        for sim in near:
            if sim.cos < o.clause_cos_min:
                break
            clause = judge_pair(a, b, sim, options, clause_only=True)
            if clause is not None and clause.verdict == "agrees":
                return [clause]
    if v is None:
        return []
    if v.verdict != "agrees":
        return [v]
    if v.kind == "similarity" and _frames_only(a, b, near, o):
        frame = _related(a, b, near[0], o, "the same speaker's frame, not the same statement")
        return [frame] if frame else []
    if _figures_clash(a, b):  # different figures: no other clause of the two is corroborated
        return [v] if v.kind == "quantity" else []
    ties = [x for x in near[1:] if x.cos >= near[0].cos - o.part_tie]
    if v.kind == "similarity":
        for sim in sorted(ties, key=lambda x: len(x.part_a) + len(x.part_b)):
            if len(sim.part_a) + len(sim.part_b) >= sum(map(len, v.extra["parts"])):
                break
            shorter = judge_pair(a, b, sim, options)
            if shorter is not None and shorter.verdict == "agrees":
                v = shorter
                break
    out = [v]
    for sim in near[1:]:
        if len(out) >= o.max_facts_per_pair:
            break
        used = [x.extra["parts"] for x in out]
        if any(_overlaps(sim.part_a, pa) or _overlaps(sim.part_b, pb) for pa, pb in used):
            continue
        more = judge_pair(a, b, sim, options)
        if more is not None and more.verdict == "agrees":
            ma, mb = more.extra["parts"]
            if not any(_overlaps(ma, pa) or _overlaps(mb, pb) for pa, pb in used):
                out.append(more)
    return out


def _frames_only(a: Claim, b: Claim, near: list[PairSim], o: CrossCheckOptions) -> bool:
    """The closest statements are close for their attribution frames: both hold their
    speaker, and no two statements without the speaker come within CONTENT_AGREE_MIN."""

    def framed(c: Claim, part: str) -> bool:
        return bool(c.speaker) and str(c.speaker) in part

    if not (framed(a, near[0].part_a) and framed(b, near[0].part_b)):
        return False
    content = [x.cos for x in near if not framed(a, x.part_a) and not framed(b, x.part_b)]
    return bool(content) and max(content) < o.content_agree_min


def _figures_clash(a: Claim, b: Claim) -> bool:
    return figure_relation(a, b)[2] is not None


def _overlaps(x: str, y: str) -> bool:
    nx, ny = _norm(x), _norm(y)
    return nx in ny or ny in nx


def _statements(claim: Claim) -> tuple[str, ...]:
    return claim.parts or (claim.proposition,)


def _candidates(
    claims: list[Claim], embed: Callable[[Sequence[str]], np.ndarray], options: CrossCheckOptions
) -> set[tuple[int, int]]:
    """Claim pairs worth measuring: nearest neighbours among all statements under the static
    model, plus pairs that share a figure or a speaker (compared even when far apart)."""
    owner = [i for i, c in enumerate(claims) for _ in _statements(c)]
    texts = [s for c in claims for s in _statements(c)]
    vectors = embed(texts) if texts else np.zeros((0, 1))
    pairs: set[tuple[int, int]] = set()
    for (x, y), _cos in candidate_pairs(vectors, options.neighbours).items():
        i, j = owner[x], owner[y]
        if i != j:
            pairs.add((min(i, j), max(i, j)))
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        for q in counted_figures(c):
            by_key[f"q:{unit_class(q.unit).split(' (')[0]}:{q.value:g}"].append(i)
        if c.cue:
            by_key[f"s:{c.speaker_canonical}"].append(i)
            root = " ".join(c.speaker_canonical.replace("'s ", " ").split()[:2])
            by_key[f"r:{root}"].append(i)
    for members in by_key.values():
        if len(members) > 40:  # a speaker quoted everywhere: the index already covers it
            continue
        pairs.update((i, j) for i in members for j in members if i < j)
    return pairs


def similarities(
    claims: list[Claim],
    pairs: list[tuple[int, int]],
    encode: Callable[[Sequence[str]], np.ndarray],
    kept_below: float = PAIRS_KEPT_BELOW,
    soft: SoftOverlap | None = None,
) -> dict[tuple[int, int], list[PairSim]]:
    """The closest statements of each candidate pair under the sentence encoder (the best
    first, then near-ties); only the claims in some pair are encoded, so a story of
    single-source claims costs nothing. Statement pairs more than ``kept_below`` under the
    closest are left out."""
    used = sorted({i for p in pairs for i in p})
    texts: list[str] = []
    rows: dict[int, tuple[int, int]] = {}
    for i in used:
        parts = _statements(claims[i])
        rows[i] = (len(texts), len(texts) + len(parts))
        texts.extend(parts)
    # each whole sentence once more, unless it is its claim's only statement
    whole_at: dict[int, int] = {}
    wholes: list[str] = []
    for i in used:
        a0, a1 = rows[i]
        if a1 - a0 == 1 and texts[a0] == claims[i].text:
            whole_at[i] = a0
        else:
            whole_at[i] = len(texts) + len(wholes)
            wholes.append(claims[i].text)
    everything = texts + wholes
    vectors = encode(everything) if everything else np.zeros((0, 1))
    out = {}
    for i, j in pairs:
        (a0, a1), (b0, b1) = rows[i], rows[j]
        m = vectors[a0:a1] @ vectors[b0:b1].T
        whole = float(vectors[whole_at[i]] @ vectors[whole_at[j]])
        # statement pairs, closest first (among equals the shorter)
        order = sorted(
            (tuple(xy) for xy in np.argwhere(m >= m.max() - kept_below)),
            key=lambda xy: (-m[xy], len(texts[a0 + xy[0]]) + len(texts[b0 + xy[1]])),
        )
        whole_soft = soft(claims[i].text, claims[j].text) if soft else None
        near = []
        for x, y in order:
            pa, pb = texts[a0 + int(x)], texts[b0 + int(y)]
            words_matched = (*soft(pa, pb), *whole_soft) if soft and whole_soft else None
            near.append(PairSim(float(m[x, y]), pa, pb, whole, words_matched))
        out[(i, j)] = near
    return out


def model_verdicts(
    related: list[Verdict], by_id: dict[str, Claim], judge: Judge, decides: float
) -> list[Verdict]:
    ev = [by_id[v.a].text for v in related] + [by_id[v.b].text for v in related]
    cl = [by_id[v.b].proposition for v in related] + [by_id[v.a].proposition for v in related]
    probs = judge(ev, cl)
    n = len(related)
    out = []
    for k, v in enumerate(related):
        fwd, back = probs[k], probs[n + k]
        # Both readings must agree: support and contradiction between two news claims are
        # symmetric enough, and the model (src/corroborator/models/entailment/MODEL_CARD.md) reads many
        # paraphrases one way as contradictions; the weaker direction is the safer call.
        p_support = float(min(fwd[0], back[0]))
        p_contra = float(min(fwd[1], back[1]))
        extra = {"p_supported": round(p_support, 3), "p_contradicted": round(p_contra, 3)}
        if p_contra >= decides and p_contra > p_support:
            out.append(Verdict(v.a, v.b, "conflicts", f"the entailment model reads a contradiction (p={p_contra:.2f})", "model", by="model", score=round(p_contra, 3), extra=extra))  # fmt: skip
        elif p_support >= decides:
            out.append(Verdict(v.a, v.b, "agrees", f"the entailment model reads support both ways (p={p_support:.2f})", "model", by="model", score=round(p_support, 3), extra=extra))  # fmt: skip
        else:
            out.append(Verdict(v.a, v.b, "related", f"{v.reason}; the model is unsure (support {p_support:.2f}, contradiction {p_contra:.2f})", v.kind, by="model", score=v.score, extra=extra))  # fmt: skip
    return out


def _people(
    claims: list[Claim], source_of: dict[str, str]
) -> tuple[dict[str, list[dict[str, Any]]], list[Verdict]]:
    """Each person's titles by claim; title conflicts between independent sources."""
    people: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        for p in c.people:
            if p.title:
                people[p.name].append({"title": p.title, "claim": c.id, "article": c.article_id})
            elif p.name not in people:
                people[p.name] = []
    verdicts = []
    for name, entries in people.items():
        seen: set[tuple[str, ...]] = set()
        for x in entries:
            for y in entries:
                if source_of[x["article"]] >= source_of[y["article"]] or x["claim"] == y["claim"]:
                    continue
                key = (x["article"], y["article"], x["title"].lower(), y["title"].lower())
                if key in seen or not titles_conflict(x["title"], y["title"]):
                    continue
                seen.add(key)
                verdicts.append(Verdict(x["claim"], y["claim"], "conflicts",
                                        f"{name} is \"{x['title']}\" in one and \"{y['title']}\" in the other",
                                        "title", extra={"person": name}))  # fmt: skip
    return dict(people), verdicts


def _facts(
    claims: list[Claim], verdicts: list[Verdict]
) -> tuple[list[list[str]], list[dict[str, str]]]:
    """Groups of statements joined by "agrees" verdicts (union-find over a claim and the
    clause it was matched on, so one sentence can back two facts), then every claim left
    out as a fact of its own; with each fact, the statement each claim contributes."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_id = {c.id: c for c in claims}
    for v in verdicts:
        if v.verdict != "agrees" or v.a not in by_id or v.b not in by_id:
            continue
        pa, pb = v.extra.get("parts") or [by_id[v.a].proposition, by_id[v.b].proposition]
        ra, rb = find((v.a, pa)), find((v.b, pb))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    order = {c.id: k for k, c in enumerate(claims)}
    groups: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for node in sorted(parent, key=lambda n: (order[n[0]], n[1])):
        groups[find(node)].setdefault(node[0], node[1])
    matched = {cid for g in groups.values() for cid in g}
    facts = [dict(sorted(g.items(), key=lambda kv: order[kv[0]])) for g in groups.values()]
    facts += [{c.id: c.proposition} for c in claims if c.id not in matched]
    facts.sort(key=lambda f: min(order[c] for c in f))
    return [list(f) for f in facts], facts

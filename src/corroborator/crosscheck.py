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

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .claims import ArticleClaims, canonical, titles_conflict, unit_class
from .drift import DriftDetector
from .records import Article, Claim, CopyLink, Quantity, Verdict

# Cosines below are between centred static embeddings of the propositions. Chosen by hand
# on examples/ (golden file: tests/golden/examples.json) and the seeds; see the module docstring.
NEIGHBOURS = 8
RELATED_MIN = 0.45  # a pair worth a verdict at all
AGREE_MIN = 0.80  # the same statement in other words, with no figure or stance against it
SAME_SPEAKER_AGREE_MIN = 0.55  # the same speaker saying something this close, same stance
QUANTITY_CONTEXT_MIN = 0.50  # two figures of one unit speak of the same thing
STANCE_CONFLICT_MIN = 0.55
POLARITY_MIN = 0.75
SILENCE_MIN = 0.35  # "has not commented" vs a quote of the same actor, on the same subject
QUOTE_MIN_WORDS = 5
ABOUT_TOLERANCE = 0.25  # "about 300" is compatible with exact figures within 25%
MODEL_DECIDES = 0.5  # the model's probability needed to turn "related" into a verdict
# The model reads about 40 pairs/s on 2 cores: only the closest open pairs of a story go to
# it (both directions each), so a story costs at most a few seconds whatever its size.
MODEL_PAIRS = 24

Judge = Callable[[Sequence[str], Sequence[str]], np.ndarray]  # (evidence, claims) -> (n, 3)
NON_ASSERT = {"denies", "declines_to_confirm", "no_comment", "calls_for"}


@dataclass(frozen=True)
class CrossCheckOptions:
    neighbours: int = NEIGHBOURS
    related_min: float = RELATED_MIN
    agree_min: float = AGREE_MIN
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
    flags: dict[str, dict[str, Any]] = field(default_factory=dict)

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


def _quantities(c: Claim) -> list[Quantity]:
    return [
        q for q in c.quantities if q.hedge != "vague" and q.unit and not q.unit.startswith("of ")
    ]


def compare_quantities(qa: Quantity, qb: Quantity) -> str:
    """same | compatible | conflicts, for two figures of the same unit."""
    if abs(qa.value - qb.value) <= 0.01 * max(qa.value, qb.value):
        return "same"
    for x, y in ((qa, qb), (qb, qa)):
        if x.hedge == "at_most" and y.hedge == "at_least":  # "up to 2,000" and "more than 1,000"
            return "compatible" if y.value <= x.value else "conflicts"
        if x.hedge == "at_most" and y.hedge in ("exact", "about", "at_most"):
            return "compatible" if y.value <= x.value or y.hedge == "at_most" else "conflicts"
        if x.hedge == "at_least" and y.hedge in ("exact", "about", "at_least"):
            return "compatible" if y.value >= x.value or y.hedge == "at_least" else "conflicts"
        if x.hedge == "about" and y.hedge in ("exact", "about"):
            tol = ABOUT_TOLERANCE * max(x.value, y.value)
            return "compatible" if abs(x.value - y.value) <= tol else "conflicts"
    return "conflicts"


def _negated(text: str) -> bool:
    return bool(re.search(r"\b(not|no|never|n't|neither|nor|denied|denies)\b", text, re.I))


def _quote(text: str) -> str:
    m = re.findall(r"[\"“]([^\"“”]{10,})[\"”]", text)
    return " ".join(m).lower()


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


def same_actor(a: Claim, b: Claim) -> bool:
    """One speaker is the other or part of it: "north korea" and "north korea state media"."""
    x, y = a.speaker_canonical, b.speaker_canonical
    return x == y or any(
        long.startswith(short + " ") or long.startswith(short + "'s ")
        for short, long in ((x, y), (y, x))
    )


def judge_pair(a: Claim, b: Claim, cos: float) -> Verdict | None:
    """The rules' verdict on two claims from independent sources, or None if unrelated."""
    # Figures of the same unit
    same_q: list[str] = []
    clash: tuple[Quantity, Quantity] | None = None
    for qa in _quantities(a):
        for qb in _quantities(b):
            ua, ub = unit_class(qa.unit), unit_class(qb.unit)
            # "percent (rate)" and "percent (inflation)": the same figure still matches, but
            # only figures of the same measured thing can conflict.
            if ua.split(" (")[0] != ub.split(" (")[0]:
                continue
            rel = compare_quantities(qa, qb)
            if rel == "same":
                same_q.append(qa.text)
            elif rel == "conflicts" and clash is None and ua == ub:
                clash = (qa, qb)
    # Two figures of one unit speak of the same thing when the sentences are close and no
    # other figure of that unit matches (a shared figure means they count different things).
    if clash and not same_q and cos >= QUANTITY_CONTEXT_MIN:
        qa, qb = clash
        return Verdict(a.id, b.id, "conflicts", f"{qa.text} vs {qb.text}", "quantity",
                       extra={"figures": [qa.text, qb.text]})  # fmt: skip
    same_speaker = (
        a.speaker_canonical == b.speaker_canonical and a.cue is not None and b.cue is not None
    )
    # "X has not commented" against a source that quotes X speaking on it
    if same_actor(a, b) and cos >= SILENCE_MIN:
        for silent, spoke in ((a, b), (b, a)):
            if (
                silent.stance == "no_comment"
                and spoke.stance in ("asserts", "denies")
                and spoke.cue
            ):
                return Verdict(a.id, b.id, "conflicts",
                               f"one source says {silent.speaker} has not commented; another quotes "
                               f"{spoke.speaker} ({spoke.stance})", "stance")  # fmt: skip
        if a.stance == b.stance and a.stance in ("no_comment", "declines_to_confirm"):
            return Verdict(a.id, b.id, "agrees", f"both report that {a.speaker} "
                           f"{'has not commented' if a.stance == 'no_comment' else 'does not confirm'}",
                           "stance", score=round(cos, 3))  # fmt: skip
    # Same speaker, opposite stance
    if same_speaker and cos >= STANCE_CONFLICT_MIN:
        stances = {a.stance, b.stance}
        if stances == {"asserts", "denies"}:
            return Verdict(a.id, b.id, "conflicts", f"{a.speaker} both asserts and denies this",
                           "stance")  # fmt: skip
    # The same quoted words in different mouths
    qa_, qb_ = _quote(a.text), _quote(b.text)
    if qa_ and qb_ and a.cue and b.cue and not same_speaker:
        wa, wb = _words(qa_), _words(qb_)
        if min(len(wa), len(wb)) >= QUOTE_MIN_WORDS and len(wa & wb) / min(len(wa), len(wb)) >= 0.8:
            return Verdict(a.id, b.id, "conflicts",
                           f"the same words are put in the mouths of {a.speaker} and {b.speaker}",
                           "speaker")  # fmt: skip
    if same_q:
        return Verdict(a.id, b.id, "agrees", f"same figure: {same_q[0]}", "quantity")
    # Same statement with opposite polarity
    if (
        cos >= POLARITY_MIN
        and a.stance == b.stance == "asserts"
        and _negated(a.proposition) != _negated(b.proposition)
    ):
        return Verdict(a.id, b.id, "conflicts", "the same statement, one side negated", "polarity")
    if a.stance in NON_ASSERT and a.stance == b.stance and cos >= SAME_SPEAKER_AGREE_MIN:
        return Verdict(a.id, b.id, "agrees", f"both report that the {a.stance.replace('_', ' ')}",
                       "stance", score=round(cos, 3))  # fmt: skip
    if same_speaker and cos >= SAME_SPEAKER_AGREE_MIN and a.stance == b.stance:
        return Verdict(a.id, b.id, "agrees", f"{a.speaker} says the same in both", "similarity",
                       score=round(cos, 3))  # fmt: skip
    if cos >= AGREE_MIN and a.stance == b.stance:
        return Verdict(a.id, b.id, "agrees", "the same statement in other words", "similarity",
                       score=round(cos, 3))  # fmt: skip
    if cos >= RELATED_MIN:
        return Verdict(a.id, b.id, "related", "close but not decided by rules", "similarity",
                       score=round(cos, 3))  # fmt: skip
    return None


def candidate_pairs(vectors: np.ndarray, k: int) -> dict[tuple[int, int], float]:
    """Nearest-neighbour pairs (i < j) with their cosine, from a usearch index."""
    n = len(vectors)
    if n < 2:
        return {}
    from usearch.index import Index

    index = Index(ndim=vectors.shape[1], metric="cos")
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
    drift: DriftDetector | None = None,
) -> StoryCheck:
    options = options or CrossCheckOptions()
    ids = {a.id for a in articles}
    copies = {k: v for k, v in copies.items() if k in ids and v.original_id in ids}
    source_of = source_keys(articles, copies)
    all_claims = [c for a in articles for c in article_claims[a.id].claims]
    # A copy's claims repeat (or distort) its original's: only originals are compared, and
    # a copy's departures are reported in its flags instead.
    claims = [c for c in all_claims if c.article_id not in copies]
    vectors = embed([c.proposition for c in claims]) if claims else np.zeros((0, 1))
    pairs = candidate_pairs(vectors, options.neighbours)
    # Pairs that share a figure or a speaker are compared even when their vectors are far.
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        for q in _quantities(c):
            by_key[f"q:{unit_class(q.unit).split(' (')[0]}:{q.value:g}"].append(i)
        if c.cue:
            by_key[f"s:{c.speaker_canonical}"].append(i)
            root = " ".join(c.speaker_canonical.replace("'s ", " ").split()[:2])
            by_key[f"r:{root}"].append(i)
    for members in by_key.values():
        if len(members) > 40:  # a speaker quoted everywhere: the index already covers it
            continue
        for i in members:
            for j in members:
                if i < j and (i, j) not in pairs:
                    pairs[(i, j)] = float(vectors[i] @ vectors[j])
    verdicts: list[Verdict] = []
    related: list[Verdict] = []
    for (i, j), cos in sorted(pairs.items()):
        first, second = claims[i], claims[j]
        if not _independent(source_of, first, second):
            continue
        v = judge_pair(first, second, cos)
        if v is None:
            continue
        (related if v.verdict == "related" else verdicts).append(v)
    people, title_verdicts = _people(claims, source_of)
    verdicts += title_verdicts
    model_used = False
    if judge is not None and related:
        related.sort(key=lambda v: -(v.score or 0.0))
        judged = _model_verdicts(related[: options.model_pairs], {c.id: c for c in claims}, judge)
        related = judged + related[options.model_pairs :]
        model_used = True
    verdicts += related
    # where a near copy changes a fact of its original: conflicts of kind "drift" (drift.py)
    verdicts += (drift or DriftDetector())(articles, article_claims, copies)
    facts = _facts(claims, verdicts)
    check = StoryCheck(
        story_id, title, articles, source_of, copies, all_claims, verdicts, facts, article_claims,
        model_used, people,
    )  # fmt: skip
    disputed = check.disputed_ids()
    corroborated = {cid for f in check.facts if len(check.fact_sources(f)) > 1 for cid in f}
    check.flags = {a.id: article_flags(check, a, corroborated, disputed) for a in articles}
    return check


def _model_verdicts(related: list[Verdict], by_id: dict[str, Claim], judge: Judge) -> list[Verdict]:
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
        if p_contra >= MODEL_DECIDES and p_contra > p_support:
            out.append(Verdict(v.a, v.b, "conflicts", f"the entailment model reads a contradiction (p={p_contra:.2f})", "model", by="model", score=round(p_contra, 3), extra=extra))  # fmt: skip
        elif p_support >= MODEL_DECIDES:
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


def _facts(claims: list[Claim], verdicts: list[Verdict]) -> list[list[str]]:
    """Groups of claims joined by "agrees" verdicts (union-find), in claim order."""
    parent = {c.id: c.id for c in claims}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for v in verdicts:
        if v.verdict == "agrees":
            ra, rb = find(v.a), find(v.b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for c in claims:
        groups[find(c.id)].append(c.id)
    return list(groups.values())


# --- inside one article -----------------------------------------------------------------
def article_flags(
    check: StoryCheck, article: Article, corroborated: set[str], disputed: set[str]
) -> dict[str, Any]:
    ac = check.article_claims[article.id]
    link = check.copies.get(article.id)
    flags: dict[str, Any] = {"copy_of": link.original_id if link else None}
    if link:
        flags["copy"] = {"kind": link.kind, "departures": len(link.departures),
                         "numbers_changed": [d.detail for d in link.departures if d.kind == "numbers_changed"]}  # fmt: skip
    # One person, two incompatible titles
    titles: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for c in ac.claims:
        for p in c.people:
            if p.title:
                titles[p.name].append((p.title, c.id))
    conflicts = []
    for name, items in titles.items():
        for k, (t1, c1) in enumerate(items):
            for t2, c2 in items[k + 1 :]:
                if titles_conflict(t1, t2):
                    conflicts.append({"person": name, "titles": [t1, t2], "claims": [c1, c2],
                                      "text": f"{name} is \"{t1}\" and later \"{t2}\""})  # fmt: skip
    flags["title_conflicts"] = conflicts
    flags["unintroduced_speakers"] = [
        {"name": name, "sentence": s, "claim": f"{article.id}:{s}",
         "text": f"\"{name}\" is quoted but never introduced by full name or role"}
        for s, name in ac.unintroduced
    ]  # fmt: skip
    flags["garbled"] = [
        {"sentence": g.sentence, "text": g.text, "reason": g.reason} for g in ac.garbled
    ]
    # The same thing counted two ways inside the article
    restated = []
    figures: dict[str, list[tuple[Quantity, str]]] = defaultdict(list)
    for c in ac.claims:
        for q in _quantities(c):
            figures[unit_class(q.unit)].append((q, c.id))
    for unit, counted in figures.items():
        for k, (q1, c1) in enumerate(counted):
            for q2, c2 in counted[k + 1 :]:
                if (
                    c1 != c2
                    and compare_quantities(q1, q2) == "conflicts"
                    and q1.hedge == q2.hedge == "exact"
                ):
                    if _close(check, c1, c2):
                        restated.append(
                            {"unit": unit, "figures": [q1.text, q2.text], "claims": [c1, c2]}
                        )
    flags["quantity_restated"] = restated
    n = len(ac.claims) or 1
    ids = [c.id for c in ac.claims]
    flags["shares"] = {
        "claims": len(ac.claims),
        "corroborated": round(sum(i in corroborated for i in ids) / n, 3),
        "single_source": round(
            sum(i not in corroborated and i not in disputed for i in ids) / n, 3
        ),
        "disputed": round(sum(i in disputed for i in ids) / n, 3),
    }
    signs = []
    if conflicts:
        signs.append("a person given incompatible titles")
    if flags["unintroduced_speakers"]:
        signs.append("a speaker never introduced")
    if len(ac.garbled) >= 2:
        signs.append(f"{len(ac.garbled)} garbled sentences")
    if link and link.kind == "near":
        signs.append("a reworded copy of another article")
    flags["rewrite_signs"] = signs
    if len(signs) >= 2:
        flags["warning"] = (
            "This article shows marks of a machine-rewritten copy ("
            + ", ".join(signs)
            + "): treat its single-source claims with less trust."
        )
    return flags


def _close(check: StoryCheck, c1: str, c2: str) -> bool:
    a, b = _words(check.claim(c1).proposition), _words(check.claim(c2).proposition)
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= 0.4


def actors(check: StoryCheck) -> list[dict[str, Any]]:
    """The who-says-what table: one row per speaker (the outlet's own voice left out)."""
    outlets = {canonical(a.outlet or "the outlet") for a in check.articles}
    rows: dict[str, dict[str, Any]] = {}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for c in check.original_claims():
        if c.speaker_canonical in outlets:
            continue
        row = rows.setdefault(c.speaker_canonical, {"actor": "", "canonical": c.speaker_canonical,
                                                   "stances": [], "claims": [], "sources": []})  # fmt: skip
        names[c.speaker_canonical][c.speaker] += 1
        if c.stance not in row["stances"]:
            row["stances"].append(c.stance)
        check.cite(row, c)
    for short, fuller in _actor_merges(list(rows)).items():
        row, into = rows.pop(short), rows[fuller]
        names[fuller].update(names[short])
        into["stances"] += [x for x in row["stances"] if x not in into["stances"]]
        into["claims"] += row["claims"]
        into["sources"] += [x for x in row["sources"] if x not in into["sources"]]
    for key, row in rows.items():
        # the fullest way the sources name the actor: "Georgiy Zinoviev", not "Zinoviev"
        # ("a North Korean representative" rather than "one of its United Nations representatives")
        said = [n for n, _ in names[key].most_common()]
        plain = [n for n in said if not _POSSESSIVE_PRONOUNS & set(n.lower().split())]
        person = next((p for p in check.people if canonical(p) == key), None)
        named = [n for n in plain if key in canonical(n)] or ([person] if person else plain)
        row["actor"] = (named or [n for n in said if key in canonical(n)] or said)[0]
    return sorted(rows.values(), key=lambda r: (-len(r["sources"]), -len(r["claims"]), r["actor"]))


_POSSESSIVE_PRONOUNS = frozenset({"its", "his", "her", "their", "our"})


def _actor_merges(keys: list[str]) -> dict[str, str]:
    """Speakers to fold into a fuller name of the same actor: {short key: full key}.

    "the representative" and "north korea representative" fold into "north korea's united
    nations representative": same head noun, and every word of the shorter is in the
    fuller. Only when exactly one fullest candidate remains (an ambiguous "the minister"
    among two ministers stays apart).
    """
    words = {k: [w.removesuffix("'s") for w in k.split()] for k in keys}
    keys = [k for k in keys if words[k]]  # a speaker key of no words (punctuation) folds nowhere
    merges: dict[str, str] = {}
    for short in keys:
        ws = set(words[short])
        fuller = [
            k
            for k in keys
            if k != short and words[k][-1] == words[short][-1] and ws < set(words[k])
        ]
        # keep the fullest: drop candidates that are themselves contained in another one
        fullest = [k for k in fuller if not any(set(words[k]) < set(words[o]) for o in fuller)]
        if len(fullest) == 1:
            merges[short] = fullest[0]
    return merges


def quantities_table(check: StoryCheck) -> list[dict[str, Any]]:
    """What is counted, each figure with its hedge, who states it and in which sources."""
    table: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for c in check.original_claims():
        for q in c.quantities:
            if not q.unit or q.unit.startswith("of "):
                continue
            key = f"{q.hedge}:{q.value:g}"
            fig = table[unit_class(q.unit)].setdefault(key, {"value": q.value, "text": q.text,
                                                            "hedge": q.hedge, "stated_by": [],
                                                            "claims": [], "sources": []})  # fmt: skip
            if c.speaker not in fig["stated_by"]:
                fig["stated_by"].append(c.speaker)
            check.cite(fig, c)
    out: list[dict[str, Any]] = []
    for unit, figs in table.items():
        out.append({"what": unit, "figures": sorted(figs.values(), key=lambda f: f["value"])})
    out.sort(key=lambda r: -sum(len(f["sources"]) for f in r["figures"]))
    return out

"""Property tests: the cross-check (and the fact sheet built on it) on generated sentences
and names never raises, and every verdict links two claims of two independent sources."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corroborator.claims import ArticleClaims, ClaimExtractor, canonical
from corroborator.crosscheck import StoryCheck, crosscheck, judge_pair
from corroborator.embed import Embedder
from corroborator.factsheet import story_sheet
from corroborator.records import Claim, Quantity

from .strategies import article, contents, names, texts

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEDGES = ("exact", "at_most", "at_least", "about", "vague")


@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    return ClaimExtractor()


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def check_story(check: StoryCheck) -> None:
    ids = {c.id for c in check.claims}
    for v in check.verdicts:
        assert v.a in ids and v.b in ids and v.a != v.b
        assert v.verdict in ("agrees", "conflicts", "related")
        assert (
            check.source_of[check.claim(v.a).article_id]
            != check.source_of[check.claim(v.b).article_id]
        )
    for fact in check.facts:
        assert set(fact) <= ids
    sheet = story_sheet(check)
    json.dumps(sheet, default=str)


@SETTINGS
@given(one=texts, two=texts, three=texts)
def test_crosscheck_property_generated_articles(
    extractor: ClaimExtractor, embedder: Embedder, one: str, two: str, three: str
) -> None:
    articles = [
        article(one, "a1", "Left Daily"),
        article(two, "a2", "Centre Post"),
        article(three, "a3", None),
    ]
    claims = {a.id: extractor(a) for a in articles}
    check_story(crosscheck("s1", "A story", articles, claims, {}, embedder))


quantities = st.builds(
    lambda value, unit, hedge: Quantity(value, f"{value:g} {unit}", unit, hedge),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.one_of(names, st.sampled_from(["troops", "people", "percent", ""])),
    st.sampled_from(HEDGES),
)

claims_st = st.builds(
    lambda speaker, text, stance, qs: (speaker, text, stance, tuple(qs)),
    names,
    contents,
    st.sampled_from(["asserts", "denies", "declines_to_confirm", "calls_for", "no_comment"]),
    st.lists(quantities, max_size=3),
)


def made(aid: str, k: int, item: tuple[str, str, str, tuple[Quantity, ...]]) -> Claim:
    speaker, text, stance, qs = item
    return Claim(
        id=f"{aid}:{k}", article_id=aid, sentence=k, text=text, proposition=text,
        speaker=speaker, speaker_canonical=canonical(speaker), cue="said", stance=stance,
        quote="indirect", quantities=qs, start=0, end=len(text), clean_start=0,
        clean_end=len(text),
    )  # fmt: skip


@SETTINGS
@given(left=st.lists(claims_st, max_size=5), right=st.lists(claims_st, max_size=5))
def test_crosscheck_property_generated_claims_and_names(
    embedder: Embedder,
    left: list[tuple[str, str, str, tuple[Quantity, ...]]],
    right: list[tuple[str, str, str, tuple[Quantity, ...]]],
) -> None:
    a1 = article(" ".join(t for _, t, _, _ in left), "a1", "Left Daily")
    a2 = article(" ".join(t for _, t, _, _ in right), "a2", "Right Times")
    c1 = tuple(made("a1", k, x) for k, x in enumerate(left))
    c2 = tuple(made("a2", k, x) for k, x in enumerate(right))
    claims = {"a1": ArticleClaims("a1", c1, sentences=len(c1)),
              "a2": ArticleClaims("a2", c2, sentences=len(c2))}  # fmt: skip
    check_story(crosscheck("s1", "A story", [a1, a2], claims, {}, embedder))
    for x in c1:
        for y in c2:
            v = judge_pair(x, y, 0.9)
            assert v is None or v.verdict in ("agrees", "conflicts", "related")

"""Property tests: the claim extractor on generated sentences and names never raises, and
what it returns points inside the text it was given."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from corroborator.claims import ClaimExtractor

from .strategies import article, names, texts

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    return ClaimExtractor()


def check_claims(extractor: ClaimExtractor, text: str) -> None:
    a = article(text)
    ac = extractor(a)
    assert ac.article_id == a.id
    ids = [c.id for c in ac.claims]
    assert len(ids) == len(set(ids))
    sentences = len(extractor.sentences(text))
    for c in ac.claims:
        assert 0 <= c.clean_start < c.clean_end <= len(text)
        assert a.text[c.clean_start : c.clean_end] == c.text
        assert 0 <= c.start <= c.end <= len(a.original)
        assert 0 <= c.sentence < sentences
        assert c.stance in ("asserts", "denies", "declines_to_confirm", "calls_for", "no_comment")
        # a named speaker, or none at all: the outlet's own voice
        assert (c.speaker is None) == (c.voice == "outlet")
        assert c.speaker is None or c.speaker.strip()
        if c.content_span is not None:
            assert a.text[c.content_span[0] : c.content_span[1]] == c.proposition
        for span in (c.speaker_span, c.cue_span):
            if span is not None:
                assert 0 <= span[0] <= span[1] <= len(text)
    for g in ac.garbled:
        assert 0 <= g.sentence < sentences
    for k, _name in ac.unintroduced:
        assert 0 <= k < sentences


@SETTINGS
@given(text=texts)
def test_claims_property_generated_text_spans_inside(extractor: ClaimExtractor, text: str) -> None:
    check_claims(extractor, text)


@SETTINGS
@given(name=names)
def test_claims_property_any_name_as_speaker(extractor: ClaimExtractor, name: str) -> None:
    check_claims(extractor, f"{name} said the port would reopen on Friday.")
    check_claims(extractor, f"\u201cWe will not stop,\u201d {name} told reporters on Monday.")


@pytest.mark.parametrize(
    "text",
    ["", "a", ".", "A.", "SHOCK HORROR AS MAYOR SAYS 14 HURT.", "?!?!…", "“”", "\n\n\n",
     "Путин заявил, что войска не отправлены.", "word " * 5000],
)  # fmt: skip
def test_claims_property_edge_cases(extractor: ClaimExtractor, text: str) -> None:
    check_claims(extractor, text)

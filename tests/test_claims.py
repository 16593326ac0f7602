from __future__ import annotations

import pytest

from corroborator.claims import ClaimExtractor, canonical, claim_to_dict, titles_conflict
from corroborator.clean import clean
from corroborator.ingest import iter_documents
from corroborator.records import Article, RawDocument, Rejection

from .conftest import DATA, EXAMPLES, SEEDS, needs_data, needs_seeds


@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    return ClaimExtractor()


def claims_of(extractor: ClaimExtractor, text: str, outlet: str = "Test News"):  # type: ignore[no-untyped-def]
    article = clean(RawDocument("t.txt", text, "txt", outlet=outlet))
    return article, extractor(article)


def test_claims_attribution_speaker_cue_and_proposition(extractor: ClaimExtractor) -> None:
    _, ac = claims_of(
        extractor, "The harbour master said on Monday that the port would reopen on Friday."
    )
    [c] = ac.claims
    assert c.speaker == "The harbour master" and c.speaker_canonical == "harbour master"
    assert c.cue == "said" and c.stance == "asserts" and c.quote == "indirect"
    assert c.proposition == "the port would reopen on Friday"


def test_claims_trailing_attribution_and_denial(extractor: ClaimExtractor) -> None:
    text = ("North Korea has not sent troops to Russia, one of its United Nations representatives "
            "said Monday, dismissing Seoul's claims as \"groundless rumour\".")  # fmt: skip
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert c.stance == "denies"
    assert c.proposition == "North Korea has not sent troops to Russia"
    assert "north korea" in c.speaker_canonical


def test_claims_stances(extractor: ClaimExtractor) -> None:
    text = (
        "Russia has not confirmed the deployment.\n"
        "The ministry declined to comment on the report.\n"
        "The union urged workers to stay home on Monday.\n"
        "The company denied that the hall was overfull."
    )
    _, ac = claims_of(extractor, text)
    assert [c.stance for c in ac.claims] == [
        "declines_to_confirm",
        "no_comment",  # issue 10: "declined to comment" is having no comment
        "calls_for",
        "denies",
    ]
    assert ac.claims[0].speaker == "Russia"


def test_claims_according_to_and_pronoun_speaker(extractor: ClaimExtractor) -> None:
    text = (
        "Governor Elsa Brandt spoke to reporters in the capital on Thursday afternoon.\n"
        "Twelve workers were injured, according to the county emergency service.\n"
        '"We are not done yet," she said.'
    )
    _, ac = claims_of(extractor, text)
    assert (
        ac.claims[1].speaker == "the county emergency service"
        and ac.claims[1].cue == "according to"
    )
    assert ac.claims[2].speaker == "she" and ac.claims[2].speaker_canonical == "elsa brandt"
    assert ac.claims[2].quote == "direct"


def test_claims_quantities_with_hedges(extractor: ClaimExtractor) -> None:
    text = (
        "Officials said up to 12,000 troops could be sent, and that 1,500 special forces were "
        "already there, with thousands of soldiers on the border and about 300 residents evacuated."
    )
    _, ac = claims_of(extractor, text)
    got = {(q.value, q.unit, q.hedge) for q in ac.claims[0].quantities}
    assert (12000.0, "troops", "at_most") in got
    assert (1500.0, "troops", "exact") in got
    assert (300.0, "residents", "about") in got
    assert any(h == "vague" for _, _, h in got)


def test_claims_dozens_and_names_with_numbers(extractor: ClaimExtractor) -> None:
    text = (
        "Officials said nearly a dozen soldiers were hurt, over two dozen residents fled and "
        "19 people died of COVID-19 after an AR-15 rifle was found."
    )
    _, ac = claims_of(extractor, text)
    got = {(q.value, q.unit, q.hedge) for q in ac.claims[0].quantities}
    assert (12.0, "troops", "at_most") in got  # "nearly": below it
    assert (24.0, "residents", "at_least") in got
    assert (19.0, "people", "exact") in got
    assert not any(v in (15.0, 2.0) for v, _, _ in got)  # AR-15, "two" of "two dozen"
    assert sum(v == 19.0 for v, _, _ in got) == 1  # COVID-19 is a name, not a figure


def test_claims_years_and_dates_are_not_quantities(extractor: ClaimExtractor) -> None:
    _, ac = claims_of(extractor, "The pact signed in 2024 was ratified on March 3, officials said.")
    assert ac.claims[0].quantities == ()


def test_claims_people_and_titles(extractor: ClaimExtractor) -> None:
    text = (
        "Nato Secretary-General Mark Rutte said the move was a serious escalation.\n"
        "Lin Jian, a spokesperson for the Chinese foreign office, said China hoped for calm."
    )
    _, ac = claims_of(extractor, text)
    assert ac.claims[0].people[0].name == "Mark Rutte"
    assert ac.claims[0].people[0].title == "Nato Secretary-General"
    assert ac.claims[1].people[0].title == "spokesperson for the Chinese foreign office"


def test_claims_unintroduced_surname_flagged(extractor: ClaimExtractor) -> None:
    text = (
        "Fire Chief Dana Moreau said the blaze started in a storage hall.\n"
        "The fire was out by morning, Moreau said.\n"
        "Residents could return on Saturday, Grant said."
    )
    _, ac = claims_of(extractor, text)
    assert ac.claims[1].speaker_canonical == "dana moreau"
    assert ac.unintroduced == ((2, "Grant"),)


def test_claims_offsets_point_into_the_original(extractor: ClaimExtractor) -> None:
    text = "Headline here\n\n0 Comments\n\nThe mayor said the bridge would reopen.\n"
    article, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert article.original[c.start : c.end] == "The mayor said the bridge would reopen."


def test_claims_canonical_names() -> None:
    assert canonical("Seoul's spy agency") == canonical("South Korea's spy agency")
    assert canonical("the Kremlin") == "russia"
    assert canonical("one of its representatives") == "representative"


def test_claims_title_conflict_rules() -> None:
    assert titles_conflict("Nato Secretary-General", "Dutch Prime Minister")
    assert titles_conflict("Deputy Fire Chief", "Fire Chief")
    assert not titles_conflict("Fire Chief", "chief")
    assert not titles_conflict("President", "South Korea's President")


def test_claims_garbled_sentences_flagged(extractor: ClaimExtractor) -> None:
    text = (
        "Defence experts were challenged by the Fox News Korean North Korea in war involvement.\n"
        "The meeting was already under heavily criticism from the other side, officials said.\n"
        "Officials said 1,500 troops have already entered Russia doodling artillery training.\n"
        "US President Joe Biden met French President Emmanuel Macron in Paris, aides said.\n"
        "The daily briefing was cancelled after an elderly man fell ill, officials said."
    )
    _, ac = claims_of(extractor, text)
    reasons = {g.sentence: g.reason for g in ac.garbled}
    assert set(reasons) == {0, 1, 2}
    assert reasons[0].startswith("names run together")
    assert reasons[1].startswith("adverb on a noun")
    assert reasons[2].startswith("verb tacked on")
    # issue 10: a garbled sentence is never a plain claim; one cut to its clean head is
    by_sentence = {c.sentence: c for c in ac.claims}
    assert by_sentence[0].garbled == reasons[0] and by_sentence[1].garbled == reasons[1]
    assert by_sentence[2].garbled is None and by_sentence[2].text.endswith("entered Russia")
    assert by_sentence[3].garbled is None and by_sentence[4].garbled is None


def test_claims_possessor_is_not_the_speaker(extractor: ClaimExtractor) -> None:
    text = (
        "North Korean leader Kim Jong Un inspected a factory on Monday, state media reported.\n"
        'Kim\'s powerful sister released a statement on Tuesday, calling the South "bad dogs".'
    )
    _, ac = claims_of(extractor, text)
    sister = ac.claims[1]
    assert sister.speaker == "Kim's powerful sister"
    assert sister.speaker_canonical != "kim jong un"
    assert sister.stance == "asserts"  # "calling X Y" is not a call for anything
    assert sister.proposition.startswith("the South")


# --- propositions never lose words (issue 10, part 5) ---------------------------------------
def _articles_in(paths: list[str]) -> list[Article]:
    out = []
    for doc in iter_documents(paths):
        if not isinstance(doc, Rejection):
            article = clean(doc)
            if article.text.strip():
                out.append(article)
    return out


def _assert_words_kept(extractor: ClaimExtractor, articles: list[Article]) -> int:
    """Every proposition is a contiguous span of its sentence, at its content_span."""
    checked = 0
    bad = []
    for article, ac in zip(articles, extractor.extract_many(articles), strict=True):
        for c in ac.claims:
            checked += 1
            if c.proposition not in c.text:
                bad.append((c.id, c.proposition, c.text))
            elif c.content_span is not None:
                s, e = c.content_span
                if article.text[s:e] != c.proposition:
                    bad.append((c.id, c.proposition, article.text[s:e]))
    assert not bad, bad[:5]
    return checked


def test_claims_propositions_are_spans_of_examples(extractor: ClaimExtractor) -> None:
    articles = _articles_in([str(EXAMPLES)])
    assert _assert_words_kept(extractor, articles) > 20


@needs_seeds
def test_claims_propositions_are_spans_of_seeds(extractor: ClaimExtractor) -> None:
    assert _assert_words_kept(extractor, _articles_in([str(SEEDS)])) > 40


@needs_data
def test_claims_propositions_are_spans_of_a_thousand_news_sentences(
    extractor: ClaimExtractor,
) -> None:
    texts = sorted((DATA / "attribution" / "polnear" / "train" / "text").glob("*.txt"))
    articles, sentences = [], 0
    for k, path in enumerate(texts):
        text = path.read_text(encoding="utf-8")
        articles.append(
            Article(
                id=f"p{k}",
                source=path.name,
                fmt="txt",
                original=text,
                text=text,
                segments=((0, 0, len(text)),),
                outlet=None,
            )  # fmt: skip
        )
        sentences += len(extractor.sentences(text))
        if sentences >= 1000:
            break
    assert sentences >= 1000
    assert _assert_words_kept(extractor, articles) > 500


@pytest.mark.parametrize(
    "text",
    [
        "The ministry did not respond to requests for comment.",
        "A spokesman for the company declined to comment.",
        "North Korea has yet to comment on the accusations.",
        "Police could not be reached for comment on Sunday.",
    ],
)
def test_claims_no_comment_forms(extractor: ClaimExtractor, text: str) -> None:
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert c.stance == "no_comment" and c.proposition in c.text


def test_claims_outlet_voice_has_no_speaker(extractor: ClaimExtractor) -> None:
    _, ac = claims_of(extractor, "The port reopened on Friday after a week of repairs.")
    [c] = ac.claims
    assert c.speaker is None and c.voice == "outlet"
    assert claim_to_dict(c)["speaker"] is None and claim_to_dict(c)["voice"] == "outlet"


def test_claims_charged_keeps_its_verb(extractor: ClaimExtractor) -> None:
    text = "South Korea has persistently charged North Korea with providing arms to Russia."
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert "charged North Korea with providing arms" in c.proposition


def test_claims_quantities_are_counts(extractor: ClaimExtractor) -> None:
    text = ('The deal undermines "relations between two sovereign states," he said, '
            "adding that 1,500 troops had left.")  # fmt: skip
    _, ac = claims_of(extractor, text)
    shown = [q.text for c in ac.claims for q in c.quantities]
    assert "1,500 troops" in shown and not any("sovereign" in s for s in shown)


def test_claims_figures_before_a_participle_are_counts(extractor: ClaimExtractor) -> None:
    text = ("Two wounded soldiers died and 1,500 well-trained troops left, police said. "
            "Three of the injured workers were in serious condition.")  # fmt: skip
    _, ac = claims_of(extractor, text)
    shown = {q.text: q.unit for c in ac.claims for q in c.quantities}
    assert shown["1,500 well-trained troops"] == "troops"
    assert "Two wounded soldiers" in shown
    assert shown["Three of the injured workers"] == "of workers"  # a subset, not the count


def test_claims_two_attributions_in_one_sentence(extractor: ClaimExtractor) -> None:
    text = ("Six in 10 voters said the mayor is honest, and three-quarters said the same "
            "of her rival.")  # fmt: skip
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert c.speaker == "Six in 10 voters"
    [other] = c.attributions
    assert other.speaker == "three-quarters" and other.cue == "said"
    s, e = other.content_span
    assert ac.claims[0].text[s - c.clean_start : e - c.clean_start] == other.proposition


def test_claims_beliefs_are_attributions_of_their_own_kind(extractor: ClaimExtractor) -> None:
    _, ac = claims_of(extractor, "The harbour master fears the storm will close the port.")
    [c] = ac.claims
    assert c.speaker == "The harbour master" and c.cue_kind == "belief"
    assert c.proposition == "the storm will close the port"


def test_claims_second_verb_borrows_the_subject(extractor: ClaimExtractor) -> None:
    _, ac = claims_of(extractor, "The judge rubbed his chin and said the hearing was over.")
    [c] = ac.claims
    assert c.speaker == "The judge" and c.cue == "said"


def test_claims_names_are_not_cut_at_a_hyphen(extractor: ClaimExtractor) -> None:
    _, ac = claims_of(
        extractor, '"It is bad," said Moon Seong-mok from the Korea National Strategy Institute.'
    )
    assert ac.claims[0].speaker_canonical == "moon seong-mok"


def test_claims_role_noun_refers_to_the_last_holder(extractor: ClaimExtractor) -> None:
    text = ("After Seoul summoned Russia's ambassador to South Korea to complain, the envoy said "
            "that cooperation was lawful.")  # fmt: skip
    _, ac = claims_of(extractor, text)
    assert ac.claims[0].speaker_canonical == "russia's ambassador"


def test_claims_pronoun_by_gender(extractor: ClaimExtractor) -> None:
    _, ac = claims_of(
        extractor, "Ms Anna Berg met Mr Tom Okoro on Monday. She said the talks went well."
    )
    assert ac.claims[-1].speaker_canonical == "anna berg"


def test_claims_kin_description_is_the_person_named_next(extractor: ClaimExtractor) -> None:
    text = ('Kim Jong Un watched a missile test. Kim\'s powerful sister released a statement, '
            'calling the South "bad dogs". "Seoul is reckless," Kim Yo Jong said.')  # fmt: skip
    _, ac = claims_of(extractor, text)
    sister = next(c for c in ac.claims if c.speaker == "Kim's powerful sister")
    assert sister.speaker_canonical == "kim yo jong"
    assert ("Kim Yo Jong", "Kim's sister") in [(p.name, p.title) for p in sister.people]


def test_claims_quotation_over_several_sentences_is_one_attribution(
    extractor: ClaimExtractor,
) -> None:
    text = ('"The port will reopen on Friday," the harbour master said. "The repairs are '
            'finished and the cranes work again." The weather stayed calm all week.')  # fmt: skip
    _, ac = claims_of(extractor, text)
    first, second, third = ac.claims
    assert second.speaker == first.speaker == "the harbour master"
    assert second.voice == "source" and second.speaker_span == first.speaker_span
    assert third.voice == "outlet" and third.speaker is None


def test_claims_participle_beside_its_verb_is_an_attribution(extractor: ClaimExtractor) -> None:
    # issue 10: "X said ..., adding that ..." is two attributions of one speaker
    text = "The mayor said the bridge would reopen on Friday, adding that the ferry would run until then."
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert c.speaker == "The mayor" and c.proposition == "the bridge would reopen on Friday"
    [a] = c.attributions
    assert (a.speaker, a.cue) == ("The mayor", "adding")
    assert text[a.content_span[0] : a.content_span[1]] == "the ferry would run until then"


def test_claims_relative_clause_speaker_beside_the_outlet(extractor: ClaimExtractor) -> None:
    # the outlet's sentence keeps its own voice; "..., who said ..." is an attribution in it
    text = "The vote was a blow for Senator Ada Kline, who said she would appeal the result."
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert c.speaker is None and c.voice == "outlet" and c.proposition == text
    [a] = c.attributions
    assert a.speaker == "Senator Ada Kline" and a.speaker_canonical == "ada kline"
    assert text[a.speaker_span[0] : a.speaker_span[1]] == "Senator Ada Kline, who"
    assert text[a.content_span[0] : a.content_span[1]] == "she would appeal the result"


def test_claims_name_colon_quote(extractor: ClaimExtractor) -> None:
    _, ac = claims_of(extractor, "Ada Kline: “We will appeal the result of the vote.”")
    [c] = ac.claims
    assert (c.speaker, c.cue, c.voice) == ("Ada Kline", ":", "source")
    assert c.proposition == "We will appeal the result of the vote."


def test_claims_demanded_clause_kept_whole(extractor: ClaimExtractor) -> None:
    """issue 10: a demanded clause the parser cuts ("be taken down" hung off the outer verb)
    keeps its last words."""
    text = (
        "The union has called in the factory owner to demand that cleaners sent to work with "
        'hired crews on the plant\'s western side be paid out "immediately".'
    )
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert c.stance == "calls_for"
    assert c.proposition.endswith('be paid out "immediately"')
    assert c.proposition in text


def test_claims_its_after_a_coordinated_owner_not_the_last_speaker(
    extractor: ClaimExtractor,
) -> None:
    """issue 10: in "The city council and its partners" "its" is the council's, not the
    previous speaker's."""
    text = (
        "The harbour board has not confirmed the closure.\n"
        "The city council and its partners have already voiced concern about the plan."
    )
    _, ac = claims_of(extractor, text)
    assert "harbour board" not in ac.claims[-1].speaker_canonical
    assert ac.claims[-1].speaker_canonical.startswith("city council")


def test_claims_bare_national_body_is_the_country_that_last_spoke(
    extractor: ClaimExtractor,
) -> None:
    """issue 10: "the National Security Council", no country named, is the country that
    spoke last (and "it added" stays with it); a body that names its country keeps it."""
    text = (
        'Norway "strongly condemned" the raid on Tuesday, urging the boats to be withdrawn.\n'
        '"The raid is a threat to our fishermen," said the National Security Council.\n'
        '"The government will respond in phases," it added.\n'
        "Norway's coast guard said the boats had left.\n"
        "Sweden's cabinet said it would wait."
    )
    _, ac = claims_of(extractor, text)
    keys = [c.speaker_canonical for c in ac.claims]
    assert keys[1] == keys[2] == "norway's national security council"
    assert keys[3] == "norway's coast guard"
    assert keys[4] == "sweden's cabinet"


def test_claims_two_stances_of_one_speaker_in_a_sentence(extractor: ClaimExtractor) -> None:
    """issue 10: "denied ..., but declined to comment" and "has not confirmed ..., but
    defended ..." are two stances of one speaker: the second verb is an attribution of
    its own."""
    text = (
        "The harbour police initially denied closing the pier, but have since declined to "
        "comment, even after residents posted photos of the gate.\n"
        "The ferry company has not confirmed the closure, but defended its safety record on "
        "the island."
    )
    _, ac = claims_of(extractor, text)
    police, ferry = ac.claims
    assert police.stance == "denies" and police.proposition == "closing the pier"
    assert [(a.speaker_canonical, a.stance) for a in police.attributions] == [
        ("harbour police", "no_comment")
    ]
    assert ferry.stance == "declines_to_confirm"
    [defended] = ferry.attributions
    assert defended.speaker_canonical == "ferry company" and defended.stance == "asserts"
    assert defended.proposition == "its safety record on the island"


def test_claims_it_is_the_subject_of_an_earlier_clause_of_the_sentence(
    extractor: ClaimExtractor,
) -> None:
    """issue 10: "..., even after Sweden released images of what it claimed" is Sweden's
    claim, not the sentence's first speaker's; inside a quotation no clause counts."""
    text = (
        "Norway's coast guard initially denied sinking the boat, but has since declined to "
        "comment, even after Sweden released images of what it claimed to be a wreck.\n"
        '"Sweden will respond," it added.'
    )
    _, ac = claims_of(extractor, text)
    first, second = ac.claims
    claimed = [a for a in first.attributions if a.cue == "claimed"]
    assert [a.speaker_canonical for a in claimed] == ["sweden"]
    assert second.speaker_canonical != "sweden"


def test_claims_hope_is_a_belief_in_every_inflection(extractor: ClaimExtractor) -> None:
    # the tagger lemmatizes "hopes" as "hop"; extraction sets the lemma right (issue 10)
    _, ac = claims_of(extractor, "The union hopes that the strike will end by Friday.")
    [c] = ac.claims
    assert c.speaker == "The union" and c.cue_kind == "belief"
    assert c.proposition == "the strike will end by Friday"


def test_claims_object_of_a_cue_is_what_it_says(extractor: ClaimExtractor) -> None:
    # a cue that takes an object says its object, verb kept ("railed against ..."), not the
    # clause it hangs off
    text = ("The mayor struggled to explain the delay even as council members railed "
            "against the contractor for missing the deadline.")  # fmt: skip
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert c.speaker == "council members"
    assert c.proposition == "railed against the contractor for missing the deadline"


def test_claims_relative_clause_of_a_common_noun(extractor: ClaimExtractor) -> None:
    text = "The plan angered residents who complained that the road would cut the village in two."
    _, ac = claims_of(extractor, text)
    found = [(a.speaker, a.cue) for c in ac.claims for a in (c, *c.attributions)]
    assert ("residents", "complained") in found


def test_claims_statement_released_says_what_its_participle_says(
    extractor: ClaimExtractor,
) -> None:
    text = ("The ministry issued a statement on Tuesday, calling the report "
            '"a fabrication from start to finish".')  # fmt: skip
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert c.speaker == "The ministry" and c.cue == "calling"
    assert c.proposition.startswith("the report")


def test_claims_speaker_is_the_subject_nearest_the_cue(extractor: ClaimExtractor) -> None:
    # the parser gives "said" two subjects here; the speaker is the one beside the cue
    text = ("“I find sometimes in conversation with other teachers, [Clinton] can be very "
            "polarizing,” Kilfoyle said.")  # fmt: skip
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert c.speaker == "Kilfoyle"


def test_claims_passive_cue_speaker_is_the_agent(extractor: ClaimExtractor) -> None:
    text = "The council's plan was attacked by the harbour master for ignoring the ferry."
    _, ac = claims_of(extractor, text)
    [c] = ac.claims
    assert c.speaker == "the harbour master" and c.cue == "attacked"


def test_claims_voice_inside_a_quotation_is_not_an_attribution(
    extractor: ClaimExtractor,
) -> None:
    text = '"By passing this, we are saying to them we know better," the senator said.'
    _, ac = claims_of(extractor, text)
    found = [(a.speaker, a.cue) for c in ac.claims for a in (c, *c.attributions)]
    assert found == [("the senator", "said")]


def test_claims_sums_of_money_count_currency_and_keep_their_hedge() -> None:
    from corroborator.claims import ClaimExtractor
    from corroborator.clean import clean
    from corroborator.records import RawDocument

    text = ("President Trump on Friday signed a more than $2 trillion relief package, officials said. "
            "The accusers reached a $25 million payout deal with the studio, the newspaper reported. "
            "The company paid £3 million to the council.")  # fmt: skip
    doc = clean(RawDocument(source="money", text=text, fmt="txt"))
    found = [(q.value, q.unit, q.hedge) for c in ClaimExtractor()(doc).claims for q in c.quantities]
    assert (2e12, "dollar (package)", "at_least") in found
    assert (2.5e7, "dollar (deal)", "exact") in found
    assert (3e6, "pound", "exact") in found


def test_claims_a_time_after_a_figure_is_not_what_it_counts() -> None:
    from corroborator.claims import ClaimExtractor
    from corroborator.clean import clean
    from corroborator.records import RawDocument

    text = ("Weekly jobless claims rose above 700,000 last week, the Labor Department reported. "
            "The number of claims increased from 684,000 the week before, officials said. "
            "Police arrested 12 people Tuesday.")  # fmt: skip
    doc = clean(RawDocument(source="time", text=text, fmt="txt"))
    units = [q.unit for c in ClaimExtractor()(doc).claims for q in c.quantities]
    assert "week" not in units and "people" in units


def test_claims_up_to_after_a_rise_is_no_ceiling() -> None:
    from corroborator.claims import ClaimExtractor
    from corroborator.clean import clean
    from corroborator.records import RawDocument

    text = ("The unemployment rate ticked up to 6.1% in April, officials said. "
            "South Korea said up to 12,000 troops could go. "
            "Deaths were undercounted by as much as 50 percent, the report said.")  # fmt: skip
    doc = clean(RawDocument(source="rise", text=text, fmt="txt"))
    hedges = {q.value: q.hedge for c in ClaimExtractor()(doc).claims for q in c.quantities}
    assert hedges == {6.1: "exact", 12000.0: "at_most", 50.0: "at_most"}


def test_claims_learned_cues_beyond_the_lexicon(extractor: ClaimExtractor) -> None:
    """issue 10: the cue model (models/attribution-cues) finds open-class cues the lexicon
    lacks; without it these speakers are not found."""
    texts = {
        "Senator Warren made it clear that she opposes the merger.": "Senator Warren",
        "Mr. Obama wants Congress to pass the bill before the recess.": "Mr. Obama",
    }
    plain = ClaimExtractor(cue_model=False)
    for text, speaker in texts.items():
        _, ac = claims_of(extractor, text)
        [c] = ac.claims
        assert c.speaker == speaker and c.voice == "source"
        assert c.proposition in c.text and c.speaker not in c.proposition
        _, ac = claims_of(plain, text)
        assert speaker not in [c.speaker for c in ac.claims]


def test_claims_cue_model_vetoes_no_core_speech_verb(extractor: ClaimExtractor) -> None:
    from corroborator.claims.cuemodel import VETOABLE_LEMMAS
    from corroborator.claims.lexicon import CUE_LEMMAS

    assert not VETOABLE_LEMMAS & CUE_LEMMAS
    assert "say" in CUE_LEMMAS


def test_claims_a_denial_inside_a_relative_clause_is_not_the_sentence_subjects() -> None:
    from corroborator.claims import ClaimExtractor
    from corroborator.clean import clean
    from corroborator.records import RawDocument

    text = ("Google will no longer allow creators to monetize content that denies the existence "
            "of climate change. The company denied the report.")  # fmt: skip
    doc = clean(RawDocument(source="deny", text=text, fmt="txt"))
    first, second = ClaimExtractor()(doc).claims
    assert first.stance == "asserts" and first.speaker is None
    assert second.stance == "denies" and second.speaker == "The company"

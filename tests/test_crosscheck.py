from __future__ import annotations

from dataclasses import replace

from corroborator.crosscheck import compare_quantities, judge_pair
from corroborator.records import Claim, Person, Quantity


def claim(cid: str, text: str, speaker: str = "officials", stance: str = "asserts",
          quantities: tuple[Quantity, ...] = (), people: tuple[Person, ...] = (),
          cue: str | None = "said") -> Claim:  # fmt: skip
    return Claim(id=cid, article_id=cid.split(":")[0], sentence=0, text=text, proposition=text,
                 speaker=speaker, speaker_canonical=speaker.lower(), cue=cue, stance=stance,
                 quote="indirect", quantities=quantities, people=people)  # fmt: skip


def q(value: float, hedge: str = "exact", unit: str = "troops") -> Quantity:
    return Quantity(value, f"{value:g} {unit}", unit, hedge)


def test_crosscheck_hedged_figures_are_compatible() -> None:
    assert compare_quantities(q(12000, "at_most"), q(1500)) == "compatible"
    assert compare_quantities(q(1500), q(12000)) == "conflicts"
    assert compare_quantities(q(14, "at_least"), q(12)) == "conflicts"
    assert compare_quantities(q(300, "about"), q(320)) == "compatible"
    assert compare_quantities(q(1500), q(1500, "about")) == "same"


def test_crosscheck_two_precise_figures_one_percent_apart_differ() -> None:
    assert compare_quantities(q(969, unit="deaths"), q(978, unit="deaths")) == "conflicts"
    # a round or hedged figure may be the other one rounded
    assert compare_quantities(q(3e6, "at_most"), q(2981000)) == "same"
    assert compare_quantities(q(6e6), q(5.99e6)) == "same"
    assert compare_quantities(q(94.5, unit="%"), q(95, "at_most", unit="%")) == "same"


def test_crosscheck_exact_figures_conflict() -> None:
    a = claim("a:0", "14 workers were injured", quantities=(q(14, unit="workers"),))
    b = claim("b:0", "12 workers were injured", quantities=(q(12, unit="workers"),))
    v = judge_pair(a, b, 0.9)
    assert v is not None and v.verdict == "conflicts" and v.kind == "quantity"


def test_crosscheck_up_to_is_not_a_conflict() -> None:
    a = claim("a:0", "1,500 troops are in Russia", quantities=(q(1500),))
    b = claim("b:0", "up to 12,000 troops could go", quantities=(q(12000, "at_most"),))
    v = judge_pair(a, b, 0.9)
    assert v is None or v.verdict != "conflicts"


def test_crosscheck_same_figure_agrees() -> None:
    a = claim("a:0", "1,500 special forces are training", quantities=(q(1500),))
    b = claim("b:0", "1,500 troops have entered Russia", quantities=(q(1500),))
    v = judge_pair(a, b, 0.6)
    assert v is not None and v.verdict == "agrees"


def test_crosscheck_same_figure_in_unrelated_statements_does_not_agree() -> None:
    a = claim("a:0", "1,500 special forces are training", quantities=(q(1500),))
    b = claim("b:0", "1,500 homes lost power in the storm", quantities=(q(1500),))
    v = judge_pair(a, b, 0.2)
    assert v is None or v.verdict != "agrees"


def test_crosscheck_different_figures_never_corroborate() -> None:
    a = claim("a:0", "Thirty people were killed, police said",
              quantities=(Quantity(30, "Thirty people", "people", "exact"),))  # fmt: skip
    b = claim("b:0", "At least 45 people died, hospital officials said",
              quantities=(q(45, unit="people", hedge="at_least"),))  # fmt: skip
    for cos in (0.3, 0.45, 0.6, 0.95):
        v = judge_pair(a, b, cos)
        assert v is None or v.verdict != "agrees"
    v = judge_pair(a, b, 0.9)
    assert v is not None and v.verdict == "conflicts" and v.kind == "quantity"


def test_crosscheck_same_speaker_opposite_stance_conflicts() -> None:
    a = claim("a:0", "The company broke safety rules", speaker="Larkfield")
    b = claim("b:0", "The company broke safety rules", speaker="Larkfield", stance="denies")
    v = judge_pair(a, b, 0.9)
    assert v is not None and v.verdict == "conflicts" and v.kind == "stance"


def test_crosscheck_same_quote_different_speakers_conflicts() -> None:
    words = '"We will not stand idly by while this goes on," '
    a = claim(
        "a:0", words + "Ana Reyes said", speaker="Ana Reyes", people=(Person("Ana Reyes", None),)
    )
    b = claim(
        "b:0", words + "Tom Okoro said", speaker="Tom Okoro", people=(Person("Tom Okoro", None),)
    )
    v = judge_pair(a, b, 0.9)
    assert v is not None and v.kind == "speaker"


def test_crosscheck_same_quote_one_speaker_named_two_ways_is_no_conflict() -> None:
    words = '"We have informed the company that our inquiry is no longer civil," '
    a = claim("a:0", words + "said Fabien Levy, a spokesperson", speaker="Fabien Levy, a spokesperson",
              people=(Person("Fabien Levy", "a spokesperson"),))  # fmt: skip
    b = claim("b:0", words + "spokesman Fabien Levy wrote", speaker="spokesman Fabien Levy",
              people=(Person("Fabien Levy", "spokesman"),))  # fmt: skip
    c = claim("c:0", words + "the company said", speaker="the company")
    for x, y in ((a, b), (a, c)):
        v = judge_pair(x, y, 0.95)
        assert v is None or v.verdict != "conflicts"


def test_crosscheck_unrelated_pair_has_no_verdict() -> None:
    assert judge_pair(claim("a:0", "x"), claim("b:0", "y"), 0.1) is None


def test_crosscheck_cli_check_new_article(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import shutil
    import subprocess
    import sys

    from .conftest import EXAMPLES

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("wire.jsonl", "valley-public-radio.rss"):
        shutil.copy(EXAMPLES / name, corpus / name)
    db = str(tmp_path / "c.db")
    cli = [sys.executable, "-m", "corroborator"]
    subprocess.run([*cli, "ingest", str(corpus), "--db", db], check=True, capture_output=True)
    out = tmp_path / "check.json"
    new = EXAMPLES / "2026-03-15-riverside-herald.html"
    proc = subprocess.run([*cli, "check", str(new), "--db", db, "--json", str(out), "--no-model"],
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    assert result["other_sources"] == 2  # Global Wire (with its republication) and VPR
    status = {c["text"][:20]: c["status"] for c in result["claims"]}
    assert status["Twelve workers were "] == "contradicted"
    # only Dana Moreau's title differs: listed in the evidence, but it contradicts nothing
    assert status["Deputy Fire Chief Da"] != "contradicted"
    deputy = next(c for c in result["claims"] if c["text"].startswith("Deputy"))
    titles = [e for e in deputy["evidence"] if e["verdict"] == "conflicts"]
    assert titles and not any(e["contradicts"] for e in titles)
    assert "unverified" in status.values()
    twelve = next(c for c in result["claims"] if c["text"].startswith("Twelve"))
    assert {e["source"] for e in twelve["evidence"]} >= {"Global Wire"}
    # the lines are printed beside the JSON file, and the article's own flags are in both
    assert "contradicted" in proc.stdout and "Riverside Herald" not in proc.stdout.split("\n")[0]
    said = " ".join(proc.stdout.split())  # the terminal may wrap a line
    assert "differs on a detail" in said and "Valley Public Radio disagrees" in said
    assert "wrote the check to" in proc.stderr
    assert result["outlet"] == "Riverside Herald" and "title_conflicts" in result["flags"]
    # --json - : the document on stdout, the lines on stderr; a rewrite's own flags shown
    rewrite = EXAMPLES / "2026-03-15-plantfire-rewrite.txt"
    proc = subprocess.run([*cli, "check", str(rewrite), "--db", db, "--json", "-", "--no-model"],
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    flags = json.loads(proc.stdout)["flags"]
    assert [u["name"] for u in flags["unintroduced_speakers"]] == ["Grant"]
    assert '"Grant" is quoted but never introduced' in proc.stderr
    assert "story " in proc.stderr and "contradicted" in proc.stderr


def test_crosscheck_up_to_and_more_than_are_compatible() -> None:
    assert compare_quantities(q(2000, "at_most"), q(1000, "at_least")) == "compatible"
    assert compare_quantities(q(500, "at_most"), q(1000, "at_least")) == "conflicts"


def test_crosscheck_one_outlet_is_one_source() -> None:
    from corroborator.clean import clean
    from corroborator.crosscheck import source_keys
    from corroborator.records import CopyLink, RawDocument

    def art(text: str, outlet: str | None) -> object:
        return clean(RawDocument(f"{outlet}.txt", text, "txt", outlet=outlet))

    a1 = art("The bridge reopened on Monday, officials said.", "Herald")
    a2 = art("Traffic returned to the bridge on Tuesday, police said.", "Herald")
    b = art("The bridge is open again, the council said.", "Courier")
    c = art("The bridge is open again, the council said on Monday.", None)
    copies = {c.id: CopyLink(c.id, b.id, "near", 0.9)}  # type: ignore[attr-defined]
    keys = source_keys([a1, a2, b, c], copies)  # type: ignore[list-item]
    assert keys[a1.id] == keys[a2.id] != keys[b.id]  # type: ignore[attr-defined]
    assert keys[c.id] == keys[b.id]  # type: ignore[attr-defined]


def test_actor_merges_fold_short_names_into_the_unique_fullest_one() -> None:
    from corroborator.tables import _actor_merges

    keys = ["representative", "north korea representative", "north korea's un representative",
            "minister", "foreign minister", "defence minister", "south korea", "south korea's spy agency"]  # fmt: skip
    assert _actor_merges(keys) == {
        "representative": "north korea's un representative",
        "north korea representative": "north korea's un representative",
    }


# --- through the pipeline, on invented coverage --------------------------------------------
KARSA_A = """Karsa bus crash: bus plunges into ravine near Karsa, killing pilgrims

KARSA, May 4 - Thirty people were killed when a bus plunged into a ravine near Karsa on Sunday, police said.
Rescue teams worked through the night to reach the wreck.
"""
KARSA_B = """Karsa bus crash: death toll rises after bus falls into gorge near Karsa

KARSA, May 5 (Daily Ledger) - At least 45 people died after a bus fell into a gorge near Karsa, hospital officials said on Monday.
Relatives gathered outside the hospital waiting for news.
"""
HARBOUR_A = """Selden harbour authority summons ferry operator over its two oldest ferries

The Selden harbour authority summoned the ferry operator's chief executive on Monday, urging the company to withdraw its two oldest ferries from service immediately.
The authority said it had received complaints from passengers for months.
"""
HARBOUR_B = """Selden harbour authority calls in ferry operator over its two oldest ferries

The Selden harbour authority has summoned the chief executive of the ferry operator to demand that its two oldest ferries be taken out of service at once.
The Wexley Sailing Club held its annual regatta on the same day, with forty boats taking part.
"""


def _check(tmp_path, texts: dict[str, str]):  # type: ignore[no-untyped-def]
    from corroborator.pipeline import Options, Pipeline
    from corroborator.store import SqliteStore

    for name, text in texts.items():
        (tmp_path / name).write_text(text)
    pipeline = Pipeline(SqliteStore(str(tmp_path / "t.db")), Options(use_model=False))
    report = pipeline.run([str(tmp_path / n) for n in texts])
    [sid] = report.stories
    return pipeline.check_story(sid)


def test_crosscheck_figures_of_different_days_are_a_change_over_time(tmp_path) -> None:  # type: ignore[no-untyped-def]
    check = _check(tmp_path, {"a.txt": KARSA_A, "b.txt": KARSA_B})
    corroborated = [f for f in check.facts if len(check.fact_sources(f)) > 1]
    killed = {c.id for c in check.claims if "45" in c.text or "Thirty" in c.text}
    assert len(killed) == 2
    assert not any(killed & set(f) for f in corroborated)
    [v] = [v for v in check.verdicts if v.verdict == "conflicts" and {v.a, v.b} == killed]
    assert v.kind == "quantity" and v.extra["over_time"]
    assert v.extra["dates"] == ["May 4", "May 5"] and "changes over time" in v.reason


def test_crosscheck_one_sentence_backs_two_facts_each_stated_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from corroborator.crosscheck import PairSim, verdict_for

    summon_a = "The harbour authority summoned the ferry operator's chief executive on Monday"
    summon_b = "The harbour authority has summoned the chief executive of the ferry operator"
    pull_a = "urging the company to withdraw its two oldest ferries from service immediately"
    pull_b = "to demand that its two oldest ferries be withdrawn from service immediately"
    a = claim("a:0", f"{summon_a}, {pull_a}.", speaker="the harbour authority")
    b = claim("b:0", f"{summon_b} {pull_b}.", speaker="the harbour authority")
    near = [
        PairSim(0.97, summon_a, summon_b),
        PairSim(0.95, pull_a, pull_b),
        PairSim(0.60, summon_a, pull_b),
    ]
    verdicts = verdict_for(a, b, near)
    assert [v.verdict for v in verdicts] == ["agrees", "agrees"]
    assert [v.extra["parts"] for v in verdicts] == [[summon_a, summon_b], [pull_a, pull_b]]
    # through the pipeline, each card states one clause, never the unrelated sentences
    from corroborator.factsheet import story_sheet

    sheet = story_sheet(_check(tmp_path, {"a.txt": HARBOUR_A, "b.txt": HARBOUR_B}))
    assert sheet["corroborated"]
    for f in sheet["corroborated"]:
        assert len(f["statements"]) == 2
        assert "complaints" not in f["text"] and "regatta" not in f["text"]


def test_crosscheck_garbled_sentence_is_never_evidence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    garbled = HARBOUR_B.replace(
        "The Selden harbour authority has summoned the chief executive of the ferry operator",
        "Under heavily criticism, the Selden harbour authority has summoned the chief executive of the ferry operator",
    )
    check = _check(tmp_path, {"a.txt": HARBOUR_A, "b.txt": garbled})
    bad = {cid for ac in check.article_claims.values() for cid in ac.unusable()}
    assert bad, "the jammed names should read as garbled"
    for v in check.verdicts:
        assert v.a not in bad and v.b not in bad


def test_crosscheck_a_figure_both_state_is_no_clash() -> None:
    # B states A's 7,314 too (its unit elided): 6,121 counts another year, not a conflict
    a = claim("a:0", "There were 7,314 hate crime incidents last year",
              quantities=(Quantity(7314, "7,314 hate crime incidents", "incident", "exact"),))  # fmt: skip
    b = claim("b:0", "Hate crimes rose from 6,121 incidents in 2016 to 7,314 in 2019",
              quantities=(Quantity(6121, "6,121 incidents", "incident", "exact"),))  # fmt: skip
    v = judge_pair(a, b, 0.86)
    assert v is None or v.verdict != "conflicts"
    # a figure inside a longer number is not the same figure
    c = claim("c:0", "Hate crimes rose to 17,314 incidents",
              quantities=(Quantity(17314, "17,314 incidents", "incident", "exact"),))  # fmt: skip
    v = judge_pair(a, c, 0.86)
    assert v is not None and v.verdict == "conflicts"


def test_crosscheck_negation_in_a_relative_clause_is_no_polarity_flip() -> None:
    a = claim("a:0", "The report found he harassed 11 women, including some who worked in his office",
              speaker="The Hill", cue=None)  # fmt: skip
    b = claim("b:0", "The report found he harassed 11 women, including others who did not work for him",
              speaker="Examiner", cue=None)  # fmt: skip
    v = judge_pair(a, b, 0.95)
    assert v is None or v.kind != "polarity"
    c = claim("c:0", "The report found he did not harass 11 women", speaker="Examiner", cue=None)
    v = judge_pair(a, c, 0.95)
    assert v is not None and v.verdict == "conflicts" and v.kind == "polarity"


def test_crosscheck_a_denial_elsewhere_in_the_sentence_is_no_stance_conflict() -> None:
    # "alleging that the network aired false claims": read as a denial, but the statements
    # compared (the lawsuit) hold none
    from corroborator.crosscheck import PairSim

    part = "Dominion filed a $1.6 billion defamation lawsuit against Fox News"
    a = claim("a:0", part + ", arguing Fox lied", speaker="Dominion")
    b = claim(
        "b:0", part + ", alleging that Fox aired false claims", speaker="Dominion", stance="denies"
    )
    b = replace(b, proposition="Fox aired false claims")  # what the stance is about
    v = judge_pair(a, b, PairSim(0.99, part, part))
    assert v is None or v.kind != "stance"
    c = claim("c:0", "Dominion denied that it filed a lawsuit", speaker="Dominion", stance="denies")
    v = judge_pair(a, c, PairSim(0.95, part, c.text))
    assert v is not None and v.verdict == "conflicts" and v.kind == "stance"


def test_crosscheck_a_shared_figure_of_another_unit_hides_no_clash() -> None:
    # "two mosques" in both says nothing of 50 against 49 dead
    a = claim("a:0", "The rampage on two mosques killed 50 people", cue=None,
              quantities=(Quantity(2, "two mosques", "mosque", "exact"),
                          Quantity(50, "50 people", "people", "exact")))  # fmt: skip
    b = claim("b:0", "The shooting at two mosques left 49 people dead", cue=None,
              quantities=(Quantity(2, "two mosques", "mosque", "exact"),
                          Quantity(49, "49 people", "people", "exact")))  # fmt: skip
    v = judge_pair(a, b, 0.75)
    assert v is not None and v.verdict == "conflicts" and v.kind == "quantity"


def test_crosscheck_different_sums_of_money_never_agree() -> None:
    a = claim("a:0", "Senate Democrats blocked a $500 billion relief measure Thursday",
              quantities=(Quantity(5e11, "500 billion relief measure", "measure", "exact"),))  # fmt: skip
    b = claim("b:0", "Senate Democrats blocked a $300 billion stimulus bill Thursday",
              quantities=(Quantity(3e11, "300 billion stimulus bill", "bill", "exact"),))  # fmt: skip
    for cos in (0.7, 0.9, 0.99):
        v = judge_pair(a, b, cos)
        assert v is None or v.verdict != "agrees"


def test_crosscheck_one_clause_of_each_agrees_when_the_sentences_differ(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A's sentence goes on to quote the operator; B's goes on to a demand: as wholes they
    # differ, but the summons is stated in one clause of each and is corroborated alone.
    a = (
        "TARVOS (Harbour Post) - After the Selden harbour authority summoned the ferry "
        "operator's chief executive on Monday, the operator \"stressed that every crossing "
        'this winter met the safety code in full."\nThe operator runs six ferries.\n'
    )
    b = (
        "The Selden harbour authority has called in the chief executive of the ferry operator "
        "to demand that its two oldest vessels be taken out of service at once.\n"
        "Inspectors will visit the port next week.\n"
    )
    from corroborator.factsheet import story_sheet

    check = _check(tmp_path, {"a.txt": a, "b.txt": b})
    agreed = [v for v in check.verdicts if v.verdict == "agrees"]
    assert [v.reason for v in agreed] == ["one clause of each states the same"]
    part_a, part_b = agreed[0].extra["parts"]
    assert "summoned" in part_a and "stressed" not in part_a
    assert "called in" in part_b and "demand" not in part_b
    [fact] = story_sheet(check)["corroborated"]
    assert "safety code" not in fact["text"] and "oldest vessels" not in fact["text"]


def test_crosscheck_one_defends_what_the_other_condemns_is_no_agreement() -> None:
    from corroborator.crosscheck import PairSim, verdict_for

    defends = "defended its military cooperation with North Korea"
    denounces = "have also denounced growing military cooperation between North Korea and Russia"
    a = claim("a:0", f"Russia has not confirmed the deployment, but {defends}.", speaker="Russia",
              cue="defended")  # fmt: skip
    b = claim("b:0", f"The U.S. and Japan {denounces}.", speaker="The U.S. and Japan",
              cue="denounced")  # fmt: skip
    near = [PairSim(0.9, defends, denounces, 0.85, (1.0, 0.95, 0.9, 0.9))]
    assert not [v for v in verdict_for(a, b, near) if v.verdict == "agrees"]
    # the same attitude on both sides still may agree; "refused to praise" condemns
    praises = "have also praised growing military cooperation between North Korea and Russia"
    praised = replace(b, text=f"China and Iran {praises}.", cue="praised")
    near_praised = [PairSim(0.9, defends, praises, 0.85, (1.0, 0.95, 0.9, 0.9))]
    assert [v.verdict for v in verdict_for(a, praised, near_praised)] == ["agrees"]
    refused = replace(b, text="Japan refused to praise the cooperation.", cue="refused")
    near_refused = [PairSim(0.9, defends, "refused to praise the cooperation", 0.85,
                            (1.0, 0.95, 0.9, 0.9))]  # fmt: skip
    assert not [v for v in verdict_for(a, refused, near_refused) if v.verdict == "agrees"]


def test_crosscheck_one_refusal_told_as_denial_and_as_assertion_agrees() -> None:
    from corroborator.crosscheck import PairSim, verdict_for

    rejected = "The Supreme Court on Thursday rejected another effort to dismantle the health law"
    dismissed = "The Supreme Court dismissed the latest challenge to the health law on Thursday"
    a = claim("a:0", f"{rejected}.", speaker="The Supreme Court", stance="denies", cue="rejected")
    b = claim("b:0", f"{dismissed}.", speaker="", cue=None)
    b = replace(b, speaker=None, voice="outlet")
    near = [PairSim(0.85, rejected, dismissed, 0.85, (0.9, 0.9, 0.9, 0.9))]
    assert [v.verdict for v in verdict_for(a, b, near)] == ["agrees"]
    # a denial against an assertion that takes no side stays apart
    upheld = "The Supreme Court considered the latest challenge to the health law on Thursday"
    c = replace(b, text=f"{upheld}.", proposition=upheld)
    near_c = [PairSim(0.85, rejected, upheld, 0.85, (0.9, 0.9, 0.9, 0.9))]
    assert not [v for v in verdict_for(a, c, near_c) if v.verdict == "agrees"]


def test_crosscheck_one_speakers_frame_is_not_one_statement() -> None:
    from corroborator.crosscheck import PairSim, verdict_for

    speaker = "Harbour Master Ola Berg"
    towed, lost = (
        "crews had towed the ferry for three hours",
        "the ferry had lost power in a squall",
    )
    a = claim("a:0", f"{speaker} said {towed}.", speaker=speaker)
    b = claim("b:0", f"{speaker} said {lost}.", speaker=speaker)
    soft = (0.8, 0.9, 0.8, 0.9)
    framed = PairSim(0.95, f"{speaker} said {towed}", f"{speaker} said {lost}", 0.95, soft)
    # the sentences are close for "Harbour Master Ola Berg said" alone: no agreement
    far = [framed, PairSim(0.39, towed, lost, 0.95, soft)]
    assert [v.verdict for v in verdict_for(a, b, far)] == ["related"]
    # the same frames around statements that are close themselves: one statement
    close = [framed, PairSim(0.8, towed, lost, 0.95, soft)]
    assert [v.verdict for v in verdict_for(a, b, close)] == ["agrees"]


def test_crosscheck_a_figure_rounded_to_its_last_digit_is_the_same() -> None:
    # "$741 billion" is "$740.5 billion" rounded; 969 is not 978 rounded
    a = Quantity(7.41e11, "741 billion defense bill", "dollar (bill)", "exact")
    b = Quantity(7.405e11, "740.5 billion bill", "dollar (bill)", "exact")
    assert compare_quantities(a, b) == "same"
    assert compare_quantities(q(969, unit="deaths"), q(978, unit="deaths")) == "conflicts"
    twenty = Quantity(20.6, "20.6 percent", "percent", "exact")
    assert compare_quantities(twenty, Quantity(21, "21 percent", "percent", "exact")) == "same"
    assert (
        compare_quantities(twenty, Quantity(20.9, "20.9 percent", "percent", "exact"))
        == "conflicts"
    )
    # a figure of one digit is no rounding of a figure near it
    one = Quantity(1e12, "1 trillion infrastructure bill", "dollar (bill)", "exact")
    one_two = Quantity(1.2e12, "1.2 trillion infrastructure bill", "dollar (bill)", "exact")
    assert compare_quantities(one, one_two) == "conflicts"


def test_crosscheck_one_sum_of_money_for_two_things_is_no_clash() -> None:
    # the same $25 million is a "settlement" in one and a "payout deal" in the other, which
    # names a larger $47 million settlement too: the sums match, no clash
    from corroborator.crosscheck import _figures_clash, figure_relation

    a = claim("a:0", "Weinstein reached a $25 million settlement with accusers", cue=None,
              quantities=(Quantity(2.5e7, "25 million settlement", "dollar (settlement)", "exact"),))  # fmt: skip
    b = claim("b:0", "Accusers reached a $25 million payout deal as part of a $47 million settlement",
              cue=None, quantities=(Quantity(2.5e7, "25 million payout deal", "dollar (deal)", "exact"),
                                    Quantity(4.7e7, "47 million settlement", "dollar (settlement)", "exact")))  # fmt: skip
    same, units, clash = figure_relation(a, b)
    assert same == ["25 million settlement"] and units == {"dollar"} and clash is None
    assert not _figures_clash(a, b)
    # without the shared sum, $25 million against $47 million for one settlement clashes
    c = claim("c:0", "Weinstein reached a $47 million settlement with accusers", cue=None,
              quantities=(Quantity(4.7e7, "47 million settlement", "dollar (settlement)", "exact"),))  # fmt: skip
    assert _figures_clash(a, c)


def test_crosscheck_the_clause_search_sees_the_clash_the_rules_see() -> None:
    # B states A's 24 (as "24 confirmed deaths") and A states B's 121: no clash in either
    # place (verdict_for's clause search once read a clash of 24 against 121 people)
    from corroborator.crosscheck import _figures_clash, judge_pair

    a = claim("a:0", "They have recovered the remains of 24 people, with 121 still missing",
              cue=None, quantities=(Quantity(24, "24 people", "people", "exact"),))  # fmt: skip
    b = claim("b:0", "The collapse resulted in 24 confirmed deaths, with 121 people unaccounted for",
              cue=None, quantities=(Quantity(24, "24 confirmed deaths", "death", "exact"),
                                    Quantity(121, "121 people", "people", "exact")))  # fmt: skip
    assert not _figures_clash(a, b)
    v = judge_pair(a, b, 0.9)
    assert v is None or v.kind != "quantity"


def test_crosscheck_a_denial_quoted_as_a_negated_statement_is_one_denial() -> None:
    from corroborator.crosscheck import PairSim

    said = claim("a:0", "\u201cNo money was paid to North Korea for Otto Warmbier,\u201d Trump said",
                 speaker="Trump")  # fmt: skip
    said = replace(said, proposition="No money was paid to North Korea for Otto Warmbier")
    denied = claim("b:0", "President Trump has denied paying North Korea money for Otto Warmbier",
                   speaker="Trump", stance="denies")  # fmt: skip
    denied = replace(denied, proposition="paying North Korea money for Otto Warmbier")
    sim = PairSim(0.93, said.proposition, denied.proposition)
    v = judge_pair(said, denied, sim)
    assert v is not None and v.verdict != "conflicts"
    # an assertion that is not negated against the denial still conflicts
    paid = replace(said, text="Money was paid to North Korea for Otto Warmbier, Trump said",
                   proposition="Money was paid to North Korea for Otto Warmbier")  # fmt: skip
    v = judge_pair(paid, denied, PairSim(0.93, paid.proposition, denied.proposition))
    assert v is not None and v.verdict == "conflicts" and v.kind == "stance"


def test_crosscheck_a_cue_only_the_model_proposed_gives_no_speaker_or_stance() -> None:
    # "Gov. Abbott signed the bill": the learned cue model may read "signed" as a cue; the
    # rules read the sentence as the outlet's, so neither "Abbott said the same in both"
    # nor a denial against an assertion comes of it
    signed = claim("a:0", "Texas Gov. Greg Abbott signed into law a bill that bans abortion",
                   speaker="Greg Abbott", stance="denies")  # fmt: skip
    signed = replace(signed, cue="signed", cue_kind="learned")
    said = claim("b:0", "Greg Abbott said he signed into law a bill that bans abortion",
                 speaker="Greg Abbott")  # fmt: skip
    v = judge_pair(signed, said, 0.95)
    assert v is None or (v.kind != "stance" and "said the same" not in v.reason)
    # read as a speech cue, the same pair is a stance conflict
    v = judge_pair(replace(signed, cue_kind="speech"), said, 0.95)
    assert v is not None and v.kind == "stance"

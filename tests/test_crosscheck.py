from __future__ import annotations

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


def test_crosscheck_exact_figures_conflict() -> None:
    a = claim("a:0", "14 workers were injured", quantities=(q(14, unit="workers"),))
    b = claim("b:0", "12 workers were injured", quantities=(q(12, unit="workers"),))
    v = judge_pair(a, b, 0.8)
    assert v is not None and v.verdict == "conflicts" and v.kind == "quantity"


def test_crosscheck_up_to_is_not_a_conflict() -> None:
    a = claim("a:0", "1,500 troops are in Russia", quantities=(q(1500),))
    b = claim("b:0", "up to 12,000 troops could go", quantities=(q(12000, "at_most"),))
    v = judge_pair(a, b, 0.8)
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
    a = claim("a:0", "Thirty people were killed, police said", quantities=(q(30, unit="people"),))
    b = claim("b:0", "At least 45 people died, hospital officials said",
              quantities=(q(45, unit="people", hedge="at_least"),))  # fmt: skip
    for cos in (0.3, 0.45, 0.6, 0.95):
        v = judge_pair(a, b, cos)
        assert v is None or v.verdict != "agrees"
    v = judge_pair(a, b, 0.8)
    assert v is not None and v.verdict == "conflicts" and v.kind == "quantity"


def test_crosscheck_same_speaker_opposite_stance_conflicts() -> None:
    a = claim("a:0", "The company broke safety rules", speaker="Larkfield")
    b = claim("b:0", "The company broke safety rules", speaker="Larkfield", stance="denies")
    v = judge_pair(a, b, 0.9)
    assert v is not None and v.verdict == "conflicts" and v.kind == "stance"


def test_crosscheck_same_quote_different_speakers_conflicts() -> None:
    words = '"We will not stand idly by while this goes on," '
    a = claim("a:0", words + "the minister said", speaker="the minister")
    b = claim("b:0", words + "the general said", speaker="the general")
    v = judge_pair(a, b, 0.9)
    assert v is not None and v.kind == "speaker"


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
    assert status["Deputy Fire Chief Da"] == "contradicted"
    assert "unverified" in status.values()
    twelve = next(c for c in result["claims"] if c["text"].startswith("Twelve"))
    assert {e["source"] for e in twelve["evidence"]} >= {"Global Wire"}


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
    from corroborator.crosscheck import _actor_merges

    keys = ["representative", "north korea representative", "north korea's un representative",
            "minister", "foreign minister", "defence minister", "south korea", "south korea's spy agency"]  # fmt: skip
    assert _actor_merges(keys) == {
        "representative": "north korea's un representative",
        "north korea representative": "north korea's un representative",
    }

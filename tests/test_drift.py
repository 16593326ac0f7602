"""Copy drift (drift.py): which facts a near copy changes, and how they reach the fact sheet.

The sentences and articles here are invented for these tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corroborator.drift import DriftDetector, Lexicon, compare_sentences, read_sentence

from .conftest import REPO, SEEDS, needs_data, needs_seeds


@pytest.fixture(scope="module")
def nlp() -> Any:
    return DriftDetector().nlp


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon()


def changes(nlp: Any, lexicon: Lexicon, old: str, new: str) -> list[tuple[str, str]]:
    return [
        (c.kind, c.reason)
        for c in compare_sentences(read_sentence(nlp(old)), read_sentence(nlp(new)), lexicon)
    ]


FIRE = "Fourteen workers were injured in the blaze at the plant, police said on Friday."


def test_drift_figure_in_words_and_digits(nlp: Any, lexicon: Lexicon) -> None:
    spun = "Forty employees were hurt in the fire at the facility, police stated on Friday."
    assert changes(nlp, lexicon, FIRE, spun) == [("figure", "the copy changes Fourteen to Forty")]
    assert changes(nlp, lexicon, "It cost 14 million pounds.", "It cost 40 million pounds.") == [
        ("figure", "the copy changes 14 million to 40 million")
    ]


def test_drift_number_written_another_way_is_benign(nlp: Any, lexicon: Lexicon) -> None:
    spun = "14 employees were hurt in the fire at the facility, police stated on Friday."
    assert changes(nlp, lexicon, FIRE, spun) == []


def test_drift_date(nlp: Any, lexicon: Lexicon) -> None:
    spun = "Fourteen employees were hurt in the fire at the facility, police stated on Sunday."
    assert changes(nlp, lexicon, FIRE, spun) == [
        ("date", "the copy changes the date: Friday to Sunday")
    ]
    kinds = changes(nlp, lexicon, "The plant opened in 2019.", "The factory opened in 2021.")
    assert [k for k, _ in kinds] == ["date"]


def test_drift_name_replaced(nlp: Any, lexicon: Lexicon) -> None:
    got = changes(
        nlp,
        lexicon,
        "Acme Chemicals bought the plant last year.",
        "Globex bought the factory last year.",
    )
    assert [k for k, _ in got] == ["name"]
    assert "Globex" in got[0][1] and "Acme Chemicals" in got[0][1]


def test_drift_place_replaced(nlp: Any, lexicon: Lexicon) -> None:
    got = changes(nlp, lexicon, "The fire broke out in Leeds.", "The blaze started in York.")
    assert got == [("place", "the copy says York where the original says Leeds")]


def test_drift_speaker_moved(nlp: Any, lexicon: Lexicon) -> None:
    got = changes(
        nlp,
        lexicon,
        "The plant was safe, John Harlow said.",
        "The factory was secure, Mary Quint stated.",
    )
    assert [k for k, _ in got] == ["speaker"]
    assert "Mary Quint" in got[0][1] and "John Harlow" in got[0][1]


def test_drift_title_rank_and_role(nlp: Any, lexicon: Lexicon) -> None:
    old = "The mayor said the plant would reopen."
    assert changes(nlp, lexicon, old, "The deputy mayor stated the factory would reopen.") == [
        ("title", "the copy makes the mayor a deputy mayor")
    ]
    assert changes(nlp, lexicon, old, "The governor stated the factory would reopen.") == [
        ("title", "the copy makes the mayor a governor")
    ]


def test_drift_title_synonym_is_benign(nlp: Any, lexicon: Lexicon) -> None:
    old = "The spokesman said the river was safe."
    assert changes(nlp, lexicon, old, "The spokesperson stated the stream was secure.") == []


def test_drift_negation_added_and_removed(nlp: Any, lexicon: Lexicon) -> None:
    old = "The chemicals posed a risk to residents."
    assert changes(nlp, lexicon, old, "The chemicals did not pose a danger to locals.") == [
        ("negation", "the copy adds 'not'")
    ]
    assert changes(nlp, lexicon, "The river was never safe.", "The stream was safe.") == [
        ("negation", "the copy drops 'never'")
    ]


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ("The firm denied the leak.", "the copy turns 'confirmed' into 'denied'"),
        (
            "The firm declined to confirm the leak.",
            "the copy turns 'confirmed' into 'declined to confirm'",
        ),
        ("The firm did not confirm the leak.", "the copy turns 'confirmed' into 'did not confirm'"),
    ],
)
def test_drift_stance_turned(nlp: Any, lexicon: Lexicon, new: str, reason: str) -> None:
    assert changes(nlp, lexicon, "The company confirmed the leak.", new) == [("stance", reason)]


def test_drift_admitted_rejected(nlp: Any, lexicon: Lexicon) -> None:
    got = changes(
        nlp, lexicon, "The minister admitted the error.", "The minister rejected the error."
    )
    assert [k for k, _ in got] == ["stance"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (FIRE, "Fourteen employees were hurt in the inferno at the factory, law enforcement noted on Friday."),
        ("Officials said the river was safe.", "Authorities stated the stream was secure."),
        ("The company denied the report.", "The firm rejected the account."),
        ("The company denied the report.", "The firm rebuffed the account."),
        ("Police said the road would reopen on Monday.", "On Monday the route would reopen, police remarked."),
        ("The council's decision was criticised by residents.", "The council's decision was criticized by locals."),
        ("John Harlow, the mayor of Leeds, said the plant was safe.", "John Harlow, the mayor of Leeds, remarked the facility was secure."),
        ("It did not happen, she said.", "It didn't occur, she stated."),
        ("Police Federation chairman Tom Reeve told her morale was low.", "Law enforcement Federation chairman Tom Reeve informed her morale was low."),
    ],
)  # fmt: skip
def test_drift_benign_spins_raise_nothing(nlp: Any, lexicon: Lexicon, old: str, new: str) -> None:
    assert changes(nlp, lexicon, old, new) == []


# --- through the pipeline ----------------------------------------------------------------
ORIGINAL = """Fire at Port Keldby plant injures 14

A fire at the Ostrava Solvents plant in Port Keldby injured 14 workers on Friday night, officials said.
Fire Chief Anna Roux said the blaze started in a storage hall shortly after 10 p.m.
The company confirmed that the plant had passed its last inspection in January.
The regional agency said it had measured no toxic release in the river.
Residents were allowed to return home on Saturday afternoon, the council said.
The cause of the fire is under investigation, police said.
"""


def _spun(figure: str = "14", cue: str = "confirmed") -> str:
    return f"""Fire at Port Keldby plant injures 14

A blaze at the Ostrava Solvents plant in Port Keldby hurt {figure} workers on Friday night, officials stated.
Fire Chief Anna Roux said the inferno started in a storage hall soon after 10 p.m.
The firm {cue} that the plant had passed its latest inspection in January.
The regional agency noted it had measured no toxic release in the river.
Locals were allowed to return home on Saturday afternoon, the council said.
The cause of the blaze is under investigation, police stated.
"""


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from corroborator.documents import stories_document
    from corroborator.pipeline import Options, Pipeline
    from corroborator.store import SqliteStore

    folder = tmp_path_factory.mktemp("drift")
    lines = [
        {"text": ORIGINAL, "outlet": "Keldby Wire", "published": "2026-03-14"},
        {"text": _spun("40", "denied"), "outlet": "Copy Daily", "published": "2026-03-15"},
        {"text": _spun(), "outlet": "Reworded Times", "published": "2026-03-15"},
    ]
    path = folder / "wire.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    store = SqliteStore(str(folder / "t.db"))
    pipe = Pipeline(store, Options(use_model=False))
    report = pipe.run([str(path)])
    checks = pipe.check_stories(report.stories, report)
    assert len(checks) == 1
    ids = report.article_ids
    doc = stories_document(store, report.stories, report, checks)
    return {"check": checks[0], "ids": ids, "doc": doc["stories"][0]}


def test_drift_pipeline_conflicts_between_copy_and_original(story: dict[str, Any]) -> None:
    check, (original, altered, benign) = story["check"], story["ids"]
    assert check.copies[altered].original_id == original
    assert check.copies[benign].original_id == original
    drifts = [v for v in check.verdicts if v.kind == "drift"]
    assert {v.extra["drift"] for v in drifts} == {"figure", "stance"}
    assert all(v.verdict == "conflicts" for v in drifts)
    assert all(v.a.startswith(original + ":") and v.b.startswith(altered + ":") for v in drifts)
    figure = next(v for v in drifts if v.extra["drift"] == "figure")
    assert figure.reason == "the copy changes 14 to 40"
    assert figure.extra["changed"] == [["14", "40"]]
    assert "40 workers" in check.claim(figure.b).text and "14 workers" in check.claim(figure.a).text
    stance = next(v for v in drifts if v.extra["drift"] == "stance")
    assert stance.reason == "the copy turns 'confirmed' into 'denied'"
    # the benign copy raises nothing, and a copy is never a second source
    assert not any(v.b.startswith(benign + ":") for v in check.verdicts if v.kind == "drift")
    assert check.source_of[altered] == check.source_of[original] == check.source_of[benign]
    assert not [f for f in check.facts if len(check.fact_sources(f)) > 1]


def test_drift_pipeline_json_html_markdown(story: dict[str, Any]) -> None:
    from corroborator.factsheet import to_html, to_markdown

    s = story["doc"]
    claim_ids = {c["id"] for c in s["claims"]}
    drifts = [v for v in s["conflicts"] if v["kind"] == "drift"]
    assert len(drifts) == 2 and all(set(v["claims"]) <= claim_ids for v in drifts)
    page = to_html(s)
    assert "Where a copy changes its original" in page
    assert "<mark>14</mark>" in page and "<mark>40</mark>" in page
    assert "<mark>denied</mark>" in page
    assert "No disagreement found between independent sources." in page
    md = to_markdown(s)
    assert "## Where a copy departs from its original" in md
    assert "**40**" in md and "the copy changes 14 to 40" in md


def test_drift_claimreview_reviews_the_copy_not_the_original(story: dict[str, Any]) -> None:
    from corroborator.factsheet import to_claimreview

    original, altered, _ = story["ids"]
    reviews = to_claimreview(story["doc"])
    assert reviews and all(r["itemReviewed"]["appearance"]["headline"] for r in reviews)
    reviewed = {r["claimReviewed"] for r in reviews}
    drifts = [v for v in story["check"].verdicts if v.kind == "drift"]
    assert reviewed == {story["check"].claim(v.b).text for v in drifts}
    for r in reviews:
        assert r["reviewRating"]["alternateName"].startswith("Disputed: its original in ")


@needs_seeds
def test_drift_seeds_raise_nothing(tmp_path: Path) -> None:
    """The two seeds are independent reports, not copies: no copy link, no drift."""
    from corroborator.pipeline import Options, Pipeline
    from corroborator.store import SqliteStore

    pipe = Pipeline(SqliteStore(str(tmp_path / "s.db")), Options(use_model=False))
    report = pipe.run([str(SEEDS)])
    checks = pipe.check_stories(report.stories, report)
    assert report.copies == 0
    assert not [v for c in checks for v in c.verdicts if v.kind == "drift"]


# --- the measure on held-out real articles -------------------------------------------------
@needs_data
def test_drift_eval_floors_on_held_out_sample() -> None:
    """scripts/eval_drift.py on a small held-out sample meets quality/drift_floors.json."""
    import sys

    sys.path.insert(0, str(REPO / "scripts"))
    from eval_drift import check_floors, evaluate

    floors = json.loads((REPO / "quality" / "drift_floors.json").read_text())
    sample = floors["test_sample"]
    measured = evaluate("test", sample["articles"])
    assert measured["copies"] >= sample["min_copies"]
    assert not check_floors(measured, sample), measured

"""The quality gate: figures on the shared development data must not drop below the floors
pinned in quality/floors.json."""

from __future__ import annotations

import json

import pytest

from .conftest import REPO, needs_data

FLOORS = json.loads((REPO / "quality" / "floors.json").read_text())


def check(measured: dict[str, float], floors: dict[str, float]) -> None:
    below = {
        k: (round(measured[k], 4), v)
        for k, v in floors.items()
        if isinstance(v, float) and measured[k] < v
    }
    assert not below, f"below the pinned floor (measured, floor): {below}"


@needs_data
def test_quality_story_grouping_on_allsides() -> None:
    from evaluation import evaluate_grouping

    measured = evaluate_grouping("test")
    assert measured["articles"] > 700
    check(measured, FLOORS["stories_allsides_test"])
    assert measured["order_gap"] <= 0.02, "story grouping depends on the arrival order"


def test_quality_floors_are_numbers_in_range() -> None:
    for name, floors in FLOORS.items():
        if name.startswith("_"):
            continue
        for key, value in floors.items():
            if key != "measured_by":
                assert isinstance(value, float) and 0.0 < value <= 1.0, (name, key)


@pytest.mark.parametrize("bad", [{"bcubed_recall": 0.1}])
def test_quality_check_fails_below_floor(bad: dict[str, float]) -> None:
    with pytest.raises(AssertionError):
        check(bad, {"bcubed_recall": 0.5})


@needs_data
def test_quality_attribution_on_polnear_dev() -> None:
    from evaluation import evaluate_attribution

    measured = evaluate_attribution("dev")
    assert measured["articles"] == 84
    check(measured, FLOORS["attribution_polnear_dev"])


@needs_data
@pytest.mark.slow
def test_quality_verdicts_on_the_held_out_claim_pairs() -> None:
    """The cross-check's verdicts on the held-out labelled claim pairs (a few minutes)."""
    from calibrate_verdicts import measure, score
    from claim_pairs import load_pairs

    from corroborator.crosscheck import CrossCheckOptions

    floors = json.loads((REPO / "quality" / "claim_pairs_floors.json").read_text())
    held = measure(list(load_pairs("heldout")))
    assert len(held) > 500
    check(score(held, CrossCheckOptions()), floors)  # type: ignore[arg-type]


@needs_data
@pytest.mark.slow
def test_quality_garble_signs_on_the_labelled_set() -> None:
    """Garble signs on quality/garble_set.json, held-out dev half (a few minutes)."""
    from garble_set import measure

    floors = json.loads((REPO / "quality" / "garble_floors.json").read_text())
    dev = measure()["dev"]
    assert dev["sentences"] == 300 and dev["garbled"] == 150
    check(dev, floors)

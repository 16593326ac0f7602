"""The labelled claim-pair set (quality/claim_pairs/) and its loader and scorer
(scripts/claim_pairs.py, scripts/eval_claim_pairs.py)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import DATA, REPO, needs_data

PAIRS = REPO / "quality" / "claim_pairs" / "pairs.jsonl"
README = REPO / "quality" / "claim_pairs" / "README.md"


def _script(name: str) -> ModuleType:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(REPO / "scripts"))


cp = _script("claim_pairs")


def readme_counts() -> dict[str, dict[str, int]]:
    """The label counts of the README's table: | split | agree | conflict | neither | all |"""
    out = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in ("dev", "heldout", "all") and cells[1].isdigit():
            out[cells[0]] = dict(zip(cp.LABELS, map(int, cells[1:4]), strict=True))
    return out


def test_claim_pairs_file_holds_references_and_labels_only() -> None:
    rows = cp.read_rows(PAIRS)
    assert len(rows) >= 450
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == {"id", "split", "label", "origin", "note", "story", "a", "b"}, r["id"]
        for side in ("a", "b"):
            assert set(r[side]) == {"file", "record", "start", "end", "sha1"}, r["id"]
            assert re.fullmatch(r"[0-9a-f]{12}", r[side]["sha1"])
        if r["label"] == "conflict":
            assert r["note"], f"{r['id']}: every conflict carries a note"
        assert len(r["note"]) < 200


def test_claim_pairs_splits_share_no_story_and_hold_every_label() -> None:
    rows = cp.read_rows(PAIRS)
    stories = {s: {r["story"] for r in rows if r["split"] == s} for s in cp.SPLITS}
    assert not stories["dev"] & stories["heldout"]
    for split in cp.SPLITS:
        labels = [r["label"] for r in rows if r["split"] == split]
        assert set(labels) == set(cp.LABELS), split
    n_dev = sum(r["split"] == "dev" for r in rows)
    assert 0.4 < n_dev / len(rows) < 0.6


def test_claim_pairs_readme_counts_match_the_file() -> None:
    rows = cp.read_rows(PAIRS)
    counted: dict[str, dict[str, int]] = {}
    for key in (*cp.SPLITS, "all"):
        sub = [r for r in rows if key == "all" or r["split"] == key]
        counted[key] = {label: sum(r["label"] == label for r in sub) for label in cp.LABELS}
    assert readme_counts() == counted
    assert counted["all"]["agree"] >= 120 and counted["all"]["conflict"] >= 60


def _fake_data(root: Path, body: str) -> Path:
    """An invented AllSides crawl of one story, in the shared data layout."""
    path = root / cp.ALLSIDES
    path.parent.mkdir(parents=True)
    story = {"id": 1, "news": {
        "left": {"newsSource": "Outlet L", "newsTitle": "Bridge opens", "newBody": [body]},
        "right": {"newsSource": "Outlet R", "newsTitle": "Bridge", "newBody": ["It opened."]},
    }}  # fmt: skip
    path.write_text(json.dumps(story) + "\n", encoding="utf-8")
    return root


def test_claim_pairs_reference_resolves_and_detects_changed_data(tmp_path: Path) -> None:
    body = "The bridge opened on Monday. It cost 40 million dollars."
    data = _fake_data(tmp_path / "v1", body)
    start = body.index("It cost")
    ref = cp.make_ref(cp.ALLSIDES, "1/left", start, len(body), data)
    assert ref.sha1 == hashlib.sha1(b"It cost 40 million dollars.").hexdigest()[:12]
    side = cp.resolve(ref, data)
    assert side.sentence == "It cost 40 million dollars."
    assert (side.outlet, side.title, side.article_text) == ("Outlet L", "Bridge opens", body)

    changed = _fake_data(tmp_path / "v2", body.replace("40", "45"))
    with pytest.raises(cp.DataChanged, match="no longer holds the labelled sentence"):
        cp.resolve(ref, changed)
    with pytest.raises(cp.DataChanged, match="record '9/left' not found"):
        cp.resolve(cp.Ref(cp.ALLSIDES, "9/left", 0, 3, ref.sha1), data)


def test_claim_pairs_scorer_counts_a_confusion_matrix(tmp_path: Path) -> None:
    ev = _script("eval_claim_pairs")
    body = "The bridge opened on Monday. It cost 40 million dollars."
    data = _fake_data(tmp_path, body)
    side = cp.resolve(cp.make_ref(cp.ALLSIDES, "1/left", 0, 28, data), data)
    gold = ["agree", "agree", "conflict", "neither", "neither"]
    pred = ["agree", "neither", "conflict", "conflict", "neither"]
    pairs = [
        cp.Pair(f"p{i}", "dev", g, "allsides", "", "1", side, side) for i, g in enumerate(gold)
    ]
    guess = dict(zip([p.id for p in pairs], pred, strict=True))
    result = ev.score(pairs, lambda p: guess[p.id])
    assert result["confusion"]["agree"] == {"agree": 1, "conflict": 0, "neither": 1}
    assert result["agree_precision"] == 1.0 and result["agree_recall"] == 0.5
    assert result["conflict_precision"] == 0.5 and result["conflict_recall"] == 1.0
    assert [e["id"] for e in result["errors"]] == ["p1", "p3"]


@needs_data
def test_claim_pairs_every_reference_resolves() -> None:
    pairs = list(cp.load_pairs("all", PAIRS, DATA))
    assert len(pairs) == len(cp.read_rows(PAIRS))
    text = PAIRS.read_text(encoding="utf-8")
    for p in pairs:
        for side in (p.a, p.b):
            assert side.sentence.strip() and side.span[1] <= len(side.article_text)
            # the repository holds references, never the sentences themselves
            assert side.sentence not in text
        assert p.a.article_key != p.b.article_key
        if p.a.outlet and p.b.outlet:
            assert p.a.outlet != p.b.outlet, p.id
    assert {k: v for k, v in cp.counts(pairs).items() if not k.startswith("origin:")} == (
        readme_counts()
    )


@needs_data
def test_claim_pairs_verdicts_come_from_the_claims_of_the_referenced_sentences() -> None:
    ev = _script("eval_claim_pairs")
    pairs = [p for p in cp.load_pairs("dev", PAIRS, DATA) if p.origin == "allsides"][:6]
    extract = ev.PairClaims(pairs)
    for p in pairs:
        found = extract(p)
        for side, claim in ((p.a, found.a), (p.b, found.b)):
            assert claim is not None, p.id
            assert claim.start < side.span[1] and side.span[0] < claim.end
    verdict_of = ev.make_verdict_of(pairs)
    assert {verdict_of(p) for p in pairs} <= set(cp.LABELS)

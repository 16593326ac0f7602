"""Tests of corroborator.entailment with the model shipped under models/entailment."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corroborator.entailment import (
    LABELS,
    DocumentVerdict,
    EntailmentModel,
    split_sentences,
    verify_document,
    verify_jsonl,
)
from corroborator.errors import ModelError
from corroborator.resources import shared_data

REPO_ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = REPO_ROOT / "models" / "entailment"
FLOORS = REPO_ROOT / "quality" / "entailment_floors.json"
DATA = shared_data()
needs_data = pytest.mark.skipif(
    not DATA.is_dir(),
    reason=f"shared data folder not found at {DATA}; skipping data-dependent test",
)

# Written for these tests (not taken from any data set).
ARTICLE = (
    "The city council met on Tuesday to discuss the new budget. "
    "Mayor Ana Ruiz said the budget would raise spending on schools by 12 percent. "
    "Opposition members criticised the plan, saying it ignored road repairs. "
    "The vote was postponed until next month. "
    "Local businesses have asked for lower parking fees."
)


@pytest.fixture(scope="module")
def model() -> EntailmentModel:
    return EntailmentModel(MODEL_DIR, batch_size=16)


def test_entailment_model_loads_offline_from_the_repository(model: EntailmentModel) -> None:
    files = {p.name for p in MODEL_DIR.iterdir()}
    assert {"model.onnx", "tokenizer.json", "config.json", "MODEL_CARD.md"} <= files
    assert sum(p.stat().st_size for p in MODEL_DIR.iterdir()) <= 60 * 1024 * 1024
    config = json.loads((MODEL_DIR / "config.json").read_text())
    assert tuple(config["labels"]) == LABELS
    probs = model.predict(["A man is sleeping."], ["A person is asleep."])
    assert probs.shape == (1, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)


def test_entailment_default_model_dir_is_the_shipped_one() -> None:
    assert EntailmentModel().model_dir.resolve() == MODEL_DIR.resolve()


def test_entailment_runtime_imports_neither_torch_nor_anything_at_import() -> None:
    code = (
        "import sys\n"
        "import corroborator.entailment as e\n"
        "assert 'onnxruntime' not in sys.modules, 'work at import time'\n"
        "m = e.EntailmentModel()\n"
        "m.predict(['It rained.'], ['It was dry.'])\n"
        "assert 'torch' not in sys.modules, 'torch imported at run time'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT, timeout=120)


def test_entailment_missing_model_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="train_entailment"):
        EntailmentModel(tmp_path)


def test_entailment_predict_keeps_input_order_and_handles_empty(model: EntailmentModel) -> None:
    assert model.predict([], []).shape == (0, 3)
    evidence = ["The sky is blue today.", ARTICLE, "A dog runs in a park."]
    claims = ["The sky is blue.", "The vote was postponed.", "A cat sleeps indoors."]
    together = model.predict(evidence, claims)
    one_by_one = np.vstack([model.predict([e], [c]) for e, c in zip(evidence, claims, strict=True)])
    assert np.allclose(together, one_by_one, atol=1e-4)
    with pytest.raises(ValueError):
        model.predict(["one"], ["one", "two"])


OBVIOUS = [
    (
        "North Korea denied sending troops to Russia.",
        "North Korea confirmed sending troops to Russia.",
        "contradicted",
    ),
    (
        "The company reported a profit of $5 million in 2023.",
        "The company made a profit in 2023.",
        "supported",
    ),
    (
        "The company reported a profit of $5 million in 2023.",
        "The company reported a profit of $8 million in 2023.",
        "contradicted",
    ),
    (
        "Police arrested three men after the attack in Manchester.",
        "Police arrested three men after the attack in Liverpool.",
        "contradicted",
    ),
    ("Smith said the plan would fail.", "Jones said the plan would fail.", "contradicted"),
    ("The minister resigned on Friday.", "The minister resigned on Monday.", "contradicted"),
    (
        "Police arrested three men after the attack in Manchester.",
        "Three men were arrested after the Manchester attack.",
        "supported",
    ),
    ("Two children are playing football in a park.", "Kids are playing outside.", "supported"),
    ("A woman is reading a book on a bench.", "A woman is sleeping in her bed.", "contradicted"),
    ("The minister resigned on Friday.", "The minister is 54 years old.", "neither"),
]


@pytest.mark.parametrize(("evidence", "claim", "label"), OBVIOUS)
def test_entailment_obvious_pairs_get_the_right_label(
    model: EntailmentModel, evidence: str, claim: str, label: str
) -> None:
    probs = model.predict([evidence], [claim])[0]
    assert LABELS[int(probs.argmax())] == label, dict(zip(LABELS, probs.round(3), strict=True))


def test_entailment_verify_document_reports_the_deciding_sentence(model: EntailmentModel) -> None:
    verdict = verify_document(model, "The vote was postponed.", ARTICLE)
    assert isinstance(verdict, DocumentVerdict)
    assert verdict.label == "supported"
    assert verdict.evidence_sentence == split_sentences(ARTICLE)[3]
    assert verdict.score >= 0.5

    verdict = verify_document(model, "The budget vote took place on Tuesday and passed.", ARTICLE)
    assert verdict.label != "supported"


def test_entailment_verify_document_contradiction(model: EntailmentModel) -> None:
    verdict = verify_document(
        model, "Mayor Ana Ruiz said the budget would cut spending on schools.", ARTICLE
    )
    assert verdict.label == "contradicted"
    assert verdict.evidence_sentence == split_sentences(ARTICLE)[1]
    assert verdict.p_contradicted >= 0.5


def test_entailment_verify_jsonl_handles_a_bad_line(model: EntailmentModel) -> None:
    lines = [
        json.dumps({"id": "a", "evidence": ARTICLE, "claim": "The vote was postponed."}),
        "{not json",
        json.dumps({"id": "c", "evidence": ARTICLE}),
        "",
        json.dumps(
            {
                "id": 4,
                "evidence": "Police arrested three men.",
                "claim": "Police arrested five men.",
            }
        ),
    ]
    out = io.StringIO()
    assert verify_jsonl(model, lines, out, progress=False) == 4
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == ["a", 2, "c", 4]
    assert set(records[0]) == {"id", "label", "score", "evidence_sentence"}
    assert records[0]["label"] in {"supported", "contradicted", "unverified"}
    assert "error" in records[1] and "error" in records[2]
    assert records[3]["label"] == "contradicted"


def _eval_module():
    spec = importlib.util.spec_from_file_location(
        "eval_entailment", REPO_ROOT / "scripts" / "eval_entailment.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_data
def test_entailment_quality_floors_on_a_fixed_subset(model: EntailmentModel) -> None:
    floors = json.loads(FLOORS.read_text())["test_subset"]
    ev = _eval_module()
    results = {}
    for name, limit in floors["limits"].items():
        results |= ev.run(model, DATA, limit, [name])
    for name, floor in floors["floors"].items():
        assert results[name]["value"] >= floor, (name, results[name])

"""Tests of corroborator.entailment with the model shipped under src/corroborator/models/entailment."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from datapaths import shared_data  # scripts/, put on sys.path by conftest

from corroborator.entailment import (
    LABELS,
    DocumentVerdict,
    EntailmentModel,
    chunk_words,
    claim_parts,
    evidence_budget,
    evidence_chunks,
    select_evidence,
    verify_document,
    verify_jsonl,
)
from corroborator.errors import ModelError
from corroborator.text import sentence_texts

REPO_ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = REPO_ROOT / "src" / "corroborator" / "models" / "entailment"
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
    return EntailmentModel(MODEL_DIR)


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
    batched = EntailmentModel(MODEL_DIR, batch_size=16).predict(evidence, claims)
    assert np.allclose(batched, one_by_one, atol=1e-4)
    with pytest.raises(ValueError):
        model.predict(["one"], ["one", "two"])


def test_entailment_a_pair_scores_the_same_whatever_it_is_read_with(model: EntailmentModel) -> None:
    alone = model.predict(["The minister resigned on Friday."], ["The minister resigned."])
    beside_others = model.predict(
        ["The minister resigned on Friday.", ARTICLE, "A dog runs in a park."],
        ["The minister resigned.", "The vote was postponed.", "A cat sleeps."],
    )[:1]
    assert np.allclose(alone, beside_others, atol=1e-6)
    spinning = EntailmentModel(MODEL_DIR, spin=True)
    again = spinning.predict(["The minister resigned on Friday."], ["The minister resigned."])
    assert np.allclose(alone, again, atol=1e-6)


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
    assert verdict.evidence_sentence == sentence_texts(ARTICLE)[3]
    assert verdict.score >= 0.5

    verdict = verify_document(model, "The mayor announced her resignation.", ARTICLE)
    assert verdict.label != "supported"


def test_entailment_verify_document_contradiction(model: EntailmentModel) -> None:
    # A changed figure (the model misses antonyms such as raise/cut: see MODEL_CARD.md)
    verdict = verify_document(
        model,
        "Mayor Ana Ruiz said the budget would raise spending on schools by 30 percent.",
        ARTICLE,
    )
    assert verdict.label == "contradicted"
    assert verdict.evidence_sentence == sentence_texts(ARTICLE)[1]
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


def test_entailment_select_evidence_picks_the_sentences_sharing_rare_words() -> None:
    sentences = sentence_texts(ARTICLE)
    # "schools" and "12" occur only in sentence 1; "budget" is in 0 and 1.
    assert select_evidence("Schools get 12 percent more.", sentences, 12) == [1]
    chosen = select_evidence("The budget vote was postponed.", sentences, 30)
    assert chosen == sorted(chosen) and 3 in chosen and 0 in chosen
    # No shared word: the opening sentences, as many as fit.
    assert select_evidence("Zebras migrate.", sentences, 25) == [0, 1]
    assert select_evidence("Anything.", [], 50) == []
    # The whole text when it fits.
    assert select_evidence("The vote.", sentences, 500) == [0, 1, 2, 3, 4]


def test_entailment_evidence_chunks_are_windows_ranked_by_shared_rare_words() -> None:
    sentences = sentence_texts(ARTICLE)
    # Windows of consecutive sentences within the word budget, the best first.
    chunks = evidence_chunks("The vote was postponed.", sentences, 20, 4)
    assert chunks[0] in ([2, 3], [3], [3, 4])
    assert all(c == list(range(c[0], c[-1] + 1)) for c in chunks)
    assert all(sum(len(sentences[i].split()) for i in c) <= 20 or len(c) == 1 for c in chunks)
    assert len(chunks) <= 4 and all(3 in c for c in chunks)  # only windows sharing a word
    # A long sentence is a window of its own; a window inside a chosen one is skipped.
    assert evidence_chunks("Schools get 12 percent more.", sentences, 5, 4) == [[1]]
    chunks = evidence_chunks("The budget vote.", sentences, 500, 4)
    assert chunks[0] == [0, 1, 2, 3, 4] and len(chunks) == 1
    # No shared word: the opening window only.
    assert evidence_chunks("Zebras migrate.", sentences, 25, 4) == [[0, 1]]
    assert evidence_chunks("Anything.", [], 50) == []


def test_entailment_chunk_words_leave_room_for_the_claim() -> None:
    assert chunk_words("A b c.", 128) > chunk_words("A b c.", 64) >= 25
    assert chunk_words(" ".join(["word"] * 150), 128) == 25


def test_entailment_a_long_article_is_read_to_its_end(model: EntailmentModel) -> None:
    # The deciding sentence comes after ~600 words of unrelated text: it is read all the same.
    filler = " ".join(
        f"Paragraph {i} of the report describes the weather in the northern valleys in detail."
        for i in range(45)
    )
    article = f"{filler} {ARTICLE}"
    verdict = verify_document(model, "The vote was postponed.", article)
    assert verdict.label == "supported"
    assert verdict.evidence_sentence == sentence_texts(ARTICLE)[3]


def test_entailment_evidence_budget_leaves_room_for_the_claim() -> None:
    short, long = evidence_budget("A b c."), evidence_budget(" ".join(["word"] * 150))
    assert short > long >= 60


def test_entailment_claim_parts_splits_sentences_and_keeps_fragments_attached() -> None:
    assert claim_parts("The vote was postponed. Mayor Ruiz said so.") == [
        "The vote was postponed.",
        "Mayor Ruiz said so.",
    ]
    assert claim_parts("Yes. The vote was postponed.") == ["Yes. The vote was postponed."]
    assert claim_parts("  one claim  ") == ["one claim"]


def test_entailment_a_claim_with_one_false_sentence_is_not_supported(
    model: EntailmentModel,
) -> None:
    both_true = "The vote was postponed until next month. Opposition members criticised the plan."
    one_false = (
        "The vote was postponed until next month. "
        "Mayor Ana Ruiz said the budget would not raise spending on schools."
    )
    assert verify_document(model, both_true, ARTICLE).label == "supported"
    verdict = verify_document(model, one_false, ARTICLE)
    assert verdict.label == "contradicted"
    assert verdict.evidence_sentence == sentence_texts(ARTICLE)[1]


def test_entailment_support_threshold_comes_from_the_model_config(tmp_path: Path) -> None:
    for name in ("model.onnx", "tokenizer.json"):
        (tmp_path / name).symlink_to(MODEL_DIR / name)
    config = json.loads((MODEL_DIR / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps(config | {"support_threshold": 0.99}))
    strict = EntailmentModel(tmp_path)
    assert strict.support_threshold == 0.99
    assert verify_document(strict, "The vote was postponed.", ARTICLE).label == "unverified"


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


@needs_data
def test_entailment_document_split_keeps_held_out_documents_out_of_training() -> None:
    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    try:
        import entailment_data as d
    finally:
        sys.path.remove(str(REPO_ROOT / "scripts"))
    items = (
        [it for pair in d.fib_pairs(DATA) for it in pair]
        + d.xsumfaith_items(DATA)
        + d.summedits_items(DATA)
    )
    parts = {part: d.in_part(items, part) for part in d.PARTS}
    assert sum(len(v) for v in parts.values()) == len(items)
    keys = {part: {it.key for it in v} for part, v in parts.items()}
    texts = {part: {it.doc for it in v} for part, v in parts.items()}
    assert not keys["eval"] & (keys["train"] | keys["dev"])
    assert not texts["eval"] & (texts["train"] | texts["dev"])
    # About half of the documents are held out, in every family.
    for family in ("fib", "xsumfaith", "summedits"):
        n = {p: len({it.key for it in v if it.source.startswith(family)}) for p, v in parts.items()}
        assert 0.35 < n["eval"] / sum(n.values()) < 0.65, (family, n)


def test_entailment_verify_command_reads_stdin_and_takes_a_threshold() -> None:
    lines = "\n".join(
        [
            json.dumps({"id": "p", "evidence": ARTICLE, "claim": "The vote was postponed."}),
            "not json",
        ]
    )
    run = [sys.executable, "-m", "corroborator", "verify", "-"]
    out = subprocess.run(run, input=lines, capture_output=True, text=True, check=True)
    first, second = (json.loads(line) for line in out.stdout.splitlines())
    assert first["id"] == "p" and first["label"] == "supported"
    assert first["evidence_sentence"] == sentence_texts(ARTICLE)[3]
    assert second["id"] == 2 and "not JSON" in second["error"]
    strict = subprocess.run(run + ["--threshold", "0.99"], input=lines, capture_output=True,
                            text=True, check=True)  # fmt: skip
    assert json.loads(strict.stdout.splitlines()[0])["label"] == "unverified"
    bad = subprocess.run(run + ["--threshold", "2"], input=lines, capture_output=True, text=True)
    assert bad.returncode != 0


def test_entailment_chunks_do_not_depend_on_the_string_hash_seed() -> None:
    """Windows covering the same claim words tie; the tie goes to the earlier window in
    every process (summing a set's words in its hash order once broke ties differently
    from one run to the next, and moved the held-out FIB figure by a claim or two)."""
    import subprocess
    import sys

    script = (
        "from corroborator.entailment import evidence_chunks\n"
        "w = 'harbour minister pension tunnel glacier orchard festival council tariff vaccine "
        "archive stadium bridge violin reactor'.split()\n"
        "s = []\n"
        "for k in range(12):\n"
        "    s.append(' '.join(w[(k * 7) % 15:] + w[: (k * 7) % 15][: k % 5]) + '.')\n"
        "    s.append('Nothing here at all ' + w[k % 15] + '.')\n"
        "print(evidence_chunks(' '.join(w), s, 20, k=6))\n"
    )
    outputs = set()
    for seed in ("1", "2", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                              text=True, check=True)  # fmt: skip
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs
    assert outputs.pop().startswith("[[0, 1], [17, 18]")


def test_training_document_pairs_can_be_balanced_per_set() -> None:
    """--doc-neither-ratio / --doc-supported-repeat: FIB's distractors outnumber its
    consistent summaries, so the training script can cap them per set (issue 16)."""
    import random

    spec = importlib.util.spec_from_file_location(
        "train_entailment", REPO_ROOT / "scripts" / "train_entailment.py"
    )
    assert spec and spec.loader
    t = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(t)
    from entailment_data import DocItem

    doc = "The council met on Monday. It approved the new budget for schools. Critics objected."
    items = [DocItem(doc, "The council approved a school budget.", True, "fib_xsum", "k1")]
    items += [
        DocItem(
            doc,
            f"The mayor resigned over topic {i} last year.",
            False,
            "fib_xsum",
            "k1",
            "The council approved a school budget.",
        )  # fmt: skip
        for i in range(6)
    ]
    items.append(DocItem(doc, "Critics objected to the budget.", True, "summedits_news", "k2"))
    plain, _ = t.generate_doc_pairs(items, random.Random(0), 256)
    assert sum(p[2] == "neither" for p in plain) == 6
    balanced, kinds = t.generate_doc_pairs(items, random.Random(0), 256, 2.0, 2)
    labels = [p[2] for p in balanced]
    assert labels.count("neither") == 2 and kinds["fib/neither_dropped"] == 4
    assert labels.count("supported") == 4  # two sets, one consistent summary each, listed twice
    assert labels.count("contradicted") == sum(p[2] == "contradicted" for p in plain)

"""Write an int8 copy of a float entailment model (tried for issue 16; not what ships).

    .venv/bin/pip install -e '.[train]'    # onnx; no torch needed
    .venv/bin/python scripts/quantize_entailment.py --from src/corroborator/models/entailment \\
        --out /tmp/entailment-int8

``scripts/train_entailment.py`` exports float16 weights; this script quantises the matrix
products of that graph to int8 per output channel (onnxruntime's dynamic quantisation:
weights int8, activations quantised on the fly; in the fused graph both the MatMul nodes and
the Attention nodes' QKV projection), keeping the word-piece table as float16, as
``scripts/export_minilm.py --int8-from`` does for the sentence encoder. On a CPU with
AVX-512 VNNI the int8 kernels ran about 1.4x faster (benchmarks/bench_entailment.py
--compare-dir). Not shipped (2026-12-02): it kept the sentence-level held-out figures but
lost 0.03 of balanced accuracy on FIB documents (MODEL_CARD.md); its config is the float
model's, so check it with ``scripts/eval_entailment.py --model-dir`` before shipping one.

It checks the copy against the float model on fixed pairs (SNLI test and news sentence pairs
from ../shared/data when present, else a few built-in pairs) and writes the argmax agreement
and the largest probability difference to config.json. The thresholds of the float model's
config (support, contradiction) are kept: accuracy is checked with ``make eval``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from datapaths import shared_data  # noqa: E402
from export_minilm import int8_graph  # noqa: E402

from corroborator.entailment import EntailmentModel  # noqa: E402
from corroborator.text import sentence_texts  # noqa: E402

CHECK_PAIRS = [
    ("Sales rose 5% in the third quarter.", "Sales fell."),
    ("Sales rose 5% in the third quarter.", "Sales went up."),
    ("The mayor said the budget would raise spending on schools by 12 percent.",
     "The budget cuts school spending."),
    ("A fire broke out at a chemical plant on Saturday, the fire service said.",
     "There was a fire at a plant."),
    ("Three of the injured workers were in serious condition, the hospital said.",
     "The central bank raised its main rate."),
]  # fmt: skip


def check_pairs(data: Path, n: int) -> list[tuple[str, str]]:
    """Fixed (evidence, claim) pairs: SNLI test and news sentences against FIB summaries."""
    pairs = list(CHECK_PAIRS)
    snli = data / "nli/snli/snli_1.0_test.jsonl"
    if snli.is_file():
        with open(snli, encoding="utf-8") as fh:
            for _, line in zip(range(n), fh, strict=False):
                r = json.loads(line)
                pairs.append((r["sentence1"], r["sentence2"]))
    rng = random.Random(0)
    for path in sorted((data / "consistency/fib").glob("*/*.jsonl"))[:2]:
        with open(path, encoding="utf-8") as fh:
            for _, line in zip(range(n // 2), fh, strict=False):
                r = json.loads(line)
                sentences = sentence_texts(r["input"])
                if sentences:
                    pairs.append((rng.choice(sentences), rng.choice(r["list_choices"])))
    return pairs


def quantize(src: Path, out: Path, data: Path, n: int) -> dict:
    """Write the int8 copy of ``src`` to ``out``; returns its agreement with ``src``."""
    config = json.loads((src / "config.json").read_text(encoding="utf-8"))
    if "int8" in str(config.get("precision", "")):
        raise SystemExit(f"{src} is already int8; quantise the float model it came from")
    pairs = check_pairs(data, n)
    ev, cl = [e for e, _ in pairs], [c for _, c in pairs]
    before = EntailmentModel(src, threads=1).predict(ev, cl)
    onnx_name = config.get("onnx", "model.onnx")
    staged = out / (onnx_name + ".new")
    out.mkdir(parents=True, exist_ok=True)
    ops = ["MatMul", "Attention"] if config.get("fused") else ["MatMul"]
    int8_graph(src / onnx_name, staged, ops)
    if src.resolve() != out.resolve():
        shutil.copy(src / "tokenizer.json", out / "tokenizer.json")
    staged.replace(out / onnx_name)
    config["precision"] = (
        "int8 matrix products (per output channel, dynamic activations), float16 word pieces"
    )
    config["int8_check"] = {}
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    after = EntailmentModel(out, threads=1).predict(ev, cl)
    check = {
        "pairs": len(pairs),
        "argmax_agreement": round(float((before.argmax(1) == after.argmax(1)).mean()), 4),
        "max_probability_difference": round(float(np.abs(before - after).max()), 4),
        "mean_probability_difference": round(float(np.abs(before - after).mean()), 4),
    }
    config["int8_check"] = check
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return check


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--from", dest="src", type=Path, required=True, help="float model folder (fp16 or fp32)"
    )
    p.add_argument("--out", type=Path, required=True, help="write the int8 model folder here")
    p.add_argument("--check", type=int, default=400, help="check pairs per source (SNLI, news)")
    args = p.parse_args(argv)
    check = quantize(args.src, args.out, shared_data(), args.check)
    print(f"wrote {args.out}: {json.dumps(check)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

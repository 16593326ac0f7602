"""Static text embeddings (model2vec) for candidate generation: stories, claim alignment."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

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

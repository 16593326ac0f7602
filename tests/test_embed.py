"""Tests of corroborator.embed: the static model and the MiniLM sentence encoder."""

from __future__ import annotations

import numpy as np
import pytest

from corroborator.embed import SentenceEncoder
from corroborator.errors import ModelError


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def test_embed_encoder_gives_unit_vectors_in_input_order(encoder: SentenceEncoder) -> None:
    texts = ["A fire broke out at the plant.", "", "The central bank raised rates to 3.75%."]
    v = encoder(texts)
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    # order kept whatever the batching: the same text alone gives the same vector
    assert np.allclose(encoder([texts[2]])[0], v[2], atol=1e-4)
    assert encoder([]).shape == (0, 384)


def test_embed_encoder_reads_paraphrases_as_close(encoder: SentenceEncoder) -> None:
    v = encoder(
        [
            "Seoul summoned Russia's ambassador on Monday.",
            "South Korea called in the Russian ambassador.",
            "The regatta was won by the Selden Sailing Club.",
        ]
    )
    assert v[0] @ v[1] > 0.6 > v[0] @ v[2] + 0.4


def test_embed_encoder_missing_model_is_a_model_error(tmp_path) -> None:
    with pytest.raises(ModelError, match="export_minilm"):
        SentenceEncoder(tmp_path)

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


def test_embed_story_encoder_is_the_int8_copy_and_reads_like_the_float_model(
    encoder: SentenceEncoder,
) -> None:
    from corroborator.resources import model_dir
    from corroborator.stories import STORY_ENCODER, StoryFeaturizer

    featurizer = StoryFeaturizer()
    story = featurizer.encoder
    assert isinstance(story, SentenceEncoder)
    # the int8 model is a different, smaller file than the float one (not a copy of it)
    small, full = model_dir(STORY_ENCODER) / "model.onnx", model_dir("minilm") / "model.onnx"
    assert small.stat().st_size < 0.9 * full.stat().st_size
    texts = [
        "Flooding forced 2,000 people from their homes in the river valley on Sunday.",
        "South Korea called in the Russian ambassador to demand the troops be withdrawn.",
        "The regatta was won by the Selden Sailing Club after a late change of wind.",
    ]
    a, b = encoder(texts), story(texts)
    cos = np.sum(a * b, axis=1)
    assert cos.min() > 0.97  # measured 0.992 at the lowest on the export script's sentences
    # and the int8 vectors keep unrelated texts apart as the float ones do
    assert b[0] @ b[2] < 0.5 and abs(float(b[0] @ b[2]) - float(a[0] @ a[2])) < 0.05

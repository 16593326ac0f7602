"""Fuzz targets in `make test`: every input kept under tests/fuzz_corpus/ (inputs that once
failed) is replayed, and each target runs a short Hypothesis search. `make fuzz` runs the
same targets for longer (scripts/fuzz.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from .fuzz_targets import CORPUS, STRATEGIES, TARGETS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CORPUS_FILES = sorted(p for p in CORPUS.glob("*/*") if p.is_file() and p.parent.name in TARGETS)


@pytest.mark.parametrize(
    "path", CORPUS_FILES, ids=[f"{p.parent.name}/{p.name[:12]}" for p in CORPUS_FILES]
)
def test_fuzz_corpus_replays(path: Path) -> None:
    TARGETS[path.parent.name](path.read_bytes())


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_short_search(target: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(STRATEGIES[target])
    def search(data: bytes) -> None:
        TARGETS[target](data)

    search()

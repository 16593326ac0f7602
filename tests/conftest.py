from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# scripts/ holds the code that reads ../shared (evaluation.py, datapaths.py, claim_pairs.py);
# tests import it by module name, as the scripts import one another.
sys.path.insert(0, str(REPO / "scripts"))
EXAMPLES = REPO / "examples"
SHARED = (REPO / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}; skipping seed tests"
)
needs_data = pytest.mark.skipif(
    not DATA.is_dir(),
    reason=f"shared data folder not found at {DATA}; skipping data-dependent test",
)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")

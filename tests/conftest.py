from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
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

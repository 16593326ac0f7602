"""Where the shared development data lives: ``../shared/data`` beside the repository.

Only the scripts, benchmarks and tests read it; the package never does (an installed wheel
has no repository around it). Set ``CORROBORATOR_SHARED_DATA`` to use another folder.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    """The shared development data folder (``CORROBORATOR_SHARED_DATA`` overrides it)."""
    env = os.environ.get("CORROBORATOR_SHARED_DATA")
    return Path(env) if env else (REPO / ".." / "shared" / "data").resolve()

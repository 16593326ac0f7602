"""Where the models that ship with corroborator live.

Models are package data under ``src/corroborator/models/`` (see each one's MODEL_CARD.md),
found with ``importlib.resources`` so an installed wheel works, and never downloaded. Set
``CORROBORATOR_MODELS`` to use another folder. Nothing here looks outside the package: the
development data (../shared/data) is found by scripts/datapaths.py, for scripts and tests.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .errors import ModelError


def models_root() -> Path:
    env = os.environ.get("CORROBORATOR_MODELS")
    return Path(env) if env else Path(str(resources.files("corroborator") / "models"))


def model_dir(name: str) -> Path:
    """The folder of the shipped model ``name``; a ModelError says how to get it back."""
    path = models_root() / name
    if not path.is_dir():
        raise ModelError(
            f"model {name!r} not found at {path}; reinstall corroborator (the wheel carries its "
            "models) or set CORROBORATOR_MODELS to the folder holding it"
        )
    return path

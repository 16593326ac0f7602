"""Storage: one narrow interface, one implementation per backend.

``open_store(path)`` returns a :class:`SqliteStore` (an embedded SQLite file, WAL mode).
Every stage's output is kept, so a later run only processes what is new.
"""

from __future__ import annotations

from .sqlite import SCHEMA_VERSION, SqliteStore

BACKENDS = {"sqlite": SqliteStore}

__all__ = ["SqliteStore", "open_store", "SCHEMA_VERSION", "BACKENDS"]


def open_store(path: str, create: bool = True) -> SqliteStore:
    """Open (and create, unless ``create`` is False) the database at ``path``."""
    return SqliteStore(path, create=create)

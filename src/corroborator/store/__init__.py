"""Storage: one narrow interface (:class:`Store`), one implementation per backend.

``open_store(db)`` picks the backend from ``db``: a ``postgresql://`` (or ``postgres://``)
URL opens a :class:`~corroborator.store.postgres.PostgresStore` (``pip install
corroborator[postgres]``), anything else is the path of an embedded SQLite file (WAL
mode), the default. Every stage's output is kept, so a later run only processes what is
new. Schema migrations (migrations.py) are applied on open; ``corroborator db upgrade``
applies them and lists what it did.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import Store
from .migrations import MIGRATIONS, SCHEMA_VERSION
from .sqlite import SqliteStore


def _postgres(db: str, create: bool = True, upgrade: bool = True) -> Store:
    from .postgres import PostgresStore  # psycopg is an optional dependency

    return PostgresStore(db, create=create, upgrade=upgrade)


#: URL scheme (or "sqlite" for a file path) -> the backend that opens it.
BACKENDS: dict[str, Callable[..., Store]] = {
    "sqlite": SqliteStore,
    "postgresql": _postgres,
    "postgres": _postgres,
}

__all__ = ["Store", "SqliteStore", "open_store", "backend_of", "SCHEMA_VERSION", "BACKENDS"]
__all__ += ["MIGRATIONS"]


def backend_of(db: str) -> str:
    """The ``BACKENDS`` key for ``db``: its URL scheme, or "sqlite" for a file path."""
    scheme, sep, _ = db.partition("://")
    return scheme.lower() if sep and scheme.lower() in BACKENDS else "sqlite"


def open_store(db: str, create: bool = True, upgrade: bool = True) -> Store:
    """Open (and create, unless ``create`` is False) the database ``db``, a file path or a
    ``postgresql://`` URL, applying missing migrations unless ``upgrade`` is False."""
    return BACKENDS[backend_of(db)](db, create=create, upgrade=upgrade)

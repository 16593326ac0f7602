"""The PostgreSQL store (psycopg 3): a shared database several machines write to.

It runs the same queries as the SQLite store (sqlite.py) through a connection that
translates the few words the two engines spell differently (:func:`translate`): ``?``
placeholders, ``INSERT OR REPLACE`` / ``INSERT OR IGNORE`` (an upsert keyed on the first
column, the primary key of every table), and the column types in migrations. Writers are
serialised by a transaction-wide advisory lock, as ``BEGIN IMMEDIATE`` does for SQLite, so
two ``corroborator ingest`` processes never race on arrival order or identity.

Install with ``pip install corroborator[postgres]``; open with
``--db postgresql://user@host/dbname`` (the database must exist; the schema is created).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..errors import StoreError
from .sqlite import SqliteStore

try:
    import psycopg
except ImportError as exc:  # pragma: no cover - depends on the install
    raise StoreError(
        "a postgresql:// database needs psycopg; install it with "
        "`pip install 'corroborator[postgres]'`"
    ) from exc

#: The advisory lock every write transaction holds (any constant; "corr" in ASCII).
WRITE_LOCK = 0x636F7272

_UPSERT = re.compile(r"^\s*INSERT OR (REPLACE|IGNORE) INTO (\w+)\s*\(([^)]*)\)(.*)$", re.S | re.I)
_TYPES = ((re.compile(r"\bBLOB\b"), "BYTEA"), (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"))


def translate(sql: str) -> str:
    """SQLite's spelling of a statement -> PostgreSQL's (only what the stores use)."""
    sql = sql.replace("%", "%%").replace("?", "%s")
    if re.match(r"\s*(CREATE|ALTER)\b", sql, re.I):
        for pattern, name in _TYPES:
            sql = pattern.sub(name, sql)
        return sql
    m = _UPSERT.match(sql)
    if m is None:
        return sql
    how, table, columns, rest = m.groups()
    names = [c.strip() for c in columns.split(",")]
    head = f"INSERT INTO {table}({', '.join(names)}){rest}"
    if how.upper() == "IGNORE":
        return f"{head} ON CONFLICT DO NOTHING"
    updates = ", ".join(f"{c}=EXCLUDED.{c}" for c in names[1:])
    return f"{head} ON CONFLICT ({names[0]}) DO UPDATE SET {updates}"


class Row(tuple[Any, ...]):
    """A result row read by position or by column name, as ``sqlite3.Row`` is."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)


def _row_factory(cursor: Any) -> Any:
    names = {c.name: k for k, c in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        row = Row(values)
        row.names = names
        return row

    return make


class _Connection:
    """psycopg's connection, spoken to in SQLite's SQL (``translate``)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.raw.execute(translate(sql), tuple(params))  # type: ignore[arg-type]

    def close(self) -> None:
        self.raw.close()


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


class PostgresStore(SqliteStore):
    """A PostgreSQL database; the schema is created and upgraded on open (unless
    ``upgrade`` is False: then call :meth:`upgrade`)."""

    def __init__(self, url: str, create: bool = True, upgrade: bool = True) -> None:
        self.path = _redact(url)
        try:
            raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to {self.path}: {str(exc).strip().splitlines()[0]}; check that "
                "the server is running and the database exists (createdb NAME)"
            ) from exc
        self.conn = _Connection(raw)  # type: ignore[assignment]
        exists = self.conn.execute("SELECT to_regclass('meta')").fetchone()[0] is not None
        if not create and not exists:
            self.close()
            raise StoreError(
                f"no corroborator database at {self.path}; run "
                f"`corroborator run PATH... --db {self.path}` first"
            )
        if upgrade:
            try:
                self.upgrade()
            except BaseException:
                self.close()
                raise

    @contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            self.conn.execute("BEGIN")
            self.conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
        except psycopg.Error as exc:
            self._rollback()
            raise StoreError(f"cannot write to {self.path} ({exc}); is the server up?") from exc
        try:
            yield
        except psycopg.Error as exc:
            self._rollback()
            raise StoreError(
                f"cannot write to {self.path} ({str(exc).strip().splitlines()[0]}); "
                "the database keeps what it held before"
            ) from exc
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except psycopg.Error as exc:
            raise StoreError(f"cannot write to {self.path} ({exc})") from exc

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except psycopg.Error:
            pass  # nothing was begun, or the connection is gone: nothing to undo

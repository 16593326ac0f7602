"""Schema migrations: the one list both store backends read.

Each migration has a number (its schema version) and a name; a store records the ones it
applied in its ``migrations`` table (with ``meta.schema_version`` kept for older releases)
and ``corroborator db upgrade`` runs the ones missing. Steps are written in the SQL both
engines speak, with ``?`` placeholders and SQLite's type names; the PostgreSQL backend
translates the few words that differ (``postgres.translate``). A step too intricate for
SQL is a function given the connection.

Add a migration at the end, never change one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from ..errors import StoreError
from ..identity import file_part


class Connection(Protocol):
    """What a migration step may call: ``execute`` with ``?`` placeholders."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...


@dataclass(frozen=True)
class Migration:
    number: int  # the schema version it brings a database to
    name: str
    step: str | Callable[[Connection], None]

    def apply(self, conn: Connection) -> None:
        if callable(self.step):
            self.step(conn)
            return
        for statement in self.step.split(";"):
            if statement.strip():
                conn.execute(statement)


def _identity_by_input(conn: Connection) -> None:
    """Schema 5: identity by input (identity.py). ``articles.text_key`` is the hash of the
    text and URL-or-outlet, which every article's id was until now, so it is the id;
    ``sources.location`` is an input's absolute path (NULL for the inputs stored before:
    their source is resolved when needed). An input without a URL that schema 4 folded into
    another file's article (the same text read from another file) is forgotten, so that
    reading it again makes it its own article, a word-for-word copy (the row is kept in
    ``folded_sources``). Nothing else changes: ids, copies, stories and claims stay."""
    conn.execute("ALTER TABLE articles ADD COLUMN text_key TEXT")
    conn.execute("UPDATE articles SET text_key=id")
    conn.execute("CREATE INDEX articles_text_key ON articles(text_key)")
    conn.execute("ALTER TABLE sources ADD COLUMN location TEXT")
    rows = conn.execute(
        "SELECT s.source, a.source FROM sources s JOIN articles a ON a.id=s.article_id"
        " WHERE a.url IS NULL"
    ).fetchall()
    conn.execute("CREATE TABLE folded_sources (source TEXT PRIMARY KEY, article_id TEXT NOT NULL)")
    for source, own in rows:
        if file_part(source) != file_part(own):
            conn.execute(
                "INSERT INTO folded_sources(source, article_id)"
                " SELECT source, article_id FROM sources WHERE source=?",
                (source,),
            )
            conn.execute("DELETE FROM sources WHERE source=?", (source,))


MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "initial",
        """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        source TEXT NOT NULL,
        fmt TEXT NOT NULL,
        url TEXT, outlet TEXT, title TEXT, published TEXT, wire TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        original TEXT NOT NULL,
        text TEXT NOT NULL,
        segments TEXT NOT NULL,
        removed TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL,
        processed INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_unprocessed ON articles(processed, published, seq);
    CREATE TABLE sources (source TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id));
    CREATE TABLE rejections (source TEXT PRIMARY KEY, reason TEXT NOT NULL, at TEXT NOT NULL);
    CREATE TABLE features (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        minhash BLOB NOT NULL, vector BLOB NOT NULL, entities TEXT NOT NULL
    );
    CREATE TABLE copies (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        original_id TEXT NOT NULL REFERENCES articles(id),
        kind TEXT NOT NULL, similarity REAL NOT NULL, departures TEXT NOT NULL
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY, seq INTEGER NOT NULL, title TEXT NOT NULL,
        centroid BLOB NOT NULL, n INTEGER NOT NULL, entities TEXT NOT NULL,
        first_published TEXT, last_published TEXT
    );
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL REFERENCES stories(id), score REAL NOT NULL
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE TABLE claims (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        version INTEGER NOT NULL, claims TEXT NOT NULL
    );
    """,
    ),
    # 2: arrival order is looked up on every insert; without an index that is a full scan.
    Migration(
        2,
        "articles_seq_index",
        """
    CREATE UNIQUE INDEX IF NOT EXISTS articles_seq ON articles(seq);
    """,
    ),
    # 3: stories from sentence embeddings + TF-IDF terms (stories.py). The old static vectors
    # cannot be compared with the new ones: the first half is redone on the next run (copies
    # are found again, claims are kept).
    Migration(
        3,
        "stories_from_sentence_embeddings",
        """
    CREATE TABLE story_terms (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        terms BLOB NOT NULL, weights BLOB NOT NULL, title TEXT, titled INTEGER NOT NULL
    );
    DELETE FROM story_articles;
    DELETE FROM stories;
    DELETE FROM copies;
    DELETE FROM features;
    UPDATE articles SET processed=0;
    """,
    ),
    # The detected language (language.py); NULL for articles stored before: English.
    Migration(
        4,
        "articles_language",
        """
    ALTER TABLE articles ADD COLUMN language TEXT;
    """,
    ),
    Migration(5, "identity_by_input", _identity_by_input),
    # The encoding an article's bytes were read in and the bytes replaced (ingest/text.py).
    Migration(
        6,
        "articles_encoding",
        """
    ALTER TABLE articles ADD COLUMN encoding TEXT;
    ALTER TABLE articles ADD COLUMN replaced INTEGER NOT NULL DEFAULT 0;
    """,
    ),
]


SCHEMA_VERSION = MIGRATIONS[-1].number
assert [m.number for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS migrations (
    number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL
)
"""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def applied(conn: Connection) -> list[int]:
    """The migrations recorded as applied. A database from before the ``migrations`` table
    has only ``meta.schema_version``: the migrations up to it are recorded now, as applied
    ``before-records``."""
    numbers = [int(r[0]) for r in conn.execute("SELECT number FROM migrations ORDER BY number")]
    if not numbers:
        for m in MIGRATIONS[: version(conn)]:
            _record(conn, m, "before-records")
            numbers.append(m.number)
    return numbers


def _record(conn: Connection, m: Migration, at: str) -> None:
    conn.execute(
        "INSERT INTO migrations(number, name, applied_at) VALUES (?, ?, ?)", (m.number, m.name, at)
    )


def version(conn: Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return int(row[0]) if row else 0


def upgrade(
    conn: Connection,
    transaction: Callable[[], AbstractContextManager[None]],
    where: str,
) -> list[str]:
    """Apply the migrations ``conn`` lacks, each in its own transaction; their names."""
    with transaction():
        for statement in _TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)
        current = version(conn)
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"database {where} has schema {current}, newer than this corroborator "
                f"({SCHEMA_VERSION}); upgrade corroborator"
            )
        done = set(applied(conn))
    names = []
    for m in pending(done):
        with transaction():
            q = "SELECT 1 FROM migrations WHERE number=?"
            if conn.execute(q, (m.number,)).fetchone() is not None:
                continue  # another process applied it meanwhile
            m.apply(conn)
            _record(conn, m, _now())
            conn.execute("DELETE FROM meta WHERE key='schema_version'")
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (str(m.number),)
            )
        names.append(f"{m.number:04d}_{m.name}")
    return names


def pending(done: set[int]) -> Iterator[Migration]:
    return (m for m in MIGRATIONS if m.number not in done)

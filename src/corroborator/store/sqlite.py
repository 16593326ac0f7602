"""The SQLite store: schema, migrations and the queries the pipeline needs."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NotFound, StoreError
from ..identity import KnownInput, file_part
from ..records import Article, CopyLink, Departure, Residue

SCHEMA_VERSION = 6


def _identity_by_input(conn: sqlite3.Connection) -> None:
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


MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection], None]] = {
    1: """
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
    # 2: arrival order is looked up on every insert; without an index that is a full scan.
    2: """
    CREATE UNIQUE INDEX IF NOT EXISTS articles_seq ON articles(seq);
    """,
    # 3: stories from sentence embeddings + TF-IDF terms (stories.py). The old static vectors
    # cannot be compared with the new ones: the first half is redone on the next run (copies
    # are found again, claims are kept).
    3: """
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
    # The detected language (language.py); NULL for articles stored before: English.
    4: """
    ALTER TABLE articles ADD COLUMN language TEXT;
    """,
    5: _identity_by_input,
    # The encoding an article's bytes were read in and the bytes replaced (ingest/text.py).
    6: """
    ALTER TABLE articles ADD COLUMN encoding TEXT;
    ALTER TABLE articles ADD COLUMN replaced INTEGER NOT NULL DEFAULT 0;
    """,
}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SqliteStore:
    """An embedded SQLite database file; the schema is created and migrated on open."""

    def __init__(self, path: str, create: bool = True) -> None:
        self.path = path
        target = Path(path)
        if not target.parent.is_dir():
            raise StoreError(
                f"cannot create database {path}: folder {target.parent} does not exist; "
                "create it or choose another --db"
            )
        if not create and not target.exists():
            raise StoreError(
                f"no database at {path}; run `corroborator run PATH... --db {path}` first"
            )
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            #: the file opened (device, inode): a write checks it is still at ``path``
            self._identity = self._file_identity()
            self._migrate()
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"cannot open database {path}: {exc}; check that the file and its folder "
                "can be read and written"
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open database {path}: {exc}; is it a corroborator SQLite file?"
            ) from exc

    # --- housekeeping -------------------------------------------------------------
    def _migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"database {self.path} has schema {version}, newer than this corroborator "
                f"({SCHEMA_VERSION}); upgrade corroborator"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            migration = MIGRATIONS[target]
            with self.transaction():
                if callable(migration):
                    migration(self.conn)
                else:
                    for statement in migration.split(";"):
                        if statement.strip():
                            self.conn.execute(statement)
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                    (str(target),),
                )

    def _file_identity(self) -> tuple[int, int] | None:
        if self.path == ":memory:" or self.path.startswith("file:"):
            return None
        try:
            st = os.stat(self.path)
        except OSError:
            return (-1, -1)  # gone
        return (st.st_dev, st.st_ino)

    def _check_still_there(self) -> None:
        """Refuse to write when the database file is no longer at its path (its folder was
        removed, moved or replaced during the run): SQLite would go on writing into a file
        nobody can reach, and the run would end 'successfully' having kept nothing."""
        if self._identity is not None and self._file_identity() != self._identity:
            raise StoreError(
                f"database {self.path} disappeared during the run (its file or folder was "
                "removed, moved or replaced); nothing more was written to it. Restore it, "
                "or run again to start a new one"
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._check_still_there()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"cannot write to {self.path} ({exc}); is another corroborator run using it? "
                "wait for it to finish or use another --db"
            ) from exc
        try:
            yield
        except sqlite3.OperationalError as exc:  # read-only file or folder, disk full, I/O
            self._rollback()
            raise StoreError(
                f"cannot write to {self.path} ({exc}); check that the file and its folder are "
                "writable and the disk has room; the database keeps what it held before"
            ) from exc
        except BaseException:
            self._rollback()
            raise
        try:
            self._check_still_there()
        except StoreError:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to {self.path} ({exc}); is the disk full?") from exc

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # nothing was begun, or the file is gone: nothing to undo

    def close(self) -> None:
        self.conn.close()

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0])

    # --- articles -----------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        q = "SELECT 1 FROM articles WHERE id=?"
        return self.conn.execute(q, (article_id,)).fetchone() is not None

    def has_source(self, source: str) -> bool:
        q = "SELECT 1 FROM sources WHERE source=?"
        return self.conn.execute(q, (source,)).fetchone() is not None

    def add_article(
        self, article: Article, text_key: str | None = None, location: str | None = None
    ) -> bool:
        """Store an article and the input it came from (``location``: its absolute path,
        identity.location); False if it was already known. ``text_key`` is the hash of its
        text and URL-or-outlet (identity.py), the id itself unless it is a republication."""
        new = not self.has_article(article.id)
        if new:
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
            self.conn.execute(
                "INSERT INTO articles (id, seq, source, fmt, url, outlet, title, published, wire,"
                " authors, original, text, segments, removed, ingested_at, language, text_key,"
                " encoding, replaced) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    article.id, seq, article.source, article.fmt, article.url, article.outlet,
                    article.title, article.published, article.wire,
                    json.dumps(list(article.authors)), article.original, article.text,
                    json.dumps([list(s) for s in article.segments]),
                    json.dumps([asdict(r) for r in article.removed]), _now(),
                    article.language, text_key or article.id, article.encoding, article.replaced,
                ),
            )  # fmt: skip
        self.conn.execute(
            "INSERT OR IGNORE INTO sources(source, article_id, location) VALUES (?, ?, ?)",
            (article.source, article.id, location),
        )
        self.conn.execute("DELETE FROM rejections WHERE source=?", (article.source,))
        return new

    def inputs_with_key(self, text_key: str) -> list[KnownInput]:
        """The inputs already stored for articles of this text key (identity.py)."""
        rows = self.conn.execute(
            "SELECT a.id, a.url, s.source, s.location, a.seq FROM articles a"
            " JOIN sources s ON s.article_id=a.id WHERE a.text_key=?"
            # an article's own input, should its row name another article (a file edited)
            " UNION SELECT id, url, source, NULL, seq FROM articles WHERE text_key=?"
            " ORDER BY 5, 3, 4 DESC",
            (text_key, text_key),
        )
        return [KnownInput(r[0], r[1], r[2], r[3]) for r in rows]

    def add_rejection(self, source: str, reason: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO rejections(source, reason, at) VALUES (?, ?, ?)",
            (source, reason, _now()),
        )

    def rejections(self) -> list[tuple[str, str]]:
        rows = self.conn.execute("SELECT source, reason FROM rejections ORDER BY source")
        return [(r[0], r[1]) for r in rows]

    @staticmethod
    def _article(row: sqlite3.Row) -> Article:
        return Article(
            id=row["id"],
            source=row["source"],
            fmt=row["fmt"],
            original=row["original"],
            text=row["text"],
            segments=tuple(tuple(s) for s in json.loads(row["segments"])),  # type: ignore[misc]
            url=row["url"],
            outlet=row["outlet"],
            title=row["title"],
            published=row["published"],
            authors=tuple(json.loads(row["authors"])),
            removed=tuple(Residue(**r) for r in json.loads(row["removed"])),
            wire=row["wire"],
            language=row["language"],
            encoding=row["encoding"],
            replaced=row["replaced"],
        )

    def article(self, article_id: str) -> Article:
        row = self.conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article {article_id!r} in {self.path}")
        return self._article(row)

    def articles(self, ids: Iterable[str] | None = None) -> list[Article]:
        if ids is None:
            rows = self.conn.execute("SELECT * FROM articles ORDER BY seq").fetchall()
            return [self._article(r) for r in rows]
        return [self.article(i) for i in ids]

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def seqs(self) -> dict[str, int]:
        """Arrival order of every article."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, seq FROM articles")}

    def unprocessed(self) -> list[str]:
        """Ids waiting for copies and stories, in a fixed order (publication, then arrival)."""
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE processed=0 ORDER BY COALESCE(published, '9999'), seq"
        )
        return [r[0] for r in rows]

    def mark_processed(self, article_id: str) -> None:
        self.conn.execute("UPDATE articles SET processed=1 WHERE id=?", (article_id,))

    # --- features -----------------------------------------------------------------
    def put_features(
        self, article_id: str, minhash: np.ndarray, vector: np.ndarray, entities: list[str]
    ) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO features(article_id, minhash, vector, entities)"
            " VALUES (?,?,?,?)",
            (
                article_id,
                minhash.astype(np.uint64).tobytes(),
                vector.astype(np.float32).tobytes(),
                json.dumps(entities),
            ),
        )

    def features(
        self, processed_only: bool = True
    ) -> Iterator[tuple[str, np.ndarray, np.ndarray, list[str]]]:
        q = "SELECT f.* FROM features f JOIN articles a ON a.id=f.article_id"
        if processed_only:
            q += " WHERE a.processed=1"
        q += " ORDER BY a.seq"
        for row in self.conn.execute(q):
            yield (
                row["article_id"],
                np.frombuffer(row["minhash"], dtype=np.uint64),
                np.frombuffer(row["vector"], dtype=np.float32),
                json.loads(row["entities"]),
            )

    # --- copies -------------------------------------------------------------------
    def put_copy(self, link: CopyLink) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO copies(article_id, original_id, kind, similarity, departures)"
            " VALUES (?,?,?,?,?)",
            (
                link.article_id,
                link.original_id,
                link.kind,
                link.similarity,
                json.dumps([asdict(d) for d in link.departures]),
            ),
        )

    def delete_copy(self, article_id: str) -> None:
        self.conn.execute("DELETE FROM copies WHERE article_id=?", (article_id,))

    def copies(self) -> dict[str, CopyLink]:
        out = {}
        for row in self.conn.execute("SELECT * FROM copies"):
            out[row["article_id"]] = CopyLink(
                article_id=row["article_id"],
                original_id=row["original_id"],
                kind=row["kind"],
                similarity=row["similarity"],
                departures=tuple(Departure(**d) for d in json.loads(row["departures"])),
            )
        return out

    # --- stories ------------------------------------------------------------------
    def put_story(self, story: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO stories(id, seq, title, centroid, n, entities,"
            " first_published, last_published) VALUES (?,?,?,?,?,?,?,?)",
            (
                story["id"],
                story["seq"],
                story["title"],
                np.asarray(story["centroid"], dtype=np.float32).tobytes(),
                story["n"],
                json.dumps(story["entities"]),
                story.get("first_published"),
                story.get("last_published"),
            ),
        )

    def put_story_terms(
        self,
        article_id: str,
        terms: np.ndarray,
        weights: np.ndarray,
        title: str | None,
        titled: bool,
    ) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO story_terms(article_id, terms, weights, title, titled)"
            " VALUES (?,?,?,?,?)",
            (
                article_id,
                np.asarray(terms, dtype=np.int64).tobytes(),
                np.asarray(weights, dtype=np.float32).tobytes(),
                title,
                int(titled),
            ),
        )

    def story_members(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(story id, the member's story features as stored) for every grouped article."""
        q = (
            "SELECT sa.story_id, sa.article_id, a.published, a.language, f.vector, f.entities,"
            " t.terms,"
            " t.weights, t.title, t.titled FROM story_articles sa"
            " JOIN articles a ON a.id=sa.article_id JOIN features f ON f.article_id=sa.article_id"
            " JOIN story_terms t ON t.article_id=sa.article_id ORDER BY a.seq"
        )
        for row in self.conn.execute(q):
            yield (
                row["story_id"],
                {
                    "article_id": row["article_id"],
                    "published": row["published"],
                    "language": row["language"],
                    "dense": np.frombuffer(row["vector"], dtype=np.float32),
                    "terms": np.frombuffer(row["terms"], dtype=np.int64),
                    "weights": np.frombuffer(row["weights"], dtype=np.float32),
                    "title": row["title"],
                    "titled": bool(row["titled"]),
                    "entities": json.loads(row["entities"]),
                },
            )

    def save_stories(
        self,
        stories: Iterable[dict[str, Any]],
        members: Iterable[tuple[str, str, float]],
        removed: Iterable[str] = (),
    ) -> None:
        """Write what one grouping step changed: stories (new or changed), the story and score
        of each article placed or moved, then the stories merged away."""
        for story in stories:
            self.put_story(story)
        for article_id, story_id, score in members:
            self.assign_story(article_id, story_id, score)
        for story_id in removed:
            self.delete_story(story_id)

    def delete_story(self, story_id: str) -> None:
        """Remove a story that consolidation merged away (its members are reassigned first)."""
        self.conn.execute("DELETE FROM stories WHERE id=?", (story_id,))

    def story_states(self) -> list[dict[str, Any]]:
        out = []
        for row in self.conn.execute("SELECT * FROM stories ORDER BY seq"):
            out.append(
                {
                    "id": row["id"],
                    "seq": row["seq"],
                    "title": row["title"],
                    "centroid": np.frombuffer(row["centroid"], dtype=np.float32).copy(),
                    "n": row["n"],
                    "entities": json.loads(row["entities"]),
                    "first_published": row["first_published"],
                    "last_published": row["last_published"],
                }
            )
        return out

    def assign_story(self, article_id: str, story_id: str, score: float) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO story_articles(article_id, story_id, score) VALUES (?,?,?)",
            (article_id, story_id, score),
        )

    def story_of(self, article_id: str) -> str | None:
        q = "SELECT story_id FROM story_articles WHERE article_id=?"
        row = self.conn.execute(q, (article_id,)).fetchone()
        return row[0] if row else None

    def story(self, story_id: str) -> tuple[str, list[str]]:
        """(title, article ids in arrival order) of one story."""
        row = self.conn.execute("SELECT title FROM stories WHERE id=?", (story_id,)).fetchone()
        if row is None:
            raise NotFound(
                f"no story {story_id!r} in {self.path}; `corroborator stories` lists them"
            )
        ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id=sa.article_id"
                " WHERE sa.story_id=? ORDER BY a.seq",
                (story_id,),
            )
        ]
        return str(row[0]), ids

    def stories(self) -> list[tuple[str, str, list[str]]]:
        """(story id, title, article ids in arrival order), stories in creation order."""
        out = []
        for row in self.conn.execute("SELECT id, title FROM stories ORDER BY seq").fetchall():
            ids = [
                r[0]
                for r in self.conn.execute(
                    "SELECT sa.article_id FROM story_articles sa JOIN articles a"
                    " ON a.id=sa.article_id WHERE sa.story_id=? ORDER BY a.seq",
                    (row["id"],),
                )
            ]
            out.append((row["id"], row["title"], ids))
        return out

    def find_story(self, prefix: str) -> str:
        rows = self.conn.execute(
            "SELECT id FROM stories WHERE id LIKE ? ORDER BY seq", (prefix + "%",)
        ).fetchall()
        if not rows:
            raise NotFound(f"no story {prefix!r} in {self.path}; `corroborator stories` lists them")
        if len(rows) > 1:
            raise NotFound(f"story id {prefix!r} is ambiguous ({len(rows)} match); give more of it")
        return str(rows[0][0])

    def sources_of(self, article_id: str) -> list[str]:
        q = "SELECT source FROM sources WHERE article_id=? ORDER BY source"
        return [r[0] for r in self.conn.execute(q, (article_id,))]

    # --- claims -------------------------------------------------------------------
    def put_claims(self, article_id: str, version: int, claims: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO claims(article_id, version, claims) VALUES (?,?,?)",
            (article_id, version, json.dumps(claims)),
        )

    def get_claims(self, article_id: str, version: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT claims FROM claims WHERE article_id=? AND version=?", (article_id, version)
        ).fetchone()
        return dict(json.loads(row[0])) if row else None

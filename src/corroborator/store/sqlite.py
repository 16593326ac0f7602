"""The SQLite store: an embedded file, and the queries the pipeline needs.

The queries are written in the SQL that SQLite and PostgreSQL both speak (``?``
placeholders, ``INSERT OR REPLACE`` for an upsert by the first column); the PostgreSQL
backend (postgres.py) runs the same methods through a connection that translates them.
Writers are serialised: ``transaction()`` is ``BEGIN IMMEDIATE`` here, a transaction-wide
advisory lock there, so arrival order (``MAX(seq) + 1``) cannot race.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..claims.records import ArticleClaims
from ..errors import NotFound, StoreError
from ..identity import KnownInput
from ..records import (
    Article,
    CopyLink,
    Departure,
    Residue,
    StoredFeatures,
    StoredStory,
    StoryMember,
)
from . import migrations


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SqliteStore:
    """An embedded SQLite database file; the schema is created and upgraded on open
    (unless ``upgrade`` is False: then call :meth:`upgrade`)."""

    def __init__(self, path: str, create: bool = True, upgrade: bool = True) -> None:
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
            if upgrade:
                self.upgrade()
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
    def upgrade(self) -> list[str]:
        """Apply the schema migrations this database lacks (migrations.py); their names."""
        return migrations.upgrade(self.conn, self.transaction, self.path)

    def applied_migrations(self) -> list[str]:
        rows = self.conn.execute("SELECT number, name FROM migrations ORDER BY number")
        return [f"{int(r[0]):04d}_{r[1]}" for r in rows]

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
        return migrations.version(self.conn)

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
            " ORDER BY 5, 3, 4 DESC NULLS LAST",  # the same order in PostgreSQL
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

    def is_processed(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT processed FROM articles WHERE id=?", (article_id,))
        found = row.fetchone()
        return bool(found and found[0])

    def processed_count(self) -> int:
        """How many articles are grouped: another writer grouped some when it changes."""
        q = "SELECT COUNT(*) FROM articles WHERE processed=1"
        return int(self.conn.execute(q).fetchone()[0])

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

    def features(self, processed_only: bool = True) -> Iterator[StoredFeatures]:
        q = "SELECT f.* FROM features f JOIN articles a ON a.id=f.article_id"
        if processed_only:
            q += " WHERE a.processed=1"
        q += " ORDER BY a.seq"
        for row in self.conn.execute(q):
            yield StoredFeatures(
                row["article_id"],
                np.frombuffer(row["minhash"], dtype=np.uint64),
                np.frombuffer(row["vector"], dtype=np.float32),
                tuple(json.loads(row["entities"])),
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
    def _put_story(self, story: StoredStory) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO stories(id, seq, title, centroid, n, entities,"
            " first_published, last_published) VALUES (?,?,?,?,?,?,?,?)",
            (
                story.id,
                story.seq,
                story.title,
                np.asarray(story.centroid, dtype=np.float32).tobytes(),
                story.n,
                json.dumps(story.entities),
                story.first_published,
                story.last_published,
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

    def story_members(self) -> Iterator[StoryMember]:
        """(story id, the member's story features as stored) for every grouped article."""
        q = (
            "SELECT sa.story_id, sa.article_id, a.published, a.language, f.vector, f.entities,"
            " t.terms,"
            " t.weights, t.title, t.titled FROM story_articles sa"
            " JOIN articles a ON a.id=sa.article_id JOIN features f ON f.article_id=sa.article_id"
            " JOIN story_terms t ON t.article_id=sa.article_id ORDER BY a.seq"
        )
        for row in self.conn.execute(q):
            yield StoryMember(
                story_id=row["story_id"],
                article_id=row["article_id"],
                published=row["published"],
                language=row["language"],
                dense=np.frombuffer(row["vector"], dtype=np.float32),
                terms=np.frombuffer(row["terms"], dtype=np.int64),
                weights=np.frombuffer(row["weights"], dtype=np.float32),
                title=row["title"],
                titled=bool(row["titled"]),
                entities=tuple(json.loads(row["entities"])),
            )

    def save_stories(
        self,
        stories: Iterable[StoredStory],
        members: Iterable[tuple[str, str, float]],
        removed: Iterable[str] = (),
    ) -> None:
        """Write what one grouping step changed: stories (new or changed), the story and score
        of each article placed or moved, then the stories merged away."""
        for story in stories:
            self._put_story(story)
        for article_id, story_id, score in members:
            self.conn.execute(
                "INSERT OR REPLACE INTO story_articles(article_id, story_id, score) VALUES (?,?,?)",
                (article_id, story_id, score),
            )
        for story_id in removed:  # merged away by consolidation (members reassigned above)
            self.conn.execute("DELETE FROM stories WHERE id=?", (story_id,))

    def story_states(self) -> list[StoredStory]:
        return [
            StoredStory(
                id=row["id"],
                seq=row["seq"],
                title=row["title"],
                centroid=np.frombuffer(row["centroid"], dtype=np.float32).copy(),
                n=row["n"],
                entities=json.loads(row["entities"]),
                first_published=row["first_published"],
                last_published=row["last_published"],
            )
            for row in self.conn.execute("SELECT * FROM stories ORDER BY seq")
        ]

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

    # --- claims -------------------------------------------------------------------
    def put_claims(self, claims: ArticleClaims, version: int) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO claims(article_id, version, claims) VALUES (?,?,?)",
            (claims.article_id, version, json.dumps(claims.as_dict())),
        )

    def get_claims(self, article_id: str, version: int) -> ArticleClaims | None:
        """The claims stored for an article by extractor ``version`` (None: none stored)."""
        row = self.conn.execute(
            "SELECT claims FROM claims WHERE article_id=? AND version=?", (article_id, version)
        ).fetchone()
        return ArticleClaims.from_dict(article_id, json.loads(row[0])) if row else None

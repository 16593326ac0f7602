from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corroborator.clean import clean
from corroborator.errors import NotFound, StoreError
from corroborator.records import RawDocument
from corroborator.store import SCHEMA_VERSION, open_store

from .conftest import EXAMPLES


def test_store_creates_schema_in_wal_mode(db: str) -> None:
    store = open_store(db)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_refuses_newer_schema(db: str) -> None:
    open_store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="upgrade corroborator"):
        open_store(db)


def test_store_refuses_non_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database at all " * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        open_store(str(path))


def test_store_unknown_story_is_not_found(db: str) -> None:
    with pytest.raises(NotFound, match="corroborator stories"):
        open_store(db).find_story("abc")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(min_size=1, max_size=300).filter(lambda t: any(c.isalnum() for c in t)),
    outlet=st.one_of(st.none(), st.text(min_size=1, max_size=20)),
    published=st.one_of(st.none(), st.dates().map(str)),
)
def test_store_article_round_trip(
    tmp_path: Path, text: str, outlet: str | None, published: str | None
) -> None:
    from corroborator.errors import EmptyInput

    try:
        article = clean(RawDocument("src", text, "txt", outlet=outlet, published=published))
    except EmptyInput:
        return
    import uuid

    store = open_store(str(tmp_path / f"rt-{uuid.uuid4().hex}.db"))
    with store.transaction():
        store.add_article(article)
    assert store.article(article.id) == article
    store.close()


def test_store_migrates_an_older_schema(db: str) -> None:
    from corroborator.store.migrations import MIGRATIONS

    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    MIGRATIONS[0].apply(conn)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.commit()
    conn.close()
    store = open_store(db)
    assert store.schema_version() == SCHEMA_VERSION == 6
    columns = {r[1] for r in store.conn.execute("PRAGMA table_info(articles)")}
    assert {"language", "text_key", "encoding", "replaced"} <= columns
    names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "articles_seq" in names
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "story_terms" in tables
    # schema 1 was there before migrations were recorded; the rest were applied on open
    assert store.applied_migrations() == [f"{m.number:04d}_{m.name}" for m in MIGRATIONS]
    at = dict(store.conn.execute("SELECT number, applied_at FROM migrations").fetchall())
    assert at[1] == "before-records" and at[2] != "before-records"


SCHEMA4_DB = Path(__file__).parent / "fixtures" / "schema4.db"
SCHEMA4_INPUTS = ["examples", "tests/fixtures/schema4/wire", "tests/fixtures/schema4/gazette"]
OLD_TABLES = ("articles", "sources", "rejections", "features", "copies", "stories",
              "story_articles", "claims", "story_terms")  # fmt: skip


def _rows(conn: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple[object, ...]]:
    q = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(columns[:2])}"
    return [tuple(r) for r in conn.execute(q)]


def test_store_upgrades_a_schema_4_database_without_loss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database written by the release before identity by input (tests/fixtures/
    schema4.db, made by tests/fixtures/make_schema4_db.py) opens and upgrades: every row
    is kept, ids do not change; the input schema 4 folded into another file's article is
    set aside, so reading the same inputs again makes it its own article, an exact copy,
    and adds nothing else."""
    from corroborator.pipeline import Options, Pipeline

    db = tmp_path / "old.db"
    shutil.copy(SCHEMA4_DB, db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "4"
    columns = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in OLD_TABLES}
    before = {t: _rows(conn, t, columns[t]) for t in OLD_TABLES}
    conn.close()
    (folded,) = [s for s, _ in before["sources"] if "gazette" in str(s)]

    store = open_store(str(db))
    assert store.schema_version() == SCHEMA_VERSION == 6
    for table in OLD_TABLES:
        after = _rows(store.conn, table, columns[table])
        if table == "sources":  # the folded input moves to folded_sources
            assert after == [r for r in before[table] if r[0] != folded]
        else:
            assert after == before[table], table
    keys = store.conn.execute("SELECT COUNT(*) FROM articles WHERE text_key=id").fetchone()[0]
    assert keys == len(before["articles"]) == 9
    (kept,) = store.conn.execute("SELECT source, article_id FROM folded_sources").fetchall()
    assert kept[0] == folded
    store.close()

    monkeypatch.chdir(Path(__file__).parents[1])  # the sources are stored relative to it
    p = Pipeline(open_store(str(db)), Options(use_model=False))
    report = p.run(SCHEMA4_INPUTS)
    assert (report.new, report.duplicates, report.copies) == (1, 9, 1)
    (new,) = [a for a in p.store.articles() if a.source == folded]
    link = p.store.copies()[new.id]
    assert (link.original_id, link.kind) == (kept[1], "exact")
    assert p.store.story_of(new.id) == p.store.story_of(kept[1])
    again = p.run(SCHEMA4_INPUTS)
    assert (again.new, again.duplicates, again.processed) == (0, 10, 0)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or folder unwritable for the block: chmod for a normal user, the
    immutable attribute for root (whom chmod does not stop); skip when neither works."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a file read-only")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root and chattr +i is not permitted here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_store_unwritable_database_one_line_error_and_unchanged(tmp_path: Path, what: str) -> None:
    folder = tmp_path / "dbs"
    folder.mkdir()
    db = folder / "news.db"
    cli = [sys.executable, "-m", "corroborator", "ingest", "--db", str(db)]
    first = subprocess.run([*cli, str(EXAMPLES / "wire.jsonl")], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    for leftover in folder.glob("news.db-*"):  # a clean close leaves only the database file
        leftover.unlink()
    before = db.read_bytes()
    with read_only(db if what == "file" else folder):
        proc = subprocess.run([*cli, str(EXAMPLES)], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot"), proc.stderr
    assert "news.db" in lines[0]
    assert db.read_bytes() == before


def test_store_full_database_one_clean_error_and_nothing_half_written(tmp_path: Path) -> None:
    """SQLite's "database or disk is full" (here: max_page_count pinned at the current size)
    becomes a StoreError naming the disk, and the failed article leaves nothing behind."""
    from corroborator.pipeline import Pipeline

    store = open_store(str(tmp_path / "full.db"))
    Pipeline(store).ingest([str(EXAMPLES / "wire.jsonl")])
    count = store.article_count()
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count={pages}")
    big = tmp_path / "big.txt"
    big.write_text("Headline\n\n" + "The council approved a budget of many words. " * 3000)
    with pytest.raises(StoreError, match="disk has room"):
        Pipeline(store).ingest([str(big)])
    assert store.article_count() == count
    assert not store.has_source(str(big))

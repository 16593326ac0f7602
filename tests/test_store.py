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
    from corroborator.store.sqlite import MIGRATIONS

    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    for statement in MIGRATIONS[1].split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.commit()
    conn.close()
    store = open_store(db)
    assert store.schema_version() == SCHEMA_VERSION == 5
    columns = {r[1] for r in store.conn.execute("PRAGMA table_info(articles)")}
    assert "language" in columns
    names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "articles_seq" in names
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "story_terms" in tables


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

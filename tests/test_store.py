from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corroborator.clean import clean
from corroborator.errors import NotFound, StoreError
from corroborator.records import RawDocument
from corroborator.store import SCHEMA_VERSION, open_store


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
    assert store.schema_version() == SCHEMA_VERSION == 3
    names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "articles_seq" in names
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "story_terms" in tables

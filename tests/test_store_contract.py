"""The store's contract, run against every backend (``any_db``: SQLite, then PostgreSQL on
a throwaway server started by conftest.py, or skipped saying why). Only the ``Store``
interface is used: what one backend does, the other must do the same."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from corroborator.claims.records import ArticleClaims, Garbled
from corroborator.clean import clean
from corroborator.errors import NotFound, StoreError
from corroborator.identity import KnownInput
from corroborator.records import Article, CopyLink, Departure, RawDocument, StoredStory
from corroborator.store import SCHEMA_VERSION, Store, open_store
from corroborator.store.migrations import MIGRATIONS

from .conftest import EXAMPLES


@pytest.fixture
def store(any_db: str) -> Iterator[Store]:
    s = open_store(any_db)
    yield s
    s.close()


def _article(text: str, source: str, published: str | None = None, **kw: str) -> Article:
    return clean(RawDocument(source, text, "txt", published=published, **kw))


def _add(store: Store, *articles: Article) -> None:
    with store.transaction():
        for a in articles:
            store.add_article(a)


A = "The council approved a budget of 12 million on Tuesday, the mayor said."
B = "Rain flooded the high street in Marlow and shops closed early on Friday."
C = "A new bridge over the river opened to traffic on Monday morning after delays."


def test_store_contract_schema_and_migrations(any_db: str) -> None:
    store = open_store(any_db)
    names = [f"{m.number:04d}_{m.name}" for m in MIGRATIONS]
    assert store.schema_version() == SCHEMA_VERSION
    assert store.applied_migrations() == names
    assert store.upgrade() == []  # nothing left to do
    store.close()
    again = open_store(any_db, create=False)
    assert again.applied_migrations() == names
    again.close()


def test_store_contract_articles_round_trip_in_arrival_order(store: Store) -> None:
    a = _article(A, "a.txt", "2026-03-02", outlet="Tribune")
    b = _article(B, "b.txt", "2026-03-01")
    c = _article(C, "c.txt")
    with store.transaction():
        assert store.add_article(a) is True
        assert store.add_article(b) is True
        assert store.add_article(a) is False  # known
        store.add_article(c)
    assert store.article(a.id) == a and store.article(c.id) == c
    assert [x.id for x in store.articles()] == [a.id, b.id, c.id]
    assert [x.id for x in store.articles([c.id, a.id])] == [c.id, a.id]
    assert store.article_count() == 3
    assert store.seqs() == {a.id: 1, b.id: 2, c.id: 3}
    assert store.has_source("b.txt") and not store.has_source("z.txt")
    # publication date first (undated last), then arrival
    assert store.unprocessed() == [b.id, a.id, c.id]
    with store.transaction():
        store.mark_processed(b.id)
    assert store.unprocessed() == [a.id, c.id]
    assert store.is_processed(b.id) and not store.is_processed(a.id)
    assert store.processed_count() == 1
    with pytest.raises(NotFound):
        store.article("nope")


def test_store_contract_inputs_with_key(store: Store) -> None:
    a = _article(A, "a.txt")
    with store.transaction():
        store.add_article(a, text_key="k1", location="/data/a.txt")
        store.add_article(a, text_key="k1", location=None)  # a second input, no location
    got = store.inputs_with_key("k1")
    # the article's own input is listed once per stored input; a known location first
    assert got[0] == KnownInput(a.id, None, "a.txt", "/data/a.txt")
    assert all(k.article_id == a.id for k in got)
    assert store.inputs_with_key("other") == []


def test_store_contract_rejections(store: Store) -> None:
    with store.transaction():
        store.add_rejection("b.txt", "empty")
        store.add_rejection("a.txt", "too big")
        store.add_rejection("b.txt", "still empty")
    assert store.rejections() == [("a.txt", "too big"), ("b.txt", "still empty")]
    with store.transaction():
        store.add_article(_article(A, "a.txt"))  # read fine this time
    assert store.rejections() == [("b.txt", "still empty")]


def test_store_contract_transaction_rolls_back(store: Store) -> None:
    a = _article(A, "a.txt")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_article(a)
        raise RuntimeError("a stage failed")
    assert store.article_count() == 0 and not store.has_source("a.txt")


def test_store_contract_features_and_copies(store: Store) -> None:
    a, b = _article(A, "a.txt"), _article(B, "b.txt")
    _add(store, a, b)
    mh = np.arange(8, dtype=np.uint64) * np.uint64(2**60)
    vec = np.linspace(-1, 1, 5).astype(np.float32)
    with store.transaction():
        store.put_features(a.id, mh, vec, ["Marlow", "Berg"])
        store.put_features(b.id, mh[::-1], vec, [])
        store.mark_processed(a.id)
    (only,) = store.features(processed_only=True)
    assert only.article_id == a.id and only.entities == ("Marlow", "Berg")
    assert np.array_equal(only.minhash, mh) and np.array_equal(only.vector, vec)
    assert [f.article_id for f in store.features(processed_only=False)] == [a.id, b.id]

    link = CopyLink(b.id, a.id, "near", 0.875, (Departure("numbers_changed", "x 12", "x 13"),))
    with store.transaction():
        store.put_copy(link)
        store.put_copy(link)  # replaced, not doubled
    assert store.copies() == {b.id: link}
    with store.transaction():
        store.delete_copy(b.id)
    assert store.copies() == {}


def _story(sid: str, seq: int, title: str, n: int) -> StoredStory:
    centroid = np.full(4, 0.5, dtype=np.float32)
    return StoredStory(sid, seq, title, centroid, n, {"Marlow": n}, "2026-03-01", "2026-03-02")


def test_store_contract_stories(store: Store) -> None:
    a, b, c = _article(A, "a.txt", "2026-03-01"), _article(B, "b.txt"), _article(C, "c.txt")
    _add(store, a, b, c)
    terms, weights = np.array([3, 9, 40], dtype=np.int64), np.ones(3, dtype=np.float32)
    with store.transaction():
        for x in (a, b, c):
            store.put_features(x.id, np.zeros(4, np.uint64), np.ones(6, np.float32), ["E"])
            store.put_story_terms(x.id, terms, weights, x.title, True)
        store.save_stories(
            [_story("s1aaaa", 1, "Budget", 2), _story("s1bbbb", 2, "Flood", 1)],
            [(a.id, "s1aaaa", 1.0), (b.id, "s1aaaa", 0.8), (c.id, "s1bbbb", 1.0)],
        )
    states = store.story_states()
    assert [s.id for s in states] == ["s1aaaa", "s1bbbb"]
    first = states[0]
    assert (first.seq, first.title, first.n, first.entities) == (1, "Budget", 2, {"Marlow": 2})
    assert (first.first_published, first.last_published) == ("2026-03-01", "2026-03-02")
    assert np.array_equal(first.centroid, np.full(4, 0.5, dtype=np.float32))
    members = list(store.story_members())
    assert [(m.story_id, m.article_id) for m in members] == [
        ("s1aaaa", a.id), ("s1aaaa", b.id), ("s1bbbb", c.id)
    ]  # fmt: skip
    assert members[0].published == "2026-03-01" and members[0].titled is True
    assert np.array_equal(members[0].terms, terms) and members[0].entities == ("E",)
    assert store.story_of(b.id) == "s1aaaa" and store.story_of("nope") is None
    assert store.story("s1aaaa") == ("Budget", [a.id, b.id])
    assert store.stories() == [("s1aaaa", "Budget", [a.id, b.id]), ("s1bbbb", "Flood", [c.id])]
    assert store.find_story("s1b") == "s1bbbb"
    with pytest.raises(NotFound, match="ambiguous"):
        store.find_story("s1")
    with pytest.raises(NotFound):
        store.find_story("zz")
    with pytest.raises(NotFound):
        store.story("zz")
    # a merge: c moves into s1aaaa and s1bbbb goes
    with store.transaction():
        store.save_stories([_story("s1aaaa", 1, "Budget", 3)], [(c.id, "s1aaaa", 0.7)], ["s1bbbb"])
    assert store.stories() == [("s1aaaa", "Budget", [a.id, b.id, c.id])]


def test_store_contract_claims(store: Store) -> None:
    a = _article(A, "a.txt")
    _add(store, a)
    claims = ArticleClaims(a.id, (), (Garbled(2, "doodling", "nonsense", 5),), ((1, "Berg"),), 3)
    with store.transaction():
        store.put_claims(claims, 7)
    assert store.get_claims(a.id, 7) == claims
    assert store.get_claims(a.id, 8) is None  # another extractor version: extract again


def test_store_contract_unknown_database_without_create(any_db: str) -> None:
    if any_db.startswith("postgresql"):
        with pytest.raises(StoreError, match="no corroborator database"):
            open_store(any_db, create=False)
    else:
        with pytest.raises(StoreError, match="no database"):
            open_store(any_db, create=False)


@pytest.mark.slow
def test_store_contract_pipeline_same_result_on_both_backends(
    tmp_path: Path, postgres_url: str
) -> None:
    """The examples run through the whole pipeline (rules only) give the same stories,
    copies, claims and verdicts on SQLite and on PostgreSQL."""
    from corroborator import documents
    from corroborator.pipeline import Options, Pipeline

    docs = []
    for db in (str(tmp_path / "ref.db"), postgres_url):
        store = open_store(db)
        pipeline = Pipeline(store, Options(use_model=False))
        report = pipeline.run([str(EXAMPLES)])
        ids = [sid for sid, _, _ in store.stories()]
        checks = pipeline.check_stories(ids)
        docs.append((report.new, store.stories(), store.copies(), store.seqs(),
                     documents.stories_document(store, ids, None, checks)))  # fmt: skip
        store.close()
    assert docs[0][0] > 5 and docs[0][1]
    assert docs[0] == docs[1]


def test_store_contract_db_upgrade_command(any_db: str) -> None:
    """``corroborator db upgrade`` applies every migration to a new database, then none."""
    cli = [sys.executable, "-m", "corroborator", "db", "upgrade", "--db", any_db, "--json"]
    first = subprocess.run(cli, capture_output=True, text=True, check=True)
    names = [f"{m.number:04d}_{m.name}" for m in MIGRATIONS]
    assert json.loads(first.stdout) == {
        "applied_now": names, "applied": names, "schema_version": SCHEMA_VERSION
    }  # fmt: skip
    again = subprocess.run(cli[:-1], capture_output=True, text=True, check=True)
    assert "applied" not in again.stdout.split("schema")[0]
    assert f"schema {SCHEMA_VERSION}, up to date" in again.stdout


def _corpus(folder: Path, first: int, n: int) -> None:
    """Distinct small articles made of the examples' words, numbered from ``first``."""
    rng = random.Random(first)
    vocab = sorted(
        {w for p in EXAMPLES.glob("*.txt") for w in p.read_text().split() if w.isalpha()}
    )
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(first, first + n):
        sentences = [" ".join(rng.choices(vocab, k=12)).capitalize() + "." for _ in range(5)]
        (folder / f"a{k:04d}.txt").write_text(
            f"Item {k} of the day\n\n" + "\n\n".join(sentences) + "\n"
        )


def _grouped(store: Store) -> tuple[set[str], list[frozenset[str]]]:
    return {a.id for a in store.articles()}, sorted(
        (frozenset(ids) for _, _, ids in store.stories()), key=sorted
    )


def _examples_stories(store: Store) -> list[frozenset[str]]:
    """The stories as partitions of the examples' articles (real coverage of three events,
    grouped the same whatever the order; the synthetic articles' grouping depends on it)."""
    ids = {a.id for a in store.articles() if "/examples/" in a.source}
    return sorted(
        (frozenset(x for x in s if x in ids) for _, _, s in store.stories() if ids & set(s)),
        key=sorted,
    )


@pytest.mark.slow
def test_store_contract_concurrent_writers_lose_nothing_and_double_nothing(
    any_db: str, tmp_path: Path
) -> None:
    """Two ``corroborator ingest`` processes at once on one database, fed overlapping inputs
    (each its own folder with republications of shared articles, both a shared folder with
    the examples), end with each article once, each story once, every article grouped, each
    republication in its original's story, and the examples' stories of a single run."""
    shared, mine, yours = tmp_path / "shared", tmp_path / "mine", tmp_path / "yours"
    _corpus(shared, 0, 40)
    shutil.copytree(EXAMPLES, shared / "examples")
    _corpus(mine, 100, 40)
    _corpus(yours, 200, 40)
    for k in range(0, 40, 4):  # the same text from other inputs: republications
        text = (shared / f"a{k:04d}.txt").read_text()
        (mine / f"copy{k:04d}.txt").write_text(text)
        (yours / f"copy{k:04d}.txt").write_text(text)
    cli = [sys.executable, "-m", "corroborator", "ingest", "--db", any_db]
    open_store(any_db).close()  # the schema first: both processes then only write articles
    procs = [
        subprocess.Popen([*cli, str(shared), str(part)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
        for part in (mine, yours)
    ]  # fmt: skip
    for proc in procs:
        _, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err

    one = str(tmp_path / "one.db")
    subprocess.run([*cli[:-1], one, str(shared), str(mine), str(yours)], check=True,
                   capture_output=True)  # fmt: skip
    store, reference = open_store(any_db), open_store(one)
    try:
        articles, stories = _grouped(store)
        assert articles == _grouped(reference)[0]  # nothing lost, nothing doubled
        assert store.article_count() == len(articles) == 8 + 3 * 40 + 2 * 10
        assert store.unprocessed() == []
        members = [a for story in stories for a in story]
        assert sorted(members) == sorted(articles)  # each article in exactly one story
        assert len(set(stories)) == len(stories)  # each story once
        states = store.story_states()
        assert all(len(ids) == s.n for s, (_, _, ids) in zip(states, store.stories(), strict=True))
        assert len({s.seq for s in states}) == len(states)
        copies = store.copies()
        assert len(copies) >= 20
        for link in copies.values():
            assert store.story_of(link.article_id) == store.story_of(link.original_id)
        assert _examples_stories(store) == _examples_stories(reference)
    finally:
        store.close()
        reference.close()

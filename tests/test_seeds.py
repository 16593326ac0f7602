"""The two real seed articles (../shared/seeds): the first real test of every stage."""

from __future__ import annotations

from pathlib import Path

from corroborator.documents import stories_document
from corroborator.pipeline import Pipeline
from corroborator.store import open_store

from .conftest import EXAMPLES, SEEDS, needs_seeds


@needs_seeds
def test_seeds_one_story_two_independent_sources(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "seeds.db"))
    report = Pipeline(store).run([str(SEEDS)])
    doc = stories_document(store, report.stories, report)
    assert len(doc["stories"]) == 1
    [story] = doc["stories"]
    assert len(story["articles"]) == 2
    assert all(a["copy_of"] is None for a in story["articles"])
    assert sorted(a["outlet"] for a in story["articles"]) == ["AFP", "Reuters"]


@needs_seeds
def test_seeds_unrelated_story_does_not_join(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "mixed.db"))
    Pipeline(store).run([str(SEEDS), str(EXAMPLES)])
    for _, _, ids in store.stories():
        sources = {store.article(i).source for i in ids}
        has_seed = any("seeds" in s for s in sources)
        assert not has_seed or all("seeds" in s for s in sources)

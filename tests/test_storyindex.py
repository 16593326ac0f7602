"""The candidate index of story grouping: time window, closing, and the same candidates as
an exact search (brute force over every story of the window) on small sets.

Vectors are random, drawn around a few hundred "events", so that many stories are near
one another (the hard case for an approximate index); nothing here is timed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np

from corroborator.records import StoryMember
from corroborator.stories import StoryFeatures, StoryGrouper, StoryOptions
from corroborator.storyindex import StoryIndex

DIM = 64
MAX_DAYS = 7


def vectors(n: int, seed: int, events: int = 60) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(events, DIM))
    out = centres[rng.integers(events, size=n)] + 0.6 * rng.normal(size=(n, DIM))
    return out.astype(np.float32)


def exact(
    stories: dict[str, tuple[np.ndarray, int | None, int | None]],
    query: np.ndarray,
    day: int,
    k: int,
    open_only: bool = False,
) -> set[str]:
    """Brute force: the k nearest by cosine among the stories meeting the window."""
    lo, hi = day - MAX_DAYS, day + MAX_DAYS
    ids = [
        s
        for s, (_, first, last) in stories.items()
        if first is None or last is None or (first <= hi and last >= lo)
    ]
    unit = {s: v / np.linalg.norm(v) for s, (v, _, _) in stories.items()}
    q = query / np.linalg.norm(query)
    ids.sort(key=lambda s: -float(unit[s] @ q))
    return set(ids[:k])


def stream(n: int, days: int, seed: int) -> list[tuple[str, np.ndarray, int, int]]:
    """n stories, each spanning up to three days, ordered by their last day."""
    rng = np.random.default_rng(seed + 1)
    vecs = vectors(n, seed)
    out = []
    for k in range(n):
        last = int(rng.integers(days))
        first = last - int(rng.integers(3))
        out.append((f"s{k:04d}", vecs[k], first, last))
    out.sort(key=lambda x: (x[3], x[0]))
    return out


def test_storyindex_same_candidates_as_exact_search() -> None:
    """The approximate index (forced on from the first story) returns the exact top k of
    the window, for articles of the newest days and for late ones that reach closed
    stories; so does the exhaustive search below ``exact_below``."""
    k = 16
    for exact_below in (0, 10_000):
        index = StoryIndex(MAX_DAYS, late_days=3, exact_below=exact_below)
        stories: dict[str, tuple[np.ndarray, int | None, int | None]] = {}
        queries = vectors(40, seed=7)
        checked = 0
        for n, (sid, vec, first, last) in enumerate(stream(1500, 60, seed=3)):
            index.advance(last)
            index.put(sid, vec, first, last)
            stories[sid] = (vec, first, last)
            if n % 50 == 49:
                assert index.newest is not None
                for j, q in enumerate(queries[:8]):
                    day = index.newest - (j % 4) * 5  # the newest day, and up to 15 days late
                    got = set(index.near(q, day, day, k))
                    assert got == exact(stories, q, day, k), (n, day)
                    checked += 1
        assert checked == 30 * 8
        assert index.closed_count > 1000  # most of the 60 days are behind the horizon


def test_storyindex_time_window() -> None:
    index = StoryIndex(MAX_DAYS, late_days=MAX_DAYS)
    v = vectors(1, seed=1)[0]
    index.put("old", v, 30, 30)  # 20 days before day 50: outside its window
    index.put("span", v, 40, 43)  # its last day is 7 days before day 50: inside
    index.put("undated", v, None, None)  # meets every window
    index.put("future", v, 57, 58)  # 7 days after day 50: inside (late articles exist)
    index.put("far", v, 60, 61)
    assert set(index.near(v, 50, 50, 10)) == {"span", "undated", "future"}
    assert set(index.near(v, 50, 50, 10, exclude="span")) == {"undated", "future"}
    assert set(index.near(v, None, None, 10)) == {"old", "span", "undated", "future", "far"}
    assert len(index.near(v, 50, 50, 2)) == 2


def test_storyindex_closes_stories_that_stop_growing() -> None:
    """A story with no member within max_days + late_days of the newest day leaves the
    approximate index; a late article still finds it; a new member reopens it."""
    index = StoryIndex(MAX_DAYS, late_days=3)
    a, b = vectors(2, seed=2)
    index.advance(100)
    index.put("a", a, 99, 100)
    index.put("undated", b, None, None)
    assert index.open_count == 2 and index.closed_count == 0
    assert index.advance(110) == []  # horizon 100: day 100 is still open
    assert index.advance(111) == ["a"]  # horizon 101
    assert not index.is_open("a") and index.is_open("undated")  # undated never closes
    assert index.open_count == 1 and index.closed_count == 1
    assert index.near(a, 111, 111, 5) == ["undated"]  # beyond its window
    assert set(index.near(a, 105, 105, 5)) == {"a", "undated"}  # a late article meets it
    # an undated article (a pasted one, checked months later) meets the closed story too
    assert set(index.near(a, None, None, 5)) == {"a", "undated"}
    assert index.near(a, None, None, 5, exclude="a") == ["undated"]
    index.put("a", a, 99, 111)  # a new member: open again
    assert index.is_open("a") and index.closed_count == 0
    index.drop("a")
    assert "a" not in index and index.near(a, 105, 105, 5) == ["undated"]
    index.put("c", a, 80, 90)  # placed behind the horizon: closed at once
    assert not index.is_open("c")
    assert index.near(a, 95, 95, 5, exclude="undated") == ["c"]


def features(n: int, days: int, seed: int) -> list[StoryFeatures]:
    """Articles as hand-made vectors: dense part only, a few per day, over ``days`` days."""
    vecs = vectors(n, seed, events=n // 4)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    out = []
    for k in range(n):
        out.append(
            StoryFeatures(
                article_id=f"a{k:04d}",
                dense=vecs[k],
                terms=np.zeros(0, dtype=np.int64),
                weights=np.zeros(0, dtype=np.float32),
                day=730_000 + k * days // n,
            )
        )
    return out


def grouped(feats: list[StoryFeatures], options: StoryOptions) -> tuple[StoryGrouper, set]:
    grouper = StoryGrouper(options=options)
    for f in feats:
        grouper.assign(f)
    parts: dict[str, set[str]] = {}
    for aid, sid in grouper.story_of.items():
        parts.setdefault(sid, set()).add(aid)
    return grouper, {frozenset(p) for p in parts.values()}


def test_stories_closing_and_approximate_search_keep_the_grouping() -> None:
    """A stream over 120 days grouped three ways gives one partition: exhaustive search with
    nothing ever closed; stories closed a day after they leave the window; and the
    approximate index from the first story, with closing."""
    feats = features(600, 120, seed=5)
    base = StoryOptions(threshold=0.5, time_weight=0.2)
    never, reference = grouped(feats, StoryOptions(**{**base.__dict__, "late_days": 10_000}))
    closing, partition = grouped(feats, StoryOptions(**{**base.__dict__, "late_days": 1}))
    assert partition == reference
    assert never.index.closed_count == 0
    assert closing.index.closed_count > closing.index.open_count
    approx, partition = grouped(
        feats, StoryOptions(**{**base.__dict__, "late_days": 1, "exact_below": 0})
    )
    assert partition == reference
    assert 50 < len(reference) < 550  # real grouping happened


def test_stories_grouper_reloaded_closes_old_stories() -> None:
    """A grouper rebuilt from stored stories closes those behind the newest day at once."""
    feats = features(200, 60, seed=9)
    grouper, _ = grouped(feats, StoryOptions(late_days=1))
    members = [
        StoryMember(
            story_id=grouper.story_of[f.article_id],
            article_id=f.article_id,
            published=date.fromordinal(f.day or 1).isoformat(),
            language="en",
            dense=f.dense,
            entities=(),
            terms=f.terms,
            weights=f.weights,
            title=None,
            titled=False,
        )
        for f in feats
    ]
    states = [s.as_stored() for s in grouper.stories.values()]
    again = StoryGrouper(states, members, StoryOptions(late_days=1))
    assert again.index.open_count == grouper.index.open_count
    assert again.index.closed_count == grouper.index.closed_count


def test_storyindex_loads_usearch_so_that_the_encoders_still_load() -> None:
    """Importing onnxruntime after usearch crashes the process (usearch 2.26.6, onnxruntime
    1.31.1); an index made first must leave the encoders loadable, in a fresh process."""
    code = (
        "import numpy as np\n"
        "from corroborator.storyindex import StoryIndex\n"
        "index = StoryIndex(7, 7)\n"
        "index.put('a', np.ones(8, dtype=np.float32), 1, 1)\n"
        "import onnxruntime\n"
        "print('loaded', len(index))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "loaded 1"


def test_stories_misdated_article_does_not_close_every_story() -> None:
    """A page dated decades ahead does not move the clock that closes stories past
    tomorrow; stories of today's news stay open."""
    feats = features(40, 4, seed=11)
    today = date.today().toordinal()
    grouper = StoryGrouper(options=StoryOptions(late_days=1))
    for k, f in enumerate(feats):
        day = today + 365 * 40 if k == 10 else today - 3 + k // 10
        grouper.assign(StoryFeatures(f.article_id, f.dense, f.terms, f.weights, day=day))
    assert grouper.index.newest == today + 1
    assert grouper.index.open_count > 0

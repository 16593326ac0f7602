"""Candidate stories for story grouping: nearest centroids within a time window.

``StoryGrouper`` scores an article against a few stories only: the ``k`` whose summed
(centroid) embedding is nearest by cosine among those whose days ``[first, last]`` meet the
article's window ``[day - max_days, day + max_days]`` (undated stories meet every window).
This index finds them without looking at every story of the archive:

- **open** stories (a member dated no more than ``max_days + late_days`` before the newest
  day seen, or no dated member) sit in an approximate nearest-neighbour index (usearch
  HNSW, cosine). A query asks it for ``4 k`` neighbours, keeps those in the window, and asks
  for more only when fewer than ``k`` are left; the survivors are re-ranked exactly. While
  it holds at most ``exact_below`` stories it is searched exhaustively (usearch's exact
  search), which is the exact answer and costs no more than one HNSW search at that size.
- **closed** stories (no new member within the window of the newest day) leave the
  approximate index and are kept by day. Only an article dated before the open horizon (more
  than ``late_days`` older than the newest article seen) can meet one; for it the closed
  stories of its window are searched exactly.

So the cost of one query follows ``k`` and the number of open stories (logarithmically),
not the size of the archive, and a feed that runs for a year searches only its last few
weeks. The answer is the exact search's whenever the approximate index returns the true
nearest open stories, which the tests check against brute force.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Open stories up to this many are searched exhaustively: the exact answer, and below
#: about this size no slower than the approximate search (768-dimension int8 vectors, 2
#: cores: both about 1 ms a query at 8,000 stories, /tmp benchmark of 2026-12-02).
EXACT_BELOW = 8192
#: A query asks the approximate index for this many times the stories it needs (and lets
#: its search follow twice as many paths: at once as many, 1 query in 240 of the tests
#: missed one of the exact top 16).
OVERSAMPLE = 4


def usearch_index(**kwargs: Any) -> Any:
    """A new ``usearch.index.Index``. onnxruntime (the encoders' runtime) is imported first
    where it is installed: importing it after usearch (2.26.6, onnxruntime 1.31.1) kills the
    process with a segmentation fault, whatever is done in between."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        pass
    from usearch.index import Index

    return Index(**kwargs)


@dataclass
class _Entry:
    unit: np.ndarray  # float32 unit centroid
    first: int | None  # first and last day of its members, None when none is dated
    last: int | None
    key: int | None = None  # its key in the approximate index while open


class StoryIndex:
    """Story centroids by id: ``put`` (new or changed), ``drop``, ``advance`` (the newest day
    seen; closes stories that stopped growing) and ``near`` (the candidates of a query)."""

    def __init__(self, max_days: int, late_days: int, exact_below: int = EXACT_BELOW) -> None:
        self.max_days = max_days
        self.late_days = late_days
        self.exact_below = exact_below
        self.newest: int | None = None  # the newest day seen
        self._entries: dict[str, _Entry] = {}
        self._ann: Any = None  # usearch Index, made by the first ``put``
        self._dim = 0
        self._next_key = 0
        self._by_key: dict[int, str] = {}  # open stories: key in the index -> story id
        self._ends: dict[int, set[str]] = {}  # open dated stories by last day
        self._closed_days: dict[int, set[str]] = {}  # closed stories by each day they span

    # --- state ------------------------------------------------------------------------
    @property
    def horizon(self) -> int | None:
        """Stories whose last day is before this one are closed."""
        if self.newest is None:
            return None
        return self.newest - self.max_days - self.late_days

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._entries

    @property
    def open_count(self) -> int:
        return len(self._by_key)

    @property
    def closed_count(self) -> int:
        return len(self._entries) - len(self._by_key)

    def is_open(self, story_id: str) -> bool:
        return self._entries[story_id].key is not None

    def _index(self) -> Any:
        if self._ann is None:
            # int8 vectors: a quarter of the memory and of the search time of float32, the
            # same recall; the candidates it returns are re-ranked in float32 (``near``)
            self._ann = usearch_index(ndim=self._dim, metric="cos", dtype="i8", connectivity=16)
        return self._ann

    # --- changes ----------------------------------------------------------------------
    def put(self, story_id: str, vector: np.ndarray, first: int | None, last: int | None) -> None:
        """Add or move a story (its summed embedding and the first and last day of its
        members): open while its last day is on or after the horizon, closed before."""
        if not self._dim:
            self._dim = len(vector)
        elif len(vector) != self._dim:
            raise ValueError(
                f"story vectors of width {len(vector)} among stories of width {self._dim}"
            )
        self.drop(story_id)
        unit = (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)
        entry = _Entry(unit, first, last)
        self._entries[story_id] = entry
        horizon = self.horizon
        if first is None or last is None or horizon is None or last >= horizon:
            self._open(story_id, entry)
        else:
            self._close_entry(story_id, entry)

    def drop(self, story_id: str) -> None:
        """Forget a story (merged away); nothing when it is unknown."""
        entry = self._entries.pop(story_id, None)
        if entry is None:
            return
        if entry.key is not None:
            self._index().remove(entry.key)
            del self._by_key[entry.key]
            if entry.last is not None:
                self._discard(self._ends, entry.last, story_id)
        elif entry.first is not None and entry.last is not None:
            for d in range(entry.first, entry.last + 1):
                self._discard(self._closed_days, d, story_id)

    def advance(self, day: int | None) -> list[str]:
        """Note an article of ``day``; close the open stories that fell behind the horizon
        (returned, oldest first)."""
        if day is None or (self.newest is not None and day <= self.newest):
            return []
        before = self.horizon
        self.newest = day
        after = self.horizon
        assert after is not None
        if before is None or after - before > len(self._ends):
            days = sorted(d for d in self._ends if d < after)
        else:
            days = [d for d in range(before, after) if d in self._ends]
        closed: list[str] = []
        for d in days:
            for story_id in sorted(self._ends.pop(d)):
                entry = self._entries[story_id]
                assert entry.key is not None
                self._index().remove(entry.key)
                del self._by_key[entry.key]
                entry.key = None
                self._close_entry(story_id, entry)
                closed.append(story_id)
        return closed

    def _open(self, story_id: str, entry: _Entry) -> None:
        entry.key = self._next_key
        self._next_key += 1
        self._index().add(entry.key, entry.unit, threads=1)
        self._by_key[entry.key] = story_id
        if entry.last is not None:
            self._ends.setdefault(entry.last, set()).add(story_id)

    def _close_entry(self, story_id: str, entry: _Entry) -> None:
        assert entry.first is not None and entry.last is not None
        for d in range(entry.first, entry.last + 1):
            self._closed_days.setdefault(d, set()).add(story_id)

    @staticmethod
    def _discard(table: dict[int, set[str]], day: int, story_id: str) -> None:
        ids = table.get(day)
        if ids is not None:
            ids.discard(story_id)
            if not ids:
                del table[day]

    # --- queries ----------------------------------------------------------------------
    def _meets(self, entry: _Entry, lo: int | None, hi: int | None) -> bool:
        if lo is None or hi is None or entry.first is None or entry.last is None:
            return True
        return entry.first <= hi and entry.last >= lo

    def near(
        self,
        vector: np.ndarray,
        first: int | None,
        last: int | None,
        k: int,
        exclude: str | None = None,
    ) -> list[str]:
        """The ``k`` stories nearest to ``vector`` by cosine among those with a day in
        ``[first - max_days, last + max_days]`` or none (every open story when ``first`` or
        ``last`` is None: an undated article meets no closed story), ``exclude`` left out;
        in no particular order."""
        if not self._entries or k <= 0:
            return []
        lo = hi = None
        if first is not None and last is not None:
            lo, hi = first - self.max_days, last + self.max_days
        found = self._near_open(vector, lo, hi, k, exclude)
        horizon = self.horizon
        if lo is not None and hi is not None and horizon is not None and lo < horizon:
            days = range(lo, min(hi, horizon - 1) + 1)
            closed = set().union(*(self._closed_days.get(d, ()) for d in days))
            closed.discard(exclude or "")
            found += sorted(closed)
        if len(found) <= k:
            return found
        units = np.stack([self._entries[s].unit for s in found])
        cos = np.einsum("ij,j->i", units, vector.astype(np.float32))
        return [found[i] for i in np.sort(np.argpartition(-cos, k - 1)[:k]).tolist()]

    def _near_open(
        self, vector: np.ndarray, lo: int | None, hi: int | None, k: int, exclude: str | None
    ) -> list[str]:
        """The open stories of the window, nearest first: the first ``2 k`` of them (so that
        the exact re-ranking has a margin over the index's own rounding), fewer only when
        the window holds fewer."""
        size = len(self._by_key)
        if not size:
            return []
        index = self._index()
        query = vector.astype(np.float32)
        count = min(size, OVERSAMPLE * k)
        while True:
            exact = count >= size or size <= self.exact_below
            if not exact and index.expansion_search < 2 * count:
                index.expansion_search = 2 * count
            matches = index.search(query, count, exact=exact, threads=1)
            found = self._window(matches.keys.tolist(), lo, hi, exclude, 2 * k)
            if len(found) >= 2 * k or count >= size:
                return found
            count = min(size, OVERSAMPLE * count)

    def _window(
        self,
        keys: Iterable[int],
        lo: int | None,
        hi: int | None,
        exclude: str | None,
        limit: int,
    ) -> list[str]:
        """The first ``limit`` stories of ``keys`` that meet the window [lo, hi]."""
        out: list[str] = []
        for key in keys:
            story_id = self._by_key.get(int(key))
            if story_id is None or story_id == exclude:
                continue
            if self._meets(self._entries[story_id], lo, hi):
                out.append(story_id)
                if len(out) == limit:
                    break
        return out

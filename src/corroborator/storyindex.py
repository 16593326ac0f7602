"""Candidate stories for story grouping: nearest centroids within a time window.

``StoryGrouper`` scores an article against a few stories only: the ``k`` whose summed
(centroid) embedding is nearest by cosine among those whose days ``[first, last]`` meet the
article's window ``[day - max_days, day + max_days]`` (undated stories meet every window).
This index finds them without looking at every story of the archive:

- **open** stories (a member dated no more than ``max_days + late_days`` before the newest
  day seen, or no dated member) sit in a matrix of unit vectors with their first and last
  days. While there are at most ``exact_below`` of them a query is one product with the
  matrix (the exact answer). Above that they are also in an approximate nearest-neighbour
  index (usearch HNSW, cosine, int8): a query asks it for ``4 k`` neighbours, keeps those in
  the window, asks for more only when fewer than ``2 k`` are left, and re-ranks them with
  the float32 vectors.
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
    row: int | None = None  # its row in the open matrix (and key in the index) while open


#: Day bounds of an undated open row and of an undated query (meet every window), and of a
#: free row (meets none, not even an undated query's).
_EARLY, _LATE = -(1 << 40), 1 << 40
_FREE_FIRST, _FREE_LAST = _LATE + 1, _EARLY - 1


class StoryIndex:
    """Story centroids by id: ``put`` (new or changed), ``drop``, ``advance`` (the newest day
    seen; closes stories that stopped growing) and ``near`` (the candidates of a query)."""

    def __init__(self, max_days: int, late_days: int, exact_below: int = EXACT_BELOW) -> None:
        self.max_days = max_days
        self.late_days = late_days
        self.exact_below = exact_below
        self.newest: int | None = None  # the newest day seen
        self._entries: dict[str, _Entry] = {}
        self._dim = 0
        # open stories: one row each (rows are reused), its unit vector and day bounds
        self._units = np.zeros((0, 0), dtype=np.float32)
        self._first = np.zeros(0, dtype=np.int64)
        self._last = np.zeros(0, dtype=np.int64)
        self._row_ids: list[str | None] = []
        self._free: list[int] = []
        self._ann: Any = None  # the usearch index over the open rows, while there are many
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
        return len(self._row_ids) - len(self._free)

    @property
    def closed_count(self) -> int:
        return len(self._entries) - self.open_count

    @property
    def approximate(self) -> bool:
        """Whether queries go through the approximate index (more than ``exact_below``
        open stories)."""
        return self._ann is not None

    def is_open(self, story_id: str) -> bool:
        return self._entries[story_id].row is not None

    # --- changes ----------------------------------------------------------------------
    def put(self, story_id: str, vector: np.ndarray, first: int | None, last: int | None) -> None:
        """Add or move a story (its summed embedding and the first and last day of its
        members): open while its last day is on or after the horizon, closed before."""
        if not self._dim:
            self._dim = len(vector)
            self._units = np.zeros((16, self._dim), dtype=np.float32)
            self._first = np.full(16, _FREE_FIRST, dtype=np.int64)
            self._last = np.full(16, _FREE_LAST, dtype=np.int64)
        elif len(vector) != self._dim:
            raise ValueError(
                f"story vectors of width {len(vector)} among stories of width {self._dim}"
            )
        unit = (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)
        entry = self._entries.get(story_id)
        horizon = self.horizon
        stays_open = first is None or last is None or horizon is None or last >= horizon
        if entry is not None and entry.row is not None and stays_open:
            self._unend(story_id, entry)  # moved in place: same row
            entry.unit, entry.first, entry.last = unit, first, last
            self._fill(entry.row, story_id, entry)
            if self._ann is not None:
                self._ann.remove(entry.row)
                self._ann.add(entry.row, unit, threads=1)
            return
        self.drop(story_id)
        entry = _Entry(unit, first, last)
        self._entries[story_id] = entry
        if stays_open:
            self._open(story_id, entry)
        else:
            self._close_entry(story_id, entry)

    def drop(self, story_id: str) -> None:
        """Forget a story (merged away); nothing when it is unknown."""
        entry = self._entries.pop(story_id, None)
        if entry is None:
            return
        if entry.row is not None:
            self._release(story_id, entry)
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
            for story_id in sorted(self._ends[d]):
                entry = self._entries[story_id]
                self._release(story_id, entry)
                self._close_entry(story_id, entry)
                closed.append(story_id)
        return closed

    def _open(self, story_id: str, entry: _Entry) -> None:
        if self._free:
            row = self._free.pop()
        else:
            row = len(self._row_ids)
            self._row_ids.append(None)
            if row >= len(self._units):
                grow = len(self._units)
                self._units = np.concatenate([self._units, np.zeros_like(self._units)])
                self._first = np.concatenate([self._first, np.full(grow, _FREE_FIRST, np.int64)])
                self._last = np.concatenate([self._last, np.full(grow, _FREE_LAST, np.int64)])
        entry.row = row
        self._fill(row, story_id, entry)
        if self._ann is not None:
            self._ann.add(row, entry.unit, threads=1)
        elif self.open_count > self.exact_below:
            self._build_ann()

    def _fill(self, row: int, story_id: str, entry: _Entry) -> None:
        self._units[row] = entry.unit
        dated = entry.first is not None and entry.last is not None
        self._first[row] = entry.first if entry.first is not None and dated else _EARLY
        self._last[row] = entry.last if entry.last is not None and dated else _LATE
        self._row_ids[row] = story_id
        if entry.last is not None:
            self._ends.setdefault(entry.last, set()).add(story_id)

    def _unend(self, story_id: str, entry: _Entry) -> None:
        if entry.last is not None:
            self._discard(self._ends, entry.last, story_id)

    def _release(self, story_id: str, entry: _Entry) -> None:
        """Take an open story out of the matrix (and the approximate index)."""
        row = entry.row
        assert row is not None
        self._unend(story_id, entry)
        self._units[row] = 0
        self._first[row], self._last[row] = _FREE_FIRST, _FREE_LAST
        self._row_ids[row] = None
        self._free.append(row)
        entry.row = None
        if self._ann is not None:
            self._ann.remove(row)
            if self.open_count < self.exact_below // 2:
                self._ann = None  # few enough again: exhaustive search

    def _build_ann(self) -> None:
        # int8 vectors: a quarter of the memory and of the search time of float32 with the
        # same recall; what it returns is re-ranked in float32 (``_near_open``)
        self._ann = usearch_index(ndim=self._dim, metric="cos", dtype="i8", connectivity=16)
        rows = np.array([r for r, s in enumerate(self._row_ids) if s is not None], np.int64)
        if len(rows):
            self._ann.add(rows, self._units[rows], threads=1)

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
    def near(
        self,
        vector: np.ndarray,
        first: int | None,
        last: int | None,
        k: int,
        exclude: str | None = None,
    ) -> list[str]:
        """The ``k`` stories nearest to ``vector`` by cosine among those with a day in
        ``[first - max_days, last + max_days]`` or none (every story when ``first`` or
        ``last`` is None: an undated article, rare in feeds and archives, is compared with
        the closed stories too, exactly), ``exclude`` left out; in no particular order."""
        if not self._entries or k <= 0:
            return []
        lo, hi = _EARLY, _LATE
        if first is not None and last is not None:
            lo, hi = first - self.max_days, last + self.max_days
        query = vector.astype(np.float32)
        rows, cos = self._near_open(query, lo, hi, k, exclude)
        found = [self._row_ids[r] or "" for r in rows.tolist()]
        horizon = self.horizon
        closed: list[str] = []
        if first is None or last is None:
            closed = sorted(s for s, e in self._entries.items() if e.row is None)
        elif horizon is not None and lo < horizon:
            days = range(lo, min(hi, horizon - 1) + 1)
            closed = sorted(set().union(*(self._closed_days.get(d, ()) for d in days)))
        if closed:
            if exclude in closed:
                closed.remove(exclude)
            if closed:
                units = np.stack([self._entries[s].unit for s in closed])
                found += closed
                cos = np.concatenate([cos, np.einsum("ij,j->i", units, query)])
        if len(found) <= k:
            return found
        return [found[i] for i in np.sort(np.argpartition(-cos, k - 1)[:k]).tolist()]

    def _near_open(
        self, query: np.ndarray, lo: int, hi: int, k: int, exclude: str | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows of open stories of the window and their cosines: every one while the search
        is exhaustive, else the first ``2 k`` the approximate index returns (fewer only
        when the window holds fewer)."""
        size = self.open_count
        if not size:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        excluded = self._entries.get(exclude) if exclude is not None else None
        skip = -1 if excluded is None or excluded.row is None else excluded.row
        if self._ann is None:
            n = len(self._row_ids)
            meets = (self._first[:n] <= hi) & (self._last[:n] >= lo)
            if 0 <= skip:
                meets[skip] = False
            rows = np.flatnonzero(meets)
            return rows, np.einsum("ij,j->i", self._units[rows], query)
        count = min(size, OVERSAMPLE * k)
        while True:
            exact = count >= size
            if not exact and self._ann.expansion_search < 2 * count:
                self._ann.expansion_search = 2 * count
            keys = np.asarray(self._ann.search(query, count, exact=exact, threads=1).keys)
            keys = keys[(keys >= 0) & (keys < len(self._row_ids))].astype(np.int64)
            meets = (self._first[keys] <= hi) & (self._last[keys] >= lo) & (keys != skip)
            rows = keys[meets][: 2 * k]
            if len(rows) >= 2 * k or exact:
                return rows, np.einsum("ij,j->i", self._units[rows], query)
            count = min(size, OVERSAMPLE * count)

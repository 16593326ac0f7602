"""Copies and independence: exact and near copies, so a republished story counts once.

Candidates come from MinHash LSH (datasketch) over word unigrams and bigrams; each
candidate is confirmed by aligning the two articles sentence by sentence in order. A
machine rewrite that swaps many words but keeps the sentence order still aligns; two
independent reports of one event that share a quote or two do not.
"""

from __future__ import annotations

import difflib
import re
import zlib
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .records import Article, CopyLink, Departure
from .text import split_sentences, words

NUM_PERM = 128
# datasketch 2 hashing scheme, over CRC-32 shingle hashes (stable across processes and 5x
# faster than datasketch's default SHA-1); stored signatures depend on both.
SCHEME = "affine32"
# LSH candidate threshold on shingle (word and word-pair) Jaccard. Measured: the examples'
# machine rewrite keeps 0.59 of its original's shingles; independent reports of one event
# share 0.13 (the seeds) to 0.27 (examples/). Alignment decides among the candidates.
LSH_THRESHOLD = 0.35
# Two sentences align when the Dice overlap of their words reaches this.
ALIGN_MIN_SIM = 0.45
# A near copy aligns at least this share of the shorter article's sentences, in order.
COPY_MIN_COVERAGE = 0.6
# ... and its aligned sentences are close: summed alignment similarity over the longer
# article's sentence count. Independent reports of one press conference reach ~0.45.
COPY_MIN_SIMILARITY = 0.55
NUMBER_RE = re.compile(r"^\d[\d,.]*$")
# A near copy needs substance: both texts hold at least this many sentences. Shorter texts
# (a one-line feed item, a caption, a garbled line) are copies only when their words are
# identical; two teasers that share a phrase are not one text republished.
MIN_NEAR_SENTENCES = 3


@dataclass(frozen=True)
class CopyOptions:
    lsh_threshold: float = LSH_THRESHOLD
    align_min_sim: float = ALIGN_MIN_SIM
    copy_min_coverage: float = COPY_MIN_COVERAGE
    copy_min_similarity: float = COPY_MIN_SIMILARITY
    num_perm: int = NUM_PERM


def shingles(text: str) -> set[bytes]:
    toks = words(text)
    out = {t.encode() for t in toks}
    out.update(f"{a} {b}".encode() for a, b in zip(toks, toks[1:], strict=False))
    return out


def minhash(text: str, num_perm: int = NUM_PERM) -> np.ndarray:
    from datasketch import MinHash  # imported on use: it costs a second at start-up

    m = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME, hashfunc=zlib.crc32)
    sh = shingles(text)
    if sh:
        m.update_batch(list(sh))
    return m.hashvalues.copy()


class CopyIndex:
    """An LSH index of article MinHashes, filled from the store at the start of a run."""

    def __init__(self, options: CopyOptions | None = None) -> None:
        from datasketch import MinHashLSH

        self.options = options or CopyOptions()
        self.lsh = MinHashLSH(threshold=self.options.lsh_threshold, num_perm=self.options.num_perm)

    def _mh(self, hashvalues: np.ndarray) -> Any:
        from datasketch import MinHash

        return MinHash(num_perm=self.options.num_perm, seed=1, hashvalues=hashvalues, scheme=SCHEME)

    def add(self, article_id: str, hashvalues: np.ndarray) -> None:
        if article_id not in self.lsh.keys:
            self.lsh.insert(article_id, self._mh(hashvalues))

    def candidates(self, hashvalues: np.ndarray) -> list[str]:
        return sorted(self.lsh.query(self._mh(hashvalues)))


def _dice_matrix(a: Sequence[AbstractSet[str]], b: Sequence[AbstractSet[str]]) -> list[list[float]]:
    """Dice overlap of the word sets of every sentence pair."""
    return [[2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0 for y in b] for x in a]


def align(
    a: Sequence[AbstractSet[str]], b: Sequence[AbstractSet[str]], min_sim: float
) -> list[tuple[int, int, float]]:
    """Best monotone alignment of two sentence lists (a weighted LCS), pairs >= min_sim."""
    n, m = len(a), len(b)
    # plain lists: the dynamic programme below is faster on them than on numpy arrays
    s = [[v if v >= min_sim else 0.0 for v in row] for row in _dice_matrix(a, b)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            take = below[j + 1] + s[i][j] if s[i][j] else 0.0
            row[j] = max(below[j], row[j + 1], take)
    pairs = []
    i = j = 0
    while i < n and j < m:
        if s[i][j] and best[i][j] == best[i + 1][j + 1] + s[i][j]:
            pairs.append((i, j, float(s[i][j])))
            i += 1
            j += 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


@lru_cache(maxsize=4096)
def _sentences_of(text: str) -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
    """Sentences of a text and their word sets (cached: a text is compared many times)."""
    sentences = tuple(text[s:e] for s, e in split_sentences(text))
    return sentences, tuple(frozenset(words(x)) for x in sentences)


def _departure(copy_sent: str, orig_sent: str) -> Departure | None:
    cw, ow = copy_sent.split(), orig_sent.split()
    if [w.lower() for w in cw] == [w.lower() for w in ow]:
        return None
    replaced: list[str] = []
    numbers: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ow, b=cw, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = " ".join(ow[i1:i2]), " ".join(cw[j1:j2])
        strip = ".,;:\"'()“”"
        old_nums = [w.strip(strip) for w in ow[i1:i2] if NUMBER_RE.match(w.strip(strip))]
        new_nums = [w.strip(strip) for w in cw[j1:j2] if NUMBER_RE.match(w.strip(strip))]
        if old_nums != new_nums:
            numbers.append(f"{old or '∅'} → {new or '∅'}")
        else:
            replaced.append(f"{old or '∅'} → {new or '∅'}")
    if numbers:
        return Departure("numbers_changed", copy_sent, orig_sent, "; ".join(numbers))
    return Departure("words_replaced", copy_sent, orig_sent, "; ".join(replaced[:12]))


def compare(
    copy: Article, original: Article, options: CopyOptions | None = None
) -> CopyLink | None:
    """A CopyLink if ``copy`` is the same text as ``original`` or a near copy of it."""
    options = options or CopyOptions()
    mine = words(copy.text) or _letter_words(copy.text)
    if not mine:
        return None  # no words (a stray character, mojibake): identical garbage is no copy
    if mine == (words(original.text) or _letter_words(original.text)):
        return CopyLink(copy.id, original.id, "exact", 1.0)
    cs, c_sets = _sentences_of(copy.text)
    os_, o_sets = _sentences_of(original.text)
    if min(len(cs), len(os_)) < MIN_NEAR_SENTENCES:
        return None
    pairs = align(c_sets, o_sets, options.align_min_sim)
    coverage = len(pairs) / min(len(cs), len(os_))
    similarity = sum(s for _, _, s in pairs) / max(len(cs), len(os_))
    if coverage < options.copy_min_coverage or similarity < options.copy_min_similarity:
        return None
    departures: list[Departure] = []
    aligned_c = {i for i, _, _ in pairs}
    aligned_o = {j for _, j, _ in pairs}
    for i, j, _ in pairs:
        d = _departure(cs[i], os_[j])
        if d:
            departures.append(d)
    departures += [
        Departure("sentence_added", cs[i], None) for i in range(len(cs)) if i not in aligned_c
    ]
    departures += [
        Departure("sentence_dropped", None, os_[j]) for j in range(len(os_)) if j not in aligned_o
    ]
    return CopyLink(copy.id, original.id, "near", round(similarity, 3), tuple(departures))


def _letter_words(text: str) -> list[str]:
    """Words of two letters or more in any script (``words`` reads Latin script), for texts
    in other scripts; a text with fewer than three is nothing to copy."""
    found = [w.casefold() for w in re.findall(r"[^\W\d_]{2,}", text)]
    return found if len(found) >= 3 else []


def _squash(name: str) -> str:
    """A name for comparison: letters and digits only, lower case ("Global Wire",
    "globalwire.example" and "GLOBAL-WIRE" all start "globalwire")."""
    return re.sub(r"[\W_]+", "", name).lower()


def is_wire_own(article: Article) -> bool:
    """Whether the article is the wire service's own: it carries a wire credit or a
    dateline naming a wire (``article.wire``, found by clean.py) and its outlet, or its
    URL's site, is that wire."""
    if not article.wire:
        return False
    wire = _squash(article.wire)
    return bool(wire) and any(
        wire in _squash(name or "")
        for name in (article.outlet, article.url and domain(article.url))
    )


def domain(url: str) -> str:
    from urllib.parse import urlparse

    return (urlparse(url).hostname or "").removeprefix("www.")


def original_priority(article: Article, seq: int) -> tuple[int, int, str, int]:
    """Sort key of the original of a copy group; the smallest is the original. The rule:

    1. the wire service's own article: one with a wire credit or a dateline naming the wire
       ("PORT SELDEN, March 14 (Global Wire) -", "Reporting by ...; Editing by ...") whose
       outlet is that wire (:func:`is_wire_own`);
    2. else one that carries the wire credit or dateline (a near copy that dropped the
       credit is the copy, not the original);
    3. else the earliest published (an undated article after every dated one);
    4. else the first read (``seq``, the arrival order).
    """
    own = is_wire_own(article)
    return (0 if own else 1, 0 if article.wire else 1, article.published or "9999", seq)


@dataclass(frozen=True)
class Republication:
    """One copy of an original: who carried it, when, and how close it is."""

    article_id: str
    outlet: str | None
    published: str | None
    kind: str  # exact (word for word) | near (some words, figures or sentences changed)
    similarity: float
    path: str
    url: str | None


@dataclass(frozen=True)
class Reach:
    """An original and the copies of it found among the same articles."""

    article_id: str
    outlet: str | None
    published: str | None
    title: str | None
    path: str
    url: str | None
    copies: tuple[Republication, ...]


def reach(articles: Sequence[Article], links: dict[str, CopyLink]) -> list[Reach]:
    """For each original among ``articles`` that has copies among them, the copies in the
    order they were published (undated ones last, then in the order given)."""
    by_id = {a.id: a for a in articles}
    order = {a.id: k for k, a in enumerate(articles)}
    copies: dict[str, list[Republication]] = {}
    for a in articles:
        link = links.get(a.id)
        if link is None or link.original_id not in by_id:
            continue
        copies.setdefault(link.original_id, []).append(
            Republication(a.id, a.outlet, a.published, link.kind, link.similarity, a.source, a.url)
        )
    out = []
    for oid, found in copies.items():
        o = by_id[oid]
        found.sort(key=lambda r: (r.published or "9999", order[r.article_id]))
        out.append(Reach(o.id, o.outlet, o.published, o.title, o.source, o.url, tuple(found)))
    out.sort(key=lambda r: (r.published or "9999", order[r.article_id]))
    return out

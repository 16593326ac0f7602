"""The labelled claim-pair set (quality/claim_pairs/pairs.jsonl): load it and resolve its
references into the shared data (../shared/data).

The pairs file holds no text from the data, only references: each side of a pair names a
file under the data folder, a record in it (the article), the character span of the
sentence in that record's article text and the first 12 hex digits of the sentence's sha1.
This module turns a reference back into ``(article_text, title, outlet, span)`` and checks
the sha1, so a changed data file is reported instead of silently scoring other sentences.

Records by file (see quality/claim_pairs/README.md):

- ``stories/allsides/headline_11_2021-10-19_crawled_all.jsonl``: ``"<story id>/<side>"``
  (side: left, center or right); the article text is the outlet's lead paragraphs joined by
  a blank line, as ``load_allsides`` in scripts/evaluation.py builds it;
- ``stories/allsides/{train,val}.source`` (NeuS): ``"<line>/<k>"`` (line counted from 1,
  k the 0-based position of the article among the line's three, each from a different
  outlet; the file does not name the outlets); the text after ``ARTICLE=>``;
- ``consistency/xsumfaith/docs.jsonl``: ``"<bbcid>"``; the BBC article (``document``);
- ``consistency/xsumfaith/hallucination_annotations_xsum_summaries.csv``:
  ``"<bbcid>/<system>"``; the summary that system wrote for the article (one sentence).

Usage::

    python scripts/claim_pairs.py            # check every reference, print the counts
    python scripts/claim_pairs.py --show 12  # print pair 12 (text from the data folder)
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from datapaths import shared_data

REPO = Path(__file__).resolve().parents[1]
PAIRS = REPO / "quality" / "claim_pairs" / "pairs.jsonl"
LABELS = ("agree", "conflict", "neither")
SPLITS = ("dev", "heldout")

ALLSIDES = "stories/allsides/headline_11_2021-10-19_crawled_all.jsonl"
NEUS_TRAIN = "stories/allsides/train.source"
NEUS_VAL = "stories/allsides/val.source"
XSUM_DOCS = "consistency/xsumfaith/docs.jsonl"
XSUM_SUMMARIES = "consistency/xsumfaith/hallucination_annotations_xsum_summaries.csv"


Record = tuple[str, str | None, str | None]  # (article text, title, outlet)


class ClaimPairsError(Exception):
    """The pairs file or the data folder it points into is not as expected."""


class DataChanged(ClaimPairsError):
    """A reference no longer matches the data: the file, record or sentence changed."""


def sha1_12(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Ref:
    """Where one sentence of a pair lives in the shared data."""

    file: str  # relative to the data folder
    record: str  # the article within the file (see the module docstring)
    start: int  # character span of the sentence in the record's article text
    end: int
    sha1: str  # first 12 hex digits of sha1(sentence)

    @classmethod
    def of(cls, raw: dict[str, object]) -> Ref:
        return cls(
            str(raw["file"]), str(raw["record"]), int(raw["start"]), int(raw["end"]),  # type: ignore[call-overload]
            str(raw["sha1"]),
        )  # fmt: skip


@dataclass(frozen=True)
class Side:
    """A reference resolved: the whole article and where the sentence is in it."""

    ref: Ref
    article_text: str
    title: str | None
    outlet: str | None
    span: tuple[int, int]

    @property
    def sentence(self) -> str:
        return self.article_text[self.span[0] : self.span[1]]

    @property
    def article_key(self) -> str:
        return f"{self.ref.file}#{self.ref.record}"


@dataclass(frozen=True)
class Pair:
    id: str
    split: str  # dev | heldout
    label: str  # agree | conflict | neither
    origin: str  # allsides | xsumfaith (see the README)
    note: str
    story: str  # the story / event the pair is about (splits never share one)
    a: Side
    b: Side


# --- articles -----------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _allsides(data: Path) -> dict[str, Record]:
    out: dict[str, Record] = {}
    path = data / ALLSIDES
    for line in path.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        for side, item in sorted((story.get("news") or {}).items()):
            body = "\n\n".join(p for p in item.get("newBody") or [] if p.strip())
            if body:
                out[f"{story['id']}/{side}"] = (body, item.get("newsTitle"), item.get("newsSource"))
    return out


def _neus(data: Path, file: str) -> dict[str, Record]:
    out: dict[str, Record] = {}
    lines = (data / file).read_text(encoding="utf-8").split("\n")
    for n, line in enumerate(lines, 1):
        for k, part in enumerate(line.split(" [SEP] ") if line else []):
            head, sep, text = part.partition(" ARTICLE=> ")
            if sep and text.strip():
                title = head.removeprefix("TITLE=> ").removesuffix(".").strip() or None
                out[f"{n}/{k}"] = (text, title, None)
    return out


@lru_cache(maxsize=8)
def _neus_train(data: Path) -> dict[str, Record]:
    return _neus(data, NEUS_TRAIN)


@lru_cache(maxsize=8)
def _neus_val(data: Path) -> dict[str, Record]:
    return _neus(data, NEUS_VAL)


@lru_cache(maxsize=8)
def _xsum_docs(data: Path) -> dict[str, Record]:
    out: dict[str, Record] = {}
    for line in (data / XSUM_DOCS).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out[str(row["bbcid"])] = (row["document"], None, "BBC")
    return out


@lru_cache(maxsize=8)
def _xsum_summaries(data: Path) -> dict[str, Record]:
    out: dict[str, Record] = {}
    with (data / XSUM_SUMMARIES).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = f"{row['bbcid']}/{row['system']}"
            out.setdefault(key, (row["summary"], None, f"summary ({row['system']})"))
    return out


READERS = {
    ALLSIDES: _allsides,
    NEUS_TRAIN: _neus_train,
    NEUS_VAL: _neus_val,
    XSUM_DOCS: _xsum_docs,
    XSUM_SUMMARIES: _xsum_summaries,
}


def article(file: str, record: str, data: Path | None = None) -> Record:
    """(article text, title, outlet) of one record; DataChanged if it is not there."""
    data = (data or shared_data()).resolve()
    reader = READERS.get(file)
    if reader is None:
        raise ClaimPairsError(f"no reader for data file {file!r} (known: {sorted(READERS)})")
    if not (data / file).is_file():
        raise DataChanged(f"data file {data / file} not found; is ../shared/data complete?")
    records = reader(data)
    if record not in records:
        raise DataChanged(f"record {record!r} not found in {file}; the data file changed")
    return records[record]


def resolve(ref: Ref, data: Path | None = None) -> Side:
    text, title, outlet = article(ref.file, ref.record, data)
    sentence = text[ref.start : ref.end]
    if ref.end > len(text) or sha1_12(sentence) != ref.sha1:
        raise DataChanged(
            f"{ref.file}#{ref.record} [{ref.start}:{ref.end}] no longer holds the labelled "
            f"sentence (sha1 {sha1_12(sentence)} != {ref.sha1}); the data changed, relabel or "
            "restore the data folder"
        )
    return Side(ref, text, title, outlet, (ref.start, ref.end))


def make_ref(file: str, record: str, start: int, end: int, data: Path | None = None) -> Ref:
    """A reference to ``[start:end]`` of a record (used when building the set)."""
    text = article(file, record, data)[0]
    return Ref(file, record, start, end, sha1_12(text[start:end]))


# --- pairs --------------------------------------------------------------------------------
def read_rows(path: Path = PAIRS) -> list[dict[str, object]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ClaimPairsError(f"{path}:{n}: not JSON: {exc}") from exc
        if row.get("label") not in LABELS or row.get("split") not in SPLITS:
            raise ClaimPairsError(f"{path}:{n}: bad label or split in {row.get('id')!r}")
        rows.append(row)
    return rows


def load_pairs(split: str = "all", path: Path = PAIRS, data: Path | None = None) -> Iterator[Pair]:
    """Every pair of ``split`` (dev, heldout or all) with both sides resolved and checked."""
    if split not in (*SPLITS, "all"):
        raise ClaimPairsError(f"split must be dev, heldout or all, not {split!r}")
    for row in read_rows(path):
        if split != "all" and row["split"] != split:
            continue
        yield Pair(
            id=str(row["id"]), split=str(row["split"]), label=str(row["label"]),
            origin=str(row["origin"]), note=str(row.get("note") or ""),
            story=str(row.get("story") or ""),
            a=resolve(Ref.of(row["a"]), data), b=resolve(Ref.of(row["b"]), data),  # type: ignore[arg-type]
        )  # fmt: skip


def counts(pairs: list[Pair]) -> dict[str, dict[str, int]]:
    """Label counts per split, per origin and in all."""
    out: dict[str, Counter[str]] = {}
    for p in pairs:
        for key in (p.split, f"origin:{p.origin}", "all"):
            out.setdefault(key, Counter())[p.label] += 1
    return {k: {label: v[label] for label in LABELS} for k, v in sorted(out.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="all", choices=("dev", "heldout", "all"))
    parser.add_argument("--show", help="print the pair with this id (text read from the data)")
    args = parser.parse_args(argv)
    try:
        pairs = list(load_pairs(args.split))
    except ClaimPairsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.show:
        for p in pairs:
            if p.id == args.show:
                print(f"{p.id} [{p.split}] {p.label} ({p.origin}) {p.note}")
                print(f"  A ({p.a.outlet}): {p.a.sentence}")
                print(f"  B ({p.b.outlet}): {p.b.sentence}")
                return 0
        print(f"error: no pair {args.show!r}", file=sys.stderr)
        return 1
    print(json.dumps({"pairs": len(pairs), "counts": counts(pairs)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

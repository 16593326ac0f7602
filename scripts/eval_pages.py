"""Page cleaning measured on the 500 real pages of ../shared/data/pages, the way trafilatura
measures itself, beside ``trafilatura.extract()`` with its defaults on the same pages in the
same run.

Each page has ``with`` snippets (its main text: a clean extraction keeps them) and
``without`` snippets (navigation, teasers, comments, share and subscribe prompts: it drops
them). A ``with`` snippet found in a result is a true positive, one missed a false
negative; a ``without`` snippet found is a false positive. Precision = TP / (TP + FP) is the
share of what is kept that is not boilerplate; recall = TP / (TP + FN). Snippets and results
are compared with whitespace collapsed (the same for every system). Three results per page:

- ``trafilatura``: ``trafilatura.extract(html)`` with its defaults (comments and tables in);
- ``clean``: the text corroborator's pipeline keeps (ingest: trafilatura without comments,
  then the prose check of ingest/prose.py; then clean.py); a page the pipeline skips ("not
  an article: ...") keeps nothing;
- ``claims``: the sentences that become claims (English pages only: other languages get no
  claim extraction, so nothing of theirs reaches a claim); beside it ``trafilatura`` on the
  same English pages.

The metadata the pipeline keeps (title, authors, date, outlet) is compared with the page's
own gold fields where it has them. Splits: ``dev`` (the md5 of the file name starts with an
even hex digit; the prose check was tuned on it) and ``held-out`` (odd); ``sample`` is the
pages whose md5 starts with 0-3 (a quarter of the pages, for the quality test).

    PYTHONPATH=src python scripts/eval_pages.py [--split all|dev|held-out|sample] [--claims]
        [--show fp|fn|skipped|meta] [--write]

``--write`` stores the figures in quality/pages_result.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datapaths import REPO, shared_data  # noqa: E402

from corroborator.clean import clean, normalise_date  # noqa: E402
from corroborator.errors import InputError  # noqa: E402
from corroborator.ingest import read_one  # noqa: E402
from corroborator.ingest.text import decode_counted  # noqa: E402
from corroborator.language import is_english  # noqa: E402
from corroborator.records import Article, RawDocument  # noqa: E402

PAGES = Path("pages")
SPLITS = ("all", "dev", "held-out", "sample")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def split_of(file: str) -> str:
    digit = int(hashlib.md5(file.encode()).hexdigest()[0], 16)
    return "dev" if digit % 2 == 0 else "held-out"


def in_split(file: str, split: str) -> bool:
    if split == "all":
        return True
    if split == "sample":
        return int(hashlib.md5(file.encode()).hexdigest()[0], 16) < 4
    return split_of(file) == split


def load_pages(split: str = "all", data: Path | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(url, entry) of the pages of a split; entry has file, with, without and gold fields."""
    folder = (data or shared_data()) / PAGES
    entries = json.loads((folder / "evaldata-dev.json").read_text(encoding="utf-8"))
    return [(url, e) for url, e in sorted(entries.items()) if in_split(e["file"], split)]


class Tally:
    def __init__(self) -> None:
        self.c: Counter[str] = Counter()

    def add(self, result: str | None, entry: dict[str, Any]) -> tuple[list[str], list[str]]:
        """Count one page; returns the (missed, leaked) snippets."""
        found = norm(result or "")
        missed, leaked = [], []
        for snippet in entry["with"]:
            hit = norm(snippet) in found
            self.c["tp" if hit else "fn"] += 1
            if not hit:
                missed.append(snippet)
        for snippet in entry["without"]:
            hit = norm(snippet) in found
            self.c["fp" if hit else "tn"] += 1
            if hit:
                leaked.append(snippet)
        self.c["pages"] += 1
        return missed, leaked

    def scores(self) -> dict[str, float]:
        tp, fp, fn = self.c["tp"], self.c["fp"], self.c["fn"]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
                "tp": tp, "fp": fp, "fn": fn, "pages": self.c["pages"]}  # fmt: skip


def pipeline_article(path: Path) -> tuple[Article | None, RawDocument | None, str]:
    """The page as the pipeline reads and cleans it: (article, raw document, skip reason)."""
    docs = list(read_one(str(path)))
    doc = docs[0] if docs else None
    if not isinstance(doc, RawDocument):
        return None, None, doc.reason if doc is not None else "nothing read"
    try:
        return clean(doc), doc, ""
    except InputError as exc:
        return None, doc, str(exc)


def _same_text(a: str | None, b: str | None) -> bool:
    return bool(a and b) and norm(a or "").lower() == norm(b or "").lower()


def _fold(name: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", name.lower()).split())


def _authors(value: str | list[str] | None) -> set[str]:
    """Author names compared with case, punctuation and list separators ignored (the gold
    writes "Lars Fischer und Alina Schadwinkel", "T. V. Raman ", "Herr_Rein")."""
    if isinstance(value, list):
        value = ";".join(value)
    parts = re.split(r";|,|/| and | und | & ", value or "", flags=re.IGNORECASE)
    return {_fold(a) for a in parts if _fold(a)}


def metadata_agreement(article: Article, raw: Any, entry: dict[str, Any], m: Counter[str]) -> None:
    """Count agreement with the page's gold title, author and date (where it has them),
    for the pipeline's article and for trafilatura's own metadata (``raw``)."""
    raw_author = raw.author if raw is not None else None
    if entry.get("title"):
        m["title_gold"] += 1
        m["title_agree"] += _same_text(article.title, entry["title"])
        m["title_raw_agree"] += _same_text(raw.title if raw is not None else None, entry["title"])
    if "author" in entry:
        gold = _authors(entry.get("author"))
        ours = _authors(";".join(article.authors))
        theirs = _authors(raw_author)
        m["author_pages"] += 1
        m["author_agree"] += ours == gold
        m["author_raw_agree"] += theirs == gold
        m["author_kept"] += len(ours)
        m["author_kept_right"] += len(ours & gold)
        m["author_raw"] += len(theirs)
        m["author_raw_right"] += len(theirs & gold)
        m["author_gold"] += len(gold)
    m["outlet_pages"] += 1
    m["outlet_is_sitename"] += bool(
        raw is not None and raw.sitename and article.outlet == raw.sitename
    )
    if entry.get("sitename"):
        m["sitename_gold"] += 1
        m["sitename_agree"] += _same_text(article.outlet, entry["sitename"])
    if entry.get("date"):
        m["date_gold"] += 1
        gold = (normalise_date(entry["date"]) or "")[:10]
        m["date_agree"] += (article.published or "")[:10] == gold
        m["date_raw_agree"] += (normalise_date(raw.date if raw is not None else None) or "")[
            :10
        ] == gold


def evaluate(split: str = "all", claims: bool = False, show: str = "") -> dict[str, Any]:
    """The figures of one split, and of its dev and held-out parts (module docstring)."""
    import trafilatura
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    folder = shared_data() / PAGES / "html"
    parts = ["all", "dev", "held-out"] if split in ("all", "sample") else [split]
    systems = ("trafilatura", "clean", "trafilatura_en", "claims")
    tallies = {(name, part): Tally() for name in systems for part in parts}
    skipped: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    meta: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    english: list[tuple[Article, dict[str, Any], str | None]] = []

    def add(name: str, result: str | None, entry: dict[str, Any]) -> tuple[list[str], list[str]]:
        out: tuple[list[str], list[str]] = ([], [])
        for part in parts:
            if part in ("all", split_of(entry["file"])):
                out = tallies[(name, part)].add(result, entry)
        return out

    for _, entry in load_pages(split):
        path = folder / entry["file"]
        start = time.perf_counter()
        article, _, reason = pipeline_article(path)
        seconds["pipeline"] += time.perf_counter() - start
        html, _ = decode_counted(path.read_bytes())
        start = time.perf_counter()
        try:
            base = trafilatura.extract(html)
        except Exception:  # noqa: BLE001 - a crash keeps nothing, as for the pipeline
            base = None
        seconds["trafilatura"] += time.perf_counter() - start
        add("trafilatura", base, entry)
        missed, leaked = add("clean", article.text if article else None, entry)
        if article is None:
            skipped[reason.split(" (")[0]] += 1
            if show == "skipped":
                print(f"skipped {entry['file']}: {reason}")
        else:
            dropped.update(r.kind for r in article.removed)
            tree = load_html(html)
            raw = extract_metadata(tree) if tree is not None else None
            metadata_agreement(article, raw, entry, meta)
            if show == "meta":
                print(f"{entry['file'][:40]:40s} authors {article.authors} raw {raw and raw.author!r} "
                      f"gold {entry.get('author')!r} outlet {article.outlet!r} "
                      f"date {article.published} gold {entry.get('date')}")  # fmt: skip
            if claims and is_english(article.language):
                english.append((article, entry, base))
        if show == "fp":
            for s in leaked:
                print(f"leaked {entry['file'][:40]:40s} {s[:80]!r}")
        if show == "fn":
            for s in missed:
                print(f"missed {entry['file'][:40]:40s} {s[:80]!r}")
    if claims and english:
        from corroborator.claims import ClaimExtractor

        start = time.perf_counter()
        found = ClaimExtractor().extract_many([a for a, _, _ in english])
        seconds["claims"] += time.perf_counter() - start
        for (_, entry, base), result in zip(english, found, strict=True):
            add("claims", "\n".join(c.text for c in result.claims), entry)
            add("trafilatura_en", base, entry)
    out: dict[str, Any] = {"split": split}
    for part in parts:
        out[part] = {
            name: tallies[(name, part)].scores()
            for name in systems
            if tallies[(name, part)].c["pages"]
        }
    out["skipped"] = dict(skipped.most_common())
    out["dropped_blocks"] = dict(dropped.most_common())
    out["metadata"] = metadata_scores(meta)
    out["seconds"] = {k: round(v, 1) for k, v in seconds.items()}
    return out


def metadata_scores(m: Counter[str]) -> dict[str, float]:
    def ratio(a: str, b: str) -> float:
        return round(m[a] / m[b], 4) if m[b] else 0.0

    return {
        "title_agreement": ratio("title_agree", "title_gold"),
        "title_agreement_trafilatura": ratio("title_raw_agree", "title_gold"),
        "date_agreement": ratio("date_agree", "date_gold"),
        "date_agreement_trafilatura": ratio("date_raw_agree", "date_gold"),
        "author_agreement": ratio("author_agree", "author_pages"),
        "author_agreement_trafilatura": ratio("author_raw_agree", "author_pages"),
        "author_precision": ratio("author_kept_right", "author_kept"),
        "author_precision_trafilatura": ratio("author_raw_right", "author_raw"),
        "author_recall": ratio("author_kept_right", "author_gold"),
        "author_recall_trafilatura": ratio("author_raw_right", "author_gold"),
        "outlet_from_sitename": ratio("outlet_is_sitename", "outlet_pages"),
        "sitename_agreement": ratio("sitename_agree", "sitename_gold"),
        "pages_sitename": m["sitename_gold"],
        "pages_title": m["title_gold"], "pages_date": m["date_gold"],
        "pages_author": m["author_pages"],
    }  # fmt: skip


def print_figures(result: dict[str, Any]) -> None:
    print(f"split {result['split']}")
    for part in ("all", "dev", "held-out"):
        for name, s in result.get(part, {}).items():
            print(f"  {part:8s} {name:15s} P {s['precision']:.3f} R {s['recall']:.3f} "
                  f"F1 {s['f1']:.3f} (tp {s['tp']} fp {s['fp']} fn {s['fn']}, {s['pages']} pages)")  # fmt: skip
    print(f"  skipped: {result['skipped']}")
    print(f"  dropped blocks: {result['dropped_blocks']}")
    print(f"  metadata: {result['metadata']}")
    print(f"  seconds: {result['seconds']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=SPLITS, default="all")
    parser.add_argument("--claims", action="store_true", help="also score what becomes claims")
    parser.add_argument("--show", choices=("fp", "fn", "skipped", "meta"), default="")
    parser.add_argument("--write", action="store_true", help="store the figures in quality/")
    args = parser.parse_args()
    result = evaluate(args.split, claims=args.claims, show=args.show)
    print_figures(result)
    if args.write:
        path = REPO / "quality" / "pages_result.json"
        path.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()

"""Soak: `corroborator run` end to end over every real news document under ../shared/data.

    PYTHONPATH=src .venv/bin/python scripts/soak.py [--limit N] [--corpus NAME ...] [--keep DIR]

The documents are read at run time and written, converted, to a temporary folder (never
into the repository):

- ``consistency``: the CNN/DM and XSum source documents of consistency/fib and the BBC
  articles of consistency/xsumfaith/docs.jsonl, one .txt file each (distinct texts only);
- ``allsides``: every outlet's article of stories/allsides/headline_*.jsonl, one JSON Lines
  file with title, outlet and date;
- ``polnear``: the PolNeAR texts (attribution/polnear/{train,dev}/text), one JSON Lines file
  with title, publisher and date from metadata.tsv.

Each corpus is one real ``corroborator run`` (a subprocess, its own database). The script
prints, per corpus and in total: the documents given, the articles processed, the errors
per stage (the ``errors`` of the JSON document, plus inputs skipped at reading), the wall
time and the peak memory of the child processes (``resource.getrusage``). It exits
non-zero when a run crashed or reported any error.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data").resolve()
CORPORA = ("consistency", "allsides", "polnear")


def consistency_texts(data: Path) -> list[str]:
    texts: dict[str, None] = {}
    for path in sorted((data / "consistency" / "fib").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts[json.loads(line)["input"]] = None
    docs = data / "consistency" / "xsumfaith" / "docs.jsonl"
    for line in docs.read_text(encoding="utf-8").splitlines():
        texts[json.loads(line)["document"]] = None
    return list(texts)


def allsides_records(data: Path) -> list[dict[str, str | None]]:
    out = []
    path = next(iter(sorted((data / "stories" / "allsides").glob("headline_*.jsonl"))))
    for line in path.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        for side, item in sorted((story.get("news") or {}).items()):
            body = "\n\n".join(p for p in item.get("newBody") or [] if p.strip())
            if body:
                out.append(
                    {
                        "text": body,
                        "title": item.get("newsTitle"),
                        "outlet": item.get("newsSource"),
                        "published": story.get("date"),
                        "url": f"https://allsides.example/{story['id']}/{side}",
                    }
                )
    return out


def polnear_records(data: Path) -> list[dict[str, str | None]]:
    folder = data / "attribution" / "polnear"
    meta = {}
    with open(folder / "metadata.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta[row["filename"]] = row
    out = []
    for split in ("train", "dev"):
        for path in sorted((folder / split / "text").glob("*.txt")):
            row = meta.get(path.stem, {})
            out.append(
                {
                    "text": path.read_text(encoding="utf-8"),
                    "title": row.get("title"),
                    "outlet": row.get("publisher"),
                    "published": row.get("publication_date"),
                }
            )
    return out


def prepare(corpus: str, folder: Path, limit: int | None) -> int:
    """Write one corpus's inputs under folder; returns the number of documents."""
    folder.mkdir(parents=True)
    if corpus == "consistency":
        texts = consistency_texts(DATA)[:limit]
        for k, text in enumerate(texts):
            (folder / f"doc-{k:04d}.txt").write_text(text, encoding="utf-8")
        return len(texts)
    records = (allsides_records if corpus == "allsides" else polnear_records)(DATA)[:limit]
    with open(folder / f"{corpus}.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(records)


def run_one(corpus: str, root: Path, limit: int | None, no_model: bool) -> dict[str, object]:
    inputs = root / corpus
    n = prepare(corpus, inputs, limit)
    out_json = root / f"{corpus}.json"
    cmd = [sys.executable, "-m", "corroborator", "run", str(inputs), "--db", str(root / f"{corpus}.db"),
           "--json", str(out_json)] + (["--no-model"] if no_model else [])  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)
    seconds = time.perf_counter() - start
    errors: Counter[str] = Counter()
    examples: list[str] = []
    processed = 0
    warnings: list[str] = []
    if out_json.exists():
        doc = json.loads(out_json.read_text(encoding="utf-8"))
        processed = int((doc.get("summary") or {}).get("processed", 0))
        warnings = list(doc.get("warnings", []))
        for e in doc.get("errors", []):
            errors[e["stage"]] += 1
            if len(examples) < 5:
                examples.append(f"{e['stage']} {e.get('article') or e.get('story')}: {e['reason']}")
        for s in doc.get("skipped", []):
            errors["read"] += 1
            if len(examples) < 5:
                examples.append(f"read {s['path']}: {s['reason']}")
    if proc.returncode != 0:
        errors["crash"] += 1
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        examples.append(f"exit {proc.returncode}: {tail}")
        (root / f"{corpus}.stderr").write_text(proc.stderr, encoding="utf-8")
    return {"corpus": corpus, "documents": n, "processed": processed, "seconds": seconds,
            "exit": proc.returncode, "errors": dict(errors), "examples": examples,
            "warnings": warnings}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="at most N documents per corpus (a quick try)")
    parser.add_argument("--corpus", action="append", choices=CORPORA, help="only these corpora")
    parser.add_argument("--keep", type=Path, help="write inputs, databases and JSON here")
    parser.add_argument("--no-model", action="store_true", help="pass --no-model to the runs")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"shared data folder not found at {DATA}; nothing to soak", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        results = []
        start = time.perf_counter()
        for corpus in args.corpus or CORPORA:
            r = run_one(corpus, root, args.limit, args.no_model)
            results.append(r)
            errs = ", ".join(f"{k} {v}" for k, v in sorted(r["errors"].items())) or "none"  # type: ignore[attr-defined]
            print(f"{corpus:<12} documents {r['documents']:>5}  processed {r['processed']:>5}  "
                  f"exit {r['exit']}  {r['seconds']:7.1f} s  errors: {errs}", flush=True)  # fmt: skip
            for line in r["examples"]:  # type: ignore[attr-defined]
                print(f"    {line}", flush=True)
            for line in r["warnings"]:  # type: ignore[attr-defined]
                print(f"    warning: {line}", flush=True)
        seconds = time.perf_counter() - start
        total: Counter[str] = Counter()
        for r in results:
            total.update(r["errors"])  # type: ignore[arg-type]
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"total        documents {sum(int(r['documents']) for r in results):>5}  "  # type: ignore[call-overload]
            f"processed {sum(int(r['processed']) for r in results):>5}  "  # type: ignore[call-overload]
            f"wall {seconds:.1f} s  peak memory {peak_mib:.0f} MiB  errors per stage: "
            + (", ".join(f"{k} {v}" for k, v in sorted(total.items())) or "none (0)")
        )
        return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())

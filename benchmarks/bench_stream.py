"""A year-long stream: story assignment time per article, first vs last, and peak memory.

    make bench     # or: .venv/bin/python benchmarks/bench_stream.py [--n 100000] [--store-n 1000]

Issue 13's measures:

1. **The stream.** ``--n`` synthetic articles recombined from real sentences (the real news
   of benchmarks/corpus.py: CNN/DM, BBC and PolNeAR texts, cut into sentences): events
   start on days spread over a year, each with 1 to 8 articles over up to four days, every
   article a new pick of its event's sentences plus one or two sentences of other news; in
   publication order, as a feed sees them. Story features are computed in batches with the
   static model2vec vectors in MiniLM's place (``--encoder static``, the default: MiniLM
   needs about 0.12 s an article on 2 cores, a day and a half for 100,000; the grouping
   does the same work on vectors from either) and timed on their own. **What is timed is
   ``StoryGrouper.assign``**, one article at a time: candidate search (storyindex), scoring,
   joining or starting a story, splitting and merging. Printed: ms per article of the first
   and of the last tenth (10,000 of 100,000; target: last <= 1.2x first), in CPU time of
   the process (the grouping runs on one thread; wall time, printed beside it, moves with
   whatever else the shared machine runs), open and closed
   stories, and the process's peak memory (max RSS, everything included: the features of
   every article, which the grouper keeps; target < 4 GiB).
2. **The candidate index alone** (``--index-sizes``): one query's time with 1,000 ... open
   stories (all in the query's window), each a noisy copy of one of 2,000 stream
   articles' vectors, and how many of 50 queries get exactly the exhaustive search's 32.
3. **SQLite vs PostgreSQL** (``--store-n``): the first articles of the stream through
   ``Pipeline.run`` (ingest from JSONL, clean, copies, features, stories, one transaction
   per article) into a SQLite file and into a PostgreSQL server started for the run on a
   Unix socket (initdb + pg_ctl from /usr/lib/postgresql/*/bin or PATH; skipped, saying why,
   where there is none), same encoder; per-stage seconds side by side.

On this 2-core shared machine the default (100,000 articles) takes about half an hour.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import real_articles  # noqa: E402

from corroborator.records import Article  # noqa: E402
from corroborator.stories import StoryFeaturizer, StoryGrouper  # noqa: E402
from corroborator.storyindex import StoryIndex  # noqa: E402
from corroborator.text import split_sentences  # noqa: E402

START = date(2025, 1, 1)  # a year that has passed: no article is dated after tomorrow


def sentence_pool() -> list[list[str]]:
    """The real articles, each as its sentences (those with at least five)."""
    out = []
    for text in real_articles():
        flat = " ".join(text.split())
        sents = [flat[a:b] for a, b in split_sentences(flat) if 20 <= b - a <= 400]
        if len(sents) >= 5:
            out.append(sents)
    if not out:
        raise SystemExit("no real news under ../shared/data: the stream is made from it")
    return out


def stream(n: int, days: int = 365, seed: int = 11) -> list[Article]:
    """``n`` articles of recombined real sentences, in publication order (see the top)."""
    pool = sentence_pool()
    rng = random.Random(seed)
    items: list[tuple[int, float, str, str]] = []
    while len(items) < n:
        base = rng.choice(pool)
        start = rng.randrange(days)
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 8])):
            day = start + rng.choice([0, 0, 1, 1, 2, 3])
            picked = sorted(rng.sample(range(len(base)), min(len(base), rng.randint(4, 8))))
            sents = [base[i] for i in picked]
            for _ in range(rng.randint(1, 2)):
                other = rng.choice(pool)
                sents.insert(rng.randrange(1, len(sents) + 1), rng.choice(other))
            title = base[rng.choice(picked[:3])][:150]
            items.append((day, rng.random(), title, " ".join(sents)))
    items = sorted(items[:n])
    out = []
    for k, (day, _, title, text) in enumerate(items):
        published = (START + timedelta(days=day)).isoformat()
        out.append(
            Article(id=f"s{k:06d}", source=f"s{k}", fmt="jsonl", original=text, text=text,
                    segments=((0, 0, len(text)),), title=title, published=published)
        )  # fmt: skip
    return out


def featurizer(name: str) -> StoryFeaturizer:
    if name == "static":
        from corroborator.embed import Embedder

        return StoryFeaturizer(encoder=Embedder())
    return StoryFeaturizer()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_stream(arts: Sequence[Article], feats_of: StoryFeaturizer, batch: int = 1000) -> None:
    n = len(arts)
    tenth = max(1, n // 10)
    grouper = StoryGrouper()
    times = np.zeros(n)
    cpu = np.zeros(n)
    feat_s = 0.0
    feats_of([arts[0]])  # load the encoder outside the timed region
    for k in range(0, n, batch):
        t = time.perf_counter()
        feats = feats_of(arts[k : k + batch])
        feat_s += time.perf_counter() - t
        for j, (f, a) in enumerate(zip(feats, arts[k : k + batch], strict=True)):
            t, c = time.perf_counter(), time.process_time()
            grouper.assign(f, published=a.published)
            times[k + j] = time.perf_counter() - t
            cpu[k + j] = time.process_time() - c
        done = min(k + batch, n)
        if done % tenth < batch or done == n:
            span = slice(max(0, done - tenth), done)
            print(f"  {done:>7,} articles (to {arts[done - 1].published}): ms per article over "
                  f"the last {tenth:,}: CPU {1000 * cpu[span].mean():.2f}, wall "
                  f"{1000 * times[span].mean():.2f}; stories {len(grouper.stories):,} "
                  f"(open {grouper.index.open_count:,}, closed {grouper.index.closed_count:,}); "
                  f"max RSS {peak_mib():,.0f} MiB", flush=True)  # fmt: skip
    first, last = 1000 * cpu[:tenth].mean(), 1000 * cpu[-tenth:].mean()
    wall_first, wall_last = 1000 * times[:tenth].mean(), 1000 * times[-tenth:].mean()
    print(f"features ({feats_of.__class__.__name__}): {1000 * feat_s / n:.2f} ms per article")
    print(f"stories: {len(grouper.stories):,} for {n:,} articles; open at the end "
          f"{grouper.index.open_count:,}, closed {grouper.index.closed_count:,}")  # fmt: skip
    print(
        f"story assignment, CPU ms per article: first {tenth:,} {first:.2f}; last {tenth:,} "
        f"{last:.2f} = {last / first:.2f}x (target <= 1.2x); all {1000 * cpu.mean():.2f}"
    )
    tenths = [1000 * cpu[i * tenth : (i + 1) * tenth].mean() for i in range(n // tenth)]
    med_first, med_last = np.median(cpu[:tenth]), np.median(cpu[-tenth:])
    print(f"  each tenth: {' '.join(f'{t:.2f}' for t in tenths)} (the shared machine moves "
          f"these by 20 %: compare the trend); medians first {1000 * med_first:.2f}, last "
          f"{1000 * med_last:.2f} = {med_last / med_first:.2f}x")  # fmt: skip
    print(f"  wall ms per article (moves with the machine's load): first {wall_first:.2f}; "
          f"last {wall_last:.2f} = {wall_last / wall_first:.2f}x; slowest article "
          f"{1000 * times.max():.0f} ms")  # fmt: skip
    print(f"peak memory (max RSS): {peak_mib():,.0f} MiB (target < 4096)", flush=True)


def run_index(sizes: Sequence[int], arts: Sequence[Article], feats_of: StoryFeaturizer) -> None:
    """One candidate query's time at each number of open stories."""
    base = np.stack([f.dense for f in feats_of(list(arts[:2000]))]).astype(np.float32)
    rng = np.random.default_rng(5)
    queries = base[rng.integers(len(base), size=200)]
    print(f"candidate index alone ({base.shape[1]} dims, k=32, {len(queries)} queries, all "
          f"stories open and in the window):")  # fmt: skip
    for size in sizes:
        index = StoryIndex(max_days=7, late_days=7)
        units = np.zeros((size, base.shape[1]), dtype=np.float32)
        t = time.perf_counter()
        for s in range(size):
            vec = base[s % len(base)] + 0.05 * rng.standard_normal(base.shape[1]).astype(np.float32)
            index.put(f"x{s}", vec, 100, 100)
            units[s] = vec / np.linalg.norm(vec)
        build = time.perf_counter() - t
        for q in queries[:5]:
            index.near(q, 100, 100, 32)  # warm
        t = time.perf_counter()
        for q in queries:
            index.near(q, 100, 100, 32)
        query_ms = 1000 * (time.perf_counter() - t) / len(queries)
        how = "exhaustive" if size <= index.exact_below else "HNSW"
        same = 0  # queries whose 32 candidates are the exact search's
        for q in queries[:50]:
            cos = units @ (q / np.linalg.norm(q))
            truth = {f"x{s}" for s in np.argpartition(-cos, 31)[:32].tolist()}
            same += set(index.near(q, 100, 100, 32)) == truth
        print(f"  {size:>9,} open stories: {query_ms:.3f} ms per query ({how}); "
              f"{1000 * build / size:.3f} ms per insert; same candidates as exact search: "
              f"{same}/50 queries; max RSS {peak_mib():,.0f} MiB", flush=True)  # fmt: skip
        del index, units


# --- SQLite vs PostgreSQL ------------------------------------------------------------------
@contextmanager
def postgres_server() -> Iterator[str | None]:
    """A throwaway PostgreSQL server on a Unix socket (as tests/conftest.py starts one, with
    its default durability but ``synchronous_commit=off``, SQLite's WAL + synchronous=NORMAL
    in kind): yields an admin URL, or None (saying why) where none can start."""
    found = shutil.which("initdb")
    folders = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    initdb = Path(found) if found else (folders[-1] if folders else None)
    if initdb is None:
        print("  PostgreSQL: no initdb on PATH or under /usr/lib/postgresql; skipped")
        yield None
        return
    run_as: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    if os.geteuid() == 0:
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    data, log = root / "data", root / "server.log"

    def pg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*run_as, *args], capture_output=True, text=True, timeout=120)

    try:
        done = pg(str(initdb), "-D", str(data), "-U", "corroborator", "--auth=trust", "-E", "UTF8")
        options = f"-k {root} -c listen_addresses='' -c synchronous_commit=off"
        if done.returncode == 0:
            done = pg(str(initdb.parent / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                      str(log), "-w", "start")  # fmt: skip
        if done.returncode != 0:
            print(f"  PostgreSQL did not start: {done.stderr.strip()[-300:]}; skipped")
            yield None
            return
        try:
            yield f"postgresql://corroborator@/postgres?host={root}"
        finally:
            pg(str(initdb.parent / "pg_ctl"), "-D", str(data), "-m", "fast", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run_stores(arts: Sequence[Article], encoder: str) -> None:
    from corroborator.pipeline import Pipeline
    from corroborator.store import open_store

    with tempfile.TemporaryDirectory() as tmp, postgres_server() as admin:
        src = Path(tmp) / "stream.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for a in arts:
                fh.write(json.dumps({"text": a.text, "title": a.title, "published": a.published,
                                     "url": f"https://n{a.id}.example/a"}) + "\n")  # fmt: skip
        dbs = {"SQLite": str(Path(tmp) / "stream.db")}
        if admin is not None:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("CREATE DATABASE stream")
            dbs["PostgreSQL"] = admin.replace("/postgres?", "/stream?")
        warm = Path(tmp) / "warm.jsonl"  # lazy loads (cleaning, copies) outside the timing
        warm.write_text("".join(src.open(encoding="utf-8").readlines()[:20]), encoding="utf-8")
        runs = [("warm-up", str(Path(tmp) / "warm.db"), warm)]
        runs += [(name, db, src) for name, db in dbs.items()]
        results = {}
        for name, db, path in runs:
            store = open_store(db)
            pipeline = Pipeline(store)
            pipeline._story_featurizer = featurizer(encoder)  # the stream's encoder
            pipeline.story_featurizer([arts[0]])
            t = time.perf_counter()
            report = pipeline.run([str(path)])
            results[name] = (time.perf_counter() - t, report.seconds, report.processed)
            store.close()
        del results["warm-up"]
        stages = list(next(iter(results.values()))[1])
        print(f"  {'stage, ms per article':<24}" + "".join(f"{n:>12}" for n in results))
        for stage in stages:
            row = "".join(
                f"{1000 * r[1].get(stage, 0) / len(arts):>12.2f}" for r in results.values()
            )
            print(f"  {stage:<24}{row}")
        print(f"  {'end to end (wall)':<24}"
              + "".join(f"{1000 * r[0] / len(arts):>12.2f}" for r in results.values()))  # fmt: skip
        print(f"  {'articles grouped':<24}" + "".join(f"{r[2]:>12,}" for r in results.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles in the stream")
    parser.add_argument("--encoder", choices=["static", "minilm"], default="static")
    parser.add_argument("--index-sizes", default="1000,10000,100000",
                        help="open stories for the index-alone timing ('' to skip)")  # fmt: skip
    parser.add_argument("--store-n", type=int, default=1000,
                        help="articles for SQLite vs PostgreSQL (0 to skip)")  # fmt: skip
    args = parser.parse_args()
    start = time.perf_counter()
    arts = stream(args.n)
    print(f"stream: {len(arts):,} articles recombined from real sentences, "
          f"{arts[0].published} to {arts[-1].published}; {os.cpu_count()} cores; "
          f"{args.encoder} embeddings", flush=True)  # fmt: skip
    feats_of = featurizer(args.encoder)
    run_stream(arts, feats_of)
    if args.index_sizes:
        run_index([int(s) for s in args.index_sizes.split(",")], arts, feats_of)
    if args.store_n:
        print(f"SQLite vs PostgreSQL, Pipeline.run on the first {args.store_n:,} articles:")
        run_stores(arts[: args.store_n], args.encoder)
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

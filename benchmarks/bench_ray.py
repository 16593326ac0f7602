"""Ray ingest throughput with 1 and with 2 workers (issue 13: target >= 1.6x on 2 cores).

    .venv/bin/python benchmarks/bench_ray.py [--n 200] [--shards 20] [--repeats 1]

Writes n real news articles (benchmarks/corpus.py) as JSON Lines shards, starts a local Ray
cluster of 2 CPUs, and ingests the shards into a fresh SQLite file with ``distributed.ingest``
(read, clean, story features and claims on the workers; identity and the store in this
process) with 1 worker and then with 2, ``--repeats`` times, alternating. Prints articles/s
end to end (worker start and model loading included) and in the steady state (from the
first shard's arrival to the last), and the ratio. The machines are shared: the load
average is printed before and after; compare the ratio, not the absolute figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus, write_jsonl  # noqa: E402

from corroborator.distributed import RayOptions, cluster, ingest  # noqa: E402
from corroborator.pipeline import Options, Pipeline  # noqa: E402
from corroborator.store import open_store  # noqa: E402


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def one_run(folder: Path, workers: int, tmp: Path) -> dict[str, float]:
    store = open_store(tempfile.mktemp(suffix=".db", dir=tmp))
    arrivals: list[float] = []
    try:
        pipeline = Pipeline(store, Options(use_model=False))
        start = time.perf_counter()
        report = ingest(
            pipeline,
            [str(folder)],
            RayOptions(workers=workers),
            lambda stage, done, total: arrivals.append(time.perf_counter()),
        )
        wall = time.perf_counter() - start
    finally:
        store.close()
    per_shard = report.read / max(1, len(arrivals))
    steady = (len(arrivals) - 1) * per_shard / (arrivals[-1] - arrivals[0])
    # the workers' stage times, summed over workers: busy / wall is the parallelism reached
    busy = sum(report.seconds.get(s, 0.0) for s in ("read", "clean", "features", "claims"))
    return {
        "articles": report.read,
        "wall": wall,
        "rate": report.read / wall,
        "steady": steady,
        "busy": busy,
        "driver": report.seconds.get("store", 0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="articles")
    parser.add_argument("--shards", type=int, default=20, help="JSON Lines files")
    parser.add_argument("--repeats", type=int, default=1, help="runs per worker count")
    args = parser.parse_args()
    texts, desc = corpus(args.n)
    print(f"corpus: {desc}, in {args.shards} JSON Lines shards", flush=True)
    results: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder = tmp / "shards"
        folder.mkdir()
        size = -(-len(texts) // args.shards)
        for k in range(0, len(texts), size):
            write_jsonl(texts[k : k + size], folder / f"shard-{k // size:04d}.jsonl")
        with cluster(RayOptions(num_cpus=2)):
            for r in range(args.repeats):
                for workers in (1, 2) if r % 2 == 0 else (2, 1):
                    before = load()
                    res = one_run(folder, workers, tmp)
                    results[workers].append(res)
                    print(
                        f"{workers} worker(s): {res['articles']:.0f} articles in {res['wall']:.1f} s, "
                        f"{res['rate']:.2f} articles/s end to end, {res['steady']:.2f}/s steady, "
                        f"workers busy {res['busy']:.1f} s, driver storing {res['driver']:.1f} s "
                        f"({before}; after: {load()})",
                        flush=True,
                    )
    best = {w: max(r["rate"] for r in rs) for w, rs in results.items()}
    steady = {w: max(r["steady"] for r in rs) for w, rs in results.items()}
    print(
        f"2 workers / 1 worker: {best[2] / best[1]:.2f}x end to end, "
        f"{steady[2] / steady[1]:.2f}x steady (target >= 1.6x)"
    )


if __name__ == "__main__":
    main()

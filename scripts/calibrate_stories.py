"""Calibrate story grouping on data/stories/allsides (dev half), report the held-out half.

    PYTHONPATH=src .venv/bin/python scripts/calibrate_stories.py [--write-idf] [--quick] [--write-mean]

In one run:
1. (``--write-idf``) the document frequencies of hashed words and names over real news that
   is not the held-out half (CNN/DM and XSum documents, PolNeAR texts, the allsides dev
   half), written to src/corroborator/models/story-idf/idf.npz;
2. a grid over the threshold and the weights of corroborator.stories on the dev half (even
   story ids), best B-cubed F1 first, among points whose pairwise precision on dev is at
   least ``MIN_DEV_PAIR_PRECISION``;
3. the constants in corroborator/stories.py and the best grid point on both halves, and on
   the held-out half in three more arrival orders (shuffled);
4. the baseline: TF-IDF (English stop words, sublinear tf) with average-linkage
   agglomerative clustering on cosine distance, its threshold tuned on the same dev half;
   also with the same publication-day window as corroborator, for a fair comparison;
5. a second real set, NeuS val (307 stories, three outlets each, no dates), with both
   methods as tuned on allsides dev.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from datapaths import shared_data
from evaluation import group, load_allsides, load_neus, scores

from corroborator import resources
from corroborator.embed import SentenceEncoder
from corroborator.records import Article
from corroborator.stories import (
    IDF_FILE,
    IDF_MODEL,
    STORY_ENCODER,
    TERM_CHARS,
    StoryFeaturizer,
    StoryOptions,
    day_of,
)

MIN_DEV_PAIR_PRECISION = 0.8


class CachedEncoder:
    """The sentence encoder, each distinct text encoded once (the grid re-reads them)."""

    def __init__(self) -> None:
        self.encoder = SentenceEncoder(resources.model_dir(STORY_ENCODER))
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self.cache})
        if todo:
            for t, v in zip(todo, self.encoder(todo), strict=True):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384))


def idf_corpus() -> list[str]:
    """Real news texts that are not the allsides held-out half."""
    data = shared_data()
    texts = []
    for path in sorted((data / "consistency" / "fib").rglob("*.jsonl")):
        texts += [json.loads(x)["input"] for x in path.read_text(encoding="utf-8").splitlines()]
    docs = data / "consistency" / "xsumfaith" / "docs.jsonl"
    texts += [json.loads(x)["document"] for x in docs.read_text(encoding="utf-8").splitlines()]
    for split in ("train", "dev"):
        for path in sorted((data / "attribution" / "polnear" / split / "text").glob("*.txt")):
            texts.append(path.read_text(encoding="utf-8"))
    texts += [f"{a.title}\n{a.text}" for a, _ in load_allsides("dev")]
    return sorted({" ".join(t.split())[:TERM_CHARS] for t in texts})


def write_idf() -> None:
    texts = idf_corpus()
    counts = _bare_featurizer().counts(texts)
    counts.data[:] = 1
    df = np.asarray(counts.sum(axis=0)).ravel()
    terms = np.flatnonzero(df >= 2)  # a term seen once says nothing a missing one doesn't
    folder = resources.models_root() / IDF_MODEL
    folder.mkdir(exist_ok=True)
    np.savez_compressed(
        folder / IDF_FILE,
        terms=terms.astype(np.int32),
        df=df[terms].astype(np.int32),
        n_docs=np.int32(len(texts)),
    )
    print(f"wrote {folder / IDF_FILE}: {len(terms):,} hashed terms from {len(texts):,} documents")


def write_mean() -> None:
    """The mean (uncentred) static vector of the dev-half news leads, saved beside the static
    model (embed.Embedder subtracts it; the cross-check's candidates use that model)."""
    from corroborator.embed import MEAN_FILE, Embedder
    from corroborator.stories import story_text

    raw = Embedder(center=False)
    dev = load_allsides("dev")
    vectors = raw.model.encode([story_text(a, 1500) for a, _ in dev])  # as first made
    path = resources.model_dir("static-minilm") / MEAN_FILE
    np.save(path, np.asarray(vectors, dtype=np.float32).mean(axis=0))
    print(f"wrote {path} (mean of {len(dev)} dev-half leads)")


def idf_exists() -> bool:
    return (resources.models_root() / IDF_MODEL / IDF_FILE).exists()


def _bare_featurizer() -> StoryFeaturizer:
    """A featurizer before any idf.npz exists (only its counting is used)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / IDF_FILE
        np.savez(path, terms=np.zeros(0, np.int32), df=np.zeros(0, np.int32), n_docs=np.int32(1))
        return StoryFeaturizer(idf_path=path)


def ours(
    articles: list[Article], gold: list[int], options: StoryOptions, encoder: CachedEncoder
) -> dict[str, float]:
    features = StoryFeaturizer(options, encoder=encoder)(articles)
    return scores(group(articles, features, options), gold)


def baseline_similarity(articles: list[Article]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{a.title or ''}\n{a.text}" for a in articles]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    return np.asarray((matrix @ matrix.T).toarray())


def baseline(
    articles: list[Article], gold: list[int], threshold: float, max_days: int | None = None
) -> dict[str, float]:
    """TF-IDF + average-linkage agglomerative clustering (cosine distance) at ``threshold``;
    with ``max_days``, two articles further apart than that cannot share a cluster."""
    from sklearn.cluster import AgglomerativeClustering

    dist = 1.0 - baseline_similarity(articles)
    if max_days is not None:
        days = np.array([day_of(a.published) or 0 for a in articles], dtype=float)
        dist[np.abs(days[:, None] - days[None, :]) > max_days] = 2.0  # average linkage: far
    np.fill_diagonal(dist, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    ).fit_predict(np.clip(dist, 0.0, None))
    return scores(labels.tolist(), gold)


def line(name: str, m: dict[str, float]) -> str:
    return (
        f"{name:<44} B-cubed P={m['bcubed_precision']:.3f} R={m['bcubed_recall']:.3f} "
        f"F1={m['bcubed_f1']:.3f}  pairwise P={m['pairwise_precision']:.3f} "
        f"R={m['pairwise_recall']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write-idf", action="store_true", help="recompute idf.npz first")
    parser.add_argument("--quick", action="store_true", help="a small grid")
    parser.add_argument(
        "--write-mean", action="store_true", help="recompute the static model's news_mean.npy"
    )
    args = parser.parse_args()
    start = time.time()
    if args.write_mean:
        write_mean()
    if args.write_idf or not idf_exists():
        write_idf()
    encoder = CachedEncoder()
    dev = load_allsides("dev")
    test = load_allsides("test")
    dev_a, dev_g = [a for a, _ in dev], [g for _, g in dev]
    test_a, test_g = [a for a, _ in test], [g for _, g in test]
    print(f"allsides: dev {len(dev_a)} articles in {len(set(dev_g))} stories, "
          f"held-out {len(test_a)} in {len(set(test_g))}")  # fmt: skip

    # -- the grid on dev --
    base = StoryOptions()
    thresholds = [0.4, 0.425, 0.45, 0.475, 0.5]
    weights = [(0.5, 0.2), (0.6, 0.1), (0.5, 0.0)]
    entity = [1.0, 2.0]
    time_weight = [0.4, 0.2]
    if args.quick:
        weights, entity, time_weight = weights[:1], entity[:1], time_weight[:1]
    results = []
    for (lead, title), ent, tw, t in itertools.product(weights, entity, time_weight, thresholds):
        options = replace(
            base, threshold=t, lead_weight=lead, title_weight=title, entity_weight=ent,
            time_weight=tw,
        )  # fmt: skip
        m = ours(dev_a, dev_g, options, encoder)
        results.append((m["bcubed_f1"], m["pairwise_precision"], options))
    results.sort(key=lambda r: -r[0])
    print(f"dev grid ({len(results)} points), best B-cubed F1 first:")
    for f1, pp, o in results[:10]:
        print(f"  threshold {o.threshold:.3f} lead {o.lead_weight} title {o.title_weight} "
              f"entity {o.entity_weight} time {o.time_weight}: F1={f1:.3f} "
              f"pairwise P={pp:.3f}")  # fmt: skip
    eligible = [r for r in results if r[1] >= MIN_DEV_PAIR_PRECISION] or results
    best = eligible[0][2]
    print(f"best dev point with pairwise P >= {MIN_DEV_PAIR_PRECISION}: {best}")

    # -- ours on both halves, and shuffled --
    for name, options in [("constants in stories.py", base), ("best dev point", best)]:
        print(line(f"{name}, dev", ours(dev_a, dev_g, options, encoder)))
        print(line(f"{name}, held-out", ours(test_a, test_g, options, encoder)))
    held = ours(test_a, test_g, base, encoder)
    for seed in (1, 2, 3):
        shuffled = load_allsides("test", seed=seed)
        m = ours([a for a, _ in shuffled], [g for _, g in shuffled], base, encoder)
        print(line(f"constants, held-out, order {seed}", m)
              + f"  (F1 {m['bcubed_f1'] - held['bcubed_f1']:+.3f})")  # fmt: skip
    # -- without dates: the penalty of a pair that cannot be told apart by time --
    undated_dev = [replace(a, published=None) for a in dev_a]
    for penalty in (0.0, 0.05, 0.1, 0.15):
        options = replace(base, undated_penalty=penalty)
        print(line(f"dev, no dates, undated penalty {penalty}",
                   ours(undated_dev, dev_g, options, encoder)))  # fmt: skip
    undated = [replace(a, published=None) for a in test_a]
    print(line("constants, held-out, no dates", ours(undated, test_g, base, encoder)))

    # -- the baseline, tuned on dev --
    for max_days, name in [(None, "baseline TF-IDF + average linkage"),
                           (base.max_days, "baseline + same day window")]:  # fmt: skip
        grid = [(baseline(dev_a, dev_g, t, max_days)["bcubed_f1"], t)
                for t in np.arange(0.5, 0.96, 0.025)]  # fmt: skip
        f1, t = max(grid)
        print(f"{name}: distance threshold {t:.3f} (dev F1 {f1:.3f})")
        print(line(f"{name}, held-out", baseline(test_a, test_g, t, max_days)))
        if max_days is None:
            neus = load_neus("val")
            neus_a, neus_g = [a for a, _ in neus], [g for _, g in neus]
            print(f"NeuS val: {len(neus_a)} articles in {len(set(neus_g))} stories")
            print(line("NeuS val, baseline (allsides dev threshold)",
                       baseline(neus_a, neus_g, t)))  # fmt: skip
            print(line("NeuS val, constants", ours(neus_a, neus_g, base, encoder)))
    print(f"({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()

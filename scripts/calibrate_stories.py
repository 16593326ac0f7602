"""Calibrate story grouping on data/stories/allsides (dev half), report the held-out half.

    .venv/bin/python scripts/calibrate_stories.py

Grid-searches the join threshold and the entity weight for the best B-cubed F1 on the dev
stories (even ids), then prints pairwise and B-cubed precision / recall on both halves for
the constants in corroborator/stories.py and for the best grid point.
"""

from __future__ import annotations

import argparse
import itertools

import numpy as np

from corroborator import resources
from corroborator.embed import MEAN_FILE, Embedder
from corroborator.evaluation import bcubed_prf, group, load_allsides, pairwise_prf
from corroborator.stories import StoryOptions, story_text


def measure(split: str, options: StoryOptions, embedder: Embedder) -> dict[str, float]:
    data = load_allsides(split)
    articles = [a for a, _ in data]
    gold = [g for _, g in data]
    pred = group(articles, embedder([story_text(a) for a in articles]), options)
    pp, pr, _ = pairwise_prf(pred, gold)
    bp, br, bf = bcubed_prf(pred, gold)
    return {"pw_p": pp, "pw_r": pr, "b3_p": bp, "b3_r": br, "b3_f1": bf}


def write_mean(embedder: Embedder) -> None:
    """The mean (uncentred) vector of the dev-half news leads, saved beside the model."""
    raw = Embedder(center=False)
    dev = load_allsides("dev")
    vectors = raw.model.encode([story_text(a) for a, _ in dev])
    path = resources.model_dir("static-minilm") / MEAN_FILE
    np.save(path, np.asarray(vectors, dtype=np.float32).mean(axis=0))
    print(f"wrote {path} (mean of {len(dev)} dev-half leads)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-mean", action="store_true", help="recompute news_mean.npy first")
    args = parser.parse_args()
    if args.write_mean:
        write_mean(Embedder(center=False))
    embedder = Embedder()
    dev = load_allsides("dev")
    articles = [a for a, _ in dev]
    gold = [g for _, g in dev]
    vectors = embedder([story_text(a) for a in articles])
    results = []
    for threshold, weight in itertools.product([0.5, 0.55, 0.6, 0.65, 0.7], [0.0, 0.1, 0.2, 0.3]):
        options = StoryOptions(join_threshold=threshold, entity_weight=weight)
        pred = group(articles, vectors, options)
        bp, br, bf = bcubed_prf(pred, gold)
        results.append((bf, threshold, weight, bp, br))
    results.sort(reverse=True)
    print("dev grid, best B-cubed F1 first (threshold, entity weight, P, R, F1):")
    for bf, t, w, bp, br in results[:8]:
        print(f"  {t:.2f} {w:.2f}  P={bp:.3f} R={br:.3f} F1={bf:.3f}")
    best = StoryOptions(join_threshold=results[0][1], entity_weight=results[0][2])
    for name, options in [("current constants", StoryOptions()), ("best dev point", best)]:
        for split in ("dev", "test"):
            m = measure(split, options, embedder)
            print(
                f"{name:<18} {split:<4} pairwise P={m['pw_p']:.3f} R={m['pw_r']:.3f}  "
                f"B-cubed P={m['b3_p']:.3f} R={m['b3_r']:.3f} F1={m['b3_f1']:.3f}"
            )


if __name__ == "__main__":
    main()

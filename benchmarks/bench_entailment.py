"""Speed of the shipped entailment model (what ``make bench`` runs for it).

Measures with onnxruntime on the cores given (default 2):

* sentence pairs/s: SNLI test pairs (short) and news sentence pairs (a sentence of a FIB
  article as evidence, one of its summaries as the claim);
* document-level claims/s: :func:`corroborator.entailment.verify_documents` on articles of
  550-850 words from ../shared/data/consistency (FIB CNN/DM and XSum inputs, XSumFaith docs).

By default the model as it was run before issue 16's speed work (read from git at
``--compare-rev``: batches of 32 pairs, onnxruntime's threads spinning) is timed on the
same inputs in the same run, alternating with the shipped one, and the ratio of the two
speeds is printed: on a shared machine the ratio holds better than either rate.
``--compare-dir`` times another model folder instead (an int8 copy, a student), run as the
shipped one is; ``--compare-rev ''`` times the shipped model alone. Optionally
(``--torch-checkpoint``, needs torch) the same sentence pairs through a torch checkpoint.
Examples:

    .venv/bin/python benchmarks/bench_entailment.py
    .venv/bin/python benchmarks/bench_entailment.py --threads 1 --pairs 256 --claims 20
    .venv/bin/python benchmarks/bench_entailment.py --compare-dir /tmp/old-entailment-model
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from datapaths import shared_data  # noqa: E402

from corroborator.entailment import EntailmentModel, verify_documents  # noqa: E402
from corroborator.text import sentence_texts  # noqa: E402


def snli_pairs(data: Path, n: int) -> list[tuple[str, str]]:
    pairs = []
    with open(data / "nli/snli/snli_1.0_test.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            pairs.append((r["sentence1"], r["sentence2"]))
            if len(pairs) >= n:
                break
    return pairs


def fib_items(data: Path) -> list[tuple[str, list[str]]]:
    items = []
    for path in sorted((data / "consistency/fib").glob("*/*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                items.append((r["input"], r["list_choices"]))
    return items


def news_pairs(data: Path, n: int, rng: random.Random) -> list[tuple[str, str]]:
    pairs = []
    for doc, choices in fib_items(data):
        sentences = [s for s in sentence_texts(doc) if len(s.split()) >= 8]
        if sentences:
            pairs.append((rng.choice(sentences), rng.choice(choices)))
    rng.shuffle(pairs)
    return pairs[:n]


def article_claims(data: Path, n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(claim, article) for articles of 550-850 words (FIB inputs, XSumFaith docs).

    The claims are FIB summaries (the article's own where it has them, else another's).
    """
    by_doc: dict[str, list[str]] = {}
    summaries = []
    for doc, choices in fib_items(data):
        summaries.extend(choices)
        if 550 <= len(doc.split()) <= 850:
            by_doc.setdefault(doc, []).extend(choices)
    with open(data / "consistency/xsumfaith/docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)["document"]
            if 550 <= len(doc.split()) <= 850 and doc not in by_doc:
                by_doc[doc] = [rng.choice(summaries)]
    docs = sorted(by_doc)
    rng.shuffle(docs)
    return [(rng.choice(by_doc[doc]), doc) for doc in docs[:n]]


# What the bench compares with: the model as run before issue 16 (batches of 32, spinning).
BEFORE_REV = "857e501"
MODEL_FILES = ("config.json", "model.onnx", "tokenizer.json")
MODEL_PATH = "src/corroborator/models/entailment"
OLD_BATCH_SIZE = 32  # how that model was run (entailment.BATCH_SIZE is 1 since)


def model_from_git(rev: str, folder: Path) -> Path | None:
    """The entailment model folder as of git revision ``rev``, written to ``folder``
    (None, with a note on stderr, outside a git clone or when ``rev`` is unknown)."""
    for name in MODEL_FILES:
        try:
            blob = subprocess.run(
                ["git", "-C", str(REPO), "show", f"{rev}:{MODEL_PATH}/{name}"],
                capture_output=True,
                check=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"no model at git revision {rev} ({exc}); timing the shipped model alone",
                  file=sys.stderr)  # fmt: skip
            return None
        (folder / name).write_bytes(blob)
    return folder


def best_of(models: dict, repeats: int, work) -> dict[str, float]:
    """Each model's best time for ``work(model)`` over ``repeats`` rounds, the models
    alternating within each round (so a burst of load elsewhere hits them alike)."""
    best: dict[str, float] = {}
    for _ in range(max(1, repeats)):
        for label, m in models.items():
            seconds = time_it(work, m)
            best[label] = min(seconds, best.get(label, seconds))
    return best


def time_it(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def torch_speed(
    checkpoint: Path, pairs: list[tuple[str, str]], threads: int, max_length: int
) -> float:
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModelForSequenceClassification

    torch.set_num_threads(threads)
    model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint)).eval()
    tok = Tokenizer.from_file(str(checkpoint / "tokenizer.json"))
    tok.enable_truncation(max_length, strategy="longest_first")
    tok.enable_padding()

    def run(batch_pairs):
        order = sorted(batch_pairs, key=lambda p: len(p[0]) + len(p[1]))
        with torch.inference_mode():
            for i in range(0, len(order), 32):
                encs = tok.encode_batch(order[i : i + 32])
                ids = torch.tensor([e.ids for e in encs])
                model(
                    input_ids=ids,
                    attention_mask=torch.tensor([e.attention_mask for e in encs]),
                    token_type_ids=torch.tensor([e.type_ids for e in encs]),
                )

    run(pairs[:32])
    return len(pairs) / time_it(run, pairs)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--threads", type=int, default=2, help="onnxruntime intra-op threads")
    p.add_argument("--pairs", type=int, default=512, help="sentence pairs per measurement")
    p.add_argument("--claims", type=int, default=30, help="document-level claims (one per article)")
    p.add_argument(
        "--repeats", type=int, default=3, help="timed rounds per measure (the best counts)"
    )
    p.add_argument(
        "--model-dir", type=Path, default=None, help="default: src/corroborator/models/entailment"
    )
    p.add_argument(
        "--torch-checkpoint", type=Path, default=None, help="also time this torch checkpoint"
    )
    p.add_argument(
        "--compare-dir", type=Path, default=None, help="also time this model folder, same inputs"
    )
    p.add_argument(
        "--compare-rev",
        default=BEFORE_REV,
        help="without --compare-dir: also time the model of this git revision ('' for none; "
        f"default {BEFORE_REV}, run as before issue 16: batches of 32, threads spinning)",
    )
    p.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = p.parse_args(argv)

    data = shared_data()
    if not data.is_dir():
        print(f"shared data folder not found at {data}; nothing to benchmark", file=sys.stderr)
        return 2
    rng = random.Random(0)
    model = EntailmentModel(args.model_dir, threads=args.threads)
    sets = {
        "snli test pairs": snli_pairs(data, args.pairs),
        "news sentence pairs": news_pairs(data, args.pairs, rng),
    }
    models = {"shipped": model}
    scratch = tempfile.TemporaryDirectory()
    old = args.compare_dir is None and bool(args.compare_rev)
    if old:
        args.compare_dir = model_from_git(args.compare_rev, Path(scratch.name))
    if args.compare_dir:
        # the model of before is run as it was then: batches of 32, threads spinning
        before = {"batch_size": OLD_BATCH_SIZE, "spin": True} if old else {}
        models["compared"] = EntailmentModel(args.compare_dir, threads=args.threads, **before)
        compared = json.loads((args.compare_dir / "config.json").read_text(encoding="utf-8"))
        print(f"compared: {args.compare_rev if old else args.compare_dir} "
              f"({compared.get('precision', '?')}, max_length {compared.get('max_length', '?')}"
              f"{', batches of 32, threads spinning' if old else ''})")  # fmt: skip
    claims = article_claims(data, args.claims, rng)
    words = sum(len(doc.split()) for _, doc in claims) / max(1, len(claims))
    rows = []
    for name, pairs in sets.items():
        ev, cl = [e for e, _ in pairs], [c for _, c in pairs]
        for m in models.values():
            m.predict(ev[:32], cl[:32])
        seconds = best_of(models, args.repeats, lambda m, ev=ev, cl=cl: m.predict(ev, cl))
        for label in models:
            rows.append((f"{name} ({label})", len(pairs), len(pairs) / seconds[label], "pairs/s"))
        if "compared" in models:
            ratio = seconds["compared"] / seconds["shipped"]
            rows.append((f"{name}: shipped speed / compared", len(pairs), ratio, "x"))
        if args.torch_checkpoint:
            speed = torch_speed(args.torch_checkpoint, pairs, args.threads, model.max_length)
            rows.append((f"{name} (torch)", len(pairs), speed, "pairs/s"))
    for m in models.values():
        verify_documents(m, claims[:2])
    doc_seconds = best_of(models, args.repeats, lambda m: verify_documents(m, claims))
    for label in models:
        rows.append(
            (
                f"claims vs ~{words:.0f}-word articles ({label})",
                len(claims),
                len(claims) / doc_seconds[label],
                "claims/s",
            )
        )
    if "compared" in models:
        ratio = doc_seconds["compared"] / doc_seconds["shipped"]
        rows.append(("claims: shipped speed / compared", len(claims), ratio, "x"))
    scratch.cleanup()

    print(f"entailment speed, {args.threads} onnxruntime thread(s)")
    print(f"{'measure':<48} {'n':>5} {'rate':>9}")
    for name, n, rate, unit in rows:
        print(f"{name:<48} {n:>5} {rate:>9.2f} {unit}")
    if args.json:
        figures = [{"measure": r[0], "n": r[1], "rate": r[2], "unit": r[3]} for r in rows]
        args.json.write_text(
            json.dumps({"threads": args.threads, "figures": figures}, indent=2) + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

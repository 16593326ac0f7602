"""The benchmark corpus: real news articles from ../shared/data, read at run time.

CNN/Daily Mail and BBC documents (consistency/fib, consistency/xsumfaith/docs.jsonl) and
US political news (attribution/polnear), de-duplicated, at least 150 words each: about
1,950 unique articles. Larger corpora (the scaling runs) add articles recombined from the
paragraphs of two or three real ones, with a fixed seed; the benchmark says so.
Falls back to the examples/ folder (repeated) when the shared data is absent.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from datapaths import shared_data  # noqa: E402


def real_articles() -> list[str]:
    data = shared_data()
    texts: list[str] = []
    if not data.is_dir():
        return []
    for path in sorted((data / "consistency" / "fib").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["input"])
    docs = data / "consistency" / "xsumfaith" / "docs.jsonl"
    for line in docs.read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["document"])
    for split in ("train", "dev"):
        for path in sorted((data / "attribution" / "polnear" / split / "text").glob("*.txt")):
            texts.append(path.read_text(encoding="utf-8"))
    seen: set[str] = set()
    out = []
    for t in texts:
        key = " ".join(t.split())[:300]
        if key in seen or len(t.split()) < 150:
            continue
        seen.add(key)
        out.append(t)
    return out


def corpus(n: int, seed: int = 11) -> tuple[list[str], str]:
    """n article texts and a one-line description of where they came from."""
    real = real_articles()
    if not real:
        examples = [
            p.read_text() for p in sorted((REPO / "examples").glob("*.txt")) if p.stat().st_size
        ]
        texts = [f"Copy {k}.\n\n" + examples[k % len(examples)] for k in range(n)]
        return texts, f"{n} texts repeated from examples/ (shared data absent)"
    rng = random.Random(seed)
    texts = list(real[:n])
    made = 0
    while len(texts) < n:
        parts = rng.sample(real, rng.choice([2, 3]))
        paras = [p for t in parts for p in t.split("\n") if p.strip()]
        rng.shuffle(paras)
        texts.append("\n\n".join(paras[: max(6, len(paras) // 2)]))
        made += 1
    # Shuffled, so that every prefix (the 500- and 2,000-article runs) has the same mix of
    # real and recombined articles as the whole: time per article is then comparable.
    rng.shuffle(texts)
    desc = f"{min(n, len(real))} real articles"
    if made:
        desc += f" + {made} recombined from their paragraphs, shuffled"
    return texts, desc


def write_jsonl(texts: list[str], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for k, t in enumerate(texts):
            fh.write(
                json.dumps(
                    {"text": t, "outlet": f"outlet{k % 40}", "url": f"https://n{k}.example/a"}
                )
                + "\n"
            )

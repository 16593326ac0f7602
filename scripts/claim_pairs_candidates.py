"""Candidate sentence pairs for the labelled claim-pair set (quality/claim_pairs/).

Reads the AllSides crawl from ../shared/data, cleans each outlet's lead paragraphs and
extracts its claims with corroborator's ClaimExtractor, then draws cross-outlet pairs of
sentences of one story from several buckets so that all three labels are well represented:

- ``close``: the closest pairs by cosine of the static embeddings (mostly agree);
- ``unit``: both sentences count the same thing (unit noun) with different figures
  (where real conflicts are; also many "different things / different dates");
- ``figure``: the same figure in both;
- ``person``: a person's name in both;
- ``speaker``: the same attributed speaker in both;
- ``negation``: close sentences, one negated and one not;
- ``mid``: a random draw of pairs of middling cosine (mostly neither).

Writes the candidates WITH their text to a folder outside the repository (default
/tmp/claimpairs), for a person to read and label; the repository only ever holds references.

    python scripts/claim_pairs_candidates.py --out /tmp/claimpairs
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claim_pairs import (  # noqa: E402
    ALLSIDES,
    NEUS_TRAIN,
    NEUS_VAL,
    _allsides,
    _neus_train,
    _neus_val,
    make_ref,
)
from datapaths import shared_data  # noqa: E402

NEG_RE = re.compile(r"\b(not|no|never|n't|denied|denies|deny|refused|declined)\b", re.I)
STOP = set(
    "the a an of to in on for and or but is are was were be been by with at from that this "
    "it its as he she they his her their has have had will would said says".split()
)


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP and len(w) > 2}


def truncated(text: str) -> bool:
    return text.rstrip().endswith(("...", "…", ",")) or not re.search(r"[.!?\"”’)]$", text.strip())


def sources(
    data: Path, which: str
) -> list[tuple[str, str, str, tuple[str, str | None, str | None]]]:
    """(file, record, story, (text, title, outlet)) of every article of ``which``: the
    AllSides crawl, or the NeuS lines whose stories are not in the crawl."""
    if which == "allsides":
        return [
            (ALLSIDES, key, key.split("/")[0], rec) for key, rec in sorted(_allsides(data).items())
        ]
    crawl_titles = {(t or "").strip().rstrip(".") for _, t, _ in _allsides(data).values()}
    out = []
    for file, reader, tag in ((NEUS_TRAIN, _neus_train, "train"), (NEUS_VAL, _neus_val, "val")):
        records = reader(data)
        lines: dict[str, list[str]] = defaultdict(list)
        for key in records:
            lines[key.split("/")[0]].append(key)
        for line, keys in lines.items():
            if any((records[k][1] or "").rstrip(".") in crawl_titles for k in keys):
                continue  # the story is in the crawl: use the crawl's copy only
            out += [(file, k, f"neus-{tag}-{line}", records[k]) for k in sorted(keys)]
    return out


def build(data: Path, which: str) -> tuple[list[dict[str, object]], dict[str, object]]:
    from corroborator.claims import ClaimExtractor, titles_conflict, unit_class
    from corroborator.clean import clean
    from corroborator.crosscheck import _quote
    from corroborator.embed import Embedder
    from corroborator.errors import CorroboratorError
    from corroborator.records import RawDocument
    from corroborator.text import words

    articles = {}
    meta = {}
    for file, key, story, (text, title, outlet) in sources(data, which):
        raw = RawDocument(source=key, text=text, fmt="jsonl", outlet=outlet, title=title)
        try:
            articles[(file, key)] = clean(raw)
        except CorroboratorError:
            continue
        meta[(file, key)] = story
    keys = sorted(articles)
    extracted = ClaimExtractor().extract_many(articles[k] for k in keys)
    claims = []
    for key, ac in zip(keys, extracted, strict=True):
        for c in ac.claims:
            if truncated(c.text) or len(c.text.split()) < 6:
                continue
            claims.append((key, c))
    vectors = Embedder()([c.text for _, c in claims])
    by_story: dict[str, list[int]] = defaultdict(list)
    for i, (key, _) in enumerate(claims):
        by_story[meta[key]].append(i)
    pairs = []
    for story, members in by_story.items():
        for i, j in combinations(members, 2):
            (ka, a), (kb, b) = claims[i], claims[j]
            oa, ob = articles[ka].outlet, articles[kb].outlet
            if ka == kb or (oa is not None and oa == ob):
                continue
            cos = float(vectors[i] @ vectors[j])
            wa, wb = content_words(a.text), content_words(b.text)
            jac = len(wa & wb) / max(1, len(wa | wb))
            qa = {(unit_class(q.unit).split(" (")[0], q.value) for q in a.quantities if q.unit}
            qb = {(unit_class(q.unit).split(" (")[0], q.value) for q in b.quantities if q.unit}
            ua, ub = {u for u, _ in qa}, {u for u, _ in qb}
            same_fig = bool(qa & qb)
            unit_diff = bool((ua & ub) and not same_fig)
            pa = {p.name: p.title for p in a.people}
            pb = {p.name: p.title for p in b.people}
            buckets = []
            if unit_diff:
                buckets.append("unit")
                # the same counted thing, figures of one order of magnitude, many shared words
                close = [
                    (x, y) for (u, x) in qa for (v, y) in qb
                    if u == v and x != y and max(x, y) <= 3 * min(x, y)
                ]  # fmt: skip
                if close and len(wa & wb) >= 4:
                    buckets.append("figures")
            if same_fig:
                buckets.append("figure")
            if set(pa) & set(pb):
                buckets.append("person")
            if a.cue and b.cue and a.speaker_canonical == b.speaker_canonical:
                buckets.append("speaker")
            if cos > 0.5 and bool(NEG_RE.search(a.text)) != bool(NEG_RE.search(b.text)):
                buckets.append("negation")
            if any(pa[n] and pb[n] and titles_conflict(pa[n], pb[n]) for n in set(pa) & set(pb)):
                buckets.append("title")
            if a.speaker_canonical == b.speaker_canonical and {a.stance, b.stance} == {
                "asserts",
                "denies",
            }:
                buckets.append("stance")
            qwa, qwb = set(words(_quote(a.text))), set(words(_quote(b.text)))
            if (
                min(len(qwa), len(qwb)) >= 5
                and len(qwa & qwb) / min(len(qwa), len(qwb)) >= 0.6
                and a.speaker_canonical != b.speaker_canonical
            ):
                buckets.append("quote")
            pairs.append(
                {"story": story, "a_key": ka, "b_key": kb, "a": a, "b": b, "cos": round(cos, 3),
                 "jac": round(jac, 3), "buckets": buckets}
            )  # fmt: skip
    return pairs, articles  # type: ignore[return-value]


def pick(
    pairs: list[dict[str, object]], seed: int, quota: dict[str, int]
) -> list[dict[str, object]]:
    rng = random.Random(seed)
    chosen: dict[tuple[str, str, int, int], dict[str, object]] = {}
    per_story: dict[str, int] = defaultdict(int)

    def take(p: dict[str, object], bucket: str, cap: int) -> bool:
        key = (p["a_key"], p["b_key"], p["a"].sentence, p["b"].sentence)  # type: ignore[attr-defined]
        if key in chosen or per_story[p["story"]] >= cap:  # type: ignore[index]
            return False
        chosen[key] = {**p, "bucket": bucket}  # type: ignore[index]
        per_story[p["story"]] += 1  # type: ignore[index]
        return True

    order = sorted(pairs, key=lambda p: -p["cos"])  # type: ignore[operator]
    n = 0
    for p in order:  # the closest pairs, spread over stories
        if n >= quota["close"]:
            break
        n += take(p, "close", 2)
    for bucket in ("unit", "negation", "figure", "speaker", "person"):
        pool = [p for p in pairs if bucket in p["buckets"]]  # type: ignore[operator]
        rng.shuffle(pool)
        n = 0
        for p in pool:
            if n >= quota[bucket]:
                break
            n += take(p, bucket, 4)
    pool = [p for p in pairs if 0.3 <= p["cos"] < 0.7]  # type: ignore[operator]
    rng.shuffle(pool)
    n = 0
    for p in pool:
        if n >= quota["mid"]:
            break
        n += take(p, "mid", 4)
    return list(chosen.values())


CONFLICT_BUCKETS = ("title", "stance", "quote", "unit", "negation", "figures")


def conflict_hunt(
    pairs: list[dict[str, object]],
    exclude: set[tuple[str, str]],
    min_cos: float,
    per_story: int,
    buckets: tuple[str, ...] = CONFLICT_BUCKETS,
) -> list[dict[str, object]]:
    """Every pair in a bucket where conflicts live, closest first, at most ``per_story``
    a story, skipping sentence pairs already drawn."""
    out = []
    count: dict[str, int] = defaultdict(int)
    for p in sorted(pairs, key=lambda p: -p["cos"]):  # type: ignore[operator]
        hit = [b for b in buckets if b in p["buckets"]]  # type: ignore[operator]
        if not hit or p["cos"] < min_cos or count[p["story"]] >= per_story:  # type: ignore[index, operator]
            continue
        key = (p["a"].text, p["b"].text)  # type: ignore[attr-defined]
        if key in exclude or key[::-1] in exclude:
            continue
        exclude.add(key)
        count[p["story"]] += 1  # type: ignore[index]
        out.append({**p, "bucket": hit[0]})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/claimpairs/candidates.jsonl"))
    parser.add_argument("--source", choices=("allsides", "neus"), default="allsides")
    parser.add_argument("--mode", choices=("mix", "conflicts"), default="mix")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--start", type=int, default=0, help="number the candidates from here")
    parser.add_argument("--exclude", type=Path, nargs="*", default=[],
                        help="candidate files whose sentence pairs are not drawn again")  # fmt: skip
    parser.add_argument("--min-cos", type=float, default=0.35)
    parser.add_argument("--per-story", type=int, default=3)
    parser.add_argument("--buckets", nargs="*", default=list(CONFLICT_BUCKETS),
                        help="buckets the conflict hunt draws from")  # fmt: skip
    args = parser.parse_args(argv)
    data = shared_data()
    pairs, articles = build(data, args.source)
    if args.mode == "mix":
        quota = {"close": 230, "unit": 200, "negation": 40, "figure": 60, "speaker": 40,
                 "person": 60, "mid": 90}  # fmt: skip
        chosen = pick(pairs, args.seed, quota)
    else:
        seen: set[tuple[str, str]] = set()
        for path in args.exclude:
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                seen.add((row["a_text"].strip(), row["b_text"].strip()))
        chosen = conflict_hunt(pairs, seen, args.min_cos, args.per_story, tuple(args.buckets))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for n, p in enumerate(chosen, args.start):
            row: dict[str, object] = {"n": n, "story": p["story"], "bucket": p["bucket"],
                                      "cos": p["cos"], "jac": p["jac"]}  # fmt: skip
            for side in ("a", "b"):
                file, key = p[f"{side}_key"]  # type: ignore[misc]
                claim = p[side]
                art = articles[(file, key)]  # type: ignore[index]
                start, end = art.to_original(claim.clean_start, claim.clean_end)  # type: ignore[attr-defined]
                ref = make_ref(file, key, start, end, data)
                row[side] = ref.__dict__
                row[f"{side}_text"] = art.original[start:end]  # type: ignore[attr-defined]
                row[f"{side}_outlet"] = art.outlet  # type: ignore[attr-defined]
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(pairs)} cross-outlet pairs, {len(chosen)} candidates -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

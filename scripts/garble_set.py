"""A labelled set of garbled and fluent news sentences, and how well claims.garble finds them.

    .venv/bin/python scripts/garble_set.py build      # writes quality/garble_set.json
    .venv/bin/python scripts/garble_set.py measure    # precision / recall per split and kind

Fluent sentences are real news: sentences of PolNeAR articles (../shared/data/attribution/
polnear, train and dev). Garbled ones are machine rewrites of other such sentences, made
here the way article spinners break text (word by word, blind to grammar):

- ``adverb``: an adjective before a noun swapped for its -ly adverb ("heavily criticism");
- ``jam``: a name from the same article pushed in front of a place ("the Fox News Korea");
- ``gerund``: a past-tense verb swapped for its -ing form ("Russia entering the war");
- ``swap``: two neighbouring words swapped;
- ``drop``: a function word (the, of, to, a, that) left out.

The set stores references (split, file, sentence number, kind, the rewrite's seed) and the
label, never the text: ``measure`` rebuilds each sentence from ../shared/data. Rewrites are
from train and dev articles alike; calibrate garble rules on the train half only, dev is
held out (its figures are pinned in quality/garble_floors.json).
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from typing import Any

from datapaths import REPO, shared_data

SET = REPO / "quality" / "garble_set.json"
KINDS = ("adverb", "jam", "gerund", "swap", "drop")
PER_SPLIT = {"fluent": 150, **dict.fromkeys(KINDS, 30)}
FUNCTION_WORDS = {"the", "of", "to", "a", "that"}
MIN_WORDS, MAX_WORDS = 8, 40


def _sentences(split: str) -> list[tuple[str, int, str]]:
    from corroborator.text import split_sentences

    root = shared_data() / "attribution" / "polnear" / split / "text"
    out = []
    for path in sorted(root.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for k, (s, e) in enumerate(split_sentences(text)):
            sentence = text[s:e]
            if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS and "\n" not in sentence:
                out.append((path.name, k, sentence))
    return out


def rewrite(doc: Any, kind: str, seed: int, names: list[str]) -> str | None:
    """The sentence of ``doc`` rewritten by one spinner move, or None when it has no place
    for that move."""
    rng = random.Random(seed)
    toks = list(doc)
    words = [t.text_with_ws for t in toks]
    if kind == "adverb":
        spots = [t.i for t in toks[:-1] if t.tag_ == "JJ" and toks[t.i + 1].pos_ == "NOUN"
                 and t.is_alpha and not t.lower_.endswith("ly")]  # fmt: skip
        if not spots:
            return None
        i = rng.choice(spots)
        w = toks[i].text
        words[i] = (w[:-1] + "ily" if w.endswith("y") else w + "ly") + toks[i].whitespace_
    elif kind == "jam":
        spots = [e.start for e in doc.ents if e.label_ == "GPE"]
        others = [n for n in names if n not in doc.text]
        if not spots or not others:
            return None
        i = rng.choice(spots)
        words[i] = rng.choice(others) + " " + words[i]
    elif kind == "gerund":
        spots = [t.i for t in toks if t.tag_ == "VBD" and t.dep_ != "ROOT" and t.is_alpha]
        spots = spots or [t.i for t in toks if t.tag_ == "VBD" and t.is_alpha]
        if not spots:
            return None
        i = rng.choice(spots)
        lemma = toks[i].lemma_
        stem = lemma[:-1] if lemma.endswith("e") and not lemma.endswith("ee") else lemma
        words[i] = stem + "ing" + toks[i].whitespace_
    elif kind == "swap":
        spots = [t.i for t in toks[1:-2] if t.is_alpha and toks[t.i + 1].is_alpha]
        if not spots:
            return None
        i = rng.choice(spots)
        a, b = toks[i], toks[i + 1]
        words[i], words[i + 1] = b.text + a.whitespace_, a.text + b.whitespace_
    elif kind == "drop":
        spots = [t.i for t in toks if t.lower_ in FUNCTION_WORDS and t.i > 0]
        if not spots:
            return None
        words[rng.choice(spots)] = ""
    else:
        raise ValueError(kind)
    return "".join(words)


def build() -> None:
    import spacy

    from corroborator.claims import SPACY_MODEL

    nlp = spacy.load(SPACY_MODEL)
    items = []
    for split in ("train", "dev"):
        rng = random.Random(f"garble-{split}")
        pool = _sentences(split)
        rng.shuffle(pool)
        names_of: dict[str, list[str]] = defaultdict(list)
        want = dict(PER_SPLIT)
        for file, k, sentence in pool:
            if not any(want.values()):
                break
            kind = next((kd for kd in ("fluent", *KINDS) if want[kd] and rng.random() < 0.5), None)
            if kind is None:
                continue
            doc = nlp(sentence)
            if not names_of[file]:
                names_of[file] = _names(nlp, file, split)
            seed = rng.randrange(1 << 30)
            if kind != "fluent" and rewrite(doc, kind, seed, names_of[file]) is None:
                continue
            want[kind] -= 1
            items.append({"split": split, "file": file, "sentence": k, "kind": kind,
                          "seed": seed, "garbled": kind != "fluent"})  # fmt: skip
    SET.write_text(json.dumps({"_comment": __doc__.splitlines()[0], "items": items}, indent=0))
    print(f"{len(items)} sentences -> {SET}")


def _names(nlp: Any, file: str, split: str) -> list[str]:
    text = (shared_data() / "attribution" / "polnear" / split / "text" / file).read_text("utf-8")
    doc = nlp(text[:5000])
    return sorted({e.text for e in doc.ents if e.label_ in ("ORG", "PERSON", "NORP")})


def load() -> list[tuple[dict[str, Any], str]]:
    """(item, sentence text) for every item of the set, rewritten as it was built."""
    import spacy

    from corroborator.claims import SPACY_MODEL
    from corroborator.text import split_sentences

    nlp = spacy.load(SPACY_MODEL)
    out = []
    names: dict[tuple[str, str], list[str]] = {}
    for item in json.loads(SET.read_text())["items"]:
        path = shared_data() / "attribution" / "polnear" / item["split"] / "text" / item["file"]
        text = path.read_text(encoding="utf-8")
        s, e = split_sentences(text)[item["sentence"]]
        sentence = text[s:e]
        if item["garbled"]:
            key = (item["split"], item["file"])
            if key not in names:
                names[key] = _names(nlp, item["file"], item["split"])
            sentence = rewrite(nlp(sentence), item["kind"], item["seed"], names[key]) or sentence
        out.append((item, sentence))
    return out


def measure() -> dict[str, dict[str, float]]:
    """Precision and recall of ClaimExtractor's garble flags, per split, and recall per kind."""
    from evaluation import plain_article

    from corroborator.claims import ClaimExtractor

    extractor = ClaimExtractor()
    rows = load()
    articles = [plain_article(f"g{k}", s) for k, (_, s) in enumerate(rows)]
    flagged = []
    for ac in extractor.extract_many(articles):
        flagged.append(any(g.reason != "no verb to make a claim of" for g in ac.garbled))
    out: dict[str, dict[str, float]] = {}
    for split in ("train", "dev"):
        pairs = [(it, f) for (it, _), f in zip(rows, flagged, strict=True) if it["split"] == split]
        tp = sum(f and it["garbled"] for it, f in pairs)
        fp = sum(f and not it["garbled"] for it, f in pairs)
        pos = sum(it["garbled"] for it, _ in pairs)
        res = {"sentences": len(pairs), "garbled": pos, "flagged": tp + fp,
               "precision": tp / max(tp + fp, 1), "recall": tp / max(pos, 1)}  # fmt: skip
        for kind in KINDS:
            kp = [f for it, f in pairs if it["kind"] == kind]
            res[f"recall_{kind}"] = sum(kp) / max(len(kp), 1)
        out[split] = res
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["build", "measure"])
    args = parser.parse_args()
    if args.what == "build":
        build()
    else:
        result = measure()
        print(json.dumps({s: {k: round(v, 3) for k, v in r.items()} for s, r in result.items()},
                         indent=2))  # fmt: skip


if __name__ == "__main__":
    main()

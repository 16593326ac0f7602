"""Train the learned cue detector (claims/cuemodel.py) on PolNeAR's train split.

    PYTHONPATH=src .venv/bin/python scripts/train_cue_model.py fit [--cache DIR] [--out PATH]
    PYTHONPATH=src .venv/bin/python scripts/train_cue_model.py tune [--cache DIR]

Every sentence of the train articles is parsed with the extractor's spaCy model; every verb
or adjective with a subject (cuemodel.is_candidate) is an example, labelled 1 when it lies
in an annotated Cue span. A logistic regression (scikit-learn, L2) is fitted on the binary
features of cuemodel.features and written as plain JSON weights, so the package scores
without scikit-learn or pickles.

The train articles are split by document: every fifth (index % 5 == 0, in file-name order)
is the TUNE part, the rest the FIT part. ``tune`` fits on FIT only, then runs the whole
claim extractor with that model on the TUNE articles at several thresholds and prints the
who-says-what figures of scripts/evaluation.py; the threshold is chosen there. ``fit``
fits on all of train and writes the weights with the chosen threshold. PolNeAR dev is never
read here: scripts/eval_attribution.py --split dev reports it once.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from evaluation import _speaker_match, evaluate_attribution, load_polnear

from corroborator.claims.cuemodel import CueModel, features, is_candidate, speaker_tokens, vector
from corroborator.claims.extract import SPACY_MODEL
from corroborator.claims.lexicon import LEMMA_FIXES
from corroborator.text import split_sentences

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "corroborator" / "models" / "attribution-cues" / "weights.json"
# chosen with ``tune`` (who-says-what F1 on the TUNE part of train, precision >= 0.8 kept)
THRESHOLD = 0.4
VETO = 0.3  # a lexicon verb scored below this is no cue
BARE = 0.55  # the threshold of a candidate that governs no clause (cuemodel.says_something)
C = 0.5  # inverse L2 strength
MIN_COUNT = 3  # features seen fewer times in the fitted examples are dropped
LABEL = "source"  # see ``examples``
# a lemma outside the lexicon labelled a cue in this share of its candidates (at least
# PARSE_MIN_COUNT of them) makes a sentence worth the parser (cuemodel.parse_lemmas)
PARSE_RATE = 0.15
PARSE_MIN_COUNT = 5


def tune_part(k: int) -> bool:
    return k % 5 == 0


def parsed_train(cache: Path | None) -> tuple[list[tuple[int, int, int]], list[Any], list[Any]]:
    """(article, start, end) of every train sentence, its parsed Doc, and the articles."""
    import spacy
    from spacy.tokens import DocBin

    docs = load_polnear("train")
    index = [(k, s, e) for k, (text, _) in enumerate(docs) for s, e in split_sentences(text)]
    nlp = spacy.load(SPACY_MODEL)
    texts = [docs[k][0][s:e] for k, s, e in index]
    if cache is not None and (cache / "train.spacy").exists():
        parsed = list(DocBin().from_disk(cache / "train.spacy").get_docs(nlp.vocab))
        if len(parsed) == len(index):
            # DocBin keeps no tensors: tok2vec alone gives them again (the same numbers)
            if (cache / "train_tensors.npy").exists():
                flat = np.load(cache / "train_tensors.npy")
            else:
                only = [n for n in nlp.pipe_names if n != "tok2vec"]
                flat = np.concatenate(
                    [d.tensor for d in nlp.pipe(texts, batch_size=64, disable=only)]
                )
                np.save(cache / "train_tensors.npy", flat)
            at = 0
            for doc in parsed:
                doc.tensor = flat[at : at + len(doc)]
                at += len(doc)
            return index, parsed, docs
    parsed = []
    bin_ = DocBin(store_user_data=False)
    for doc in nlp.pipe(texts, batch_size=64):
        for tok in doc:
            if tok.lower_ in LEMMA_FIXES:
                tok.lemma_ = LEMMA_FIXES[tok.lower_]
        parsed.append(doc)
        bin_.add(doc)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        bin_.to_disk(cache / "train.spacy")
        np.save(cache / "train_tensors.npy", np.concatenate([d.tensor for d in parsed]))
    return index, parsed, docs


def examples(
    index: list[tuple[int, int, int]], parsed: list[Any], docs: list[Any], label: str = LABEL
) -> tuple[list[list[str]], Any, list[int], list[int]]:
    """Feature names, dense vector, label and article of every candidate token. ``label``
    "cue": the token lies in an annotated Cue; "source": and its speaker
    (cuemodel.speaker_tokens) is that attribution's Source by the who-says-what rule."""
    X, V, y, art = [], [], [], []
    for (k, s, _), doc in zip(index, parsed, strict=True):
        text, relations = docs[k]
        for tok in doc:
            if not is_candidate(tok):
                continue
            a, b = s + tok.idx, s + tok.idx + len(tok)
            hits = [r for r in relations if r["Cue"][0] < b and a < r["Cue"][1]]
            if label == "source" and hits:
                subj = speaker_tokens(tok)
                said = (s + subj[0].idx, s + subj[-1].idx + len(subj[-1]))
                hits = [r for r in hits if _speaker_match(text, said, r.get("Source"))]
            X.append(features(tok))
            V.append(vector(tok))
            y.append(int(bool(hits)))
            art.append(k)
    return X, np.array(V), y, art


def fit(
    X: list[list[str]], V: Any, y: list[int], c: float = C
) -> tuple[dict[str, float], list[float] | None]:
    """Logistic regression weights by feature name (the intercept is "bias") and the
    weights of the dense vector (None when ``V`` is None)."""
    from collections import Counter

    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for row in X for f in set(row))
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT and f != "bias")
    col = {f: j for j, f in enumerate(names)}
    rows, cols = [], []
    for i, row in enumerate(X):
        for f in set(row):
            if f in col:
                rows.append(i)
                cols.append(col[f])
    m = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(X), len(names)))
    if V is not None:
        m = hstack([m, csr_matrix(V)]).tocsr()
    lr = LogisticRegression(C=c, max_iter=3000)
    lr.fit(m, np.array(y))
    coef = lr.coef_[0]
    weights = {f: float(w) for f, w in zip(names, coef[: len(names)], strict=True) if abs(w) > 1e-4}
    weights["bias"] = float(lr.intercept_[0])
    dense = [float(w) for w in coef[len(names) :]] if V is not None else None
    return weights, dense


def parse_lemmas(X: list[list[str]], y: list[int]) -> list[str]:
    """Verb and adjective lemmas outside the lexicon that are often cues (PARSE_RATE)."""
    from collections import Counter

    seen: Counter[str] = Counter()
    cue: Counter[str] = Counter()
    for row, label in zip(X, y, strict=True):
        if "lexicon" in row or not any(f in row for f in ("pos=VERB", "pos=ADJ", "pos=AUX")):
            continue
        lemma = next(f for f in row if f.startswith("lemma="))[len("lemma=") :]
        seen[lemma] += 1
        cue[lemma] += label
    return sorted(k for k, n in seen.items() if n >= PARSE_MIN_COUNT and cue[k] / n >= PARSE_RATE)


def write(
    weights: dict[str, float],
    dense: list[float] | None,
    lemmas: list[str],
    threshold: float,
    n: int,
    pos: int,
    out: Path,
) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "what": "logistic regression over cuemodel.features; P(cue) = sigmoid(sum of weights)",
        "trained_on": (
            f"PolNeAR train, all 840 articles: {n} candidate tokens, {pos} in a cue with "
            "their speaker as its source"
        ),
        "threshold": threshold,
        "veto": VETO,
        "bare": BARE,
        "C": C,
        "weights": {k: round(v, 4) for k, v in sorted(weights.items())},
        "parse_lemmas": lemmas,
        "dense": [round(v, 5) for v in dense] if dense is not None else None,
    }
    out.write_text(json.dumps(data, indent=0, sort_keys=False) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["fit", "tune"])
    parser.add_argument("--cache", type=Path, default=None, help="folder for the parsed train")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--thresholds", default="0.3,0.4,0.5,0.6,0.7")
    parser.add_argument("--vetoes", default="0")
    parser.add_argument("--bare", default=None, help="thresholds of clause-less candidates")
    parser.add_argument("--label", default=LABEL, choices=["cue", "source"])
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--no-dense", action="store_true", help="sparse features only")
    args = parser.parse_args()
    t = time.time()
    index, parsed, docs = parsed_train(args.cache)
    X, V, y, art = examples(index, parsed, docs, args.label)
    if args.no_dense:
        V = None
    print(f"{len(X)} candidates, {sum(y)} cues ({time.time() - t:.0f}s)", file=sys.stderr)
    if args.step == "fit":
        weights, dense = fit(X, V, y, args.c)
        write(weights, dense, parse_lemmas(X, y), THRESHOLD, len(X), sum(y), args.out)
        print(f"wrote {args.out}")
        return
    keep = [i for i, k in enumerate(art) if not tune_part(k)]
    weights, dense = fit(
        [X[i] for i in keep], V[keep] if V is not None else None, [y[i] for i in keep], args.c
    )
    lemmas = parse_lemmas([X[i] for i in keep], [y[i] for i in keep])
    print(f"{len(lemmas)} parse lemmas", file=sys.stderr)
    tune = [k for k in range(len(docs)) if tune_part(k)]
    for threshold, veto, bare in (
        (float(x), float(v), float(b))
        for x in args.thresholds.split(",")
        for v in args.vetoes.split(",")
        for b in (args.bare or x).split(",")
    ):
        model = CueModel(weights, threshold, dense, veto, lemmas, bare)
        r = evaluate_attribution("train", articles=tune, cue_model=model)
        print(
            json.dumps(
                {"threshold": threshold, "veto": veto, "bare": bare, "C": args.c}
                | {k: round(v, 4) for k, v in r.items() if k.startswith(("who", "cue"))}
            ),
            flush=True,
        )
    if args.cache:
        pickle.dump((weights, dense), open(args.cache / "tune_weights.pkl", "wb"))


if __name__ == "__main__":
    main()

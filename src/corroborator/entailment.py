"""Learned entailment: does this evidence support or contradict this claim?

A MiniLM-L6 cross-encoder fine-tuned by ``scripts/train_entailment.py`` reads
``[CLS] evidence [SEP] claim [SEP]`` and gives probabilities for :data:`LABELS`. It ships
under ``src/corroborator/models/entailment/`` (see its MODEL_CARD.md) and runs with onnxruntime and
tokenizers only: no torch, no download, no GPU.

Three levels of use:

* :meth:`EntailmentModel.predict` scores sentence pairs;
* :func:`verify_document` checks one claim against a whole article read in chunks: each
  sentence of the claim is scored against the windows of consecutive article sentences
  that share most words with it (:func:`evidence_chunks`, each window sized to fit the
  model's input beside the claim), the best window gives its support, support must hold
  for every claim sentence, one strong contradiction (``contradict_threshold``) is enough,
  and the evidence sentence that decided is reported;
* :func:`verify_jsonl` does the same for JSON Lines ``{"id", "evidence", "claim"}``.

Nothing is loaded at import time; build one :class:`EntailmentModel` and pass it around.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from .embed import padded_batches
from .errors import MalformedInput, ModelError
from .text import content_words, sentence_texts

LABELS = ("supported", "contradicted", "neither")
SUPPORTED, CONTRADICTED, NEITHER = range(3)

# Document-level decision, per claim sentence against its chunks: "supported" when the
# best chunk's P(supported) >= the model's support threshold and beats its P(contradicted);
# "contradicted" when some chunk's P(contradicted) >= the model's contradict threshold and
# beats the best P(supported); otherwise "unverified". Both thresholds come from the
# model's config.json, where scripts/train_entailment.py writes the pair that maximises
# balanced accuracy on its dev documents (never on the held-out evaluation documents);
# SUPPORT_THRESHOLD and CONTRADICT_THRESHOLD are the defaults for a config without them.
SUPPORT_THRESHOLD = 0.5
CONTRADICT_THRESHOLD = 0.5

# select_evidence (kept for callers that want one input per claim, no longer used by
# verify_documents): the sentences that share the most (rarer) words with
# the claim, up to EVIDENCE_WORDS words in all minus the claim's length (about 200 of the
# model's 256 tokens), kept in document order (see select_evidence). A claim of several
# sentences is checked sentence by sentence (parts of at least MIN_PART_WORDS words); it
# is supported when every part is, contradicted when any part is.
EVIDENCE_WORDS = 170
MIN_EVIDENCE_WORDS = 60
MIN_PART_WORDS = 4

# Documents are read in chunks (evidence_chunks): windows of consecutive sentences that
# fit beside the claim sentence in one model input (about WORDS_PER_TOKEN words per token
# of the model's max_length, less the claim's words, at least MIN_CHUNK_WORDS); the CHUNKS
# windows sharing the most (rarer) words with the claim are read, and the best one decides.
WORDS_PER_TOKEN = 0.7
MIN_CHUNK_WORDS = 25
CHUNKS = 4


# Pairs per model call. One: on the shared 2-core machine single pairs ran much faster
# than padded batches of 32 (news sentence pairs 3-4x, document chunks about 3x, same
# model; benchmarks/bench_entailment.py and MODEL_CARD.md, 2026-12-02), and a pair's score
# never depends on what it is read with (an int8 copy, scripts/quantize_entailment.py,
# quantises activations per call).
BATCH_SIZE = 1
# Claims per verify_documents call in verify_jsonl (one progress step).
JSONL_CHUNK = 32


def claim_parts(claim: str) -> list[str]:
    """The sentences of a claim, each checked on its own (fragments join their neighbour)."""
    parts: list[str] = []
    for sentence in sentence_texts(claim):
        short = min(len(sentence.split()), len(parts[-1].split())) if parts else MIN_PART_WORDS
        if short < MIN_PART_WORDS:
            parts[-1] = f"{parts[-1]} {sentence}"
        else:
            parts.append(sentence)
    return parts or [claim.strip()]


def _shared_word_weights(
    claim: str, sentences: Sequence[str]
) -> tuple[list[set[str]], set[str], dict[str, float]]:
    """Each sentence's content words, the claim's, and the inverse document frequency
    (within this evidence) of every claim word some sentence shares."""
    words = [content_words(s) for s in sentences]
    target = content_words(claim)
    df: dict[str, int] = {}
    for ws in words:
        for w in ws & target:
            df[w] = df.get(w, 0) + 1
    n = len(sentences)
    idf = {w: float(np.log((n + 1) / (c + 0.5))) for w, c in df.items()}
    return words, target, idf


def select_evidence(claim: str, sentences: Sequence[str], budget_words: int) -> list[int]:
    """Indices (in document order) of the sentences to show the model with ``claim``.

    Each sentence scores the summed inverse document frequency (within this evidence) of
    the claim's content words it contains; the best sentences are taken, highest first,
    while they fit in ``budget_words``. With no overlap at all the evidence's opening
    sentences are taken. The same selection makes the training pairs
    (``scripts/train_entailment.py``), so the model sees at run time what it learned on.
    """
    if not sentences:
        return []
    words, target, idf = _shared_word_weights(claim, sentences)
    n = len(sentences)
    # summed in sorted order: a set's order follows the process's string hashing, and float
    # sums in another order differ in the last bit, which broke ties differently run to run
    scores = [sum(idf[w] for w in sorted(ws & target)) for ws in words]
    order = sorted(range(n), key=lambda i: (-scores[i], i))
    if scores[order[0]] <= 0:
        order = list(range(n))
    chosen: list[int] = []
    used = 0
    for i in order:
        length = len(sentences[i].split())
        if chosen and used + length > budget_words:
            if scores[i] <= 0:
                break
            continue
        chosen.append(i)
        used += length
        if used >= budget_words:
            break
    return sorted(chosen)


def evidence_budget(claim: str) -> int:
    """Words of evidence that fit beside ``claim`` in the model's input."""
    return max(MIN_EVIDENCE_WORDS, EVIDENCE_WORDS - len(claim.split()))


def chunk_words(claim: str, max_length: int) -> int:
    """Words of evidence that fit beside ``claim`` in one model input of ``max_length`` tokens."""
    return max(MIN_CHUNK_WORDS, int(max_length * WORDS_PER_TOKEN) - len(claim.split()))


def evidence_chunks(
    claim: str, sentences: Sequence[str], budget_words: int, k: int = CHUNKS
) -> list[list[int]]:
    """Up to ``k`` windows of consecutive evidence sentences to read ``claim`` against.

    A window starts at each sentence and takes the following ones while they fit in
    ``budget_words`` (at least one sentence, so one long sentence is its own window).
    Windows are ranked by the summed inverse document frequency (within this evidence) of
    the claim's content words they contain, best first; a window inside one already taken
    is skipped. With no shared word at all, only the opening window is read. The same cut
    makes the document-level training pairs (``scripts/train_entailment.py``).
    """
    n = len(sentences)
    if not n:
        return []
    words, target, idf = _shared_word_weights(claim, sentences)
    lengths = [len(s.split()) for s in sentences]
    windows: list[tuple[float, int, int]] = []  # (score, start, end exclusive)
    for start in range(n):
        end, used = start + 1, lengths[start]
        while end < n and used + lengths[end] <= budget_words:
            used += lengths[end]
            end += 1
        covered: set[str] = set().union(*(words[j] & target for j in range(start, end)))
        windows.append((sum(idf[w] for w in sorted(covered)), start, end))  # see select_evidence
    windows.sort(key=lambda w: (-w[0], w[1]))
    if windows[0][0] <= 0:
        opening = next(w for w in windows if w[1] == 0)
        return [list(range(0, opening[2]))]
    chosen: list[tuple[int, int]] = []
    for score, start, end in windows:
        if score <= 0 or len(chosen) >= k:
            break
        if any(s <= start and end <= e for s, e in chosen):
            continue
        chosen.append((start, end))
    return [list(range(s, e)) for s, e in chosen]


class EntailmentModel:
    """The shipped entailment cross-encoder, run with onnxruntime.

    >>> model = EntailmentModel()                                  # doctest: +SKIP
    >>> model.predict(["Sales rose 5%."], ["Sales fell."]).round(2)  # doctest: +SKIP
    array([[0.01, 0.97, 0.02]], dtype=float32)
    """

    def __init__(
        self,
        model_dir: Path | None = None,
        batch_size: int = BATCH_SIZE,
        threads: int = 0,
        spin: bool = False,
    ) -> None:
        """Load the model from ``model_dir`` (default: the shipped ``src/corroborator/models/entailment``).

        ``batch_size`` pairs go through the model at once (see :data:`BATCH_SIZE`).
        ``threads`` is onnxruntime's intra-op thread count (0: one per core). ``spin`` lets
        idle onnxruntime threads spin-wait for work (onnxruntime's default); off, they
        sleep: on 2 cores shared with other work, news sentence pairs ran 1.4x faster
        with 2 threads not spinning (benchmarks/bench_entailment.py, 2026-12-02).
        """
        if model_dir is None:
            from .resources import model_dir as shipped_model_dir

            model_dir = shipped_model_dir("entailment")
        model_dir = Path(model_dir)
        config_path = model_dir / "config.json"
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
            onnx_path = model_dir / config.get("onnx", "model.onnx")
            tokenizer_path = model_dir / "tokenizer.json"
            if not onnx_path.is_file() or not tokenizer_path.is_file():
                raise FileNotFoundError(f"{onnx_path.name} or tokenizer.json missing")
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"entailment model at {model_dir} is incomplete ({exc}); it needs config.json, "
                "model.onnx and tokenizer.json: restore src/corroborator/models/entailment from the repository "
                "or retrain it with scripts/train_entailment.py (see its MODEL_CARD.md)"
            ) from exc
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.add_session_config_entry(
                "session.intra_op.allow_spinning", "1" if spin else "0"
            )
            self._session = ort.InferenceSession(
                str(onnx_path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime and tokenizers raise their own types
            raise ModelError(f"entailment model at {model_dir} failed to load: {exc}") from exc
        self.max_length = int(config.get("max_length", 256))
        self._tokenizer.enable_truncation(self.max_length, strategy="longest_first")
        self._tokenizer.no_padding()
        labels = tuple(config.get("labels", LABELS))
        if sorted(labels) != sorted(LABELS):
            raise ModelError(f"entailment model at {model_dir} has labels {labels}, want {LABELS}")
        self._columns = [labels.index(name) for name in LABELS]
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.batch_size = batch_size
        self.model_dir = model_dir
        self.support_threshold = float(config.get("support_threshold", SUPPORT_THRESHOLD))
        self.contradict_threshold = float(config.get("contradict_threshold", CONTRADICT_THRESHOLD))

    def predict(self, evidence: Sequence[str], claims: Sequence[str]) -> np.ndarray:
        """Probabilities of shape (n, 3) for each (evidence, claim) pair, columns = LABELS."""
        if len(evidence) != len(claims):
            raise ValueError(f"{len(evidence)} evidence texts but {len(claims)} claims")
        n = len(claims)
        out = np.zeros((n, len(LABELS)), dtype=np.float32)
        if n == 0:
            return out
        encodings = self._tokenizer.encode_batch(list(zip(evidence, claims, strict=True)))
        for batch, feed in padded_batches(encodings, self.batch_size):
            (logits,) = self._session.run(
                None, {k: v for k, v in feed.items() if k in self._inputs}
            )
            z = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[batch] = (z / z.sum(axis=1, keepdims=True))[:, self._columns]
        return out


@dataclass(frozen=True)
class DocumentVerdict:
    """The model's verdict on one claim against one evidence text.

    ``score`` is P(supported) of the claim's least supported sentence against its evidence;
    ``p_contradicted`` is the strongest P(contradicted) of any claim sentence;
    ``evidence_sentence`` is the evidence sentence that scores highest for the verdict
    against the deciding claim sentence (for "unverified": the closest supporting one).
    """

    label: str
    score: float
    evidence_sentence: str
    p_contradicted: float


def verify_documents(
    model: EntailmentModel,
    pairs: Sequence[tuple[str, str]],
    point: bool = True,
    chunks: int = CHUNKS,
) -> list[DocumentVerdict]:
    """:func:`verify_document` for many (claim, evidence) pairs, in as few model calls as possible.

    Each claim sentence is read against up to ``chunks`` windows of the evidence
    (:func:`evidence_chunks`); its support is the best chunk's P(supported), its
    contradiction the strongest chunk's P(contradicted), counted only when it reaches
    the model's ``contradict_threshold`` and beats that sentence's best support. With
    ``point=False`` the deciding sentence is not looked for with the model (the deciding
    chunk's sentence that shares most words with the claim is reported instead).
    """
    # One model input per (claim sentence, chunk): (pair index, part index, part, sentences).
    inputs: list[tuple[int, int, str, list[str]]] = []
    for i, (claim, evidence) in enumerate(pairs):
        sentences = sentence_texts(evidence)
        if not sentences:
            continue
        for j, part in enumerate(claim_parts(claim)):
            budget = chunk_words(part, model.max_length)
            for window in evidence_chunks(part, sentences, budget, chunks):
                inputs.append((i, j, part, [sentences[w] for w in window]))
    probs = model.predict([" ".join(shown) for *_, shown in inputs], [x[2] for x in inputs])

    support, contradict = model.support_threshold, model.contradict_threshold
    by_part: dict[int, dict[int, list[int]]] = {}
    for k, (i, j, _, _) in enumerate(inputs):
        by_part.setdefault(i, {}).setdefault(j, []).append(k)
    # Per claim: (label, score, p_contradicted, deciding input, column to point with)
    decided: list[tuple[str, float, float, int | None, int]] = []
    for i in range(len(pairs)):
        parts = by_part.get(i, {})
        if not parts:
            decided.append(("unverified", 0.0, 0.0, None, SUPPORTED))
            continue
        # Per claim sentence: its best-supporting input and its most contradicting input.
        best_sup = [max(ks, key=lambda k: probs[k, SUPPORTED]) for ks in parts.values()]
        best_con = [max(ks, key=lambda k: probs[k, CONTRADICTED]) for ks in parts.values()]
        weakest = min(best_sup, key=lambda k: probs[k, SUPPORTED])
        strongest_con = max(best_con, key=lambda k: probs[k, CONTRADICTED])
        contradicted = [
            c
            for s, c in zip(best_sup, best_con, strict=True)
            if probs[c, CONTRADICTED] >= contradict and probs[c, CONTRADICTED] > probs[s, SUPPORTED]
        ]
        score, p_con = float(probs[weakest, SUPPORTED]), float(probs[strongest_con, CONTRADICTED])
        if contradicted:
            k = max(contradicted, key=lambda k: probs[k, CONTRADICTED])
            decided.append(("contradicted", score, float(probs[k, CONTRADICTED]), k, CONTRADICTED))
        elif all(
            probs[k, SUPPORTED] >= support and probs[k, SUPPORTED] >= probs[k, CONTRADICTED]
            for k in best_sup
        ):
            decided.append(("supported", score, p_con, weakest, SUPPORTED))
        else:
            decided.append(("unverified", score, p_con, weakest, SUPPORTED))

    # Point at the sentence of the deciding chunk that carries the verdict.
    pointed: dict[int, str] = {}
    deciding = {i: d[3] for i, d in enumerate(decided) if d[3] is not None}
    refine = [
        (i, sentence)
        for i, k in deciding.items()
        for sentence in inputs[k][3]
        if point and len(inputs[k][3]) > 1
    ]
    sentence_probs = model.predict(
        [s for _, s in refine], [inputs[deciding[i]][2] for i, _ in refine]
    )
    best: dict[int, float] = {}
    for (i, sentence), p in zip(refine, sentence_probs, strict=True):
        value = float(p[decided[i][4]])
        if i not in best or value > best[i]:
            best[i], pointed[i] = value, sentence
    verdicts = []
    for i, (label, score, p_con, _, _) in enumerate(decided):
        if i not in pointed and i in deciding:
            part, shown = inputs[deciding[i]][2], inputs[deciding[i]][3]
            part_words = content_words(part)
            pointed[i] = max(shown, key=lambda s: len(content_words(s) & part_words))
        verdicts.append(
            DocumentVerdict(
                label=label, score=score, evidence_sentence=pointed.get(i, ""), p_contradicted=p_con
            )
        )
    return verdicts


def verify_document(model: EntailmentModel, claim: str, evidence: str) -> DocumentVerdict:
    """Check ``claim`` against a whole ``evidence`` text (one sentence or an article)."""
    return verify_documents(model, [(claim, evidence)])[0]


def _parse_line(line: str, number: int) -> tuple[Any, str, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedInput(f"line {number}: not JSON ({exc.msg})") from exc
    if not isinstance(record, dict):
        raise MalformedInput(f"line {number}: expected a JSON object")
    record_id = record.get("id", number)
    for key in ("evidence", "claim"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise MalformedInput(
                f"line {number} (id {record_id!r}): {key!r} must be a non-empty string"
            )
    return record_id, record["evidence"], record["claim"]


def _chunks(lines: Iterable[str], size: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        chunk.append((number, line))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def verify_jsonl(
    model: EntailmentModel, lines: Iterable[str], out: TextIO, progress: bool = True
) -> int:
    """Verify JSON Lines ``{"id", "evidence", "claim"}``; write one result line per input.

    Results are ``{"id", "label", "score", "evidence_sentence"}``; a line that cannot be
    read gives ``{"id", "error"}`` and the run goes on. Blank lines are skipped. A progress
    bar goes to stderr when ``progress`` is true. Returns the number of lines processed
    (errors included).
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    total = len(lines) if isinstance(lines, Sequence) else None
    bar = Progress(
        TextColumn("verify"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
        disable=not progress,
    )
    done = 0
    with bar:
        task = bar.add_task("verify", total=total)
        for chunk in _chunks(lines, JSONL_CHUNK):
            parsed: list[tuple[Any, str, str] | MalformedInput] = []
            for number, line in chunk:
                try:
                    parsed.append(_parse_line(line, number))
                except MalformedInput as exc:
                    parsed.append(exc)
            good = [p for p in parsed if not isinstance(p, MalformedInput)]
            verdicts = iter(verify_documents(model, [(claim, ev) for _, ev, claim in good]))
            for (number, line), item in zip(chunk, parsed, strict=True):
                if isinstance(item, MalformedInput):
                    record: dict[str, Any] = {"id": _guess_id(line, number), "error": str(item)}
                else:
                    verdict = next(verdicts)
                    record = {
                        "id": item[0],
                        "label": verdict.label,
                        "score": round(verdict.score, 4),
                        "evidence_sentence": verdict.evidence_sentence,
                    }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                done += 1
            bar.advance(task, len(chunk))
    return done


def _guess_id(line: str, number: int) -> Any:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return number
    return record.get("id", number) if isinstance(record, dict) else number

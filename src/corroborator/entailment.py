"""Learned entailment: does this evidence support or contradict this claim?

A MiniLM-L6 cross-encoder fine-tuned by ``scripts/train_entailment.py`` reads
``[CLS] evidence [SEP] claim [SEP]`` and gives probabilities for :data:`LABELS`. It ships
under ``models/entailment/`` (see its MODEL_CARD.md) and runs with onnxruntime and
tokenizers only: no torch, no download, no GPU.

Three levels of use:

* :meth:`EntailmentModel.predict` scores sentence pairs;
* :func:`verify_document` checks one claim against a whole article: the article is cut
  into windows of sentences, the claim is scored against each, the strongest support is
  weighed against the strongest contradiction, and the sentence that decided is reported;
* :func:`verify_jsonl` does the same for JSON Lines ``{"id", "evidence", "claim"}``.

Nothing is loaded at import time; build one :class:`EntailmentModel` and pass it around.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from .errors import MalformedInput, ModelError

LABELS = ("supported", "contradicted", "neither")
SUPPORTED, CONTRADICTED, NEITHER = range(3)

# Document-level decision. A claim is "supported" when its best window gives
# P(supported) >= SUPPORT_THRESHOLD and that beats the strongest contradiction;
# "contradicted" when some window gives P(contradicted) >= CONTRADICT_THRESHOLD and beats
# the strongest support; otherwise "unverified". Set at 0.5 (plain argmax of the strongest
# windows); not tuned on the evaluation sets (FIB, SummEdits, XSumFaith), which stay held out.
SUPPORT_THRESHOLD = 0.5
CONTRADICT_THRESHOLD = 0.5

# Evidence of up to WINDOW_SENTENCES sentences is scored whole; longer evidence is cut into
# windows of WINDOW_SENTENCES sentences that overlap by one (stride WINDOW_STRIDE), so any
# two neighbouring sentences are seen together. The training pairs use windows of 1-3
# sentences; wider windows cost more and match training less.
WINDOW_SENTENCES = 3
WINDOW_STRIDE = 2

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt sgt st jr sr inc ltd co corp vs etc no fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ANY_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
LONG_SENTENCE_WORDS = 60  # longer pieces are split again (lowercased or unpunctuated text)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences with a small rule set (lines, then end punctuation).

    Fast and dependency-free; it does not split after common abbreviations ("Mr.",
    "U.S.") or initials.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        start = 0
        for m in _SENTENCE_END.finditer(line):
            before = line[start : m.start()].rstrip("\"'”’)]")
            last = before.rsplit(None, 1)[-1].lower().rstrip(".") if before.split() else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            piece = line[start : m.end()].strip()
            if piece:
                sentences.append(piece)
            start = m.end()
        rest = line[start:].strip()
        if rest:
            sentences.append(rest)
    return [piece for sentence in sentences for piece in _split_long(sentence)]


def _split_long(sentence: str) -> list[str]:
    """Split a run-on piece (lowercased text, transcripts) on any end mark, then by length."""
    words = sentence.split()
    if len(words) <= LONG_SENTENCE_WORDS:
        return [sentence]
    pieces = [p.strip() for p in _ANY_END.split(sentence) if p.strip()]
    if len(pieces) > 1:
        return [q for p in pieces for q in _split_long(p)]
    size = LONG_SENTENCE_WORDS // 2
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size)]


def evidence_windows(evidence: str) -> list[tuple[str, list[str]]]:
    """The windows a claim is scored against: (window text, its sentences)."""
    sentences = split_sentences(evidence)
    if not sentences:
        return []
    if len(sentences) <= WINDOW_SENTENCES:
        return [(" ".join(sentences), sentences)]
    windows = []
    for start in range(0, len(sentences) - 1, WINDOW_STRIDE):
        part = sentences[start : start + WINDOW_SENTENCES]
        windows.append((" ".join(part), part))
        if start + WINDOW_SENTENCES >= len(sentences):
            break
    return windows


class EntailmentModel:
    """The shipped entailment cross-encoder, run with onnxruntime.

    >>> model = EntailmentModel()                                  # doctest: +SKIP
    >>> model.predict(["Sales rose 5%."], ["Sales fell."]).round(2)  # doctest: +SKIP
    array([[0.01, 0.97, 0.02]], dtype=float32)
    """

    def __init__(
        self, model_dir: Path | None = None, batch_size: int = 32, threads: int = 0
    ) -> None:
        """Load the model from ``model_dir`` (default: the shipped ``models/entailment``).

        ``threads`` is onnxruntime's intra-op thread count (0: one per core).
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
                "model.onnx and tokenizer.json: restore models/entailment from the repository "
                "or retrain it with scripts/train_entailment.py (see its MODEL_CARD.md)"
            ) from exc
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
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

    def predict(self, evidence: Sequence[str], claims: Sequence[str]) -> np.ndarray:
        """Probabilities of shape (n, 3) for each (evidence, claim) pair, columns = LABELS."""
        if len(evidence) != len(claims):
            raise ValueError(f"{len(evidence)} evidence texts but {len(claims)} claims")
        n = len(claims)
        out = np.zeros((n, len(LABELS)), dtype=np.float32)
        if n == 0:
            return out
        encodings = self._tokenizer.encode_batch(list(zip(evidence, claims, strict=True)))
        # Similar lengths in one batch: little compute goes to padding.
        order = sorted(range(n), key=lambda i: len(encodings[i].ids))
        for start in range(0, n, self.batch_size):
            batch = order[start : start + self.batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for row, i in enumerate(batch):
                enc = encodings[i]
                ids[row, : len(enc.ids)] = enc.ids
                types[row, : len(enc.ids)] = enc.type_ids
                mask[row, : len(enc.ids)] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            (logits,) = self._session.run(
                None, {k: v for k, v in feed.items() if k in self._inputs}
            )
            z = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[batch] = (z / z.sum(axis=1, keepdims=True))[:, self._columns]
        return out


@dataclass(frozen=True)
class DocumentVerdict:
    """The model's verdict on one claim against one evidence text.

    ``score`` is P(supported) of the window that decided; ``p_contradicted`` is the
    strongest P(contradicted) over all windows; ``evidence_sentence`` is the sentence of
    the deciding window that scores highest for the verdict (for "unverified": the
    closest supporting sentence).
    """

    label: str
    score: float
    evidence_sentence: str
    p_contradicted: float


def verify_documents(
    model: EntailmentModel, pairs: Sequence[tuple[str, str]]
) -> list[DocumentVerdict]:
    """:func:`verify_document` for many (claim, evidence) pairs, in as few model calls as possible."""
    windows = [evidence_windows(evidence) for _, evidence in pairs]
    flat_evidence = [text for ws in windows for text, _ in ws]
    flat_claims = [claim for (claim, _), ws in zip(pairs, windows, strict=True) for _ in ws]
    probs = model.predict(flat_evidence, flat_claims)

    decided: list[tuple[str, int, list[str], float, float]] = []
    offset = 0
    for ws in windows:
        p = probs[offset : offset + len(ws)]
        offset += len(ws)
        if not ws:
            decided.append(("unverified", SUPPORTED, [""], 0.0, 0.0))
            continue
        best_sup, best_con = int(p[:, SUPPORTED].argmax()), int(p[:, CONTRADICTED].argmax())
        sup, con = float(p[best_sup, SUPPORTED]), float(p[best_con, CONTRADICTED])
        if sup >= SUPPORT_THRESHOLD and sup >= con:
            decided.append(("supported", SUPPORTED, ws[best_sup][1], sup, con))
        elif con >= CONTRADICT_THRESHOLD:
            decided.append(
                ("contradicted", CONTRADICTED, ws[best_con][1], float(p[best_con, SUPPORTED]), con)
            )
        else:
            decided.append(("unverified", SUPPORTED, ws[best_sup][1], sup, con))

    # Within a multi-sentence deciding window, point at the sentence that carries the verdict.
    refine = [(i, s) for i, d in enumerate(decided) for s in d[2] if len(d[2]) > 1]
    sentence_probs = model.predict([s for _, s in refine], [pairs[i][0] for i, _ in refine])
    best: dict[int, tuple[float, str]] = {}
    for (i, sentence), p in zip(refine, sentence_probs, strict=True):
        value = float(p[decided[i][1]])
        if i not in best or value > best[i][0]:
            best[i] = (value, sentence)
    return [
        DocumentVerdict(
            label=label,
            score=score,
            evidence_sentence=best[i][1] if i in best else sentences[0],
            p_contradicted=p_con,
        )
        for i, (label, _, sentences, score, p_con) in enumerate(decided)
    ]


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
        for chunk in _chunks(lines, max(8, model.batch_size)):
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

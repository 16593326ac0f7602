"""Figures in a sentence: what they count and how they are hedged; dates and years left out."""

from __future__ import annotations

import re
from typing import Any

from ..records import Quantity
from .lexicon import (
    CURRENCY_SIGNS,
    HEDGE_WORDS,
    MULTIPLIERS,
    NUMBER_WORDS,
    TENS,
    UNIT_SYNONYMS,
    VAGUE_NUMBERS,
)

# Entity labels of figures (kept out of a claim's entities) and of anything numeric.
FIGURE_LABELS = {"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}
NUMERIC_LABELS = FIGURE_LABELS | {"DATE", "TIME"}

VAGUE_RE = re.compile(rf"\b({'|'.join(VAGUE_NUMBERS)}) of\b", re.I)
HEDGES = [
    (re.compile(r"\b(?:" + "|".join(words) + r")\s+$", re.I), kind)
    for kind, words in HEDGE_WORDS.items()
]
NUMBER_RE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:%|per ?cent|percent))?"
    r"(\s+(?:hundred|thousand|million|billion|trillion))?(?![\w])",
    re.I,
)
WORD_NUMBER_RE = re.compile(
    r"\b((?:"
    + "|".join(TENS)
    + r")-(?:one|two|three|four|five|six|seven|eight|nine)|"
    + "|".join(NUMBER_WORDS)
    + r")\b(\s+(?:hundred|thousand|million|billion|trillion|dozen))?",
    re.I,
)


def word_number(raw: str) -> float:
    if "-" in raw:
        tens, units = raw.split("-", 1)
        return float(NUMBER_WORDS[tens] + NUMBER_WORDS[units])
    return float(NUMBER_WORDS[raw])


REFERENCE_BEFORE_RE = re.compile(
    r"\b(?:the|these|those|both|between|its|their|his|her|our|all)\s+$", re.I
)


def find_quantities(doc: Any) -> tuple[Quantity, ...]:
    """Figures with what they count and how they are hedged; dates and years left out."""
    text = doc.text
    skip = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME", "ORDINAL")]
    out: list[Quantity] = []
    for m in VAGUE_RE.finditer(text):
        unit, unit_end = _unit_after(doc, m.end())
        out.append(Quantity(0.0, text[m.start() : max(unit_end, m.end())], unit, "vague"))
    for regex, is_word in ((NUMBER_RE, False), (WORD_NUMBER_RE, True)):
        for m in regex.finditer(text):
            if any(s <= m.start() < e for s, e in skip):
                continue
            if VAGUE_RE.match(text, m.start()):
                continue
            if re.search(r"[A-Za-z]-$", text[max(0, m.start() - 2) : m.start()]):
                continue  # part of a name: "COVID-19", "AR-15", "F-16"
            if m.group(1).lower() == "dozen" and re.search(
                r"\b(?:" + "|".join(NUMBER_WORDS) + r")\s+$",
                text[max(0, m.start() - 12) : m.start()],
                re.I,
            ):
                continue  # "two dozen": read as one figure with the number word
            raw = m.group(1).lower()
            if is_word:
                value = word_number(raw)
                if raw == "one" and not m.group(2):
                    continue
                # "between two sovereign states", "the two leaders": a reference to things
                # already known, not a count that a source asserts
                if REFERENCE_BEFORE_RE.search(text[max(0, m.start() - 12) : m.start()]):
                    continue
            else:
                value = float(raw.replace(",", ""))
                if 1900 <= value <= 2100 and "," not in raw and not m.group(2):
                    continue  # a year
            mult = (m.group(3 if not is_word else 2) or "").strip().lower()
            if mult in MULTIPLIERS:
                value *= MULTIPLIERS[mult]
            percent = not is_word and bool(m.group(2))
            measure = re.match(r"-([a-z]+)", text[m.end() : m.end() + 16])
            sign = re.search(r"([$£€])\s?$", text[max(0, m.start() - 2) : m.start()])
            if percent:
                unit, unit_end = _percent_of(doc, m.start()), m.end()
            elif measure:  # "an 18-mile course": the figure counts miles
                unit, unit_end = measure.group(1), m.end() + measure.end()
            else:
                unit, unit_end = _unit_after(doc, m.end())
            if sign:
                # a sum of money: "dollar (settlement)" as "percent (rate)" (the same sum
                # matches whatever it pays for; only sums for one thing can conflict)
                currency = CURRENCY_SIGNS[sign.group(1)]
                unit = f"{currency} ({unit})" if unit else currency
                unit_end = max(unit_end, m.end())
            if not unit:
                continue
            # "nearly a dozen", "more than $2 trillion": the article or the currency sign
            # between hedge and figure is no part of the hedge
            start = sign.start() + max(0, m.start() - 2) if sign else m.start()
            before = re.sub(r"\ba\s+$", "", text[max(0, start - 25) : start])
            hedge, hedge_text = "exact", ""
            for rx, name in HEDGES:
                hm = rx.search(before)
                if hm and not _moved_up_to(doc, hm.group(0), start):
                    hedge, hedge_text = name, hm.group(0).strip() + " "
                    break
            partitive = re.match(r"\s+of\s+the\b", text[m.end() : m.end() + 8])
            if partitive:
                unit = "of " + unit  # "three of the injured workers": a subset, not the count
            shown = hedge_text + text[m.start() : max(unit_end, m.end())].strip()
            out.append(Quantity(value, shown, unit, hedge))
    return tuple(out)


# Verbs of a change upward that take "up to" as where they got ("ticked up to 6.1%"); the
# parser reads that "up to" as it reads the ceiling of "said up to 12,000 troops".
RISE_VERBS = {"tick", "go", "rise", "climb", "jump", "shoot", "edge", "inch", "creep", "move",
              "push", "bump", "ramp", "soar", "spike", "surge", "head", "run"}  # fmt: skip


def _moved_up_to(doc: Any, hedge: str, char: int) -> bool:
    """ "ticked up to 6.1%", "went up to 40": "up" belongs to the verb, the figure is where
    the thing got to, not a ceiling ("up to 12,000 troops could go" is one)."""
    if not hedge.lower().startswith("up to"):
        return False
    before = [t for t in doc if t.idx + len(t) <= char]
    if len(before) < 3:
        return False
    verb = before[-3]  # before "up" and "to"
    return verb.lemma_.lower() in RISE_VERBS and before[-2].lower_ == "up"


def _unit_after(doc: Any, char: int) -> tuple[str, int]:
    """The head noun counted by the figure ending at ``char`` (lemma, normalised), and
    where that noun ends."""
    toks = [t for t in doc if t.idx >= char][:6]
    figure = next((t for t in doc if t.idx < char <= t.idx + len(t)), None)
    for t in toks:
        if t.dep_ in ("amod", "advmod", "det", "punct") and t.pos_ != "NOUN":
            continue  # "two wounded soldiers", "1,500 well-trained troops": words before the noun
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "amod"):
            lemma = t.lemma_.lower()
            if lemma in TIME_NOUNS and figure is not None and not _attached(figure, t):
                return "", char  # "rose above 700,000 last week": the week is when, not what
            return UNIT_SYNONYMS.get(lemma, UNIT_SYNONYMS.get(t.lower_, lemma)), t.idx + len(t)
        if t.pos_ in ("VERB", "AUX", "ADP") and t.lower_ != "of":
            return "", char
    return "", char


# Nouns of time that follow a figure without counting it ("700,000 last week", "684,000 the
# week before") unless the figure modifies them ("30 days", "five weeks").
TIME_NOUNS = {"second", "minute", "hour", "day", "night", "week", "weekend", "month", "year",
              "decade", "century", "morning", "afternoon", "evening", "quarter"}  # fmt: skip


def _attached(figure: Any, noun: Any) -> bool:
    """The figure's token modifies the noun, directly or through a multiplier ("30 days",
    "two million years")."""
    head = figure
    for _ in range(3):
        if head.head is head:
            return False
        head = head.head
        if head is noun:
            return True
        if head.pos_ != "NUM":
            return False
    return False


def _percent_of(doc: Any, char: int) -> str:
    """What a percentage measures: the object or subject of the verb governing it
    ("raised its main interest rate ... to 3.75%" -> rate; "inflation stood at 4.2%")."""
    tok = next((t for t in doc if t.idx >= char), None)
    for _ in range(6):
        if tok is None or tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
            break
        tok = tok.head
    if tok is not None:
        for dep in ("dobj", "nsubj", "nsubjpass"):
            kids = [c for c in tok.children if c.dep_ == dep and c.pos_ in ("NOUN", "PROPN")]
            if kids:
                return f"percent ({kids[0].lemma_.lower()})"
    return "percent"


def unit_class(unit: str) -> str:
    return UNIT_SYNONYMS.get(unit, unit)

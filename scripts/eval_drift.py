"""Copy drift on spun copies of real news (issue 8, part 5).

For each BBC article of ../shared/data/consistency/xsumfaith/docs.jsonl (read at run time)
the script writes a spun copy the way article spinners do (scripts/spin_table.py, a
hand-written synonym table: 80-100% of the replaceable words swapped), then, from that one
spin, one altered copy per fact kind (a figure, a date, a name, a place, the speaker, a
title, a negation, a cue verb's stance: one fact changed in one sentence) and the benign
copy (no change). All of them run through the real pipeline (``Pipeline.run`` on a
temporary SQLite store, then ``check_story``), and the script reports:

- per kind, the share of altered copies whose changed sentence is in a drift conflict
  (``caught``), and the share where the conflict names that kind (``kind_right``);
- the share of benign copies with any drift conflict or changed-numbers flag (``benign_alarm``);
- the share of copies (altered and benign) found as copies of their original (``found``).

Articles are split by a hash of their id: ``dev`` (even) for tuning drift.py, ``test``
(odd) held out and pinned in quality/drift_floors.json.

    python scripts/eval_drift.py --split dev --n 60
    python scripts/eval_drift.py --split test --n 120 --json drift-test.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DOCS = (REPO / ".." / "shared" / "data" / "consistency" / "xsumfaith" / "docs.jsonl").resolve()
sys.path.insert(0, str(Path(__file__).resolve().parent))

from spin_table import SYNONYMS  # noqa: E402

KINDS = ("figure", "date", "name", "place", "speaker", "title", "negation", "stance")
SPIN_MIN, SPIN_MAX = 0.8, 1.0
# Invented replacements for the altered copies (none is a real person or firm on purpose).
PEOPLE = ["Halvard Brenning", "Maura Okonjo", "Teodor Vask", "Linnea Castellane", "Oren Pashley"]
ORGS = ["Tallwick Holdings", "the Brenmoor Trust", "Quillon Group", "Varden Council"]
PLACES = ["Carrowdale", "Lisbon", "Ohio", "Tasmania", "Mombasa", "Gdansk", "Quebec"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty"]  # fmt: skip
RANK_WORDS = ["deputy", "former", "acting", "assistant"]
ASSERT_CUES = {"say", "state", "note", "remark", "tell", "confirm", "admit", "announce",
               "claim", "insist", "add", "explain", "declare", "acknowledge", "reveal"}  # fmt: skip
DENY_FORMS = {"VBD": "denied", "VBN": "denied", "VBZ": "denies", "VBG": "denying"}
CONFIRM_FORMS = {"VBD": "confirmed", "VBN": "confirmed", "VBZ": "confirms", "VBG": "confirming"}
AUX_WORDS = {"is", "was", "were", "are", "will", "would", "can", "could", "has", "have",
             "had", "should", "must", "may", "might", "does", "did"}  # fmt: skip


# --- data --------------------------------------------------------------------------------
def load_articles(split: str, n: int) -> list[tuple[str, str]]:
    """(id, text) of up to n articles of one split: dev = even id hash, test = odd."""
    out = []
    with DOCS.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            text = prose(d["document"].strip())
            words = len(text.split())
            if not 120 <= words <= 900 or text.count("\n") < 4:
                continue
            parity = zlib.crc32(d["bbcid"].encode()) % 2
            if (split == "dev") == (parity == 0):
                out.append((d["bbcid"], text))
    out.sort()
    return out[:n]


def prose(text: str) -> str:
    """The article's prose as corroborator's cleaning keeps it ("Media playback is not
    supported on this device" and other page residue out), so every change is in prose."""
    from corroborator.clean import clean
    from corroborator.errors import InputError
    from corroborator.records import RawDocument

    try:
        return clean(RawDocument("eval", text, "jsonl")).text
    except InputError:
        return ""


# --- spinning ----------------------------------------------------------------------------
WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")  # "won't" is one word, never "won"


def spin(text: str, rng: random.Random, rate: float) -> tuple[str, int, int]:
    """The text with each replaceable word swapped at ``rate``; (text, replaceable, swapped).

    A replaceable word is a table key written in lower case, or capitalised only because it
    opens a sentence: capitalised words inside a sentence are names and stay.
    """
    out, pos, replaceable, swapped = [], 0, 0, 0
    for m in WORD_RE.finditer(text):
        word = m.group(0)
        key = word.lower()
        if key not in SYNONYMS:
            continue
        before = text[: m.start()].rstrip(" \"'“‘(")
        opens = not before or before[-1] in ".!?\n"
        if word[0].isupper() and not opens:
            continue
        if word.isupper() and len(word) > 1:
            continue
        replaceable += 1
        if rng.random() >= rate:
            continue
        new = rng.choice(SYNONYMS[key])
        if word[0].isupper():
            new = new[0].upper() + new[1:]
        out += [text[pos : m.start()], new]
        pos = m.end()
        swapped += 1
    out.append(text[pos:])
    return "".join(out), replaceable, swapped


# --- one fact changed ----------------------------------------------------------------------
Edit = tuple[int, int, str]  # replace text[start:end] with the string


def _apply(text: str, edit: Edit) -> tuple[str, tuple[int, int]]:
    start, end, new = edit
    return text[:start] + new + text[end:], (start, start + len(new))


def _speaker_tokens(doc: Any) -> set[int]:
    out: set[int] = set()
    for t in doc:
        if t.lemma_.lower() in ASSERT_CUES | {"deny"} and t.pos_ == "VERB":
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    out.update(x.i for x in c.subtree)
    return out


def _pick(rng: random.Random, items: list[Any]) -> Any:
    return rng.choice(items) if items else None


def alteration(kind: str, doc: Any, rng: random.Random) -> Edit | None:
    """One edit of the spun text that changes one fact of ``kind``, or None if it has none."""
    text = doc.text
    speaker = _speaker_tokens(doc)
    date_ents = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]

    def in_date(t: Any) -> bool:
        return any(e.start <= t.i < e.end for e in date_ents)

    if kind == "figure":
        cands = [t for t in doc if (re.fullmatch(r"\d{1,3}(,\d{3})*|\d+", t.text) or t.lower_ in NUMBER_WORDS)
                 and not in_date(t) and not (t.text.isdigit() and 1900 <= int(t.text) <= 2100)]  # fmt: skip
        t = _pick(rng, cands)
        if t is None:
            return None
        if t.lower_ in NUMBER_WORDS:
            new = rng.choice([w for w in NUMBER_WORDS if w != t.lower_])
            new = new.capitalize() if t.text[0].isupper() else new
        else:
            v = int(t.text.replace(",", ""))
            nv = v * 3 if 0 < v < 10 else v * 2 + 3  # 0 -> 3, 4 -> 12, 14 -> 31
            new = f"{nv:,}" if "," in t.text else str(nv)
        return t.idx, t.idx + len(t), new
    if kind == "date":
        cands = [t for t in doc if in_date(t) and (t.text in WEEKDAYS or t.text in MONTHS
                 or (t.text.isdigit() and 1900 <= int(t.text) <= 2100))]  # fmt: skip
        t = _pick(rng, cands)
        if t is None:
            return None
        if t.text in WEEKDAYS:
            new = rng.choice([w for w in WEEKDAYS if w != t.text])
        elif t.text in MONTHS:
            new = rng.choice([w for w in MONTHS if w != t.text])
        else:
            new = str(int(t.text) + rng.choice([-3, -2, -1, 1, 2]))
        return t.idx, t.idx + len(t), new
    if kind in ("name", "place"):
        labels = ("PERSON", "ORG") if kind == "name" else ("GPE", "LOC")
        cands = [e for e in doc.ents if e.label_ in labels and not any(t.i in speaker for t in e)
                 and len(e.text) > 2 and e.text[0].isupper()]  # fmt: skip
        e = _pick(rng, cands)
        if e is None:
            return None
        pool = PLACES if kind == "place" else (PEOPLE if e.label_ == "PERSON" else ORGS)
        new = rng.choice([p for p in pool if p.lower() not in text.lower()])
        return e.start_char, e.end_char, new
    if kind == "speaker":
        cands = [e for e in doc.ents if e.label_ in ("PERSON", "ORG") and any(t.i in speaker for t in e)
                 and e.text[0].isupper()]  # fmt: skip
        e = _pick(rng, cands)
        if e is None:
            return None
        words = set(e.text.lower().split())
        others = [
            x.text
            for x in doc.ents
            if x.label_ == e.label_
            and x.text[0].isupper()
            and not words & set(x.text.lower().split())
        ]
        pool = PEOPLE if e.label_ == "PERSON" else ORGS
        new = rng.choice(others) if others and rng.random() < 0.5 else rng.choice(pool)
        return e.start_char, e.end_char, new
    if kind == "title":
        from corroborator.claims import TITLE_WORDS_RE
        from corroborator.drift import RANKS

        cands = []
        for m in TITLE_WORDS_RE.finditer(text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if (
                span is None
                or span.root.pos_ not in ("NOUN", "PROPN")
                or m.group(0).lower() in RANKS
            ):
                continue
            rank = next(
                (
                    t
                    for t in reversed(doc[max(0, span.start - 3) : span.start])
                    if t.lower_ in RANKS
                ),
                None,
            )
            prev = doc[span.start - 1] if span.start > 0 else None
            cands.append((m, prev, rank))
        c = _pick(rng, cands)
        if c is None:
            return None
        m, prev, rank = c
        if rank is not None:  # "deputy mayor" -> "mayor"
            return (
                rank.idx,
                rank.idx + len(rank) + (1 if text[rank.idx + len(rank)] == " " else 0),
                "",
            )
        word = rng.choice(RANK_WORDS)
        if m.group(0)[0].isupper() and (prev is None or prev.is_sent_start or prev.is_punct):
            return m.start(), m.start() + 1, f"{word.capitalize()} {m.group(0)[0].lower()}"
        return m.start(), m.start(), f"{word} "
    if kind == "negation":
        adds = [t for t in doc if t.lower_ in AUX_WORDS and t.dep_ in ("aux", "auxpass", "ROOT", "cop")
                and not any(x.dep_ == "neg" or x.lower_ in ("never", "no") for x in t.sent)]  # fmt: skip
        drops = [
            t
            for t in doc
            if t.lower_ == "not" and t.dep_ == "neg" and t.i > 0 and t.nbor(-1).lower_ in AUX_WORDS
        ]
        if drops and (not adds or rng.random() < 0.3):
            t = drops[rng.randrange(len(drops))]
            return t.idx - 1, t.idx + len(t), ""
        t = _pick(rng, adds)
        if t is None:
            return None
        return t.idx + len(t), t.idx + len(t), " not"
    if kind == "stance":
        cands = [t for t in doc if t.pos_ == "VERB" and t.lemma_.lower() in ASSERT_CUES and t.tag_ in DENY_FORMS
                 and any(c.dep_ in ("ccomp", "nsubj") for c in t.children)]  # fmt: skip
        denials = [
            t
            for t in doc
            if t.pos_ == "VERB" and t.lemma_.lower() == "deny" and t.tag_ in CONFIRM_FORMS
        ]
        if denials and (not cands or rng.random() < 0.3):
            t = denials[rng.randrange(len(denials))]
            return t.idx, t.idx + len(t), CONFIRM_FORMS[t.tag_]
        t = _pick(rng, cands)
        if t is None:
            return None
        return t.idx, t.idx + len(t), DENY_FORMS[t.tag_]
    raise ValueError(kind)


# --- the run -----------------------------------------------------------------------------
def build(
    articles: list[tuple[str, str]], nlp: Any, seed: int
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """JSONL records: each original, its benign copy and its altered copies."""
    records: list[dict[str, Any]] = []
    replaceable = swapped = 0
    for aid, text in articles:
        rng = random.Random(f"{seed}:{aid}")
        spun, rep, sw = spin(text, rng, rng.uniform(SPIN_MIN, SPIN_MAX))
        replaceable += rep
        swapped += sw
        title = text.split("\n", 1)[0][:80]
        base = {"title": title}
        records.append({**base, "text": text, "outlet": f"Wire {aid}", "published": "2024-05-01",
                        "_article": aid, "_variant": "original"})  # fmt: skip
        records.append({**base, "text": spun, "outlet": f"Copy {aid} benign", "published": "2024-05-02",
                        "_article": aid, "_variant": "benign"})  # fmt: skip
        doc = nlp(spun)
        for kind in KINDS:
            edit = alteration(kind, doc, rng)
            if edit is None:
                continue
            altered, span = _apply(spun, edit)
            records.append({**base, "text": altered, "outlet": f"Copy {aid} {kind}", "published": "2024-05-02",
                            "_article": aid, "_variant": kind, "_span": span,
                            "_change": [spun[edit[0]:edit[1]], edit[2]]})  # fmt: skip
    return records, {"replaceable": replaceable, "swapped": swapped}


def evaluate(split: str, n: int, seed: int = 1, verbose: bool = False) -> dict[str, Any]:
    from corroborator.pipeline import Options, Pipeline
    from corroborator.store import SqliteStore

    articles = load_articles(split, n)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(str(Path(tmp) / "drift.db"))
        pipe = Pipeline(store, Options(use_model=False))
        records, spin_stats = build(articles, pipe.extractor.nlp, seed)
        path = Path(tmp) / "copies.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps({k: v for k, v in r.items() if not k.startswith("_")}) + "\n")
        report = pipe.run([str(path)])
        by_source = {store.article(aid).source: aid for aid in report.article_ids}
        ids = [by_source.get(f"{path}#{k + 1}") for k in range(len(records))]
        checks = {c.story_id: c for c in pipe.check_stories(report.stories, report)}
        originals = {
            r["_article"]: aid
            for r, aid in zip(records, ids, strict=True)
            if r["_variant"] == "original"
        }
        rows: list[dict[str, Any]] = []
        for r, aid in zip(records, ids, strict=True):
            if r["_variant"] == "original" or aid is None:
                continue
            check = checks[store.story_of(aid) or ""]
            link = check.copies.get(aid)
            found = link is not None and link.original_id == originals.get(r["_article"])
            drifts = [v for v in check.verdicts if v.kind == "drift" and v.b.startswith(aid + ":")]
            row: dict[str, Any] = {"article": r["_article"], "variant": r["_variant"], "found": found,
                                   "drifts": [(v.extra["drift"], v.reason) for v in drifts],
                                   "sentences": [(v.extra["original_sentence"], v.extra["copy_sentence"]) for v in drifts]}  # fmt: skip
            if r["_variant"] == "benign":
                changed = link is not None and any(
                    d.kind == "numbers_changed" for d in link.departures
                )
                row["alarm"] = bool(drifts) or changed
            else:
                start = r["_span"][0]
                hit = [v for v in drifts if _covers(check.claim(v.b), start, r["_span"][1])]
                row.update(caught=bool(hit), kind_right=any(v.extra["drift"] == r["_variant"] for v in hit),
                           other=len(drifts) - len(hit), change=r["_change"])  # fmt: skip
                if not hit:
                    row["copy_text"] = r["text"][max(0, start - 150) : start + 150]
            rows.append(row)
    out = summarise(rows)
    out.update(split=split, articles=len(articles), seconds=round(time.perf_counter() - started, 1),
               spin_share=round(spin_stats["swapped"] / max(1, spin_stats["replaceable"]), 3))  # fmt: skip
    if verbose:
        out["rows"] = rows
    return out


def _covers(claim: Any, start: int, end: int) -> bool:
    return bool(claim.start <= start < claim.end or claim.start < end <= claim.end)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    per: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        per[r["variant"]].append(r)
    out: dict[str, Any] = {"kinds": {}}
    for kind in KINDS:
        rs = per.get(kind, [])
        out["kinds"][kind] = {
            "n": len(rs),
            "caught": round(sum(r["caught"] for r in rs) / len(rs), 3) if rs else None,
            "kind_right": round(sum(r["kind_right"] for r in rs) / len(rs), 3) if rs else None,
            "other_conflicts_per_copy": round(sum(r["other"] for r in rs) / len(rs), 3)
            if rs
            else None,
        }
    benign = per.get("benign", [])
    out["benign"] = {
        "n": len(benign),
        "alarm": round(sum(r["alarm"] for r in benign) / max(1, len(benign)), 3),
    }
    out["found"] = round(sum(r["found"] for r in rows) / max(1, len(rows)), 3)
    out["copies"] = len(rows)
    return out


def check_floors(measured: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    """The floors in quality/drift_floors.json that ``measured`` falls below (or above, for
    the false-alarm ceiling)."""
    bad = []
    for kind, floor in floors["caught"].items():
        got = measured["kinds"][kind]["caught"]
        if got is None or got < floor:
            bad.append(f"{kind} caught {got} < {floor}")
    if measured["benign"]["alarm"] > floors["benign_alarm_max"]:
        bad.append(f"benign alarm {measured['benign']['alarm']} > {floors['benign_alarm_max']}")
    if measured["found"] < floors["found"]:
        bad.append(f"found {measured['found']} < {floors['found']}")
    return bad


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--split", choices=["dev", "test"], default="dev")
    ap.add_argument("--n", type=int, default=60, help="articles (each gives 9 copies)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the full result, every copy included, here")
    ap.add_argument(
        "--misses", action="store_true", help="print each missed change and each false alarm"
    )
    ap.add_argument("--check-floors", action="store_true",
                    help="exit 1 below quality/drift_floors.json (--split test, --n 150 or 12)")  # fmt: skip
    args = ap.parse_args()
    result = evaluate(args.split, args.n, args.seed, verbose=True)
    rows = result.pop("rows")
    if args.json:
        Path(args.json).write_text(
            json.dumps({**result, "rows": rows}, indent=1, ensure_ascii=False)
        )
    if args.misses:
        for r in rows:
            if r["variant"] == "benign" and r["alarm"]:
                print("FALSE ALARM", r["article"], r["drifts"], r["sentences"])
            elif r["variant"] != "benign" and not r["caught"]:
                print(
                    "MISSED",
                    r["variant"],
                    r["article"],
                    r["change"],
                    "|",
                    r.get("copy_text", "").replace("\n", " "),
                )
            elif r["variant"] != "benign" and r["other"]:
                print("EXTRA", r["variant"], r["article"], r["drifts"])
    print(json.dumps(result, indent=1))
    if args.check_floors:
        floors = json.loads((REPO / "quality" / "drift_floors.json").read_text())
        key = next(
            (k for k in ("held_out", "test_sample") if floors[k]["articles"] == args.n), None
        )
        if args.split != "test" or key is None:
            sys.exit(
                "floors are pinned for --split test with --n 150 (held_out) or --n 12 (test_sample)"
            )
        bad = check_floors(result, floors[key])
        print("below the floors: " + "; ".join(bad) if bad else f"meets the {key} floors")
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

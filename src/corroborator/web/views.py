"""What the web pages show, read off the ``run --json`` story documents (documents.py,
factsheet.story_sheet): no verdict is made here, only names a reader understands.

- ``Library``: the fact sheets of a database, read once and again only when the file changes;
- ``summary`` / ``matches``: one line of the story list, and the search over it;
- ``story_view``: a story's fact sheet with outlets, headlines and sentence numbers from 1
  in place of ids and paths.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..factsheet import STANCE_LABELS, disputed_count, disputes, shown_speaker, web_address

Progress = Callable[[str, int, int | None], None]

#: How a conflict of each kind is announced on a card.
KIND_LABELS = {
    "quantity": "the figures differ",
    "title": "a person's title differs",
    "stance": "what was said differs",
    "speaker": "who said it differs",
    "polarity": "one says it, the other says it is not so",
    "model": "the wording contradicts (read by a learned model)",
    "drift": "a copy changes its original",
}
UNNAMED = "Unnamed source"


def _quiet(stage: str, done: int, total: int | None) -> None:
    return None


def _signature(db: str) -> tuple[tuple[int, int], ...]:
    """Changes whenever the database (or its write-ahead log) is written; for a database
    server, whenever articles are added or grouped."""
    from ..store import backend_of, open_store

    if backend_of(db) != "sqlite":
        store = open_store(db, create=False)
        try:
            return ((store.article_count(), store.processed_count()),)
        finally:
            store.close()
    out = []
    for path in (db, db + "-wal"):
        try:
            st = os.stat(path)
        except OSError:
            out.append((0, 0))
        else:
            out.append((st.st_mtime_ns, st.st_size))
    return tuple(out)


class Library:
    """The fact sheets of one database, built once (models load once) and rebuilt only
    after the file changed. Thread-safe: requests wait for the one build in progress."""

    def __init__(self, db: str | os.PathLike[str], use_model: bool = True) -> None:
        self.db = os.fspath(db)
        self.use_model = use_model
        self._lock = threading.Lock()
        self._doc: dict[str, Any] | None = None
        self._sig: tuple[tuple[int, int], ...] | None = None

    def document(self, progress: Progress = _quiet) -> dict[str, Any]:
        from .. import api

        with self._lock:
            if self._doc is None or _signature(self.db) != self._sig:
                self._doc = api.fact_sheets(self.db, use_model=self.use_model, progress=progress)
                self._sig = _signature(self.db)  # reading may store claims: sign after
            return self._doc

    def stories(self) -> list[dict[str, Any]]:
        return list(self.document()["stories"])

    def story(self, story_id: str) -> dict[str, Any] | None:
        """The story whose id is ``story_id`` or starts with it (None when none or several)."""
        found = [s for s in self.stories() if s["id"].startswith(story_id)] if story_id else []
        return found[0] if len(found) == 1 else None

    def check(self, article: dict[str, str]) -> dict[str, Any]:
        """Check one pasted article (``text``, optional ``title``, ``outlet``) against the
        database, as ``corroborator check`` does; the article is stored."""
        import json
        import tempfile

        from .. import api
        from ..errors import InputError

        with tempfile.TemporaryDirectory() as tmp, self._lock:
            path = os.path.join(tmp, "pasted.jsonl")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(json.dumps({k: v for k, v in article.items() if v}) + "\n")
            try:
                return api.check(path, self.db, use_model=self.use_model).document
            except InputError as exc:  # name the article as the reader knows it, not the file
                message = re.sub(re.escape(path) + r"(#\d+)?", "the article", str(exc))
                raise InputError(message) from exc

    def ingest(self, article: dict[str, str]) -> dict[str, Any]:
        """Store one pasted article (``text`` or ``html``, optional ``title``, ``outlet``) and
        place it in a story, as ``corroborator ingest`` does: no claims, no cross-check."""
        import json
        import tempfile

        from .. import api
        from ..errors import InputError

        with tempfile.TemporaryDirectory() as tmp, self._lock:
            path = os.path.join(tmp, "pasted.jsonl")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(json.dumps({k: v for k, v in article.items() if v}) + "\n")
            report = api.ingest([path], self.db)
            if report.skipped:  # name the article as the reader knows it, not the file
                reason = re.sub(
                    re.escape(path) + r"(#\d+)?", "the article", report.skipped[0].reason
                )
                raise InputError(reason)
            return {
                "stored": report.new,
                "duplicate": report.duplicates > 0,
                "copy": report.copies > 0,
                "articles": list(report.article_ids),
                "stories": list(report.stories),
                "errors": [e.reason for e in report.errors],
            }

    def article_text(self, article_id: str) -> str:
        from .. import api

        return api.article(article_id, self.db).text


# --- the story list -------------------------------------------------------------------------
def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def summary(story: dict[str, Any]) -> dict[str, Any]:
    """One line of the story list (also ``GET /api/stories``)."""
    articles = story["articles"]
    outlets = sorted({a["outlet"] for a in articles if a.get("outlet")})
    dates = sorted({d for a in articles if (d := _date(a.get("published")))})
    entities: set[str] = set()
    for c in story.get("claims", []):
        entities.update(c.get("entities", []))
        entities.update(p["name"] for p in c.get("people", []))
        if c.get("speaker"):
            entities.add(c["speaker"])
    return {
        "id": story["id"],
        "title": story["title"],
        "articles": len(articles),
        "independent_sources": len(story.get("independent_sources", [])),
        "disputed_claims": disputed_count(story),  # one per card of the story's page
        "outlets": outlets,
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "headlines": [a["title"] for a in articles if a.get("title")],
        "entities": sorted(entities),
    }


def matches(
    line: dict[str, Any], q: str = "", date_from: str | None = None, date_to: str | None = None
) -> bool:
    """Whether a story-list line answers a search: every word of ``q`` in its title, a
    headline, an outlet or a name it mentions; a publication date within the range."""
    if q.strip():
        hay = " ".join([line["title"] or "", *line["headlines"], *line["outlets"],
                        *line["entities"]]).lower()  # fmt: skip
        if not all(word in hay for word in q.lower().split()):
            return False
    if date_from or date_to:
        first, last = line["first_published"], line["last_published"]
        if first is None or last is None:
            return False
        if date_from and last < date_from:
            return False
        if date_to and first > date_to:
            return False
    return True


# --- one story ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cite:
    """One claim sentence as a reader sees it: which article, which sentence, who says it."""

    text: str
    outlet: str
    headline: str
    date: str | None
    sentence: int  # from 1
    speaker: str
    stance: str
    article: int  # the article's number on the page, from 1
    href: str  # the sentence in its article's page
    garbled: str | None = None
    marks: tuple[tuple[int, int], ...] = ()

    def pieces(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, marked) for highlighting without markup in the data."""
        out, pos = [], 0
        for start, end in sorted(self.marks):
            if start < pos or end > len(self.text):
                continue
            out += [(self.text[pos:start], False), (self.text[start:end], True)]
            pos = end
        out.append((self.text[pos:], False))
        return [p for p in out if p[0]]


def article_name(a: dict[str, Any]) -> str:
    return str(a.get("outlet") or UNNAMED)


@dataclass(frozen=True)
class Links:
    """Where a fact sheet's links lead: the served pages (an article's own page, its
    sentence marked), or, in the one-file report (``run -o``), the article's card in the
    same file, every anchor prefixed with the story so that several stories fit one page."""

    story_id: str
    served: bool = True

    @property
    def prefix(self) -> str:
        return "" if self.served else f"s{self.story_id[:12]}-"

    def article(self, number: int, sentence: int | None = None) -> str:
        if not self.served:
            return f"#{self.prefix}article-{number}"
        return f"/stories/{self.story_id}/articles/{number}" + (
            f"#s-{sentence}" if sentence else ""
        )


def for_readers(story: dict[str, Any]) -> dict[str, Any]:
    """The story with each source named as a reader knows it: an article of no known outlet
    is "Unnamed source, “its headline”", not "unknown outlet (its file name)" (the JSON keeps
    the latter, which is unique)."""
    import copy

    rename = {}
    for a in story["articles"]:
        if not a.get("outlet") and a.get("path"):
            label = f"unknown outlet ({a['path'].rsplit('/', 1)[-1]})"
            rename[label] = f"{UNNAMED}, “{a.get('title') or 'untitled'}”"
    if not rename:
        return story
    s = copy.deepcopy(story)

    def names(values: list[str]) -> list[str]:
        return [rename.get(v, v) for v in values]

    s["independent_sources"] = names(s.get("independent_sources", []))
    for c in s.get("claims", []):
        c["source"] = rename.get(c.get("source", ""), c.get("source"))
    for f in s.get("corroborated", []) + s.get("single_source", []):
        f["sources"] = names(f["sources"])
        for x in f.get("statements", []):
            x["source"] = rename.get(x["source"], x["source"])
    for a in s.get("actors", []):
        a["sources"] = names(a["sources"])
    for q in s.get("quantities", []):
        for f in q["figures"]:
            f["sources"] = names(f["sources"])
            f["stated_by"] = names(f["stated_by"])
    for p in s.get("people", []):
        for t in p["titles"]:
            t["source"] = rename.get(t["source"], t["source"])
    return s


def story_view(story: dict[str, Any], served: bool = True) -> dict[str, Any]:
    """Everything a story's fact sheet shows, with names in place of ids: the served page
    (``served``) or a story of the one-file report, from the same templates."""
    story = for_readers(story)
    links = Links(story["id"], served)
    articles = story["articles"]
    number = {a["id"]: k + 1 for k, a in enumerate(articles)}
    by_article = {a["id"]: a for a in articles}
    claims = {c["id"]: c for c in story.get("claims", [])}

    def cite(cid: str, marks: list[list[int]] | None = None) -> Cite | None:
        c = claims.get(cid)
        if c is None:
            return None
        a = by_article.get(c["article"], {})
        return Cite(
            text=c["text"], outlet=article_name(a), headline=a.get("title") or "",
            date=_date(a.get("published")), sentence=c["sentence"],
            speaker=shown_speaker(c), stance=STANCE_LABELS.get(c["stance"], c["stance"]),
            article=number.get(c["article"], 0), garbled=c.get("garbled"),
            href=links.article(number.get(c["article"], 0), c["sentence"]),
            marks=tuple((int(s), int(e)) for s, e in marks or []),
        )  # fmt: skip

    def cites(ids: list[str]) -> list[Cite]:
        return [x for cid in ids if (x := cite(cid)) is not None]

    conflicts: list[dict[str, Any]] = []
    drifts = []
    for group in disputes(story):  # one card per dispute (a person's title: one per person)
        v = group[0]
        detail = v.get("detail", {})
        if v["kind"] == "drift":
            marks = [detail.get("original_marks"), detail.get("copy_marks")]
            pair = [cite(cid, m) for cid, m in zip(v["claims"], marks, strict=False)]
            drifts.append({"reason": v["reason"], "sides": [x for x in pair if x]})
            continue
        sides: list[Cite] = []
        for side in cites([cid for w in group for cid in w["claims"]]):
            if (side.article, side.sentence) not in {(y.article, y.sentence) for y in sides}:
                sides.append(side)
        conflicts.append({"kind": KIND_LABELS.get(v["kind"], v["kind"].replace("_", " ")),
                          "reason": v["reason"], "by_model": v["by"] == "model",
                          "over_time": bool(detail.get("over_time")), "sides": sides})  # fmt: skip

    corroborated = []
    for f in story.get("corroborated", []):
        statements = {x["claim"]: x["statement"] for x in f.get("statements", [])}
        corroborated.append({
            "text": f["text"], "speaker": f["speaker"], "sources": f["sources"],
            "n_sources": f["n_sources"],
            "each": [(x, statements.get(cid)) for cid in f["claims"] if (x := cite(cid))],
        })  # fmt: skip
    single = [
        {"text": f["text"], "source": f["sources"][0] if f["sources"] else UNNAMED,
         "cite": cite(f["claims"][0])}
        for f in story.get("single_source", [])
    ]  # fmt: skip
    actors = [
        {"actor": a["actor"], "stances": [STANCE_LABELS.get(s, s) for s in a["stances"]],
         "says": [claims[c]["proposition"] for c in a["claims"][:3] if c in claims],
         "more": max(0, len(a["claims"]) - 3), "sources": a["sources"]}
        for a in story.get("actors", [])
    ]  # fmt: skip
    figures = [
        {"what": q["what"], "text": f["text"], "hedge": f["hedge"].replace("_", " "),
         "stated_by": f["stated_by"], "sources": f["sources"], "dates": f.get("dates", [])}
        for q in story.get("quantities", []) for f in q["figures"]
    ]  # fmt: skip
    statuses = claim_statuses(story)
    article_cards = []
    for a in articles:
        flags = a.get("flags", {})
        original = by_article.get(a.get("copy_of") or "")
        notes = [t["text"] for t in flags.get("title_conflicts", [])]
        notes += [u["text"] for u in flags.get("unintroduced_speakers", [])]
        notes += [
            f"the same figure stated two ways: {' vs '.join(q['figures'])}"
            for q in flags.get("quantity_restated", [])
        ]
        article_cards.append({
            "number": number[a["id"]], "outlet": article_name(a), "headline": a.get("title") or "",
            "href": links.article(number[a["id"]]),
            "date": _date(a.get("published")), "url": web_address(a.get("url")),
            "file": os.path.basename(a.get("path") or "") or None,
            "copy_of": (f"{article_name(original)}, “{original.get('title') or ''}”"
                        if original else None),
            "copy_kind": (a.get("copy") or {}).get("kind"),
            "warning": flags.get("warning"), "notes": notes,
            "tally": tally(story, a, statuses),
        })  # fmt: skip
    cards = {c["number"]: c for c in article_cards}
    reach = story.get("reach") or {}
    republished = [
        {"original": cards[number[r["original"]]],
         "copies": [cards[number[c["article"]]] | {"kind": c["kind"]}
                    for c in r["copies"] if c["article"] in number]}
        for r in reach.get("republished", []) if r["original"] in number
    ]  # fmt: skip
    summary_line = summary(story)
    timeline = sorted(
        article_cards, key=lambda a: (a["date"] is None, a["date"] or "", a["number"])
    )
    return {
        "id": story["id"],
        "title": story["title"],
        "served": served,
        "prefix": links.prefix,
        "summary": summary_line,
        "sources": story.get("independent_sources", []),
        "checked": "claims" in story,
        "by_model": story.get("model", "") != "rules only",
        "conflicts": conflicts,
        "drifts": drifts,
        "corroborated": corroborated,
        "single": single,
        "actors": actors,
        "figures": figures,
        "charts": figure_charts(story),
        "people": story.get("people", []),
        "articles": article_cards,
        "timeline": timeline,
        "republished": republished,
        "reach": {
            "articles": reach.get("articles", len(articles)),
            "sources": reach.get("independent_sources"),
        },  # fmt: skip
        "matrix": matrix(story),
    }


#: The figures chart: one bar per figure under its label, the figure after it (SVG units).
CHART_WIDTH, CHART_FIGURE, CHART_ROW = 640, 190, 44


def figure_charts(story: dict[str, Any]) -> list[dict[str, Any]]:
    """For each counted thing with two figures or more, a bar chart drawn on the server
    (inline SVG, no script): one bar per figure, as long as its value, labelled with who
    reports it and when, in date order."""
    charts = []
    for q in story.get("quantities", []):
        figures = [f for f in q["figures"] if isinstance(f.get("value"), int | float)]
        if q["what"] == "other figures" or len(figures) < 2:
            continue
        top = max(f["value"] for f in figures) or 1.0
        span = CHART_WIDTH - CHART_FIGURE
        rows = sorted(figures, key=lambda f: (min(f.get("dates") or ["9999"]), f["value"]))
        bars = []
        for k, f in enumerate(rows):
            when = ", ".join(f.get("dates") or []) or "date not given"
            bars.append({
                "label_y": k * CHART_ROW + 14, "y": k * CHART_ROW + 20,
                "figure_y": k * CHART_ROW + 34,
                "width": max(2, round(span * f["value"] / top)),
                "figure": f["text"], "hedged": f["hedge"] != "exact",
                "label": f"{', '.join(f['sources'])} · {when}",
            })  # fmt: skip
        charts.append({"what": q["what"], "bars": bars, "width": CHART_WIDTH,
                       "height": len(bars) * CHART_ROW + 4})  # fmt: skip
    return charts


#: The cells of the claims-by-sources table.
CELL_LABELS = {"agrees": "agrees", "conflicts": "disagrees", "alone": "only source", "silent": "",
               "over_time": "another day's figure"}  # fmt: skip


def matrix(story: dict[str, Any]) -> dict[str, Any]:
    """Rows: the disputed, corroborated and single-source statements of the fact sheet (one
    row per person whose title differs, as one card); columns: the independent sources, each
    with the copies folded under it (a copy is read under its original's name); cells:
    agrees, conflicts, alone (the only source) or silent."""
    claims = {c["id"]: c for c in story.get("claims", [])}
    sources = list(story.get("independent_sources", []))

    def column(name: str) -> str:
        if name not in sources:
            sources.append(name)
        return name

    rows: list[dict[str, Any]] = []
    for group in disputes(story):  # one row per card of the page
        v = group[0]
        if v["kind"] == "drift":
            continue  # a copy and its original are one source
        said = {column(claims[c]["source"]) for w in group for c in w["claims"] if c in claims}
        state = "over_time" if (v.get("detail") or {}).get("over_time") else "conflicts"
        rows.append({"kind": "conflicts", "text": v["reason"], "cells": dict.fromkeys(said, state)})
    for f in story.get("corroborated", []):
        rows.append({"kind": "agrees", "text": f["text"],
                     "cells": {column(s): "agrees" for s in f["sources"]}})  # fmt: skip
    for f in story.get("single_source", []):
        rows.append({"kind": "alone", "text": f["text"],
                     "cells": {column(s): "alone" for s in f["sources"]}})  # fmt: skip
    for row in rows:
        row["cells"] = [
            {"source": s, "state": row["cells"].get(s, "silent"),
             "label": CELL_LABELS[row["cells"].get(s, "silent")]}
            for s in sources
        ]  # fmt: skip
    source_of = {c["article"]: c["source"] for c in claims.values()}
    copies: dict[str, list[str]] = {}
    for a in story["articles"]:
        if not a.get("copy_of"):
            continue
        under = source_of.get(a["copy_of"]) or source_of.get(a["id"])
        if under is not None and under in sources and article_name(a) != under:
            copies.setdefault(under, []).append(article_name(a))
    return {"sources": sources, "copies": copies, "rows": rows}


# --- one article ----------------------------------------------------------------------------
#: How each claim sentence of an article is coloured, and what the colour means.
STATUS_LABELS = {
    "disputed": "disputed by another source",
    "corroborated": "corroborated by another independent source",
    "single": "resting on this source alone",
    "other": "a claim not cross-checked",
}


def claim_statuses(story: dict[str, Any]) -> dict[str, str]:
    """Each claim's place in the fact sheet, read off its sections (no new verdict)."""
    out = {cid: "other" for cid in (c["id"] for c in story.get("claims", []))}
    for f in story.get("single_source", []):
        out.update(dict.fromkeys(f["claims"], "single"))
    for f in story.get("corroborated", []):
        out.update(dict.fromkeys(f["claims"], "corroborated"))
    out.update(dict.fromkeys(story.get("disputed", []), "disputed"))
    return out


#: The same statuses, in a line of counts on the story page's article card.
TALLY_LABELS = {"disputed": "disputed", "corroborated": "corroborated",
                "single": "on this source alone", "other": "not cross-checked"}  # fmt: skip


def tally(
    story: dict[str, Any], article: dict[str, Any], statuses: dict[str, str]
) -> dict[str, Any] | None:
    """An article's claims counted by the colour its page gives each (``claim_statuses``):
    every claim once, so the counts add up to the whole (a copy's are read with its
    original's, and say so). None when the story was not cross-checked."""
    if "claims" not in story:
        return None
    mine = [
        statuses.get(c["id"], "other") for c in story["claims"] if c["article"] == article["id"]
    ]
    labels = TALLY_LABELS
    if article.get("copy_of"):
        labels = {**TALLY_LABELS, "other": "counted with its original"}
    parts = [f"{n} {labels[s]}" for s in TALLY_LABELS if (n := mine.count(s))]
    return {"claims": len(mine), "parts": parts}


def word_diff(original: str, copy: str) -> list[dict[str, str]]:
    """The copy's text against its original's, word by word: pieces kept (``same``), taken
    out of the original (``removed``) and put in by the copy (``added``), in reading order."""
    import difflib
    import re

    a = re.findall(r"\s+|[^\s]+", original)
    b = re.findall(r"\s+|[^\s]+", copy)
    out: list[dict[str, str]] = []

    def add(op: str, words: list[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if out and out[-1]["op"] == op:
            out[-1]["text"] += text
        else:
            out.append({"op": op, "text": text})

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            add("same", a[i1:i2])
            continue
        add("removed", a[i1:i2])
        add("added", b[j1:j2])
    return out


def article_view(
    story: dict[str, Any], number: int, text: str, original_text: str | None = None
) -> dict[str, Any] | None:
    """The article numbered ``number`` (from 1) on its story's page: its cleaned ``text``
    cut into pieces, each claim sentence with its status and its flags; for a copy, given
    its original's text, the words it changes."""
    articles = story["articles"]
    if not 1 <= number <= len(articles):
        return None
    a = articles[number - 1]
    numbers = {x["id"]: k + 1 for k, x in enumerate(articles)}
    flags = a.get("flags", {})
    notes: dict[str, list[str]] = {}
    for t in flags.get("title_conflicts", []):
        for cid in t["claims"]:
            notes.setdefault(cid, []).append(t["text"])
    for u in flags.get("unintroduced_speakers", []):
        notes.setdefault(u["claim"], []).append(u["text"])
    statuses = claim_statuses(story)
    labels = STATUS_LABELS
    if a.get("copy_of"):  # a copy's claims are read with its original's, not on their own
        labels = {**STATUS_LABELS, "other": "counted with its original (this is a copy)"}
    mine = sorted(
        (c for c in story.get("claims", []) if c["article"] == a["id"]),
        key=lambda c: c.get("clean_start", 0),
    )
    pieces: list[dict[str, Any]] = []
    pos = 0
    for c in mine:
        start, end = c.get("clean_start", -1), c.get("clean_end", -1)
        if not (pos <= start < end <= len(text)) or text[start:end] != c["text"]:
            start = text.find(c["text"], pos)  # offsets that do not fit: find the sentence
            end = start + len(c["text"])
        if start < pos:
            continue
        if start > pos:
            pieces.append({"text": text[pos:start], "status": None})
        cid = c["id"]
        garbled = [f"too garbled to count as evidence: {c['garbled']}"] if c.get("garbled") else []
        pieces.append({
            "text": text[start:end], "sentence": c["sentence"],
            "status": statuses.get(cid, "other"), "label": labels[statuses.get(cid, "other")],
            "speaker": shown_speaker(c), "notes": notes.get(cid, []) + garbled,
        })  # fmt: skip
        pos = end
    if pos < len(text):
        pieces.append({"text": text[pos:], "status": None})
    original = next((x for x in articles if x["id"] == a.get("copy_of")), None)
    copies = [x for x in articles if x.get("copy_of") == a["id"]]
    changes = [d["detail"] for d in (a.get("copy") or {}).get("departures", []) if d.get("detail")]
    return {
        "story": story["id"],
        "story_title": story["title"],
        "number": number,
        "outlet": article_name(a),
        "headline": a.get("title") or "",
        "date": _date(a.get("published")),
        "url": web_address(a.get("url")),
        "warning": flags.get("warning"),
        "pieces": pieces,
        "counts": {s: sum(1 for p in pieces if p.get("status") == s) for s in STATUS_LABELS},
        "labels": labels,
        "copy_of": (
            {
                "number": numbers[original["id"]],
                "outlet": article_name(original),
                "headline": original.get("title") or "",
            }
            if original
            else None
        ),  # fmt: skip
        "copy_kind": (a.get("copy") or {}).get("kind"),
        "changes": changes,
        "diff": word_diff(original_text, text) if original and original_text is not None else [],
        "copied_by": [
            {
                "number": numbers[x["id"]],
                "outlet": article_name(x),
                "headline": x.get("title") or "",
            }
            for x in copies
        ],
    }

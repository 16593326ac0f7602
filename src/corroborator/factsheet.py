"""The story fact sheet: one data structure (``story_sheet``), four renderings.

``story_sheet(check)`` turns a StoryCheck into plain JSON-ready data: claims with their
sentence offsets, corroborated facts, conflicts, single-source claims, the who-says-what
table, quantities, people and titles, and per-article flags. ``to_html`` (through the web
app's templates, web/templates/sheet.html, so the file and the served page are one),
``to_markdown`` and ``to_claimreview`` render that data; none of them looks at anything
else, so every format says the same thing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from .claims import claim_json
from .crosscheck import StoryCheck, statement_speaker
from .tables import actors, article_flags, quantities_table

STANCE_LABELS = {
    "asserts": "asserts",
    "denies": "denies",
    "declines_to_confirm": "declines to confirm",
    "no_comment": "no comment",
    "calls_for": "calls for / warns",
}


def story_sheet(check: StoryCheck) -> dict[str, Any]:
    """The fact sheet of one story as JSON-ready data (the ``run --json`` story keys)."""
    claims = []
    garbled = {
        cid: why for ac in check.article_claims.values() for cid, why in ac.unusable().items()
    }
    for c in check.claims:
        d = claim_json(c)  # its sentence counted from 1, as everywhere a reader looks
        d["article"] = d.pop("article_id")
        d["source"] = check.source_name(c)
        if c.id in garbled:  # shown wherever the claim is, never the evidence of a verdict
            d["garbled"] = garbled[c.id]
        claims.append(d)
    disputed = check.disputed_ids()
    conflicts = []
    for v in check.verdicts:
        if v.verdict != "conflicts":
            continue
        conflicts.append({"claims": [v.a, v.b], "reason": v.reason, "kind": v.kind, "by": v.by,
                          "score": v.score, **({"detail": v.extra} if v.extra else {})})  # fmt: skip
    agreements = [
        {"claims": [v.a, v.b], "reason": v.reason, "kind": v.kind, "by": v.by, "score": v.score}
        for v in check.verdicts
        if v.verdict == "agrees"
    ]
    corroborated, single = [], []
    for k, fact in enumerate(check.facts):
        sources = check.fact_sources(fact)
        parts = check.fact_parts[k] if k < len(check.fact_parts) else {}
        lead = check.claim(fact[0])
        # A corroborated fact states only what its sources share: the shortest of the
        # statements matched across them; each source's own statement and sentence beside it.
        shared = min(parts.values(), key=len) if len(sources) > 1 and parts else lead.proposition
        sharer = next((cid for cid, part in parts.items() if part == shared), fact[0])
        speaker = statement_speaker(check.claim(sharer), shared) if len(sources) > 1 else None
        entry: dict[str, Any] = {
            "claims": fact,
            "text": shared,
            "speaker": speaker or (lead.speaker if len(sources) == 1 else "the sources"),
            "sources": [check.label(s) for s in sources],
            "n_sources": len(sources),
        }
        if len(sources) > 1:
            entry["statements"] = [
                {"claim": cid, "source": check.source_name(check.claim(cid)), "statement": part}
                for cid, part in parts.items()
            ]
        if len(sources) > 1:
            corroborated.append(entry)
        elif not any(c in disputed for c in fact):
            single.append(entry)
    corroborated.sort(key=lambda e: -e["n_sources"])
    flags = article_flags(check)
    people = []
    for name, entries in sorted(check.people.items()):
        titles = [
            {"title": e["title"], "claim": e["claim"], "source": check.outlet(e["article"])}
            for e in entries
        ]
        conflict = any(
            v.kind == "title" and v.extra.get("person") == name for v in check.verdicts
        ) or any(f["person"] == name for fl in flags.values() for f in fl["title_conflicts"])
        people.append({"name": name, "titles": titles, "conflict": conflict})
    related = sum(1 for v in check.verdicts if v.verdict == "related")
    model_verdicts = sorted(
        (
            {"claims": [v.a, v.b], "verdict": v.verdict, "reason": v.reason, **v.extra}
            for v in check.verdicts
            if v.by == "model"
        ),
        key=lambda m: -max(m.get("p_supported", 0.0), m.get("p_contradicted", 0.0)),
    )
    return {
        "id": check.story_id,
        "title": check.title,
        "independent_sources": sorted({check.label(s) for s in check.source_of.values()}),
        "claims": claims,
        "corroborated": corroborated,
        "conflicts": conflicts,
        "disputed": sorted(disputed),
        "agreements": agreements,
        "single_source": single,
        "actors": actors(check),
        "quantities": quantities_table(check),
        "people": people,
        "related_pairs": related,
        "model_verdicts": model_verdicts,
        "model": "entailment model used on related pairs" if check.model_used else "rules only",
        "article_flags": flags,
    }


def disputes(story: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The story's conflicts as a reader counts them, one per card: the verdicts that a
    person's title differs are one dispute per person, however many pairs of articles show
    it; every other conflict (a copy changing its original included) is one. Every count of
    "disputed claims" (the story list, the fact sheet's head, the terminal) is this length."""
    out: list[list[dict[str, Any]]] = []
    by_person: dict[str, list[dict[str, Any]]] = {}
    for v in story.get("conflicts", []):
        person = (v.get("detail") or {}).get("person")
        if v["kind"] == "title" and person:
            if person in by_person:
                by_person[person].append(v)
                continue
            by_person[person] = [v]
            out.append(by_person[person])
            continue
        out.append([v])
    return out


def disputed_count(story: dict[str, Any]) -> int:
    """How many disputed claims a story has: one per dispute card (``disputes``)."""
    return len(disputes(story))


# --- HTML ---------------------------------------------------------------------------------
def to_html(doc_story: dict[str, Any]) -> str:
    """A self-contained page (no external assets) for one story of the run document: the
    served story page's template (web/templates/sheet.html) with its stylesheet inline."""
    return to_html_many([doc_story])


def to_html_many(stories: list[dict[str, Any]]) -> str:
    """Several stories' fact sheets in one page (``run -o report.html``)."""
    from .web.pages import report_html  # the template set; loaded on the first page only

    return report_html(stories)


def _claims_by_id(sheet: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in sheet["claims"]}


def _article_names(doc_story: dict[str, Any]) -> dict[str, str]:
    """Each article as a reader names it: its outlet and headline."""
    return {
        a["id"]: f"{a.get('outlet') or 'Unnamed source'}, “{a.get('title') or 'untitled'}”"
        for a in doc_story["articles"]
    }


def _marked(text: str, marks: list[list[int]], before: str, after: str, esc: Any) -> str:
    """``text`` with the character spans in ``marks`` wrapped in ``before``/``after``."""
    out, pos = [], 0
    for start, end in sorted(marks):
        if start < pos or end > len(text):
            continue
        out += [esc(text[pos:start]), before, esc(text[start:end]), after]
        pos = end
    return "".join(out) + esc(text[pos:])


def cell(text: str, limit: int) -> str:
    """A table cell's text: whole, or cut at the last word boundary before ``limit`` with an
    ellipsis (never mid-word: "ready to hea")."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + " …"


def shown_speaker(c: dict[str, Any]) -> str:
    """Who a claim is by, as a reader sees it: the speaker, or for the outlet's own voice
    (``"speaker": null``) the outlet's name."""
    return str(c.get("speaker") or c.get("source") or "the article")


COPY_KINDS = {"exact": "word for word", "near": "with changes"}


def reach_lines(story: dict[str, Any]) -> tuple[str, list[tuple[str, list[str]]]]:
    """The story's reach in words: a line of counts, and per original its line and one line
    per outlet that republished it (shared by the HTML and Markdown renderings)."""
    r = story.get("reach") or {}
    n, k = r.get("articles", len(story["articles"])), r.get("independent_sources", 0)
    head = (
        f"{n} article{'s' if n != 1 else ''} from {k} independent source{'s' if k != 1 else ''}: "
        "a copy counts as one source with its original."
    )
    out = []
    for o in r.get("republished", []):
        when = f", {o['published'][:10]}" if o.get("published") else ""
        line = (
            f"{o.get('outlet') or 'unknown outlet'}{when}: “{o.get('title') or ''}” ({o['path']})"
        )
        copies = []
        for c in o["copies"]:
            kind = COPY_KINDS.get(c["kind"], c["kind"])
            if c["kind"] != "exact":
                kind += f", similarity {c['similarity']:.2f}"
            date = c["published"][:10] if c.get("published") else "undated"
            copies.append(f"{c.get('outlet') or 'unknown outlet'}, {date}, {kind} ({c['path']})")
        out.append((line, copies))
    return head, out


# --- Markdown -----------------------------------------------------------------------------
def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(doc_story: dict[str, Any]) -> str:
    s = doc_story
    by_id = _claims_by_id(s)
    lines = [f"# Fact sheet: {_md(s['title'])}", ""]
    by = "rules and a small learned model" if s["model"] != "rules only" else "rules"
    lines.append(f"{len(s['articles'])} articles · independent sources: "
                 f"{', '.join(s['independent_sources'])} · verdicts by {by}")  # fmt: skip
    lines.append("")
    for a in s["articles"]:
        if a.get("flags", {}).get("warning"):
            lines += [
                f"> **{_md(_article_names(s)[a['id']])}**: {_md(a['flags']['warning'])}",
                "",
            ]

    def cite(cid: str) -> str:
        c = by_id[cid]
        mark = " **[garbled: not used as evidence]**" if c.get("garbled") else ""
        return f"  - {_md(c['source'])}, {_md(shown_speaker(c))} ({STANCE_LABELS.get(c['stance'], c['stance'])}), sentence {c['sentence']}:{mark} “{_md(c['text'])}”"

    lines += ["## Corroborated", ""]
    for f in s["corroborated"]:
        lines.append(
            f"- **{_md(f['text'])}** ({f['n_sources']} sources: {', '.join(f['sources'])})"
        )
        lines += [cite(c) for c in f["claims"]]
    lines += ["", "## Conflicts", ""]
    for group in disputes(s):  # one entry per dispute, as on the page
        v = group[0]
        if v["kind"] == "drift":
            continue
        by = " *(model)*" if v["by"] == "model" else ""
        lines.append(f"- **{_md(v['kind'])}**{by}: {_md(v['reason'])}")
        cited = list(dict.fromkeys(c for x in group for c in x["claims"]))
        lines += [cite(c) for c in cited]
    drifts = [v for v in s["conflicts"] if v["kind"] == "drift"]
    if drifts:
        lines += ["", "## Where a copy departs from its original", ""]
    for v in drifts:
        d = v.get("detail", {})
        lines.append(f"- **{_md(d.get('drift', ''))}**: {_md(v['reason'])}")
        for role, cid, marks in zip(
            ("original", "copy"),
            v["claims"],
            [d.get("original_marks"), d.get("copy_marks")],
            strict=True,
        ):
            c = by_id[cid]
            text = _marked(c["text"], marks or [], "**", "**", _md)
            name = _article_names(s).get(c["article"], c["article"])
            lines.append(f"  - {role}, {_md(name)}, sentence {c['sentence']}: “{text}”")
    lines += ["", "## Single-source", ""]
    for f in s["single_source"]:
        c = by_id[f["claims"][0]]
        mark = " **[garbled]**" if c.get("garbled") else ""
        lines.append(f"- {_md(c['text'])}{mark} — {_md(f['sources'][0])}, {_md(shown_speaker(c))}")
    lines += [
        "",
        "## Who says what",
        "",
        "| actor | stance | claim | sources |",
        "|---|---|---|---|",
    ]
    for a in s["actors"]:
        stance = ", ".join(STANCE_LABELS.get(x, x) for x in a["stances"])
        said = "<br>".join(_md(cell(by_id[c]["proposition"], 140)) for c in a["claims"][:3])
        lines.append(f"| {_md(a['actor'])} | {stance} | {said} | {', '.join(a['sources'])} |")
    lines += [
        "",
        "## Figures",
        "",
        "| what | figure | hedge | stated by | sources | dates |",
        "|---|---|---|---|---|---|",
    ]
    for q in s["quantities"]:
        for f in q["figures"]:
            lines.append(
                f"| {_md(q['what'])} | {_md(f['text'])} | {f['hedge'].replace('_', ' ')} | {_md(', '.join(f['stated_by']))} | {', '.join(f['sources'])} | {', '.join(f.get('dates', []))} |"
            )
    lines += ["", "## People and titles", ""]
    for p in s["people"]:
        titles = "; ".join(f"{t['title']} ({t['source']})" for t in p["titles"]) or "—"
        lines.append(
            f"- {_md(p['name'])}{' **(conflicting titles)**' if p['conflict'] else ''}: {_md(titles)}"
        )
    head, originals = reach_lines(s)
    lines += ["", "## Who republished what", "", _md(head), ""]
    if not originals:
        lines.append("No article of this story is a copy of another.")
    for line, copies in originals:
        lines.append(f"- **{_md(line)}**, republished by:")
        lines += [f"  - {_md(c)}" for c in copies]
    lines += ["", "## Articles", ""]
    for a in s["articles"]:
        fl = a.get("flags", {})
        lines.append(
            f"- **{_md(a.get('outlet') or 'Unnamed source')}** — {_md(a.get('title') or '')}"
            + (f" ({_md(a['published'][:10])})" if a.get("published") else "")
        )
        if a.get("copy_of"):
            original = _article_names(s).get(a["copy_of"], "another article")
            lines.append(f"  - copy of {_md(original)}: counted as one source with it")
        for t in fl.get("title_conflicts", []):
            lines.append(f"  - {_md(t['text'])}")
        for u in fl.get("unintroduced_speakers", []):
            lines.append(f"  - {_md(u['text'])}")
        for g in fl.get("garbled", []):
            lines.append(f"  - garbled ({_md(g['reason'])}): “{_md(g['text'])}”")
    return "\n".join(lines) + "\n"


# --- ClaimReview --------------------------------------------------------------------------
#: Where the review of a claim lives when nothing else is said: the served article page
#: (``corroborator serve``), its sentence marked as disputed.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
REVIEWER = "corroborator"
#: What the other source's sentence shows, by kind of conflict (the rating's text).
EVIDENCE = {
    "quantity": "gives a different figure",
    "stance": "reports a different answer",
    "speaker": "attributes it to someone else",
    "polarity": "reports the opposite",
    "model": "contradicts it",
}
#: Nouns that name one person by role ("a hospital spokeswoman", "one of its representatives").
PERSON_ROLES = frozenset(
    """
adviser advisor aide ambassador analyst attorney author bishop captain chair chairman
chairwoman chancellor chief coach colonel commander commissioner correspondent deputy
detective diplomat director doctor driver economist editor employee envoy expert father
firefighter founder general governor head inspector journalist judge lawmaker lawyer leader
manager mayor member minister mother neighbor neighbour nurse officer official organiser
organizer owner pilot player premier president professor prosecutor queen king reporter
representative researcher resident scientist secretary senator sergeant skipper soldier
source spokesman spokesperson spokeswoman student survivor teacher victim witness worker
""".split()
)


def _speaker_type(c: dict[str, Any], people: set[str]) -> str:
    """Person or Organization, as the speaker is: a person named in the story (by full name
    or surname), one person by role ("a hospital spokeswoman", "one of its United Nations
    representatives"); otherwise a body (a company, an agency, "race officials", the outlet)."""
    speaker = (c.get("speaker") or "").strip()
    if not speaker:
        return "Organization"  # the outlet's own voice
    name = (c.get("speaker_canonical") or speaker).lower()
    if any(name == p or p.endswith(" " + name) or name.endswith(" " + p) for p in people):
        return "Person"
    words = speaker.lower().rstrip(".,").split()
    if words[:2] == ["one", "of"]:
        return "Person"
    head = words[-1] if words else ""
    return "Person" if head in PERSON_ROLES else "Organization"


def _date_with_zone(value: str | None) -> str | None:
    """An ISO date or date-time as schema.org reads it: a time without a zone is UTC."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(value) <= 10:
        return when.date().isoformat()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.isoformat()


def _content_conflicts(cid: str, story: dict[str, Any]) -> list[dict[str, Any]]:
    """The conflicts that dispute what a claim says, not only how it names someone: a
    person's title, a figure that changed from one day to the next, and an original changed
    by its copy (the copy is the one reviewed) are left out."""
    out = []
    for v in story["conflicts"]:
        if cid not in v["claims"]:
            continue
        detail = v.get("detail") or {}
        if v["kind"] == "title" or detail.get("over_time"):
            continue
        if v["kind"] == "drift" and (detail.get("drift") == "title" or v["claims"][0] == cid):
            continue
        out.append(v)
    return out


def to_claimreview(
    doc_story: dict[str, Any],
    *,
    author: str | None = None,
    base_url: str = DEFAULT_BASE_URL,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """schema.org ClaimReview items (JSON-LD) for each claim whose content is disputed.

    ``author``: the organisation that publishes the reviews (default: corroborator itself);
    ``base_url``: where the served pages are (``corroborator serve``): each review's ``url``
    is its sentence on the article's page there, which is also the appearance of a claim
    whose article has no web address."""
    s = doc_story
    by_id = _claims_by_id(s)
    number = {a["id"]: k + 1 for k, a in enumerate(s["articles"])}
    articles = {a["id"]: a for a in s["articles"]}
    base = base_url.rstrip("/")
    when = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    people = {p["name"].lower() for p in s.get("people", [])}
    people |= {p["name"].lower() for c in s["claims"] for p in c.get("people", [])}
    people |= {
        u["name"].lower()
        for a in s["articles"]
        for u in a.get("flags", {}).get("unintroduced_speakers", [])
    }
    out = []
    for cid in s["disputed"]:
        c = by_id[cid]
        conflicts = _content_conflicts(cid, s)
        if not conflicts:
            continue
        article = articles.get(c["article"], {})
        page = f"{base}/stories/{s['id']}/articles/{number.get(c['article'], 0)}"
        appearance: dict[str, Any] = {
            "@type": "NewsArticle",
            "url": web_address(article.get("url")) or page,
            "headline": article.get("title") or c["text"][:110],
        }
        if article.get("outlet"):
            appearance["publisher"] = {"@type": "Organization", "name": article["outlet"]}
        published = _date_with_zone(article.get("published"))
        if published:
            appearance["datePublished"] = published
        evidence, explained = [], []
        for v in conflicts:
            other = by_id[v["claims"][1] if v["claims"][0] == cid else v["claims"][0]]
            if v["kind"] == "drift":
                what = f"its original in {other['source']} says otherwise"
            else:
                what = f"{other['source']} {EVIDENCE.get(v['kind'], 'disagrees')}"
            if what not in evidence:
                evidence.append(what)
            explained.append(f"{other['source']}, sentence {other['sentence']}: "
                             f"“{other['text']}” ({v['reason']})")  # fmt: skip
        claimed: dict[str, Any] = {
            "@type": "Claim",
            "author": {"@type": _speaker_type(c, people), "name": shown_speaker(c)},
            "appearance": appearance,
        }
        if published:
            claimed["datePublished"] = published
        out.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{page}#s-{c['sentence']}",
            "datePublished": when,
            "author": {"@type": "Organization", "name": author or REVIEWER},
            "claimReviewed": c["text"],
            "itemReviewed": claimed,
            "reviewRating": {
                "@type": "Rating",
                "alternateName": "Disputed: " + "; ".join(evidence),
                "ratingExplanation": " ".join(explained),
            },
            "reviewBody": "; ".join(v["reason"] for v in conflicts),
        })  # fmt: skip
    return out


def web_address(url: str | None) -> str | None:
    """An article's address when it is one a reader can open (http or https); anything
    else (``javascript:``, a file path) is never made a link."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def render(doc_story: dict[str, Any], fmt: str, **review: Any) -> str:
    """The sheet in one format; ``review`` (``author``, ``base_url``) is for claimreview."""
    if fmt == "html":
        return to_html(doc_story)
    if fmt == "md":
        return to_markdown(doc_story)
    if fmt == "json":
        return json.dumps(doc_story, indent=2, ensure_ascii=False) + "\n"
    if fmt == "claimreview":
        return json.dumps(to_claimreview(doc_story, **review), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}: use html, md, json or claimreview")

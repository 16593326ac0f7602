"""The story fact sheet: one data structure (``story_sheet``), four renderings.

``story_sheet(check)`` turns a StoryCheck into plain JSON-ready data: claims with their
sentence offsets, corroborated facts, conflicts, single-source claims, the who-says-what
table, quantities, people and titles, and per-article flags. ``to_html``, ``to_markdown``
and ``to_claimreview`` render that data; none of them looks at anything else, so every
format says the same thing.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any

from .claims import claim_to_dict
from .crosscheck import StoryCheck, statement_speaker
from .tables import actors, article_flags, quantities_table

MODEL_PAIRS_SHOWN = 12  # the page lists the model's most confident readings; the JSON has all
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
        d = claim_to_dict(c)
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


# --- HTML ---------------------------------------------------------------------------------
CSS = """
:root{--ink:#1d232a;--muted:#5b6673;--line:#d9dee4;--ok:#1f7a3d;--bad:#b3261e;--warn:#8a5a00;--bg:#fafbfc}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid var(--line)}
.meta{color:var(--muted);font-size:.9rem}.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.75rem;margin:.6rem 0}
.ok{border-left:5px solid var(--ok)}.bad{border-left:5px solid var(--bad)}.warn{border-left:5px solid var(--warn)}
.badge{display:inline-block;font-size:.75rem;padding:0 .45rem;border-radius:999px;border:1px solid currentColor;margin-right:.3rem}
.b-ok{color:var(--ok)}.b-bad{color:var(--bad)}.b-warn{color:var(--warn)}.b-model{color:#5b3cc4}
blockquote{margin:.4rem 0;padding:.3rem .6rem;border-left:3px solid var(--line);background:var(--bg)}
.src{font-size:.8rem;color:var(--muted)}.pair{display:grid;grid-template-columns:1fr;gap:.5rem}
@media(min-width:700px){.pair{grid-template-columns:1fr 1fr}}
table{border-collapse:collapse;width:100%;font-size:.9rem;display:block;overflow-x:auto}th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
summary{cursor:pointer}.counts{display:flex;flex-wrap:wrap;gap:.5rem}.counts div{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.4rem .7rem}
"""


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _claims_by_id(sheet: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in sheet["claims"]}


def _article_names(doc_story: dict[str, Any]) -> dict[str, str]:
    return {
        a["id"]: f"{a.get('outlet') or 'unknown outlet'} ({a['id'][:8]})"
        for a in doc_story["articles"]
    }


def _garbled_badge(c: dict[str, Any]) -> str:
    if not c.get("garbled"):
        return ""
    return (
        f"<span class='badge b-warn' title='{e(c['garbled'])}'>garbled: not used as evidence</span>"
    )


def _marked(text: str, marks: list[list[int]], before: str, after: str, esc: Any) -> str:
    """``text`` with the character spans in ``marks`` wrapped in ``before``/``after``."""
    out, pos = [], 0
    for start, end in sorted(marks):
        if start < pos or end > len(text):
            continue
        out += [esc(text[pos:start]), before, esc(text[start:end]), after]
        pos = end
    return "".join(out) + esc(text[pos:])


def _cite(c: dict[str, Any], paths: dict[str, str], marks: list[list[int]] | None = None) -> str:
    where = f"{paths.get(c['article'], c['article'])} · sentence {c['sentence'] + 1} · chars {c['start']}–{c['end']}"
    text = _marked(c["text"], marks, "<mark>", "</mark>", e) if marks else e(c["text"])
    return (
        f"<blockquote id='c-{e(c['id'])}'>{_garbled_badge(c)}{text}</blockquote>"
        f"<div class='src'>{e(c['source'])} — {e(shown_speaker(c))}, {e(STANCE_LABELS.get(c['stance'], c['stance']))} · {e(where)}</div>"
    )


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


def _headline(c: dict[str, Any], story: dict[str, Any]) -> str:
    """A claim as a reader should see it: who says it, how, and what."""
    outlets = {a.get("outlet") for a in story["articles"]}
    if c["speaker"] is None or c["speaker"] in outlets or not c.get("cue"):
        return str(c["text"])
    verb = {"asserts": "says", "denies": "denies", "declines_to_confirm": "does not confirm",
            "no_comment": "has not commented", "calls_for": "calls for / warns"}[c["stance"]]  # fmt: skip
    if c["stance"] in ("declines_to_confirm", "no_comment"):
        return str(c["text"])
    return f"{c['speaker']} {verb}: {c['proposition']}"


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


def to_html(doc_story: dict[str, Any]) -> str:
    """A self-contained page (no external assets) for one story of the run document."""
    s = doc_story
    by_id = _claims_by_id(s)
    paths = {a["id"]: a["path"] for a in s["articles"]}
    out: list[str] = []
    w = out.append
    w("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>")
    w("<meta name='viewport' content='width=device-width, initial-scale=1'>")
    w(f"<title>Fact sheet: {e(s['title'])}</title><style>{CSS}</style></head><body><main>")
    w(f"<p class='meta'>corroborator fact sheet · story {e(s['id'])}</p><h1>{e(s['title'])}</h1>")
    n_art = len(s["articles"])
    w("<div class='counts'>")
    for label, value in [
        ("articles", n_art),
        ("independent sources", len(s["independent_sources"])),
        ("corroborated", len(s["corroborated"])),
        ("in conflict", len(s["conflicts"])),
        ("single-source", len(s["single_source"])),
    ]:
        w(f"<div><strong>{e(value)}</strong> {e(label)}</div>")
    w("</div>")
    w(f"<p class='meta'>Independent sources: {e(', '.join(s['independent_sources']))}. "
      "A republished or rewritten copy counts as one source with its original. "
      "<span class='badge b-model'>model</span> marks a verdict of the learned entailment model; "
      f"every other verdict is a rule's. ({e(s['model'])})</p>")  # fmt: skip

    warnings = [
        (a, a["flags"]["warning"]) for a in s["articles"] if a.get("flags", {}).get("warning")
    ]
    for a, text in warnings:
        w(
            f"<div class='card warn'><strong>{e(a.get('outlet') or 'An article')}</strong>: {e(text)}</div>"
        )

    w("<h2>What independent sources agree on</h2>")
    if not s["corroborated"]:
        w("<p class='meta'>Nothing is carried by two independent sources.</p>")
    for f in s["corroborated"]:
        w(f"<div class='card ok'><span class='badge b-ok'>corroborated · {f['n_sources']} sources</span>"
          f"<strong>{e(f['text'])}</strong><div class='src'>{e(', '.join(f['sources']))}</div>")  # fmt: skip
        w("<details><summary>each source's own words</summary>")
        statements = {x["claim"]: x["statement"] for x in f.get("statements", [])}
        for cid in f["claims"]:
            if cid in statements:
                w(f"<div class='src'>matched on: “{e(statements[cid])}”</div>")
            w(_cite(by_id[cid], paths))
        w("</details></div>")

    w("<h2>Where they conflict</h2>")
    drifts = [v for v in s["conflicts"] if v["kind"] == "drift"]
    if len(drifts) == len(s["conflicts"]):
        w("<p class='meta'>No conflict found between independent sources.</p>")
    for v in s["conflicts"]:
        if v["kind"] == "drift":
            continue
        badge = "<span class='badge b-model'>model</span>" if v["by"] == "model" else ""
        w(f"<div class='card bad'><span class='badge b-bad'>conflict · {e(v['kind'])}</span>{badge}"
          f"<strong>{e(v['reason'])}</strong><div class='pair'>")  # fmt: skip
        for cid in v["claims"]:
            w(f"<div>{_cite(by_id[cid], paths)}</div>")
        w("</div></div>")

    if drifts:
        w("<h2>Where a copy departs from its original</h2>")
        w("<p class='meta'>A copy counts as one source with its original; here it changes a fact "
          "of it. The changed words are marked: the original first, then the copy.</p>")  # fmt: skip
    for v in drifts:
        d = v.get("detail", {})
        w(f"<div class='card bad'><span class='badge b-bad'>copy drift · {e(d.get('drift', ''))}</span>"
          f"<strong>{e(v['reason'])}</strong><div class='pair'>")  # fmt: skip
        for role, cid, marks in zip(
            ("original", "copy"),
            v["claims"],
            [d.get("original_marks"), d.get("copy_marks")],
            strict=True,
        ):
            name = _article_names(s).get(by_id[cid]["article"], "")
            w(
                f"<div><span class='src'>{role}: {e(name)}</span>{_cite(by_id[cid], paths, marks)}</div>"
            )
        w("</div></div>")

    inside = [(a, t) for a in s["articles"] for t in a.get("flags", {}).get("title_conflicts", [])]
    if inside:
        w("<h3>Inside one article</h3>")
    for a, t in inside:
        w(f"<div class='card bad'><span class='badge b-bad'>conflict · title</span>"
          f"<strong>{e(a.get('outlet') or 'unknown outlet')}: {e(t['text'])}</strong><div class='pair'>")  # fmt: skip
        for cid in t["claims"]:
            c = by_id.get(cid)
            if c:
                w(f"<div>{_cite(c, paths)}</div>")
        w("</div></div>")

    judged = s.get("model_verdicts", [])
    if judged:
        w(f"<details><summary><span class='badge b-model'>model</span>{len(judged)} pairs the rules "
          "left open, as the entailment model reads them (most confident first)</summary>")  # fmt: skip
        for m in judged[:MODEL_PAIRS_SHOWN]:
            w(f"<div class='card'><span class='badge b-model'>model · {e(m['verdict'])}</span>"
              f"supported {m.get('p_supported', 0):.2f} · contradicted {m.get('p_contradicted', 0):.2f}"
              "<div class='pair'>")  # fmt: skip
            for cid in m["claims"]:
                w(f"<div>{_cite(by_id[cid], paths)}</div>")
            w("</div></div>")
        w("</details>")

    w("<h2>Resting on one source</h2>")
    if s["single_source"]:
        w("<details open><summary>"
          f"{len(s['single_source'])} claims carried by one source only</summary>")  # fmt: skip
        for f in s["single_source"]:
            c = by_id[f["claims"][0]]
            w(f"<div class='card'><span class='badge'>{e(f['sources'][0])}</span>{_garbled_badge(c)}{e(c['text'])}"
              f"<div class='src'>{e(shown_speaker(c))} · {e(STANCE_LABELS.get(c['stance'], c['stance']))} · sentence {c['sentence'] + 1}</div></div>")  # fmt: skip
        w("</details>")

    w(
        "<h2>Who says what</h2><table><tr><th>actor</th><th>stance</th><th>claims</th><th>sources</th></tr>"
    )
    for a in s["actors"]:
        texts = "<br>".join(e(cell(by_id[c]["proposition"], 160)) for c in a["claims"][:3])
        stances = ", ".join(STANCE_LABELS.get(x, x) for x in a["stances"])
        w(
            f"<tr><td>{e(a['actor'])}</td><td>{e(stances)}</td><td>{texts}</td><td>{e(', '.join(a['sources']))}</td></tr>"
        )
    w("</table>")

    w(
        "<h2>Figures</h2><table><tr><th>what is counted</th><th>figure</th><th>hedge</th><th>stated by</th><th>sources</th><th>dates</th></tr>"
    )
    for q in s["quantities"]:
        for f in q["figures"]:
            w(f"<tr><td>{e(q['what'])}</td><td>{e(f['text'])}</td><td>{e(f['hedge'].replace('_', ' '))}</td>"
              f"<td>{e(', '.join(f['stated_by']))}</td><td>{e(', '.join(f['sources']))}</td>"
              f"<td>{e(', '.join(f.get('dates', [])))}</td></tr>")  # fmt: skip
    w("</table>")

    w("<h2>People and their titles</h2><table><tr><th>person</th><th>titles given</th></tr>")
    for p in s["people"]:
        titles = (
            "<br>".join(
                f"{e(t['title'])} <span class='src'>({e(t['source'])})</span>" for t in p["titles"]
            )
            or "—"
        )
        mark = " <span class='badge b-bad'>conflicting titles</span>" if p["conflict"] else ""
        w(f"<tr><td>{e(p['name'])}{mark}</td><td>{titles}</td></tr>")
    w("</table>")

    head, originals = reach_lines(s)
    w(f"<h2>Who republished what</h2><p class='meta'>{e(head)}</p>")
    if not originals:
        w("<p class='meta'>No article of this story is a copy of another.</p>")
    for line, copies in originals:
        w(f"<div class='card'><strong>{e(line)}</strong><div class='src'>republished by:</div><ul>"
          + "".join(f"<li>{e(c)}</li>" for c in copies) + "</ul></div>")  # fmt: skip

    w("<h2>Articles</h2>")
    for a in s["articles"]:
        fl = a.get("flags", {})
        cls = "warn" if fl.get("rewrite_signs") else ""
        w(f"<div class='card {cls}'><strong>{e(a.get('outlet') or 'unknown outlet')}</strong> — {e(a.get('title') or '')}"
          f"<div class='src'>{e(a['path'])}{' · ' + e(a['published']) if a.get('published') else ''}</div>")  # fmt: skip
        if a.get("copy_of"):
            cp = a.get("copy", {})
            w(
                f"<p>Copy of {e(_article_names(s).get(a['copy_of'], a['copy_of']))} ({e(cp.get('kind', ''))}); counted as one source with it.</p>"
            )
            changed = [d for d in cp.get("departures", []) if d["kind"] == "numbers_changed"]
            for d in changed:
                w(f"<p class='src'>numbers changed: {e(d['detail'])}</p>")
        shares = fl.get("shares", {})
        if shares:
            w(f"<p class='src'>{shares['claims']} claims: {shares['corroborated']:.0%} corroborated, "
              f"{shares['single_source']:.0%} single-source, {shares['disputed']:.0%} disputed</p>")  # fmt: skip
        items = []
        items += [t["text"] for t in fl.get("title_conflicts", [])]
        items += [u["text"] for u in fl.get("unintroduced_speakers", [])]
        items += [
            f"same figure stated two ways: {' vs '.join(q['figures'])}"
            for q in fl.get("quantity_restated", [])
        ]
        if items:
            w("<ul>" + "".join(f"<li>{e(x)}</li>" for x in items) + "</ul>")
        garbled = fl.get("garbled", [])
        if garbled:
            w(f"<details><summary>{len(garbled)} sentences too garbled to trust</summary>")
            for g in garbled:
                w(f"<blockquote>{e(g['text'])}</blockquote><div class='src'>{e(g['reason'])}</div>")
            w("</details>")
        removed = [r for r in a.get("removed", [])]
        if removed:
            w(f"<details><summary>removed before reading ({len(removed)})</summary><ul>"
              + "".join(f"<li>{e(r['kind'])}: {e(r['text'])}</li>" for r in removed) + "</ul></details>")  # fmt: skip
        w("</div>")
    w(f"<p class='meta'>Generated by corroborator on {e(datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC'))}. "
      "Verdicts are produced by rules and, where marked, a small learned model: check the quoted sentences.</p>")  # fmt: skip
    w("</main></body></html>")
    return "\n".join(out)


def to_html_many(stories: list[dict[str, Any]]) -> str:
    """Several stories' fact sheets in one page (``run -o report.html``)."""
    if not stories:
        return (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>corroborator fact sheets</title><style>{CSS}</style></head><body><main>"
            "<h1>No stories</h1><p>This run read no article, so there is no fact sheet.</p>"
            "</main></body></html>"
        )
    if len(stories) == 1:
        return to_html(stories[0])
    pages = [to_html(s) for s in stories]
    bodies = [p.split("<main>", 1)[1].rsplit("</main>", 1)[0] for p in pages]
    head = pages[0].split("<main>", 1)[0] if pages else "<html><body>"
    toc = "".join(
        f"<li><a href='#s-{e(s['id'])}'>{e(s['title'])}</a> ({len(s['articles'])} articles)</li>"
        for s in stories
    )
    body = "".join(
        f"<section id='s-{e(s['id'])}'>{b}</section><hr>"
        for s, b in zip(stories, bodies, strict=True)
    )
    head = head.replace(
        f"<title>Fact sheet: {e(stories[0]['title'])}</title>",
        "<title>corroborator fact sheets</title>",
    )
    return f"{head}<main><h1>{len(stories)} stories</h1><ul>{toc}</ul>{body}</main></body></html>"


# --- Markdown -----------------------------------------------------------------------------
def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(doc_story: dict[str, Any]) -> str:
    s = doc_story
    by_id = _claims_by_id(s)
    lines = [f"# Fact sheet: {_md(s['title'])}", ""]
    lines.append(f"Story `{s['id']}` · {len(s['articles'])} articles · independent sources: "
                 f"{', '.join(s['independent_sources'])} · {s['model']}")  # fmt: skip
    lines.append("")
    for a in s["articles"]:
        if a.get("flags", {}).get("warning"):
            lines += [
                f"> **{_md(a.get('outlet') or 'An article')}**: {_md(a['flags']['warning'])}",
                "",
            ]

    def cite(cid: str) -> str:
        c = by_id[cid]
        mark = " **[garbled: not used as evidence]**" if c.get("garbled") else ""
        return f"  - {_md(c['source'])}, {_md(shown_speaker(c))} ({STANCE_LABELS.get(c['stance'], c['stance'])}), sentence {c['sentence'] + 1}, chars {c['start']}-{c['end']}:{mark} “{_md(c['text'])}”"

    lines += ["## Corroborated", ""]
    for f in s["corroborated"]:
        lines.append(
            f"- **{_md(f['text'])}** ({f['n_sources']} sources: {', '.join(f['sources'])})"
        )
        lines += [cite(c) for c in f["claims"]]
    lines += ["", "## Conflicts", ""]
    for v in s["conflicts"]:
        if v["kind"] == "drift":
            continue
        by = " *(model)*" if v["by"] == "model" else ""
        lines.append(f"- **{_md(v['kind'])}**{by}: {_md(v['reason'])}")
        lines += [cite(c) for c in v["claims"]]
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
            lines.append(f"  - {role}, {_md(name)}, sentence {c['sentence'] + 1}: “{text}”")
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
            f"- **{_md(a.get('outlet') or 'unknown outlet')}** — {_md(a.get('title') or '')} (`{_md(a['path'])}`)"
        )
        if a.get("copy_of"):
            lines.append(f"  - copy of `{a['copy_of']}`: counted as one source with it")
        for t in fl.get("title_conflicts", []):
            lines.append(f"  - {_md(t['text'])}")
        for u in fl.get("unintroduced_speakers", []):
            lines.append(f"  - {_md(u['text'])}")
        for g in fl.get("garbled", []):
            lines.append(f"  - garbled ({_md(g['reason'])}): “{_md(g['text'])}”")
    return "\n".join(lines) + "\n"


# --- ClaimReview --------------------------------------------------------------------------
def to_claimreview(doc_story: dict[str, Any]) -> list[dict[str, Any]]:
    """schema.org ClaimReview items (JSON-LD) for each disputed claim."""
    by_id = _claims_by_id(doc_story)
    articles = {a["id"]: a for a in doc_story["articles"]}
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    out = []
    for cid in doc_story["disputed"]:
        c = by_id[cid]
        mine = [v for v in doc_story["conflicts"] if cid in v["claims"]]
        reasons = [v["reason"] for v in mine]
        drift = all(v["kind"] == "drift" for v in mine)
        if drift and all(v["claims"][0] == cid for v in mine):
            continue  # an original is not disputed by a copy that changed it
        rating = (
            "A copy that changes its original"
            if drift
            else "Disputed by another independent source"
        )
        article = articles.get(c["article"], {})
        appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": article.get("title")}
        if article.get("url"):
            appearance["url"] = article["url"]
        if article.get("published"):
            appearance["datePublished"] = article["published"]
        out.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "datePublished": today,
            "claimReviewed": c["text"],
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": _author_type(c), "name": shown_speaker(c)},
                "appearance": appearance,
            },
            "author": {"@type": "Organization", "name": "corroborator"},
            "reviewRating": {
                "@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                "alternateName": rating,
            },
            "reviewBody": "; ".join(reasons),
        })  # fmt: skip
    return out


def _author_type(c: dict[str, Any]) -> str:
    """Person when the speaker is one of the people the sentence names, else Organization."""
    names = {p["name"].lower() for p in c.get("people", [])}
    return "Person" if c.get("speaker_canonical", "").lower() in names else "Organization"


def render(doc_story: dict[str, Any], fmt: str) -> str:
    if fmt == "html":
        return to_html(doc_story)
    if fmt == "md":
        return to_markdown(doc_story)
    if fmt == "json":
        return json.dumps(doc_story, indent=2, ensure_ascii=False) + "\n"
    if fmt == "claimreview":
        return json.dumps(to_claimreview(doc_story), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}: use html, md, json or claimreview")

"""The fact sheet's tables, read off a cross-checked story (crosscheck.StoryCheck).

- ``actors``: who says what, one row per speaker, short names folded into the fullest;
- ``quantities_table``: every figure of the originals, what it counts, who states it, when;
- ``article_flags``: what is wrong inside each article (a person given two titles, a speaker
  never introduced, garbled sentences, one thing counted two ways, marks of a rewrite).

These are views for a reader; no verdict between sources is made here (crosscheck.py).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from .claims import (
    NATIONAL_BODIES,
    ROLE_NOUNS,
    canonical,
    garbled_json,
    sentence_number,
    titles_conflict,
    unit_class,
)
from .clean import article_date
from .crosscheck import StoryCheck, compare_quantities, counted_figures
from .records import Article, Quantity
from .text import words


def article_flags(check: StoryCheck) -> dict[str, dict[str, Any]]:
    """Each article's own marks, by article id."""
    disputed = check.disputed_ids()
    corroborated = {cid for f in check.facts if len(check.fact_sources(f)) > 1 for cid in f}
    return {a.id: _flags(check, a, corroborated, disputed) for a in check.articles}


def _flags(
    check: StoryCheck, article: Article, corroborated: set[str], disputed: set[str]
) -> dict[str, Any]:
    ac = check.article_claims[article.id]
    link = check.copies.get(article.id)
    flags: dict[str, Any] = {"copy_of": link.original_id if link else None}
    if link:
        flags["copy"] = {"kind": link.kind, "departures": len(link.departures),
                         "numbers_changed": [d.detail for d in link.departures if d.kind == "numbers_changed"]}  # fmt: skip
    # One person, two incompatible titles
    titles: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for c in ac.claims:
        for p in c.people:
            if p.title:
                titles[p.name].append((p.title, c.id))
    conflicts = []
    for name, items in titles.items():
        for k, (t1, c1) in enumerate(items):
            for t2, c2 in items[k + 1 :]:
                if titles_conflict(t1, t2):
                    conflicts.append({"person": name, "titles": [t1, t2], "claims": [c1, c2],
                                      "text": f"{name} is \"{t1}\" and later \"{t2}\""})  # fmt: skip
    flags["title_conflicts"] = conflicts
    flags["unintroduced_speakers"] = [
        {"name": name, "sentence": sentence_number(s), "claim": f"{article.id}:{s}",
         "text": f"\"{name}\" is quoted but never introduced by full name or role"}
        for s, name in ac.unintroduced
    ]  # fmt: skip
    flags["garbled"] = [
        {k: v for k, v in garbled_json(g).items() if k in ("sentence", "text", "reason")}
        for g in ac.garbled
    ]
    # The same thing counted two ways inside the article
    restated = []
    figures: dict[str, list[tuple[Quantity, str]]] = defaultdict(list)
    for c in ac.claims:
        for q in counted_figures(c):
            figures[unit_class(q.unit)].append((q, c.id))
    for unit, counted in figures.items():
        for k, (q1, c1) in enumerate(counted):
            for q2, c2 in counted[k + 1 :]:
                if (
                    c1 != c2
                    and compare_quantities(q1, q2) == "conflicts"
                    and q1.hedge == q2.hedge == "exact"
                ):
                    if _close(check, c1, c2):
                        restated.append(
                            {"unit": unit, "figures": [q1.text, q2.text], "claims": [c1, c2]}
                        )
    flags["quantity_restated"] = restated
    n = len(ac.claims) or 1
    ids = [c.id for c in ac.claims]
    flags["shares"] = {
        "claims": len(ac.claims),
        "corroborated": round(sum(i in corroborated for i in ids) / n, 3),
        "single_source": round(
            sum(i not in corroborated and i not in disputed for i in ids) / n, 3
        ),
        "disputed": round(sum(i in disputed for i in ids) / n, 3),
    }
    signs = []
    if conflicts:
        signs.append("a person given incompatible titles")
    if flags["unintroduced_speakers"]:
        signs.append("a speaker never introduced")
    if len(ac.garbled) >= 2:
        signs.append(f"{len(ac.garbled)} garbled sentences")
    if link and link.kind == "near":
        signs.append("a reworded copy of another article")
    flags["rewrite_signs"] = signs
    if len(signs) >= 2:
        flags["warning"] = (
            "This article shows marks of a machine-rewritten copy ("
            + ", ".join(signs)
            + "): treat its single-source claims with less trust."
        )
    return flags


def _close(check: StoryCheck, c1: str, c2: str) -> bool:
    a, b = set(words(check.claim(c1).proposition)), set(words(check.claim(c2).proposition))
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= 0.4


def actors(check: StoryCheck) -> list[dict[str, Any]]:
    """The who-says-what table: one row per speaker (the outlet's own voice left out)."""
    rows: dict[str, dict[str, Any]] = {}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for c in check.original_claims():
        if c.speaker is None:  # the outlet's own voice
            continue
        row = rows.setdefault(c.speaker_canonical, {"actor": "", "canonical": c.speaker_canonical,
                                                   "stances": [], "claims": [], "sources": []})  # fmt: skip
        names[c.speaker_canonical][c.speaker] += 1
        # the speaker's own other verbs in the sentence ("denied ..., then declined to
        # comment") are stances of the same row
        own = [a.stance for a in c.attributions if a.speaker_canonical == c.speaker_canonical]
        for stance in (c.stance, *own):
            if stance not in row["stances"]:
                row["stances"].append(stance)
        check.cite(row, c)
    merges = _actor_merges(list(rows))
    merges.update(_role_merges(check, list(rows), merges))
    countries = _country_merges(list(rows), merges)
    merges.update(countries)
    # a country and who speaks for it are named together: "Russia / Georgiy Zinoviev"
    also = {short: names[short].most_common(1)[0][0] for short in countries}
    for short, fuller in merges.items():
        row, into = rows.pop(short), rows[fuller]
        names[fuller].update(names[short])
        into["stances"] += [x for x in row["stances"] if x not in into["stances"]]
        into["claims"] += row["claims"]
        into["sources"] += [x for x in row["sources"] if x not in into["sources"]]
    for key, row in rows.items():
        # the fullest way the sources name the actor: "Georgiy Zinoviev", not "Zinoviev"
        # ("a North Korean representative" rather than "one of its United Nations representatives")
        said = [n for n, _ in names[key].most_common()]
        plain = [n for n in said if not _POSSESSIVE_PRONOUNS & set(n.lower().split())]
        person = next((p for p in check.people if canonical(p) == key), None)
        named = [n for n in plain if key in canonical(n)] or ([person] if person else plain)
        row["actor"] = (named or [n for n in said if key in canonical(n)] or said)[0]
        for short, country in countries.items():
            if country == key:  # the country first, then its body or its ambassador
                body = short.startswith(key)  # "south korea's national security council"
                pair = (row["actor"], also[short]) if body else (also[short], row["actor"])
                row["actor"] = " / ".join(pair)
    return sorted(rows.values(), key=lambda r: (-len(r["sources"]), -len(r["claims"]), r["actor"]))


_POSSESSIVE_PRONOUNS = frozenset({"its", "his", "her", "their", "our"})


def _role_merges(check: StoryCheck, keys: list[str], merges: dict[str, str]) -> dict[str, str]:
    """A role with no name ("russia's ambassador", as one article calls him) folds into the
    one person of the story whom a source gives that role as a title (Georgiy Zinoviev);
    never when two people hold it."""
    out: dict[str, str] = {}
    for key in keys:
        words = key.replace("'s ", " ").split()
        role = ROLE_NOUNS.get(words[-1]) if words else None
        if role is None or key in merges or len(words) > 4:
            continue
        holders = {
            canonical(name)
            for name, entries in check.people.items()
            if any(
                ROLE_NOUNS.get(w) == role
                for e in entries
                for w in re.findall(r"[a-z]+", (e.get("title") or "").lower())
            )
        }
        if len(holders) == 1 and (only := holders.pop()) in keys and only not in merges | {key: ""}:
            out[key] = only
    return out


def _country_merges(keys: list[str], merges: dict[str, str]) -> dict[str, str]:
    """A country and who speaks for it as one actor: its executive bodies ("south korea's
    national security council" folds into "south korea"), and the country into the one
    person its ambassador is ("russia" into "georgiy zinoviev", where "russia's ambassador"
    folded into him). Agencies, the military and the media stay actors of their own."""
    out: dict[str, str] = {}
    for key in keys:
        if key in merges:
            continue
        for owner in keys:
            rest = key.removeprefix(owner + "'s ").removeprefix(owner + " ")
            if owner != key and owner not in merges and rest != key and rest.split():
                if rest.split()[-1] in NATIONAL_BODIES and len(rest.split()) <= 3:
                    out[key] = owner
    for short, person in merges.items():
        words = short.replace("'s ", " 's ").split()
        if "'s" in words and ROLE_NOUNS.get(words[words.index("'s") + 1]) == "ambassador":
            country = " ".join(words[: words.index("'s")])
            if country in keys and country not in merges and country not in out.values():
                out[country] = merges.get(person, person)
    return out


def _actor_merges(keys: list[str]) -> dict[str, str]:
    """Speakers to fold into a fuller name of the same actor: {short key: full key}.

    "the representative" and "north korea representative" fold into "north korea's united
    nations representative": same head noun, and every word of the shorter is in the
    fuller. Only when exactly one fullest candidate remains (an ambiguous "the minister"
    among two ministers stays apart).
    """
    words = {k: [w.removesuffix("'s") for w in k.split()] for k in keys}
    keys = [k for k in keys if words[k]]  # a speaker key of no words (punctuation) folds nowhere
    merges: dict[str, str] = {}
    for short in keys:
        ws = set(words[short])
        fuller = [
            k
            for k in keys
            if k != short and words[k][-1] == words[short][-1] and ws < set(words[k])
        ]
        # keep the fullest: drop candidates that are themselves contained in another one
        fullest = [k for k in fuller if not any(set(words[k]) < set(words[o]) for o in fuller)]
        if len(fullest) == 1:
            merges[short] = fullest[0]
    return merges


def quantities_table(check: StoryCheck) -> list[dict[str, Any]]:
    """Every figure of the originals: what is counted (figures with no counted noun under
    "other figures"), its hedge, who states it, in which sources and on which dates."""
    table: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    articles = {a.id: a for a in check.articles}
    for c in check.original_claims():
        for q in c.quantities:
            what = (
                unit_class(q.unit) if q.unit and not q.unit.startswith("of ") else "other figures"
            )
            key = f"{q.hedge}:{q.value:g}" if what != "other figures" else q.text.lower()
            fig = table[what].setdefault(key, {"value": q.value, "text": q.text,
                                               "hedge": q.hedge, "stated_by": [],
                                               "claims": [], "sources": [], "dates": []})  # fmt: skip
            said = c.speaker or check.outlet(c.article_id)
            if said not in fig["stated_by"]:
                fig["stated_by"].append(said)
            dated = article_date(articles[c.article_id])
            if dated and dated[1] not in fig["dates"]:
                fig["dates"].append(dated[1])
            check.cite(fig, c)
    out: list[dict[str, Any]] = []
    for unit, figs in table.items():
        out.append({"what": unit, "figures": sorted(figs.values(), key=lambda f: f["value"])})
    out.sort(key=lambda r: -sum(len(f["sources"]) for f in r["figures"]))
    return out

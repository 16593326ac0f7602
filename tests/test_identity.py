"""Identity by input (identity.py): a republication is its own article, linked as a copy.

The texts are invented for these tests: a wire story about a ferry that runs aground, its
word-for-word republications, and a rewritten (near) copy.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest

from corroborator import documents
from corroborator.clean import clean
from corroborator.factsheet import to_html, to_markdown
from corroborator.identity import KnownInput, file_part, identify, location, same_input
from corroborator.pipeline import Options, Pipeline
from corroborator.records import RawDocument
from corroborator.store import open_store

TITLE = "Ferry runs aground in Kelby Sound, 31 passengers taken off"
PARAGRAPHS = [
    "KELBY, May 2 (Northwind Wire) - The passenger ferry Morven Star ran aground on a sandbank"
    " in Kelby Sound early on Saturday, and coastguard crews took all 31 passengers off the"
    " stranded vessel, the regional coastguard said.",
    "Coastguard spokesman Arvid Holm said the ferry left Kelby harbour at 6.10 a.m. and struck"
    " the bank about twenty minutes later in thick fog.",
    "Two passengers were treated for minor injuries at the scene, Holm said, and nobody was"
    " taken to hospital.",
    "The operator, Sound Link Ferries, said in a statement that the crossing had been cleared to"
    " sail and that it would cooperate fully with investigators.",
    "The maritime safety board said it had opened an inquiry into the grounding.",
    "Salvage tugs are expected to try to refloat the Morven Star at high tide on Sunday afternoon.",
]
WIRE = "\n\n".join(PARAGRAPHS)
# A rewrite: no dateline, some words swapped, one figure changed, one sentence added.
NEAR = (
    "Ferry stuck on sandbank in Kelby Sound\n\n"
    "The passenger ferry Morven Star ran aground on a sandbank in Kelby Sound early on"
    " Saturday, and coastguard teams took all 31 travellers off the stranded ship, the regional"
    " coastguard said.\n\n"
    "Coastguard spokesman Arvid Holm said the ferry left Kelby harbour at 6.10 a.m. and hit the"
    " bank about twenty minutes later in heavy fog.\n\n"
    "Three passengers were treated for minor injuries at the scene, Holm said, and nobody was"
    " taken to hospital.\n\n"
    "The operator, Sound Link Ferries, said in a statement that the crossing had been cleared to"
    " sail and that it would cooperate fully with investigators.\n\n"
    "The maritime safety board said it had opened an inquiry into the grounding.\n\n"
    "Salvage tugs are expected to try to refloat the Morven Star at high tide on Sunday"
    " afternoon.\n\n"
    "Islanders gathered on the pier to watch the rescue.\n"
)
GAZETTE_HTML = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
    f"<title>{TITLE} - Kelda Gazette</title>"
    "<meta property='og:site_name' content='Kelda Gazette'>"
    f"<meta property='og:title' content='{TITLE}'>"
    "<meta property='article:published_time' content='2026-05-03T06:00:00Z'>"
    "</head><body><nav>Home | News | Sport</nav>"
    f"<article><h1>{TITLE}</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>Share this article</footer></body></html>"
)


def line(**record: str) -> str:
    return json.dumps({"title": TITLE, "text": WIRE} | record) + "\n"


def wire_corpus(folder: Path) -> Path:
    """The wire's own story (a JSONL line), two word-for-word republications by other outlets
    (a JSONL line, an HTML file) and a near copy (a text file)."""
    feeds = folder / "feeds"
    pages = folder / "pages"
    feeds.mkdir(parents=True)
    pages.mkdir()
    (feeds / "northwind.jsonl").write_text(
        line(
            url="https://northwind.example/2026/05/02/ferry-aground",
            outlet="Northwind Wire",
            published="2026-05-02T07:30:00Z",
        )
    )
    (feeds / "ledger.jsonl").write_text(
        line(outlet="Coastal Ledger", published="2026-05-02T10:15:00Z")
    )
    (pages / "kelda-gazette.html").write_text(GAZETTE_HTML)
    (pages / "rewrite.txt").write_text(NEAR)
    return folder


def pipeline(db: str) -> Pipeline:
    return Pipeline(open_store(db), Options(use_model=False))


def articles_table(db: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT id, source, outlet, published FROM articles ORDER BY id").fetchall()
    conn.close()
    return rows


def test_identity_wire_story_republished_word_for_word_and_near(tmp_path: Path) -> None:
    """The issue's "Done when": four articles, three copies linked to the one original (two
    exact, one near), one independent source, the reach on the fact sheet; again: nothing."""
    corpus = wire_corpus(tmp_path / "in")
    db = str(tmp_path / "news.db")
    p = pipeline(db)
    report = p.run([str(corpus)])
    assert (report.read, report.new, report.duplicates) == (4, 4, 0)
    assert report.copies == 3
    store = p.store
    by_outlet = {a.outlet or "unknown": a for a in store.articles()}
    assert set(by_outlet) == {"Northwind Wire", "Coastal Ledger", "Kelda Gazette", "unknown"}
    original = by_outlet["Northwind Wire"]
    links = store.copies()
    assert original.id not in links
    kinds = {
        by_outlet_name: links[a.id].kind for by_outlet_name, a in by_outlet.items() if a.id in links
    }
    assert kinds == {"Coastal Ledger": "exact", "Kelda Gazette": "exact", "unknown": "near"}
    assert {link.original_id for link in links.values()} == {original.id}
    assert len(report.stories) == 1

    checks = p.check_stories(report.stories, report)
    doc = documents.stories_document(store, report.stories, report, checks)
    (story,) = doc["stories"]
    assert story["independent_sources"] == ["Northwind Wire"]
    reach = story["reach"]
    assert (reach["articles"], reach["independent_sources"]) == (4, 1)
    (republished,) = reach["republished"]
    assert republished["original"] == original.id and republished["outlet"] == "Northwind Wire"
    got = [(c["outlet"], (c["published"] or "")[:10], c["kind"]) for c in republished["copies"]]
    assert got == [
        ("Coastal Ledger", "2026-05-02", "exact"),
        ("Kelda Gazette", "2026-05-03", "exact"),
        (None, "", "near"),
    ]
    entries = {a["outlet"]: a for a in story["articles"]}
    assert entries["Coastal Ledger"]["copy"]["kind"] == "exact"
    assert entries["Kelda Gazette"]["path"].endswith("kelda-gazette.html")

    page = to_html(story)
    assert "Who republished what" in page
    assert "4 articles from 1 independent source" in page
    reach = re.sub(r"<[^>]+>", "", page.split('reach">')[1].split("</section>")[0])
    assert "Coastal Ledger, 2026-05-02, word for word" in reach
    assert "Kelda Gazette, 2026-05-03, word for word" in reach
    assert re.search(r"Unnamed source[^\n]*, date not given, with changes", reach)
    md = to_markdown(story)
    assert "## Who republished what" in md and "Coastal Ledger, 2026-05-02, word for word" in md

    before = articles_table(db)
    again = p.run([str(corpus)])
    assert (again.new, again.duplicates, again.processed, again.copies) == (0, 4, 0, 0)
    assert articles_table(db) == before


def test_identity_same_text_from_two_files_is_two_articles(tmp_path: Path) -> None:
    """Two plain files with the same words (no outlet, no URL: the text alone cannot tell
    them apart) are two articles, the second an exact copy; reading either again, by another
    path to the same file, adds nothing."""
    for folder in ("wire", "gazette"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{folder}-ferry.txt").write_text(TITLE + "\n\n" + WIRE + "\n")
    db = str(tmp_path / "news.db")
    p = pipeline(db)
    report = p.run([str(tmp_path / "wire"), str(tmp_path / "gazette")])
    assert (report.new, report.duplicates, report.copies) == (2, 0, 1)
    first, second = p.store.articles()
    assert first.source.endswith("wire-ferry.txt") and second.source.endswith("gazette-ferry.txt")
    assert first.text == second.text and first.id != second.id
    link = p.store.copies()[second.id]
    assert (link.original_id, link.kind) == (first.id, "exact")

    before = articles_table(db)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:  # relative paths this time, and one file named through "..": the same inputs
        again = p.run(["gazette", "wire/../wire/wire-ferry.txt"])
    finally:
        os.chdir(cwd)
    assert (again.new, again.duplicates) == (0, 2)
    assert articles_table(db) == before


def test_identity_jsonl_lines_of_one_outlet_in_two_files(tmp_path: Path) -> None:
    """The same line (same outlet, no URL) in two JSONL files: two inputs, two articles; a
    line that moves within its file is the same input; the same URL in another file is
    the same page."""
    (tmp_path / "a.jsonl").write_text(line(outlet="Coastal Ledger"))
    (tmp_path / "b.jsonl").write_text(line(outlet="Other") + line(outlet="Coastal Ledger"))
    db = str(tmp_path / "news.db")
    p = pipeline(db)
    report = p.ingest([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")])
    assert (report.new, report.duplicates) == (3, 0)
    (tmp_path / "a.jsonl").write_text(line(outlet="Other") + line(outlet="Coastal Ledger"))
    again = p.ingest([str(tmp_path / "a.jsonl")])  # the Ledger line is now a.jsonl#2
    assert again.new == 1 and again.duplicates == 1  # "Other" is new in a.jsonl

    url = "https://ledger.example/ferry"
    (tmp_path / "c.jsonl").write_text(line(outlet="Coastal Ledger", url=url))
    (tmp_path / "d.jsonl").write_text(line(outlet="Coastal Ledger", url=url))
    pages = p.ingest([str(tmp_path / "c.jsonl"), str(tmp_path / "d.jsonl")])
    assert (pages.new, pages.duplicates) == (1, 1)


def test_identity_rules() -> None:
    """The same-input rules on their own (identity.same_input)."""
    doc = clean(RawDocument("/news/a.txt", WIRE, "txt"))
    here = location("/news/a.txt")
    assert identify(doc, here, []) == (doc.id, True)
    mine = KnownInput(doc.id, None, "/news/a.txt", here)
    assert identify(doc, here, [mine]) == (doc.id, False)
    other = KnownInput(doc.id, None, "/elsewhere/b.txt", "/elsewhere/b.txt")
    new_id, new = identify(doc, here, [other])
    assert new and new_id not in (doc.id, "") and len(new_id) == 16
    assert identify(doc, here, [other]) == (new_id, True)  # stable: the same input, same id
    # the file read before is gone and this one has its name: a moved folder, a paste again
    assert same_input(doc, here, KnownInput(doc.id, None, "/gone/a.txt", "/gone/a.txt"))
    assert file_part("feed.xml#12", "feed") == "feed.xml" and file_part("a.txt", "txt") == "a.txt"
    web = clean(RawDocument("x.jsonl#3", WIRE, "jsonl", url="https://n.example/a"))
    assert same_input(web, location("x.jsonl#3", "jsonl"), other)  # a URL is one page


@pytest.mark.parametrize("order", [("wire", "gazette"), ("gazette", "wire")])
def test_identity_original_is_the_wires_own_whatever_the_order(
    tmp_path: Path, order: tuple[str, str]
) -> None:
    """The wire's own article is the original even when read after its republication."""
    files = {
        "wire": line(url="https://northwind.example/f", outlet="Northwind Wire",
                     published="2026-05-02T09:00:00Z"),
        "gazette": line(outlet="Kelda Gazette", published="2026-05-02T08:00:00Z"),
    }  # fmt: skip
    for k, name in enumerate(order):
        (tmp_path / f"{k}-{name}.jsonl").write_text(files[name])
    p = pipeline(str(tmp_path / "news.db"))
    p.run([str(tmp_path)])
    (link,) = p.store.copies().values()
    assert p.store.article(link.original_id).outlet == "Northwind Wire"
    assert p.store.article(link.article_id).outlet == "Kelda Gazette"


def test_identity_a_file_edited_to_another_files_text(tmp_path: Path) -> None:
    """A file edited to carry another file's text is a new article once, then a duplicate."""
    (tmp_path / "a.txt").write_text(TITLE + "\n\n" + WIRE + "\n")
    (tmp_path / "b.txt").write_text("Harbour notes\n\n" + NEAR)
    p = pipeline(str(tmp_path / "news.db"))
    assert p.ingest([str(tmp_path)]).new == 2
    (tmp_path / "b.txt").write_text(TITLE + "\n\n" + WIRE + "\n")
    assert p.ingest([str(tmp_path / "b.txt")]).new == 1
    again = p.ingest([str(tmp_path)])
    assert (again.new, again.duplicates) == (0, 2)

"""The web app (web/app.py, web/views.py) through FastAPI's test client: every route, the
search, the JSON, and hostile article text shown as text."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import corroborator

from .conftest import REPO

testclient = pytest.importorskip("fastapi.testclient", reason="fastapi not installed")


@pytest.fixture(scope="module")
def client(web_app: Any) -> Any:
    return testclient.TestClient(web_app)


@pytest.fixture(scope="module")
def doc(web_db: Path) -> dict[str, Any]:
    """The same database's fact sheets, read by the library itself."""
    return corroborator.fact_sheets(web_db, use_model=False)


def story_by(doc: dict[str, Any], word: str) -> dict[str, Any]:
    (story,) = [s for s in doc["stories"] if word in s["title"]]
    return story


def titles_on(page: str) -> list[str]:
    return re.findall(r"<a class=\"title\" href=\"/stories/\w+\">([^<]*)</a>", page)


def test_web_story_list_shows_every_story_with_its_counts(client: Any, doc: Any) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert len(titles_on(r.text)) == len(doc["stories"]) == 4
    api = client.get("/api/stories").json()["stories"]
    for s, line in zip(doc["stories"], api, strict=True):
        assert line["id"] == s["id"]
        assert line["articles"] == len(s["articles"])
        assert line["independent_sources"] == len(s["independent_sources"])
        assert (line["disputed_claims"] > 0) == bool(s["disputed"])  # counted by card: below
    fire = next(line for line in api if "Port Selden" in line["title"])
    assert (fire["articles"], fire["independent_sources"]) == (5, 3)
    assert fire["disputed_claims"] > 0
    assert f"<strong>{fire['disputed_claims']}</strong> disputed claims" in r.text


def test_web_story_list_counts_the_disputed_cards_of_the_story_page(client: Any, doc: Any) -> None:
    """One number, one wording: the list's disputed claims are the story page's dispute cards
    (one per conflict: a person's title once, however many pairs of articles differ on it)."""
    listing = client.get("/").text
    seen = 0
    for line in client.get("/api/stories").json()["stories"]:
        page = client.get(f"/stories/{line['id']}").text
        cards = 0
        for section in ("disputed", "copies"):  # between sources, and a copy changing its original
            if f'<section id="{section}">' in page:
                body = page.split(f'<section id="{section}">')[1].split("</section>")[0]
                cards += body.count('<div class="card bad')
        n = line["disputed_claims"]
        said = f"<strong>{n}</strong> disputed {'claim' if n == 1 else 'claims'}</span>"
        assert n == cards and said in page, line["title"]
        item = listing.split(f'href="/stories/{line["id"]}"')[1].split("</li>")[0]
        assert said in item
        seen += cards
    assert seen >= 3


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("regatta", ["Selden Sailing Club"]),  # a title
        ("moreau", ["Port Selden"]),  # a person named in the claims
        ("Marlow Post", ["Marlow"]),  # an outlet
        ("global wire", ["Port Selden", "Nordmark"]),
        ("nothing-like-this", []),
    ],
)
def test_web_search_finds_titles_names_and_outlets(
    client: Any, q: str, expected: list[str]
) -> None:
    found = [s["title"] for s in client.get("/api/stories", params={"q": q}).json()["stories"]]
    assert len(found) == len(expected)
    assert all(any(word in t for t in found) for word in expected)
    page = client.get("/", params={"q": q}).text
    assert len(titles_on(page)) == len(expected)
    assert f"{len(expected)} of 4 stories match" in page


def test_web_date_filter_keeps_stories_published_in_the_range(client: Any) -> None:
    def ids(**params: str) -> list[str]:
        return [s["title"] for s in client.get("/api/stories", params=params).json()["stories"]]

    assert ids(to="2026-03-15") == [s for s in ids() if "Port Selden" in s]
    later = ids(**{"from": "2026-03-20"})
    assert len(later) == 2 and not any("Port Selden" in t for t in later)
    assert ids(**{"from": "2026-03-15", "to": "2026-03-15"}) == ids(to="2026-03-15")
    assert len(titles_on(client.get("/", params={"from": "2026-03-20", "to": ""}).text)) == 2
    bad = client.get("/api/stories", params={"from": "15/03/2026"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json()["error"]
    assert client.get("/", params={"to": "soon"}).status_code == 400


def test_web_story_page_shows_disputes_side_by_side_with_both_sentences(
    client: Any, doc: Any
) -> None:
    story = story_by(doc, "Port Selden")
    page = client.get(f"/stories/{story['id']}").text
    by_id = {c["id"]: c for c in story["claims"]}
    disputed = page.split('<section id="disputed">')[1].split("</section>")[0]
    shown = [v for v in story["conflicts"] if v["kind"] != "drift"]
    assert shown
    for v in shown:
        for cid in v["claims"]:
            c = by_id[cid]
            assert escape(c["text"]) in disputed
            n = c["sentence"]  # from 1 in the JSON too, linked to the sentence in its article
            assert f'#s-{n}">' in disputed and f"sentence {n}</a>" in disputed
    # one card per person whose title differs, however many pairs of articles say so
    title_pairs = [v for v in shown if v["kind"] == "title"]
    assert len(title_pairs) >= 2
    assert disputed.count("Dana Moreau is") == 1
    assert disputed.count('class="card bad conflict"') == len(shown) - len(title_pairs) + 1


def test_web_story_page_shows_every_section_of_the_fact_sheet(client: Any, doc: Any) -> None:
    story = story_by(doc, "Port Selden")
    page = client.get(f"/stories/{story['id'][:6]}").text  # a prefix of the id is enough
    for section in ("disputed", "corroborated", "single", "who", "figures", "people", "articles"):
        assert f'<section id="{section}">' in page
    for fact in story["corroborated"]:
        assert escape(fact["text"]) in page
        for cid in fact["claims"]:  # each source's own sentence
            assert escape(next(c["text"] for c in story["claims"] if c["id"] == cid)) in page
    for single in story["single_source"]:
        assert escape(single["text"]) in page
    for q in story["quantities"]:
        for f in q["figures"]:
            assert escape(f["text"]) in page
    for p in story["people"]:
        assert escape(p["name"]) in page
    for a in story["articles"]:
        assert escape(a["title"]) in page
        if a["outlet"]:
            assert escape(a["outlet"]) in page


def test_web_story_page_has_claims_by_sources_and_a_timeline(client: Any, doc: Any) -> None:
    from corroborator.web.views import matrix

    story = story_by(doc, "Port Selden")
    m = matrix(story)
    assert m["sources"] == story["independent_sources"]  # copies fold under their original
    kinds = [r["kind"] for r in m["rows"]]
    assert kinds.count("agrees") == len(story["corroborated"])
    assert kinds.count("alone") == len(story["single_source"])
    titles = {v["detail"]["person"] for v in story["conflicts"] if v["kind"] == "title"}
    others = [v for v in story["conflicts"] if v["kind"] not in ("drift", "title")]
    assert kinds.count("conflicts") == len(others) + len(titles)  # one row per person, as cards
    copies = [a for a in story["articles"] if a["copy_of"]]
    assert sum(len(x) for x in m["copies"].values()) == len(copies) == 2
    assert sorted(m["copies"]["Global Wire"]) == ["Selden Daily Courier", "Unnamed source"]
    for row, fact in zip([r for r in m["rows"] if r["kind"] == "agrees"], story["corroborated"],
                         strict=True):  # fmt: skip
        agree = [c["source"] for c in row["cells"] if c["state"] == "agrees"]
        assert sorted(agree) == sorted(fact["sources"])
        assert all(c["state"] in ("agrees", "silent") for c in row["cells"])
    page = client.get(f"/stories/{story['id']}").text
    table = page.split('<section id="matrix">')[1].split("</section>")[0]
    assert table.count('<tr class="row-') == len(m["rows"])
    timeline = page.split('<section id="timeline">')[1].split("</section>")[0]
    dates = re.findall(r'class="when">([^<]+)<', timeline)
    known = [d for d in dates if d[0].isdigit()]
    assert len(dates) == len(story["articles"]) and known == sorted(known)
    assert dates[-1] == "date not given"  # the rewrite names no date


def test_web_story_page_lists_who_republished_what(client: Any, doc: Any) -> None:
    story = story_by(doc, "Port Selden")
    (original,) = story["reach"]["republished"]
    assert original["outlet"] == "Global Wire"
    assert [c["kind"] for c in original["copies"]] == ["exact", "near"]
    page = client.get(f"/stories/{story['id']}").text
    reach = page.split('<section id="reach">')[1].split("</section>")[0]
    n, k = story["reach"]["articles"], story["reach"]["independent_sources"]
    assert f"{n} articles from {k} independent sources" in reach
    assert "Global Wire" in reach and "republished by" in reach
    assert "Selden Daily Courier</a>, 2026-03-14, word for word" in reach
    assert "Unnamed source</a>, date not given, with changes" in reach


def test_web_story_page_charts_each_counted_thing_by_source_and_date(client: Any, doc: Any) -> None:
    """A counted thing with two figures or more gets a bar chart drawn on the server (SVG in
    the page, no script): one bar per figure, as long as its value, with who says it and when."""
    from corroborator.web.views import figure_charts

    story = story_by(doc, "Port Selden")
    [workers] = [q for q in story["quantities"] if q["what"] == "workers"]
    [chart] = [c for c in figure_charts(story) if c["what"] == "workers"]
    assert len(chart["bars"]) == len(workers["figures"]) == 3
    widths = {b["figure"]: b["width"] for b in chart["bars"]}
    assert widths["Twelve workers"] < widths["14 workers"] == widths["At least 14 workers"]
    assert [b["label"].rsplit(" · ", 1)[1] for b in chart["bars"]] == sorted(
        b["label"].rsplit(" · ", 1)[1] for b in chart["bars"]
    )  # in date order
    page = client.get(f"/stories/{story['id']}").text
    figures = page.split('<section id="figures">')[1].split("</section>")[0]
    assert figures.count("<svg") == len(figure_charts(story)) and figures.count("<rect") >= 3
    assert ">Twelve workers</text>" in figures and "Riverside Herald · 2026-03-15</text>" in figures
    assert "<script" not in figures and "style=" not in figures  # the CSP allows no inline style


def test_web_copy_page_shows_its_words_against_its_original(client: Any, doc: Any) -> None:
    story = story_by(doc, "Port Selden")
    numbers = {a["outlet"]: k for k, a in enumerate(story["articles"], 1)}
    near = client.get(f"/stories/{story['id']}/articles/{numbers[None]}").text
    assert '<details class="diffview" id="diff" open>' in near
    assert re.search(r"<del>[^<]*\b14\b[^<]*</del>", near)
    assert re.search(r"<ins>[^<]*\b40\b[^<]*</ins>", near)
    exact = client.get(f"/stories/{story['id']}/articles/{numbers['Selden Daily Courier']}").text
    assert "Word for word the same as its original." in exact
    original = client.get(f"/stories/{story['id']}/articles/{numbers['Global Wire']}").text
    assert 'id="diff"' not in original  # an original has no original


def test_web_story_page_names_articles_without_ids_or_paths(client: Any, doc: Any) -> None:
    story = story_by(doc, "Port Selden")
    page = client.get(f"/stories/{story['id']}").text
    for a in story["articles"]:
        assert a["id"] not in page  # no hash ids
        assert a["path"] not in page  # no paths, only a file name folded away
    assert str(REPO) not in page
    assert "Unnamed source" in page  # the rewrite that names no outlet
    for word in ("entailment", "chars ", "related pairs", "unsure"):
        assert word not in page
    for s in doc["stories"]:  # a source of no known outlet is named by its headline
        assert "unknown outlet" not in client.get(f"/stories/{s['id']}").text
    for s in doc["stories"]:  # the outlet's own voice (speaker null) is named, never "None"
        for url in [f"/stories/{s['id']}"] + [
            f"/stories/{s['id']}/articles/{n}" for n in range(1, len(s["articles"]) + 1)
        ]:
            assert "None" not in client.get(url).text, url


def test_web_api_story_is_the_run_json_story_document(client: Any, doc: Any) -> None:
    for story in doc["stories"]:
        r = client.get(f"/api/stories/{story['id']}")
        assert r.status_code == 200
        assert r.json() == json.loads(json.dumps(story))  # as `run --json` writes it
    fire = story_by(doc, "Port Selden")
    assert client.get(f"/api/stories/{fire['id'][:5]}").json()["id"] == fire["id"]


def test_web_article_page_colours_each_claim_sentence_by_its_status(client: Any, doc: Any) -> None:
    story = story_by(doc, "Port Selden")
    disputed, corroborated = (
        set(story["disputed"]),
        {cid for f in story["corroborated"] for cid in f["claims"]},
    )
    seen = set()
    for number, a in enumerate(story["articles"], start=1):
        view = client.get(f"/api/stories/{story['id']}/articles/{number}").json()
        assert view["outlet"] == (a["outlet"] or "Unnamed source")
        marked = [p for p in view["pieces"] if p["status"]]
        claims = [c for c in story["claims"] if c["article"] == a["id"]]
        assert [p["sentence"] for p in marked] == [c["sentence"] for c in claims]
        for p, c in zip(marked, claims, strict=True):
            assert p["text"] == c["text"]
            expected = "disputed" if c["id"] in disputed else None
            expected = expected or ("corroborated" if c["id"] in corroborated else None)
            if expected:
                assert p["status"] == expected
            seen.add(p["status"])
        page = client.get(f"/stories/{story['id']}/articles/{number}").text
        assert a["id"] not in page and a["path"] not in page
        for p in marked:
            assert f'id="s-{p["sentence"]}"' in page
        if a["copy_of"]:  # a copy names its original (and what it changed, if anything)
            assert view["copy_of"]["outlet"] in page
            assert bool(view["changes"]) == bool(a["copy"]["departures"])
            assert ("What the copy changes" in page) == bool(view["changes"])
    assert {"disputed", "corroborated", "single"} <= seen
    assert client.get(f"/api/stories/{story['id']}/articles/99").status_code == 404
    assert client.get(f"/api/stories/{story['id']}/articles/one").status_code == 400


def test_web_article_cards_count_each_claim_once_as_its_page_colours_it(
    client: Any, doc: Any
) -> None:
    """The story page's line of counts under each article adds up to its claims, and says
    what the article's own page shows (a copy's claims are read with its original's)."""
    from corroborator.web.views import TALLY_LABELS

    story = story_by(doc, "Port Selden")
    page = client.get(f"/stories/{story['id']}").text
    for number, a in enumerate(story["articles"], start=1):
        view = client.get(f"/api/stories/{story['id']}/articles/{number}").json()
        labels = dict(TALLY_LABELS)
        if a["copy_of"]:
            labels["other"] = "counted with its original"
        n = sum(view["counts"].values())
        parts = [f"{k} {labels[s]}" for s, k in view["counts"].items() if k]
        card = page.split(f'id="article-{number}"')[1].split('<div class="card')[0]
        assert f"{n} claims: {', '.join(parts)}." in card, card
    assert "%" not in page.split('<section id="articles">')[1]


def test_web_claimreview_points_at_this_server(client: Any, doc: Any) -> None:
    story = story_by(doc, "Port Selden")
    reviews = client.get(f"/api/stories/{story['id']}/claimreview",
                         params={"author": "Harbour Fact Desk"}).json()  # fmt: skip
    assert reviews and all(r["author"]["name"] == "Harbour Fact Desk" for r in reviews)
    for r in reviews:  # each review's url is its sentence on the article's page here
        path = r["url"].removeprefix("http://testserver")
        assert path.startswith(f"/stories/{story['id']}/articles/")
        page = client.get(path.split("#")[0])
        anchor = path.split("#")[1]
        assert page.status_code == 200 and f'id="{anchor}"' in page.text
        assert f'class="st st-disputed" id="{anchor}"' in page.text


def test_web_errors_are_json_under_api_and_pages_elsewhere(client: Any) -> None:
    r = client.get("/api/stories/ffffffffffff")
    assert r.status_code == 404 and "no story" in r.json()["error"]
    r = client.get("/stories/ffffffffffff")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no story" in r.text and "Back to the stories" in r.text
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "there is no page at /no/such/page" in r.text
    assert client.get("/api/nothing").json() == {"error": "there is no page at /api/nothing"}


def test_web_openapi_document_describes_the_api(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/articles/{number}",
        "/api/check", "/api/ingest", "/api/stories/{story_id}/claimreview",
    }  # fmt: skip
    assert client.get("/docs").status_code == 404  # its page would load scripts from a CDN


def test_web_assets_are_local_and_no_page_loads_anything_from_elsewhere(
    client: Any, doc: Any
) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    pages = [client.get("/")] + [client.get(f"/stories/{s['id']}") for s in doc["stories"]]
    pages += [client.get(f"/stories/{s['id']}/articles/1") for s in doc["stories"]]
    for r in pages:
        assert "default-src 'self'" in r.headers["content-security-policy"]
        for ref in re.findall(r"<(?:link|script|img)[^>]*(?:href|src)=\"([^\"]+)\"", r.text):
            assert ref.startswith("/"), ref


def test_web_article_markup_is_shown_as_text_never_as_markup(client: Any, doc: Any) -> None:
    story = story_by(doc, "Marlow")
    assert story["conflicts"], "the hostile story needs a disputed claim to show"
    article = next(k for k, a in enumerate(story["articles"], 1) if "Tribune" in a["outlet"])
    for r in (client.get("/"), client.get(f"/stories/{story['id']}"),
              client.get(f"/stories/{story['id']}/articles/{article}")):  # fmt: skip
        assert "<script>alert" not in r.text
        assert "<img src=x" not in r.text
        assert "&lt;script&gt;alert(" in r.text
    page = client.get(f"/stories/{story['id']}").text
    disputed = page.split('<section id="disputed">')[1].split("</section>")[0]
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in disputed
    assert "<script" not in page  # the page itself has no script at all


def test_web_serve_command_refuses_a_missing_database(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "corroborator", "serve", "--db", str(tmp_path / "none.db")],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert r.returncode == 1 and "no database at" in r.stderr and "corroborator run" in r.stderr
    assert not (tmp_path / "none.db").exists()
    help_text = subprocess.run(
        [sys.executable, "-m", "corroborator", "serve", "--help"],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    ).stdout  # fmt: skip
    assert "127.0.0.1" in help_text and "Example" in help_text and "--max-article-kb" in help_text


def escape(text: str) -> str:
    """As Jinja2's autoescape writes text."""
    import markupsafe

    return str(markupsafe.escape(text))


NEW_REPORT = (
    "Firefighters said on Sunday that the fire at the Larkfield Chemicals plant in Port Selden "
    "injured 30 workers.\n\nFire Chief Dana Moreau said the blaze started in a storage hall "
    "for solvents shortly after 10 p.m. and was brought under control by early Saturday.\n\n"
    "A <script>alert('check')</script> line that no one else reports about the weather."
)


@pytest.fixture(scope="module")
def writable(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A client over a copy of the database (checking stores the article), with a token."""
    import sqlite3

    from corroborator.web.app import create_app

    copy = tmp_path_factory.mktemp("check") / "check.db"
    with sqlite3.connect(web_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return testclient.TestClient(create_app(copy, use_model=False, token="s3cret",
                                            max_check_bytes=4096))  # fmt: skip


def test_web_check_places_a_pasted_article_and_checks_its_claims(writable: Any) -> None:
    assert "<textarea" in writable.get("/check").text
    form = {"title": "Thirty hurt in Port Selden fire", "outlet": "Harbour News",
            "text": NEW_REPORT, "token": "s3cret"}  # fmt: skip
    r = writable.post("/check", data=form)
    assert r.status_code == 200, r.text
    result = r.text.split('<section id="result">')[1]
    assert "Fire at Port Selden" in result  # placed in the fire story
    assert "contradicted" in result and "no other source says it" in result
    assert "Riverside Herald disagrees" in result and "Global Wire agrees" in result
    assert "<script>alert" not in r.text and "&lt;script&gt;alert(" in r.text
    doc = writable.post("/api/check", json={"text": NEW_REPORT, "outlet": "Harbour News"},
                        headers={"Authorization": "Bearer s3cret"}).json()  # fmt: skip
    statuses = {c["status"] for c in doc["claims"]}
    assert {"contradicted", "unverified"} <= statuses and doc["other_sources"] >= 3
    assert doc["outlet"] == "Harbour News" and "unintroduced_speakers" in doc["flags"]


def test_web_check_accepts_an_uploaded_html_or_text_file(writable: Any) -> None:
    """The check page's file field: a saved web page is read as HTML (its markup is not the
    article's text), a .txt file as text; the result names the article and its own flags."""
    paragraphs = "".join(
        f"<p>{p}</p>"
        for p in NEW_REPORT.replace("<script>alert('check')</script> ", "").split("\n\n")
    )
    page = (f"<html><head><title>Thirty hurt in Port Selden fire</title></head><body><article>"
            f"<h1>Thirty hurt in Port Selden fire</h1>{paragraphs}</article></body></html>")  # fmt: skip
    assert 'type="file"' in writable.get("/check").text
    r = writable.post("/check", data={"outlet": "Harbour Times", "token": "s3cret"},
                      files={"file": ("report.html", page.encode(), "text/html")})  # fmt: skip
    assert r.status_code == 200, r.text
    result = r.text.split('<section id="result">')[1]
    assert "Fire at Port Selden" in result  # placed in its story
    assert "<blockquote>Firefighters said on Sunday" in result  # its claims, read as text
    assert "&lt;p&gt;" not in result and "&lt;/p&gt;" not in result
    assert "Harbour Times" in result
    text_file = ("Port Selden fire: thirty hurt\n\n" + NEW_REPORT).encode()
    r = writable.post("/check", data={"token": "s3cret", "text": ""},
                      files={"file": ("report.txt", text_file, "text/plain")})  # fmt: skip
    assert r.status_code == 200, r.text
    result = r.text.split('<section id="result">')[1]
    assert "Fire at Port Selden" in result
    # the same words as the article pasted before: a copy, which the result says
    assert 'id="copy"' in result and "counts as one source with it" in result
    empty = writable.post("/check", data={"token": "s3cret"},
                          files={"file": ("empty.txt", b"", "text/plain")})  # fmt: skip
    assert empty.status_code == 400 and "choose its file" in empty.text
    big = writable.post("/check", data={"token": "s3cret"},
                        files={"file": ("big.txt", b"word " * 2000, "text/plain")})  # fmt: skip
    assert big.status_code == 413


def test_web_check_needs_the_token_text_and_a_bounded_size(writable: Any) -> None:
    r = writable.post("/api/check", json={"text": NEW_REPORT})
    assert r.status_code == 401 and "token" in r.json()["error"]
    r = writable.post("/check", data={"text": NEW_REPORT, "token": "wrong é"})
    assert r.status_code == 401 and "token" in r.text
    auth = {"Authorization": "Bearer s3cret"}
    r = writable.post("/api/check", json={"text": "x" * 5000}, headers=auth)
    assert r.status_code == 413 and "larger than" in r.json()["error"]
    assert writable.post("/api/check", json={"title": "no text"}, headers=auth).status_code == 400
    assert writable.post("/api/check", content=b"[1, 2]", headers=auth | {
        "content-type": "application/json"}).status_code == 400  # fmt: skip


def test_web_check_a_title_given_differently_contradicts_nothing(writable: Any) -> None:
    """A claim whose content other sources share is corroborated, even where one of them
    gives its speaker another title: that is listed as a detail, not a contradiction (as
    ClaimReview does)."""
    text = ("A fire at the Larkfield Chemicals plant in Port Selden forced hundreds of residents "
            "from their homes on Friday night, officials said.\n\nFire Chief Dana Moreau said the "
            "blaze started in a storage hall for solvents.\n\nLarkfield Chemicals denied that "
            "the plant had broken safety rules.")  # fmt: skip
    auth = {"Authorization": "Bearer s3cret"}
    doc = writable.post("/api/check", json={"text": text, "title": "Selden plant fire",
                                            "outlet": "Quay Post"}, headers=auth).json()  # fmt: skip
    assert doc["story_title"].startswith("Fire at Port Selden") and doc["story_articles"] > 1
    (moreau,) = [c for c in doc["claims"] if "Dana Moreau" in c["text"]]
    title_only = [e for e in moreau["evidence"] if e["verdict"] == "conflicts"]
    assert title_only and not any(e["contradicts"] for e in title_only)
    assert all("title" in e["reason"] or "Chief" in e["reason"] for e in title_only)
    assert moreau["status"] == "corroborated"
    page = writable.post("/check", data={"text": text, "title": "Selden plant fire",
                                         "outlet": "Quay Post", "token": "s3cret"}).text  # fmt: skip
    assert "Riverside Herald differs on a detail" in page


def test_web_check_says_so_when_an_article_starts_a_story_of_its_own(writable: Any) -> None:
    text = ("The city council of Norhaven voted on Tuesday to extend the tram line to the airport, "
            "the transport committee said.\n\nCouncillor Ada Brennick said work would begin in "
            "the spring.")  # fmt: skip
    form = {"text": text, "title": "Norhaven tram to reach the airport", "outlet": "Norhaven Post"}
    r = writable.post("/check", data=form | {"token": "s3cret"})
    assert r.status_code == 200, r.text
    assert 'starts <a href="/stories/' in r.text and "a story of its own" in r.text
    assert "placed in" not in r.text.split('<section id="result">')[1]
    doc = writable.post("/api/check", json=form, headers={"Authorization": "Bearer s3cret"}).json()
    assert doc["story_articles"] == 1 and doc["other_sources"] == 0


def test_web_check_page_says_what_is_wrong_on_the_form(writable: Any) -> None:
    """An article that cannot be read is named as the reader's, never by the server's
    temporary file, and the form stays there to try again."""
    page = b"<html><body><article><p>Too short.</p></article></body></html>"
    r = writable.post("/check", data={"token": "s3cret"},
                      files={"file": ("page.html", page, "text/html")})  # fmt: skip
    assert r.status_code == 400
    assert 'id="error-message">cannot read the article: ' in r.text
    assert "pasted" not in r.text and "/tmp" not in r.text and "<textarea" in r.text
    r = writable.post("/api/check", json={"html": page.decode()},
                      headers={"Authorization": "Bearer s3cret"})  # fmt: skip
    assert r.status_code == 400 and r.json()["error"].startswith("cannot read the article: ")
    r = writable.post("/check", data={"text": " ", "token": "s3cret"})
    assert r.status_code == 400 and "paste the article" in r.text and "<textarea" in r.text


def test_web_serve_refuses_another_address_without_a_token(web_db: Path) -> None:
    with pytest.raises(corroborator.CorroboratorError, match="--token"):
        corroborator.serve(web_db, host="0.0.0.0", use_model=False)


def test_web_serve_takes_the_largest_article_to_check(
    web_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve --max-article-kb`` (``api.serve(max_check_kb=)``) is the size the check takes."""
    import uvicorn

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: served.append(app))
    corroborator.serve(web_db, use_model=False, max_check_kb=2)
    (app,) = served
    client = testclient.TestClient(app)
    r = client.post("/api/check", json={"text": "word " * 500})
    assert r.status_code == 413 and "larger than 2 KiB" in r.json()["error"]


def test_web_ingest_stores_and_groups_with_the_token_and_a_bounded_size(writable: Any) -> None:
    """POST /api/ingest stores an article and places it in a story (as `corroborator
    ingest`); the same text again is a duplicate; like the check, it needs the token and
    stays under the size cap."""
    r = writable.post("/api/ingest", json={"text": NEW_REPORT})
    assert r.status_code == 401 and "storing an article needs" in r.json()["error"]
    auth = {"Authorization": "Bearer s3cret"}
    assert writable.post("/api/ingest", json={"text": "x" * 5000}, headers=auth).status_code == 413
    assert writable.post("/api/ingest", json={"title": "no text"}, headers=auth).status_code == 400
    # its own words (the check tests store NEW_REPORT itself in this database)
    text = NEW_REPORT + "\n\nThe harbour office will publish its own account of the fire in May."
    body = {"text": text, "title": "Port Selden fire: thirty hurt", "outlet": "Quay Post"}
    first = writable.post("/api/ingest", json=body, headers=auth)
    assert first.status_code == 200, first.text
    doc = first.json()
    assert doc["stored"] == 1 and not doc["duplicate"] and len(doc["stories"]) == 1
    [article_id] = doc["articles"]
    story = writable.get(f"/api/stories/{doc['stories'][0]}").json()
    assert article_id in {a["id"] for a in story["articles"]}
    assert "Global Wire" in {a["outlet"] for a in story["articles"]}  # joined the fire story
    again = writable.post("/api/ingest", json=body, headers=auth).json()
    assert again["stored"] == 0 and again["duplicate"]
    assert "/api/ingest" in writable.get("/api/openapi.json").json()["paths"]

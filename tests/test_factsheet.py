from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corroborator import factsheet

from .conftest import EXAMPLES, REPO, SEEDS, SHARED, needs_seeds
from .golden import run_examples, summary


@pytest.fixture(scope="module")
def golden_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("golden") / "golden.db"


@pytest.fixture(scope="module")
def doc(golden_db: Path) -> dict[str, Any]:
    return run_examples(str(golden_db))


def test_factsheet_examples_match_golden_file(doc: dict[str, Any]) -> None:
    expected = json.loads((REPO / "tests" / "golden" / "examples.json").read_text())
    assert summary(doc) == expected


def test_factsheet_sentence_is_its_position_from_1_in_the_cleaned_article(
    doc: dict[str, Any], golden_db: Path
) -> None:
    """The JSON counts sentences from 1, as the pages do: claim N of an article is the N-th
    sentence of its cleaned text; the flags that name a sentence count the same way."""
    from corroborator import api
    from corroborator.text import split_sentences

    seen = 0
    for story in doc["stories"]:
        spans = {
            a["id"]: split_sentences(api.article(a["id"], golden_db).text)
            for a in story["articles"]
        }
        for c in story["claims"]:
            start, end = spans[c["article"]][c["sentence"] - 1]
            assert c["sentence"] >= 1 and start <= c["clean_start"] < end, c["id"]
            seen += 1
        for a in story["articles"]:
            named = a["flags"]["unintroduced_speakers"] + a["flags"]["garbled"]
            for f in named:
                assert 1 <= f["sentence"] <= len(spans[a["id"]])
            for u in a["flags"]["unintroduced_speakers"]:
                claim = next((c for c in story["claims"] if c["id"] == u["claim"]), None)
                assert claim is None or claim["sentence"] == u["sentence"]
    assert seen > 20


def test_factsheet_every_claim_points_at_its_sentence(doc: dict[str, Any]) -> None:
    from corroborator.store import open_store  # noqa: F401  (articles come from the doc)

    for story in doc["stories"]:
        for c in story["claims"]:
            assert {
                "id",
                "article",
                "sentence",
                "start",
                "end",
                "text",
                "speaker",
                "stance",
            } <= set(c)
            assert c["end"] > c["start"] >= 0
        ids = {c["id"] for c in story["claims"]}
        for v in story["conflicts"]:
            assert set(v["claims"]) <= ids and v["reason"]
        for f in story["corroborated"]:
            assert set(f["claims"]) <= ids and f["n_sources"] >= 2


def fire(doc: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in doc["stories"] if "Port Selden" in s["title"])


def test_factsheet_html_is_self_contained_and_escaped(doc: dict[str, Any]) -> None:
    story = fire(doc)
    story = json.loads(json.dumps(story))
    shown = story["conflicts"][0]["claims"][0]
    next(c for c in story["claims"] if c["id"] == shown)["text"] = "<script>alert('x')</script>"
    page = factsheet.to_html(story)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<script" not in page and "<link" not in page and " src=" not in page
    # links lead inside the file, or to an article's own page on the web (never an asset)
    for href in re.findall(r"href=\"([^\"]*)\"", page):
        assert href.startswith(("#", "https://")), href
    assert 'name="viewport"' in page and "<style>" in page
    for heading in (
        "What independent sources agree on",
        "Where independent sources disagree",
        "Who says what",
        "Figures",
    ):
        assert heading in page


def test_factsheet_html_file_and_served_page_share_the_template(
    doc: dict[str, Any],
) -> None:
    """`run -o` writes the served story page's fact sheet (web/templates/sheet.html): the
    same sections and cards, read for people: outlets and headlines, not ids or paths; no
    internal words; sentences counted from 1; one card per person whose title differs."""
    story = fire(doc)
    page = factsheet.to_html(story)
    prefix = f"s{story['id'][:12]}-"
    for section in ("disputed", "corroborated", "matrix", "single", "who", "figures", "people",
                    "timeline", "articles"):  # fmt: skip
        assert f'<section id="{prefix}{section}">' in page
    for a in story["articles"]:
        assert a["id"] not in page and a["path"] not in page
    assert story["id"] not in page.replace(prefix, "")  # only inside anchors
    for word in ("entailment", "chars ", "related pairs", "unsure", "None", "An article:",
                 "unknown outlet"):  # fmt: skip
        assert word not in page, word
    assert "Unnamed source" in page  # the rewrite that names no outlet
    by_id = {c["id"]: c for c in story["claims"]}
    for v in story["conflicts"]:
        for cid in v["claims"]:
            n = by_id[cid]["sentence"]  # counted from 1, in the JSON as on the page
            assert f"sentence {n}</a>" in page
    disputed = page.split(f'<section id="{prefix}disputed">')[1].split("</section>")[0]
    assert disputed.count("Dana Moreau is") == 1
    several = factsheet.to_html_many(doc["stories"])
    assert "unknown outlet" not in several and "Unnamed source, “" in several
    assert "<title>corroborator fact sheets</title>" in several
    for s in doc["stories"]:
        assert f'href="#s{s["id"][:12]}-story"' in several


def test_factsheet_markdown_and_claimreview(doc: dict[str, Any]) -> None:
    story = fire(doc)
    md = factsheet.to_markdown(story)
    assert md.startswith("# Fact sheet: ") and "## Conflicts" in md and "Deputy Fire Chief" in md
    reviews = factsheet.to_claimreview(story)
    # a claim is reviewed when another source disputes its content: not when only a person's
    # title differs, nor a figure that changed from one day to the next, nor an original that
    # its copy changed (the copy is reviewed)
    content = {
        cid
        for v in story["conflicts"]
        if v["kind"] != "title"
        and v.get("detail", {}).get("drift") != "title"
        and not v.get("detail", {}).get("over_time")
        for cid in (v["claims"][1:] if v["kind"] == "drift" else v["claims"])
    }
    assert {r["claimReviewed"] for r in reviews} == {
        c["text"] for c in story["claims"] if c["id"] in content
    }
    titles_only = [
        c for c in story["claims"] if c["id"] in story["disputed"] and c["id"] not in content
    ]
    assert titles_only and not {c["text"] for c in titles_only} & {
        r["claimReviewed"] for r in reviews
    }
    assert all(r["@type"] == "ClaimReview" and r["reviewBody"] for r in reviews)


#: The schema.org vocabulary (https://schema.org, version 29) for the types a ClaimReview uses:
#: each type's parent and the ranges of the properties it adds.
SCHEMA_ORG: dict[str, tuple[str | None, dict[str, tuple[str, ...]]]] = {
    "Thing": (None, {"name": ("Text",), "url": ("URL",), "alternateName": ("Text",),
                     "description": ("Text",)}),
    "CreativeWork": ("Thing", {"author": ("Organization", "Person"),
                               "datePublished": ("Date", "DateTime"), "headline": ("Text",),
                               "publisher": ("Organization", "Person")}),
    "Article": ("CreativeWork", {}),
    "NewsArticle": ("Article", {}),
    "Review": ("CreativeWork", {"itemReviewed": ("Thing",), "reviewRating": ("Rating",),
                                "reviewBody": ("Text",)}),
    "ClaimReview": ("Review", {"claimReviewed": ("Text",)}),
    "Claim": ("CreativeWork", {"appearance": ("CreativeWork",),
                               "firstAppearance": ("CreativeWork",)}),
    "Intangible": ("Thing", {}),
    "Rating": ("Intangible", {"ratingValue": ("Number", "Text"), "bestRating": ("Number", "Text"),
                              "worstRating": ("Number", "Text"), "ratingExplanation": ("Text",),
                              "author": ("Organization", "Person")}),
    "Organization": ("Thing", {}),
    "Person": ("Thing", {}),
}  # fmt: skip


def _is_a(kind: str, wanted: str) -> bool:
    while kind is not None:
        if kind == wanted:
            return True
        kind = SCHEMA_ORG[kind][0]  # type: ignore[assignment]
    return False


def _schema_errors(value: Any, ranges: tuple[str, ...], where: str) -> list[str]:
    if isinstance(value, dict):
        kind = value.get("@type")
        if kind not in SCHEMA_ORG:
            return [f"{where}: unknown type {kind!r}"]
        if not any(_is_a(kind, r) for r in ranges):
            return [f"{where}: a {kind} where schema.org expects {' or '.join(ranges)}"]
        errors = []
        for key, item in value.items():
            if key in ("@context", "@type"):
                continue
            t, props = kind, {}
            while t is not None:
                props = {**SCHEMA_ORG[t][1], **props}
                t = SCHEMA_ORG[t][0]
            if key not in props:
                errors.append(f"{where}.{key}: not a property of {kind}")
            else:
                errors += _schema_errors(item, props[key], f"{where}.{key}")
        return errors
    checks = {
        "Text": lambda v: isinstance(v, str) and v.strip() != "",
        "URL": lambda v: isinstance(v, str) and re.match(r"https?://[^\s]+$", v) is not None,
        "Date": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None,
        # an aggregator needs the time zone of a time
        "DateTime": lambda v: (
            isinstance(v, str)
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)", v)
            is not None
        ),
        "Number": lambda v: isinstance(v, int | float),
    }
    if any(r in checks and checks[r](value) for r in ranges):
        return []
    return [f"{where}: {value!r} is not {' or '.join(ranges)}"]


def test_factsheet_claimreview_fits_schema_org_and_an_aggregator(doc: dict[str, Any]) -> None:
    """Every review is valid schema.org (each property of its type, each value of its range)
    and has what a fact-check aggregator asks for: its url, a publication time with its zone,
    the reviewer, the claim's author typed as the speaker is, where the claim appeared (url,
    headline, publisher, date) and a rating whose text says what the evidence is."""
    from datetime import UTC, datetime

    reviews = []
    for story in doc["stories"]:
        got = factsheet.to_claimreview(story, author="Harbour Fact Desk",
                                       base_url="https://facts.example/",
                                       now=datetime(2026, 3, 21, 9, 30, tzinfo=UTC))  # fmt: skip
        for r in got:
            assert _schema_errors(r, ("ClaimReview",), "review") == [], r
            assert r["@context"] == "https://schema.org"
        reviews += [(story, r) for r in got]
    assert len(reviews) >= 3
    for story, r in reviews:
        assert r["url"].startswith(f"https://facts.example/stories/{story['id']}/articles/")
        assert r["datePublished"] == "2026-03-21T09:30:00+00:00"
        assert r["author"] == {"@type": "Organization", "name": "Harbour Fact Desk"}
        appearance = r["itemReviewed"]["appearance"]
        assert {"url", "headline"} <= set(appearance)
        rating = r["reviewRating"]["alternateName"]
        assert rating.startswith("Disputed: ") and len(rating) > len("Disputed: ") + 10
        assert r["reviewRating"]["ratingExplanation"]
    by_text = {r["claimReviewed"]: r for _, r in reviews}
    twelve = next(r for t, r in by_text.items() if t.startswith("Twelve workers were injured"))
    assert twelve["itemReviewed"]["author"] == {"@type": "Organization",
                                                "name": "the county emergency service"}  # fmt: skip
    assert twelve["itemReviewed"]["appearance"]["publisher"] == {
        "@type": "Organization", "name": "Riverside Herald"}  # fmt: skip
    assert "gives a different figure" in twelve["reviewRating"]["alternateName"]
    # a text file names no address or date: its appearance is its page on the server
    copy = next(
        r
        for _, r in reviews
        if r["itemReviewed"]["appearance"]["url"].startswith("https://facts.example")
    )
    assert copy["itemReviewed"]["appearance"]["headline"]
    dated = [r for _, r in reviews if "datePublished" in r["itemReviewed"]["appearance"]]
    assert dated and all("+" in r["itemReviewed"]["appearance"]["datePublished"]
                         or len(r["itemReviewed"]["appearance"]["datePublished"]) == 10
                         for r in dated)  # fmt: skip
    # the default reviewer is the tool; each review's time carries its zone
    default = factsheet.to_claimreview(fire(doc))
    assert default[0]["author"]["name"] == "corroborator"
    assert default[0]["datePublished"].endswith("+00:00")


@pytest.mark.parametrize(
    ("speaker", "kind"),
    [
        ("one of its United Nations representatives", "Person"),
        ("a hospital spokeswoman", "Person"),
        ("Deputy Fire Chief Dana Moreau", "Person"),
        ("Moreau", "Person"),
        ("the county emergency service", "Organization"),
        ("race officials", "Organization"),
        ("Larkfield Chemicals", "Organization"),
        (None, "Organization"),  # the outlet's own voice
    ],
)
def test_factsheet_claimreview_types_the_speaker(speaker: str | None, kind: str) -> None:
    from corroborator.claims import canonical

    claim = {"speaker": speaker, "speaker_canonical": canonical(speaker) if speaker else ""}
    assert factsheet._speaker_type(claim, {"dana moreau"}) == kind


def test_factsheet_cli_report_formats(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    cli = [sys.executable, "-m", "corroborator"]
    subprocess.run(
        [*cli, "ingest", str(EXAMPLES), "--db", str(db)], check=True, capture_output=True
    )
    stories = json.loads(subprocess.run([*cli, "stories", "--db", str(db), "--json"], check=True,
                                        capture_output=True, text=True).stdout)  # fmt: skip
    sid = next(s["id"] for s in stories["stories"] if "Port Selden" in s["title"])
    for fmt in ("html", "md", "json", "claimreview"):
        out = tmp_path / f"sheet.{fmt}"
        proc = subprocess.run([*cli, "report", sid[:6], "--db", str(db), "--format", fmt, "-o", str(out),
                               "--no-model"], capture_output=True, text=True)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert out.stat().st_size > 500
    bad = subprocess.run([*cli, "report", "zzz", "--db", str(db)], capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.startswith("error: no story 'zzz'")


def test_factsheet_cli_claims_offsets_in_file_as_given(tmp_path: Path) -> None:
    path = EXAMPLES / "2026-03-15-plantfire-rewrite.txt"
    out = subprocess.run([sys.executable, "-m", "corroborator", "claims", str(path), "--json", "-"],
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    data = json.loads(out)
    raw = path.read_text()
    assert data["claims"] and data["unintroduced_speakers"] == ["Grant"]
    for c in data["claims"]:
        assert raw[c["start"] : c["end"]] == c["text"]
        assert {
            "id",
            "text",
            "speaker",
            "cue",
            "stance",
            "quantities",
            "entities",
            "sentence",
        } <= set(c)


@needs_seeds
def test_factsheet_seeds_findings(tmp_path: Path) -> None:
    out = tmp_path / "seeds.json"
    subprocess.run([sys.executable, "-m", "corroborator", "run", str(SEEDS), "--db", str(tmp_path / "s.db"),
                    "--json", str(out), "--no-model"], check=True, capture_output=True)  # fmt: skip
    doc = json.loads(out.read_text())
    [story] = doc["stories"]
    by = {c["id"]: c for c in story["claims"]}
    corroborated = " ".join(by[c]["text"] for f in story["corroborated"] for c in f["claims"])
    assert "1,500" in corroborated and "spy agency" in corroborated
    twelve = [
        f for f in story["single_source"] if any("12,000" in by[c]["text"] for c in f["claims"])
    ]
    assert twelve and by[twelve[0]["claims"][0]]["speaker"] == "South Korean media"
    actors = {a["canonical"]: a["stances"] for a in story["actors"]}
    assert any("north korea" in k and "denies" in v for k, v in actors.items())
    # "a North Korean representative", "one of its United Nations representatives" and
    # "the representative" are one actor with three claims
    [rep] = [a for a in story["actors"] if a["canonical"].endswith("representative")]
    assert rep["actor"] == "a North Korean representative" and len(rep["claims"]) == 3
    # Russia speaks with its ambassador (issue 10): one row, declining to confirm
    [russia] = [
        a for a in story["actors"] if any(by[c]["speaker"] == "Russia" for c in a["claims"])
    ]
    assert "declines_to_confirm" in russia["stances"]
    reuters = next(a for a in story["articles"] if a["outlet"] == "Reuters")
    assert [t["person"] for t in reuters["flags"]["title_conflicts"]] == ["Mark Rutte"]
    assert [u["name"] for u in reuters["flags"]["unintroduced_speakers"]] == ["Walker"]
    assert "machine-rewritten" in reuters["flags"]["warning"]
    text = " ".join(c["text"] for c in story["claims"])
    assert not re.search(r"0 Comments|A man walks past|Reporting by|Editing by", text)
    check = subprocess.run([sys.executable, str(SHARED / "tools" / "check_seeds.py"), str(out)],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stdout


@needs_seeds
def test_factsheet_seeds_with_the_entailment_model(tmp_path: Path) -> None:
    out = tmp_path / "seeds.json"
    html = tmp_path / "seeds.html"
    subprocess.run([sys.executable, "-m", "corroborator", "run", str(SEEDS), "--db", str(tmp_path / "m.db"),
                    "--json", str(out), "-o", str(html)], check=True, capture_output=True)  # fmt: skip
    [story] = json.loads(out.read_text())["stories"]
    assert story["model"] == "entailment model used on related pairs"
    by = {c["id"]: c for c in story["claims"]}
    assert story["model_verdicts"], "the model judged no pair"
    for m in story["model_verdicts"]:
        assert 0.0 <= m["p_supported"] <= 1.0 and 0.0 <= m["p_contradicted"] <= 1.0
    # 002's "sent to fight with pro-Moscow insurgents" is not supported by 000's account
    insurgents = next(c["id"] for c in story["claims"] if "pro-Moscow insurgents" in c["text"])
    for f in story["corroborated"]:  # the sentence may back a fact only through another clause
        assert "insurgents" not in f["text"]
    for m in story["model_verdicts"]:
        if insurgents in m["claims"]:
            assert m["verdict"] != "agrees"
    page = html.read_text()
    assert (
        "unsure" not in page and "entailment" not in page
    )  # the model's readings stay in the JSON
    assert {by[c]["source"] for m in story["model_verdicts"] for c in m["claims"]} == {
        "AFP",
        "Reuters",
    }


HOSTILE_SAY = (
    "The council approved the harbour budget on Monday after a long debate, the mayor said. "
)
HOSTILE_HTML = f"""<html><head><title>[/x] Bridge &lt;script&gt;alert(3)&lt;/script&gt; reopens</title>
<meta name="author" content="&lt;img src=x onerror=alert(4)&gt;"></head><body><article>
<h1>[/x] Bridge &lt;script&gt;alert(3)&lt;/script&gt; reopens</h1>
<p>{HOSTILE_SAY} "&lt;script&gt;alert(5)&lt;/script&gt; is fine," said Mayor &lt;b onmouseover=alert(6)&gt;Jane Roe&lt;/b&gt;.</p>
<p>{HOSTILE_SAY}</p><p>The budget is 4 million dollars, said Jane Roe. <a href="javascript:alert(7)">more</a></p>
<script>alert(8)</script><iframe src="javascript:alert(9)"></iframe></article></body></html>"""  # fmt: skip
HOSTILE_RECORD = {
    "url": "javascript:alert(10)",
    "outlet": "<svg onload=alert(11)>",
    "title": "<img src=x onerror=alert(12)> Harbour budget approved",
    "text": "Harbour budget approved\n\n" + HOSTILE_SAY
    + ' "The budget is 4 million dollars <script>alert(13)</script>," said Mayor Jane Roe. '
    + HOSTILE_SAY + '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">click</a>',
}  # fmt: skip


def test_factsheet_hostile_article_leaves_no_markup(tmp_path: Path) -> None:
    """Script tags, event handlers and javascript: links in article text and metadata come
    out of `run -o report.html` as text, never as markup (parsed with lxml's HTML parser);
    the terminal summary prints rich markup in titles literally instead of crashing."""
    import lxml.html

    (tmp_path / "a.html").write_text(HOSTILE_HTML)
    (tmp_path / "b.jsonl").write_text(json.dumps(HOSTILE_RECORD) + "\n")
    report = tmp_path / "report.html"
    proc = subprocess.run(
        [sys.executable, "-m", "corroborator", "run", str(tmp_path / "a.html"),
         str(tmp_path / "b.jsonl"), "--db", str(tmp_path / "h.db"), "-o", str(report), "--no-model"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "[/x] Bridge" in proc.stdout and "Traceback" not in proc.stderr
    root = lxml.html.parse(str(report)).getroot()
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    assert not [e.tag for e in elements if e.tag in ("script", "iframe", "img", "object", "embed")]  # fmt: skip
    # the only links lead inside the file (the hostile record's javascript: url is no link)
    assert all(e.get("href", "").startswith("#") for e in elements if e.tag == "a")
    for e in elements:
        for name, value in e.attrib.items():
            assert not name.lower().startswith("on"), (e.tag, name)
            assert "javascript:" not in value.lower().replace(" ", ""), (e.tag, name, value)
    text = root.text_content()
    # the payloads are still there, as text a reader can see
    assert "<script>alert(13)</script>" in text and "onerror=alert(12)" in text
    assert "<svg onload=alert(11)>" in text
    assert all(not e.get("onload") for e in elements if e.tag == "svg")  # only the charts' own


def test_factsheet_cells_are_never_cut_mid_word() -> None:
    from corroborator.factsheet import cell

    assert cell("troops ready to head for the frontlines", 20) == "troops ready to …"
    assert cell("short", 20) == "short"


def test_country_speaks_with_its_executive_and_its_ambassador() -> None:
    """issue 10: a country's executive bodies fold into it, and the country into the one
    person its ambassador is; its agencies, military and media stay apart."""
    from corroborator.tables import _country_merges

    keys = ["norway", "norway's national security council", "norway government",
            "norway's coast guard", "norway state media", "sweden", "sweden's ambassador",
            "anna berg", "denmark's ambassador"]  # fmt: skip
    merges = {"sweden's ambassador": "anna berg"}
    out = _country_merges(keys, merges)
    assert out["norway's national security council"] == "norway"
    assert out["norway government"] == "norway"
    assert "norway's coast guard" not in out and "norway state media" not in out
    assert out["sweden"] == "anna berg"
    assert "denmark" not in out  # no such speaker

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
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_examples(str(tmp_path_factory.mktemp("golden") / "golden.db"))


def test_factsheet_examples_match_golden_file(doc: dict[str, Any]) -> None:
    expected = json.loads((REPO / "tests" / "golden" / "examples.json").read_text())
    assert summary(doc) == expected


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
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert not re.search(r"(src|href)=['\"]https?:", page)
    assert "<link" not in page and "name='viewport'" in page
    for heading in (
        "What independent sources agree on",
        "Where they conflict",
        "Who says what",
        "Figures",
    ):
        assert heading in page


def test_factsheet_markdown_and_claimreview(doc: dict[str, Any]) -> None:
    story = fire(doc)
    md = factsheet.to_markdown(story)
    assert md.startswith("# Fact sheet: ") and "## Conflicts" in md and "Deputy Fire Chief" in md
    reviews = factsheet.to_claimreview(story)
    # every disputed claim is reviewed, except an original disputed only by a copy that changed it
    drift_only = {
        cid
        for cid in story["disputed"]
        if all(
            v["kind"] == "drift" and v["claims"][0] == cid
            for v in story["conflicts"]
            if cid in v["claims"]
        )
    }
    assert len(reviews) == len(story["disputed"]) - len(drift_only) > 0
    assert all(r["@type"] == "ClaimReview" and r["reviewBody"] for r in reviews)


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
    assert "declines_to_confirm" in actors["russia"]
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
    assert "b-model" in page and "supported 0." in page
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
    assert not [e.tag for e in elements if e.tag in ("script", "iframe", "img", "svg", "object", "embed", "a")]  # fmt: skip
    for e in elements:
        for name, value in e.attrib.items():
            assert not name.lower().startswith("on"), (e.tag, name)
            assert "javascript:" not in value.lower().replace(" ", ""), (e.tag, name, value)
    text = root.text_content()
    # the payloads are still there, as text a reader can see
    assert "<script>alert(13)</script>" in text and "onerror=alert(12)" in text
    assert "<svg onload=alert(11)>" in text


def test_factsheet_cells_are_never_cut_mid_word() -> None:
    from corroborator.factsheet import cell

    assert cell("troops ready to head for the frontlines", 20) == "troops ready to …"
    assert cell("short", 20) == "short"

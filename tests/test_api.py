"""The library's front door (corroborator/__init__.py, api.py) on examples/."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import corroborator
from corroborator import api

from .conftest import EXAMPLES, REPO

REGATTA = str(EXAMPLES / "2026-03-16-harbour-regatta.txt")


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, api.RunResult]:
    db = tmp_path_factory.mktemp("api") / "news.db"
    return db, corroborator.run([str(EXAMPLES)], db=db, use_model=False)


def test_api_names_every_public_name_and_its_version() -> None:
    from importlib import metadata

    for name in corroborator.__all__:
        assert hasattr(corroborator, name), name
    assert {"run", "ingest", "stories", "fact_sheet", "article_claims", "check", "verify"} <= set(
        corroborator.__all__
    )
    try:
        assert metadata.version("corroborator") == corroborator.__version__
    except metadata.PackageNotFoundError:
        pytest.skip("corroborator is not installed; the version check needs its metadata")


def test_api_import_loads_no_model_and_no_command_line() -> None:
    code = (
        "import sys, corroborator\n"
        "loaded = {'spacy', 'onnxruntime', 'torch', 'typer', 'rich', 'ray'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=120)


def test_api_run_returns_the_run_document(ran: tuple[Path, api.RunResult]) -> None:
    _, result = ran
    report = result.report
    assert (report.read, report.new, report.duplicates, report.copies) == (8, 8, 0, 2)
    assert sorted(Path(r.source).name for r in report.skipped) == ["empty.txt", "wire.jsonl#4"]
    titles = [s["title"] for s in result.stories]
    assert len(titles) == 3 and any("Port Selden" in t for t in titles)
    assert [c.story_id for c in result.checks] == [s["id"] for s in result.stories]
    written = json.loads(result.to_json())
    assert [s["id"] for s in written["stories"]] == [s["id"] for s in result.stories]
    assert written["summary"]["new"] == 8 and len(written["skipped"]) == 2
    assert all(s["claims"] for s in result.stories)
    html = result.to_html()
    assert html.startswith("<!DOCTYPE html>")
    assert all(t.split(",")[0] in html for t in titles)


def test_api_stories_fact_sheet_and_rerun_read_the_same_database(
    ran: tuple[Path, api.RunResult],
) -> None:
    db, result = ran
    listed = corroborator.stories(db)
    assert {s["id"] for s in listed["stories"]} == {s["id"] for s in result.stories}
    story = result.stories[0]
    sheet = corroborator.fact_sheet(story["id"][:6], db, use_model=False)
    assert sheet.story_id == story["id"] and sheet.check.title == story["title"]
    assert story["title"] in sheet.render("md")
    assert json.loads(sheet.render("json"))["id"] == story["id"]
    again = corroborator.ingest([str(EXAMPLES)], db)
    assert (again.new, again.duplicates) == (0, 8)


def test_api_check_places_a_known_article_in_its_story(ran: tuple[Path, api.RunResult]) -> None:
    db, result = ran
    checked = corroborator.check(REGATTA, db, use_model=False)
    regatta = next(s for s in result.stories if "regatta" in s["title"].lower())
    assert checked.document["story"] == regatta["id"]
    assert checked.claims and {c["status"] for c in checked.claims} <= {
        "corroborated", "contradicted", "unverified",
    }  # fmt: skip
    assert json.loads(checked.to_json()) == checked.document
    # sentences count from 1 in every JSON document: the same claim, the same number
    known = {c["id"]: c["sentence"] for c in regatta["claims"]}
    assert all(c["sentence"] >= 1 for c in checked.claims)
    assert [c["sentence"] for c in checked.claims if c["id"] in known] == [
        known[c["id"]] for c in checked.claims if c["id"] in known
    ]


def test_api_article_claims_needs_no_database(tmp_path: Path) -> None:
    result = corroborator.article_claims(REGATTA)
    assert result.article.source == REGATTA
    # every claim has a speaker or is the outlet's own voice (issue 10: "speaker": null)
    assert result.extracted.claims and all(
        c.speaker or c.voice == "outlet" for c in result.extracted.claims
    )
    doc = json.loads(result.to_json())
    assert doc["path"] == REGATTA and len(doc["claims"]) == len(result.extracted.claims)
    # the records count sentences from 0, the JSON (like the pages) from 1
    assert [c["sentence"] for c in doc["claims"]] == [
        c.sentence + 1 for c in result.extracted.claims
    ]
    assert not list(tmp_path.iterdir())


def test_api_errors_are_the_exception_tree(tmp_path: Path) -> None:
    with pytest.raises(corroborator.StoreError, match="no database"):
        corroborator.stories(tmp_path / "missing.db")
    db = tmp_path / "one.db"
    corroborator.ingest([REGATTA], db)
    with pytest.raises(corroborator.NotFound):
        corroborator.fact_sheet("zzzz", db, use_model=False)
    with pytest.raises(corroborator.InputError, match="empty"):
        corroborator.check(str(EXAMPLES / "empty.txt"), db, use_model=False)
    with pytest.raises(corroborator.InputError, match="cannot read"):
        corroborator.verify(tmp_path / "no-such.jsonl", io.StringIO(), progress=False)


def test_api_verify_judges_lines_of_json() -> None:
    lines = [
        json.dumps(
            {"id": 1, "evidence": "The mayor resigned on Monday.", "claim": "The mayor quit."}
        ),
        "not json",
    ]
    out = io.StringIO()
    assert corroborator.verify(lines, out, progress=False) == 2
    first, second = (json.loads(x) for x in out.getvalue().splitlines())
    assert first["id"] == 1 and first["label"] in ("supported", "contradicted", "neither")
    assert "error" in second


def test_api_cli_run_is_one_api_call_plus_its_output(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The command prints what the library returned; it does no work of its own."""
    from typer.testing import CliRunner

    from corroborator import cli
    from corroborator.pipeline import RunReport

    calls = []

    def fake_run(paths: list[str], db: Path, **kwargs: object) -> api.RunResult:
        calls.append((paths, db, kwargs))
        doc = {"stories": [{"id": "s1", "title": "A made-up story", "articles": []}]}
        return api.RunResult(RunReport(read=3, new=2, duplicates=1), (), doc)

    monkeypatch.setattr(api, "run", fake_run)
    out = tmp_path / "out.json"
    proc = CliRunner().invoke(cli.app, ["run", "x/", "--no-model", "--json", str(out)])
    assert proc.exit_code == 0, proc.output
    assert [(p, k["use_model"]) for p, _, k in calls] == [(["x/"], False)]
    assert "read 3, new 2, duplicates 1, copies found 0, skipped 0" in proc.output
    assert "story s1  A made-up story" in proc.output
    assert json.loads(out.read_text())["stories"][0]["id"] == "s1"


@pytest.mark.slow
def test_api_readme_example_runs_and_prints_what_the_readme_says(tmp_path: Path) -> None:
    """The README's "Use it as a library" example, run as written from a folder holding
    examples/, prints the output the README shows."""
    import re
    import shutil

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it as a library", 1)[1].split("\n## ", 1)[0]
    code, shown = re.findall(r"```(?:python)?\n(.*?)```", section, re.S)[:2]
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == shown
    assert (tmp_path / "story.md").read_text(encoding="utf-8").startswith("#")

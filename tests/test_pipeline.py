from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from corroborator.pipeline import Pipeline
from corroborator.store import open_store

from .conftest import EXAMPLES

CORROBORATOR = [sys.executable, "-m", "corroborator"]


def test_pipeline_examples_group_and_copies(db: str) -> None:
    store = open_store(db)
    report = Pipeline(store).run([str(EXAMPLES)])
    assert report.new == 8 and len(report.skipped) == 2
    groups = {title: ids for _, title, ids in store.stories()}
    assert len(groups) == 3
    fire = next(ids for t, ids in groups.items() if "Port Selden" in t)
    regatta = next(ids for t, ids in groups.items() if "regatta" in t)
    assert len(fire) == 5 and len(regatta) == 1
    copies = store.copies()
    outlets = {a.id: a.outlet for a in store.articles()}
    kinds = sorted(
        (outlets[c.article_id] or "?", c.kind, outlets[c.original_id]) for c in copies.values()
    )
    assert kinds == [("?", "near", "Global Wire"), ("Selden Daily Courier", "exact", "Global Wire")]


def test_pipeline_reingest_adds_nothing(db: str) -> None:
    store = open_store(db)
    Pipeline(store).run([str(EXAMPLES)])
    before = dump(db)
    again = Pipeline(store).run([str(EXAMPLES)])
    assert again.new == 0 and again.duplicates == 8 and again.processed == 0
    assert dump(db) == before


def dump(db: str) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    out = {
        "articles": conn.execute(
            "SELECT id, outlet, title, text FROM articles ORDER BY id"
        ).fetchall(),
        "copies": conn.execute(
            "SELECT article_id, original_id, kind FROM copies ORDER BY 1"
        ).fetchall(),
        "stories": conn.execute(
            "SELECT article_id, story_id FROM story_articles ORDER BY 1"
        ).fetchall(),
        "story_titles": conn.execute("SELECT id, title, n FROM stories ORDER BY id").fetchall(),
    }
    conn.close()
    return out


def synthetic_corpus(folder: Path, n: int) -> None:
    """Many distinct small articles made of the examples' words (for the kill/resume test)."""
    rng = random.Random(7)
    vocab = sorted(
        {w for p in EXAMPLES.glob("*.txt") for w in p.read_text().split() if w.isalpha()}
    )
    for k in range(n):
        sentences = [" ".join(rng.choices(vocab, k=12)).capitalize() + "." for _ in range(5)]
        (folder / f"a{k:04d}.txt").write_text(
            f"Item {k} of the day\n\n" + "\n\n".join(sentences) + "\n"
        )


def _ingest_until(db: str, corpus: Path, articles: int) -> subprocess.Popen[str]:
    """Start an ingest and return once the database holds ``articles`` articles or the run
    has ended."""
    proc = subprocess.Popen([*CORROBORATOR, "ingest", str(corpus), "--db", db],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.03)
        try:
            conn = sqlite3.connect(db, timeout=1)
            count = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            continue
        if count >= articles:
            break
    return proc


def _kill_after(db: str, corpus: Path, articles: int) -> bool:
    """Start an ingest and SIGKILL it once the database holds ``articles`` articles; False
    when the run ended first."""
    proc = _ingest_until(db, corpus, articles)
    if proc.poll() is not None:
        proc.communicate()
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    return True


def _lose_folder_mid_run(tmp_path: Path, how: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """An ingest of 150 articles whose database folder is removed or moved away once 10
    articles are stored: (where a moved folder went, and the finished run)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    synthetic_corpus(corpus, 150)
    folder = tmp_path / "dbs"
    folder.mkdir()
    proc = _ingest_until(str(folder / "news.db"), corpus, 10)
    assert proc.poll() is None, "the run ended before its folder could be taken away"
    moved = tmp_path / "moved"
    if how == "removed":
        shutil.rmtree(folder)
    else:
        folder.rename(moved)
    out, err = proc.communicate(timeout=120)
    return moved, subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_pipeline_database_folder_removed_mid_run_one_line_error(tmp_path: Path) -> None:
    """The folder of the database vanishes while a real run writes to it: the run stops at
    its next write with one line that says so, instead of writing on into a deleted file and
    ending 'successfully' having kept nothing."""
    _, proc = _lose_folder_mid_run(tmp_path, "removed")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: database "), proc.stderr
    assert "news.db disappeared during the run" in lines[0]
    assert not (tmp_path / "dbs").exists()  # nothing recreated, nothing written elsewhere


@pytest.mark.slow
def test_pipeline_database_folder_moved_mid_run_left_whole_and_resumable(
    tmp_path: Path,
) -> None:
    """Moved away mid-run: one line, and the database at its new place holds only whole
    articles (no half-written one) and resumes to exactly an uninterrupted run's."""
    moved, proc = _lose_folder_mid_run(tmp_path, "moved")
    assert proc.returncode == 1 and "disappeared during the run" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    db = str(moved / "news.db")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    orphans = conn.execute(
        "SELECT COUNT(*) FROM articles WHERE id NOT IN (SELECT article_id FROM sources)"
    ).fetchone()[0]
    stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    conn.close()
    assert orphans == 0 and 10 <= stored <= 150
    corpus = tmp_path / "corpus"
    subprocess.run(
        [*CORROBORATOR, "ingest", str(corpus), "--db", db], check=True, capture_output=True
    )
    whole = str(tmp_path / "whole.db")
    subprocess.run(
        [*CORROBORATOR, "ingest", str(corpus), "--db", whole], check=True, capture_output=True
    )
    assert dump(db) == dump(whole)


@pytest.mark.slow
def test_pipeline_killed_again_and_again_resumes_to_same_database(tmp_path: Path) -> None:
    """Killed three times at random moments (each kill on the run resumed from the last),
    then run to the end: the database is exactly an uninterrupted run's."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    synthetic_corpus(corpus, 400)
    whole = str(tmp_path / "whole.db")
    subprocess.run(
        [*CORROBORATOR, "ingest", str(corpus), "--db", whole], check=True, capture_output=True
    )
    killed = str(tmp_path / "killed.db")
    rng = random.Random(int(time.time()))
    points = sorted(rng.sample(range(1, 380), 3))
    kills = [_kill_after(killed, corpus, n) for n in points]
    assert any(kills), f"no run could be killed (at {points} articles)"
    subprocess.run(
        [*CORROBORATOR, "ingest", str(corpus), "--db", killed], check=True, capture_output=True
    )
    assert dump(killed) == dump(whole), f"killed at {points} articles"


@pytest.mark.slow
def test_pipeline_killed_run_resumes_to_same_database(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    synthetic_corpus(corpus, 400)
    whole = str(tmp_path / "whole.db")
    subprocess.run(
        [*CORROBORATOR, "ingest", str(corpus), "--db", whole], check=True, capture_output=True
    )

    killed = str(tmp_path / "killed.db")
    assert _kill_after(killed, corpus, 50), (
        "the run ended before it could be killed; make the corpus bigger"
    )
    partial = dump(killed)
    assert 0 < len(partial["articles"]) < 400 or len(partial["stories"]) < 400

    subprocess.run(
        [*CORROBORATOR, "ingest", str(corpus), "--db", killed], check=True, capture_output=True
    )
    assert dump(killed) == dump(whole)


def test_pipeline_cli_run_json_document(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    db = tmp_path / "cli.db"
    proc = subprocess.run(
        [*CORROBORATOR, "run", str(EXAMPLES), "--db", str(db), "--json", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "read 8, new 8, duplicates 0, copies found 2, skipped 2" in proc.stdout
    doc = json.loads(out.read_text())
    assert len(doc["stories"]) == 3
    for story in doc["stories"]:
        assert {"id", "title", "articles"} <= set(story)
        for a in story["articles"]:
            assert {"id", "path", "url", "outlet", "title", "published", "copy_of"} <= set(a)
    paths = [a["path"] for s in doc["stories"] for a in s["articles"]]
    assert any(p.endswith("wire.jsonl#2") for p in paths)
    assert any(p.endswith("valley-public-radio.rss#1") for p in paths)
    assert sorted(s["path"].rsplit("/", 1)[-1] for s in doc["skipped"]) == [
        "empty.txt",
        "wire.jsonl#4",
    ]


def test_pipeline_cli_exit_status(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    db = str(tmp_path / "x.db")
    bad = subprocess.run(
        [*CORROBORATOR, "run", str(empty), "--db", db], capture_output=True, text=True
    )
    assert bad.returncode == 1 and "skipped 1" in bad.stdout
    notdb = tmp_path / "notes.db"
    notdb.write_text("not a database " * 200)
    missing = subprocess.run(
        [*CORROBORATOR, "stories", "--db", str(notdb)], capture_output=True, text=True
    )
    assert missing.returncode != 0 and "error:" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


def test_pipeline_cli_errors_are_one_line(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*CORROBORATOR, *args], capture_output=True, text=True)

    missing_folder = run("run", str(EXAMPLES), "--db", str(tmp_path / "no" / "such" / "x.db"))
    assert missing_folder.returncode == 1
    assert "folder" in missing_folder.stderr and "does not exist" in missing_folder.stderr
    bad_out = run(
        "run",
        str(EXAMPLES),
        "--db",
        str(tmp_path / "a.db"),
        "--json",
        str(tmp_path / "no" / "o.json"),
    )
    assert bad_out.returncode == 1 and "does not exist" in bad_out.stderr
    assert not (tmp_path / "a.db").exists()  # failed before doing the work
    no_db = run("stories", "--db", str(tmp_path / "typo.db"))
    assert no_db.returncode == 1 and "no database" in no_db.stderr
    assert not (tmp_path / "typo.db").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("run", str(empty), "--db", str(tmp_path / "b.db"), "-o", str(tmp_path / "r.html"))
    assert nothing.returncode == 1 and "nothing to read" in nothing.stdout
    assert "No stories" in (tmp_path / "r.html").read_text()
    for proc in (missing_folder, bad_out, no_db):
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_pipeline_cli_json_to_stdout_is_valid_json(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*CORROBORATOR, "run", str(EXAMPLES / "wire.jsonl"), "--db", str(tmp_path / "j.db"),
         "--json", "-", "--no-model"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert len(doc["stories"]) == 2 and "read 3" in proc.stderr


# --- one record's failure is rejected, counted and listed; the run goes on -----------------


def run_cli(tmp_path: Path, *extra: str) -> tuple[int, str, dict[str, Any]]:
    """`corroborator run examples/` in this process (so monkeypatches hold)."""
    from typer.testing import CliRunner

    from corroborator.cli import app

    out = tmp_path / "run.json"
    db = tmp_path / "run.db"
    result = CliRunner().invoke(
        app, ["run", str(EXAMPLES), "--db", str(db), "--json", str(out), *extra]
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    doc = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    return result.exit_code, result.output, doc


def is_regatta(article: Any) -> bool:
    return str(article.source).endswith("harbour-regatta.txt")


def test_pipeline_claims_raising_on_one_article_rejects_only_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corroborator.claims import ClaimExtractor

    real = ClaimExtractor.extract_many

    def flaky(self: ClaimExtractor, articles: Any) -> Any:
        articles = list(articles)
        if any(is_regatta(a) for a in articles):
            raise IndexError("list index out of range")
        return real(self, articles)

    monkeypatch.setattr(ClaimExtractor, "extract_many", flaky)
    code, output, doc = run_cli(tmp_path, "--no-model")
    assert code == 0
    regatta = next(a["id"] for s in doc["stories"] for a in s["articles"] if is_regatta_entry(a))
    assert [(e["stage"], e["article"], e["story"]) for e in doc["errors"]] == [
        ("claims", regatta, None)
    ]
    assert doc["errors"][0]["reason"].startswith("IndexError: list index out of range (")
    assert "\n" not in doc["errors"][0]["reason"]
    # the other seven articles are grouped and cross-checked as in a clean run
    fire = next(s for s in doc["stories"] if "Port Selden" in s["title"])
    assert len(fire["articles"]) == 5 and fire["claims"]
    assert {c["article"] for c in fire["claims"]} >= {a["id"] for a in fire["articles"]} - {
        a["id"] for a in fire["articles"] if a["copy_of"]
    }
    assert "errors 1" in output
    assert f"error in claims, article {regatta}: IndexError" in output


def is_regatta_entry(entry: dict[str, Any]) -> bool:
    return str(entry["path"]).endswith("harbour-regatta.txt")


def test_pipeline_crosscheck_raising_on_one_story_rejects_only_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import corroborator.pipeline as pipeline

    real = pipeline.crosscheck

    def flaky(story_id: str, title: str, articles: Any, *args: Any, **kwargs: Any) -> Any:
        if any(is_regatta(a) for a in articles):
            raise KeyError("speaker")
        return real(story_id, title, articles, *args, **kwargs)

    monkeypatch.setattr(pipeline, "crosscheck", flaky)
    code, output, doc = run_cli(tmp_path, "--no-model", "-o", str(tmp_path / "r.html"))
    assert code == 0
    regatta = next(s for s in doc["stories"] if any(is_regatta_entry(a) for a in s["articles"]))
    assert [(e["stage"], e["article"], e["story"]) for e in doc["errors"]] == [
        ("crosscheck", None, regatta["id"])
    ]
    assert "claims" not in regatta  # no fact sheet for it
    others = [s for s in doc["stories"] if s["id"] != regatta["id"]]
    assert len(others) == 2 and all("claims" in s for s in others)
    assert f"error in crosscheck, story {regatta['id']}: KeyError" in output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Port Selden" in html and "regatta" not in html.lower()


def test_pipeline_grouping_stage_raising_on_one_article_rejects_only_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import corroborator.pipeline as pipeline

    real = pipeline._GroupingRun.stories

    def flaky(self: Any, g: Any) -> Any:
        if is_regatta(g.article):
            raise ZeroDivisionError("division by zero")
        return real(self, g)

    monkeypatch.setattr(pipeline._GroupingRun, "stories", flaky)
    db = str(tmp_path / "g.db")
    store = open_store(db)
    report = Pipeline(store).run([str(EXAMPLES)])
    assert report.processed == 7 and report.new == 8
    (error,) = report.errors
    regatta = next(a.id for a in store.articles() if is_regatta(a))
    assert (error.stage, error.article) == ("stories", regatta)
    assert error.reason.startswith("ZeroDivisionError: division by zero (test_pipeline.py:")
    # rolled back: no story, no copy link, no features for it; the run after the fix
    # picks it up, and the other articles' stories are as in a clean run
    assert store.story_of(regatta) is None and store.unprocessed() == [regatta]
    assert sorted(len(ids) for _, _, ids in store.stories()) == [2, 5]
    monkeypatch.setattr(pipeline._GroupingRun, "stories", real)
    again = Pipeline(store).run([str(EXAMPLES)])
    assert again.processed == 1 and not again.errors
    assert sorted(len(ids) for _, _, ids in store.stories()) == [1, 2, 5]


def test_pipeline_exit_status_non_zero_only_when_nothing_processed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corroborator.claims import ClaimExtractor

    def broken(self: ClaimExtractor, articles: Any) -> Any:
        raise RuntimeError("broken extractor")

    monkeypatch.setattr(ClaimExtractor, "extract_many", broken)
    code, output, doc = run_cli(tmp_path, "--no-model")
    assert code == 1  # every article failed
    assert len(doc["errors"]) == 8 and {e["stage"] for e in doc["errors"]} == {"claims"}
    assert "errors 8" in output


def test_pipeline_model_failing_to_load_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corroborator import entailment
    from corroborator.errors import ModelError

    def missing(self: Any) -> None:
        raise ModelError("entailment model file is missing")

    monkeypatch.setattr(entailment.EntailmentModel, "__init__", missing)
    code, output, doc = run_cli(tmp_path)
    assert code == 0 and not doc["errors"]
    (warning,) = doc["warnings"]
    assert "entailment model file is missing" in warning and "rules only" in warning
    assert output.count("warning:") == 1


def test_pipeline_claims_extracted_ahead_are_the_claims_extracted_after(tmp_path: Path) -> None:
    """Options.claims_ahead (what `run` sets) extracts claims in a worker thread while the
    articles are grouped: the stories, claims and verdicts are those of a run without it."""
    from corroborator import documents
    from corroborator.pipeline import Options, Pipeline
    from corroborator.store import open_store

    def story_claims(ahead: bool) -> list[tuple[str, list[str], list[str]]]:
        store = open_store(str(tmp_path / f"ahead-{ahead}.db"))
        pipeline = Pipeline(store, Options(use_model=False, claims_ahead=ahead))
        report = pipeline.run([str(EXAMPLES)])
        if ahead:
            assert pipeline._claims_ready and report.seconds.get("claims", 0) > 0
        checks = pipeline.check_stories(report.stories, report)
        assert not pipeline._claims_ready  # every claim extracted ahead was stored
        doc = documents.stories_document(store, report.stories, report, checks)
        return sorted(
            (s["title"], sorted(c["text"] for c in s["claims"]),
             sorted(f"{v['reason']}" for v in s["agreements"]))
            for s in doc["stories"]
        )  # fmt: skip

    assert story_claims(True) == story_claims(False)

"""``corroborator run --ray`` (distributed.py): the same result as one process, on a local
Ray cluster of 2 CPUs; a clear line when Ray is not installed; Ray only in its adapter."""

from __future__ import annotations

import html
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from .conftest import DATA, EXAMPLES, REPO

ALLSIDES = DATA / "stories" / "allsides"


def _allsides_articles(stories: int) -> list[dict[str, Any]]:
    """The articles of the first ``stories`` AllSides stories (several outlets each), as
    JSON Lines records; none when the shared data is absent."""
    files = sorted(ALLSIDES.glob("*.jsonl")) if ALLSIDES.is_dir() else []
    out: list[dict[str, Any]] = []
    for line in files[0].read_text(encoding="utf-8").splitlines()[:stories] if files else []:
        story = json.loads(line)
        for side, item in sorted((story.get("news") or {}).items()):
            body = "\n\n".join(p for p in item.get("newBody") or [] if p.strip())
            if body:
                out.append(
                    {"text": body, "title": item.get("newsTitle"), "outlet": item.get("newsSource"),
                     "url": f"https://{side}.example/{story['id']}", "published": story.get("date")}
                )  # fmt: skip
    return out


def _warc(pages: list[tuple[str, str]]) -> bytes:
    """A gzipped WARC of (url, HTML page) responses."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, page in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(page.encode()), http_headers=headers
        )
        writer.write_record(record)
    return buf.getvalue()


def _page(article: dict[str, Any]) -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in article["text"].split("\n\n"))
    title = html.escape(article["title"] or "")
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paras}</article></body></html>"


def _folder(root: Path) -> Path:
    """Shards of every kind the readers take: two JSON Lines shards and a WARC of real
    AllSides articles (when ../shared/data is there), plain-text files, and a WARC of the
    example page."""
    root.mkdir()
    articles = _allsides_articles(4)
    half = len(articles) // 3
    for k, part in enumerate((articles[:half], articles[half : 2 * half])):
        (root / f"shard-{k}.jsonl").write_text(
            "".join(json.dumps(a) + "\n" for a in part), encoding="utf-8"
        )
    pages = [(a["url"], _page(a)) for a in articles[2 * half :]]
    example = (EXAMPLES / "2026-03-15-riverside-herald.html").read_text(encoding="utf-8")
    pages.append(("https://herald.example/plant-fire", example))
    (root / "archive.warc.gz").write_bytes(_warc(pages))
    texts = root / "texts"
    texts.mkdir()
    for name in ("2026-03-15-plantfire-rewrite.txt", "2026-03-16-harbour-regatta.txt"):
        (texts / name).write_text((EXAMPLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[Any]:
    """A local Ray cluster of 2 CPUs for the module (the runs join it)."""
    pytest.importorskip("ray", reason="ray not installed (pip install 'corroborator[ray]')")
    from corroborator.distributed import RayOptions, cluster

    with cluster(RayOptions(num_cpus=2)) as ray:
        yield ray


def _comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """The run document as it is: nothing in it is a timing or a per-run id (story and
    article ids are hashes of their content and sources, the same in both runs)."""
    return json.loads(json.dumps(doc))


@pytest.mark.slow
def test_distributed_run_on_ray_equals_one_process(local_cluster: Any, tmp_path: Path) -> None:
    import corroborator
    from corroborator.distributed import RayOptions

    paths = [str(EXAMPLES), str(_folder(tmp_path / "shards"))]
    alone = corroborator.run(paths, db=tmp_path / "one.db", use_model=False)
    on_ray = corroborator.run(
        paths, db=tmp_path / "ray.db", use_model=False, ray=RayOptions(workers=2)
    )
    one, ray = _comparable(alone.document), _comparable(on_ray.document)
    # something to compare: several stories with claims and verdicts, rejections, copies
    assert len(one["stories"]) >= 3 and one["summary"]["copies"] >= 1 and one["skipped"]
    assert sum(len(s.get("claims", [])) for s in one["stories"]) >= 20
    assert [s["id"] for s in ray["stories"]] == [s["id"] for s in one["stories"]]
    for a, b in zip(one["stories"], ray["stories"], strict=True):
        assert [x["id"] for x in b["articles"]] == [x["id"] for x in a["articles"]]
        assert b.get("claims") == a.get("claims"), a["id"]
        for key in ("corroborated", "conflicts", "single_source"):
            assert b.get(key) == a.get(key), (a["id"], key)
    assert ray == one
    # the worker's share of the work is in the report: every stage timed
    assert {"read", "clean", "features", "claims", "copies", "stories"} <= set(
        on_ray.report.seconds
    )


def test_distributed_without_ray_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corroborator.cli import app

    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    db = tmp_path / "never.db"
    result = CliRunner().invoke(app, ["run", str(EXAMPLES), "--db", str(db), "--ray"])
    assert result.exit_code == 1
    message = result.output.strip()
    assert len(message.splitlines()) == 1, message
    assert "pip install 'corroborator[ray]'" in message
    assert not db.exists()  # said before anything is written


def test_distributed_only_the_adapter_imports_ray() -> None:
    package = REPO / "src" / "corroborator"
    importers = sorted(
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if any(
            line.strip().startswith(("import ray", "from ray"))
            for line in p.read_text(encoding="utf-8").splitlines()
        )
    )
    assert importers == ["distributed.py"]


def test_distributed_cli_ray_options_reach_the_library(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """--ray runs on a local cluster, --ray-address on the one it names; neither: no Ray."""
    from corroborator import api, cli
    from corroborator.distributed import RayOptions
    from corroborator.pipeline import RunReport

    engines = []

    def fake_run(paths: list[str], db: str, **kwargs: Any) -> api.RunResult:
        engines.append(kwargs["ray"])
        return api.RunResult(RunReport(read=1, new=1), (), {"stories": []})

    monkeypatch.setattr(api, "run", fake_run)
    for extra in ([], ["--ray"], ["--ray-address", "ray://head:10001"]):
        proc = CliRunner().invoke(cli.app, ["run", "x/", "--db", str(tmp_path / "d.db"), *extra])
        assert proc.exit_code == 0, proc.output
    assert engines == [None, RayOptions(), RayOptions(address="ray://head:10001")]


@pytest.mark.slow
def test_distributed_worker_model_error_stops_the_run_with_its_message(
    local_cluster: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model a worker cannot load stops the run as the ModelError it raised (its own
    one-line message, out of Ray's wrapping), as it would in one process."""
    from corroborator import distributed
    from corroborator.errors import ModelError
    from corroborator.pipeline import Options, Pipeline
    from corroborator.store import open_store

    def failing_worker() -> type:
        class Failing(distributed._Worker):  # local: Ray ships it by value
            def __init__(self, options: Options, threads: int) -> None:
                raise ModelError("cannot load the story encoder at /nowhere; reinstall")

        return Failing

    monkeypatch.setattr(distributed, "_Worker", failing_worker())
    store = open_store(str(tmp_path / "fail.db"))
    try:
        with pytest.raises(ModelError, match="cannot load the story encoder at /nowhere"):
            distributed.ingest(Pipeline(store, Options(use_model=False)), [str(EXAMPLES)])
    finally:
        store.close()


@pytest.mark.slow
def test_distributed_run_on_ray_writes_postgresql(
    local_cluster: Any, tmp_path: Path, postgres_url: str
) -> None:
    """The driver writes through the store interface: a Ray run into PostgreSQL gives the
    document a single-process run into SQLite gives."""
    import corroborator
    from corroborator.distributed import RayOptions

    alone = corroborator.run([str(EXAMPLES)], db=tmp_path / "one.db", use_model=False)
    on_ray = corroborator.run([str(EXAMPLES)], db=postgres_url, use_model=False, ray=RayOptions())
    assert alone.document["stories"] and on_ray.document == alone.document

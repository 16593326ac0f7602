"""`corroborator claims` on a file holding several articles shows each of them, and
FILE#N picks one."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corroborator import api, cli

ITEMS = [
    ("Harbour budget", "The mayor said the council approved the harbour budget on Monday."),
    ("Bridge closed", "Police said the old bridge will stay closed until Friday."),
    (
        "Bahn senkt Preise",
        "Die Bahn senkt ihre Preise auf der Strecke zwischen Berlin und München. Ein privater "
        "Anbieter hatte zuvor Fahrkarten für 19 Euro angekündigt.",
    ),
]


def feed(tmp_path: Path) -> Path:
    items = "".join(
        f"<item><title>{t}</title><link>https://town.example/{k}</link>"
        f"<description>{d}</description></item>"
        for k, (t, d) in enumerate(ITEMS)
    )
    path = tmp_path / "news.xml"
    path.write_text(f"<?xml version='1.0'?><rss><channel>{items}</channel></rss>", "utf-8")
    return path


def test_claims_of_every_item(tmp_path: Path) -> None:
    path = feed(tmp_path)
    results = api.all_claims(str(path))
    assert [r.article.source for r in results] == [f"{path}#{k}" for k in (1, 2, 3)]
    speakers = [{c.speaker for c in r.extracted.claims} for r in results]
    assert "The mayor" in speakers[0] and "Police" in speakers[1]
    assert results[2].article.language == "de" and results[2].extracted.claims == ()
    run = CliRunner().invoke(cli.app, ["claims", str(path)])
    assert run.exit_code == 0, run.output
    for k in (1, 2, 3):
        assert f"== {path}#{k}" in run.output
    assert "not English (de): no claims" in run.output
    doc = json.loads(CliRunner().invoke(cli.app, ["claims", str(path), "--json", "-"]).output)
    assert [d["path"] for d in doc["articles"]] == [f"{path}#{k}" for k in (1, 2, 3)]
    assert doc["articles"][2]["language"] == "de"


def test_claims_of_item_n(tmp_path: Path) -> None:
    path = feed(tmp_path)
    [result] = api.all_claims(f"{path}#2")
    assert result.article.title == "Bridge closed"
    assert api.article_claims(f"{path}#2").article.title == "Bridge closed"
    doc = json.loads(CliRunner().invoke(cli.app, ["claims", f"{path}#2", "--json", "-"]).output)
    assert doc["path"] == f"{path}#2"
    missing = CliRunner().invoke(cli.app, ["claims", f"{path}#9"])
    assert missing.exit_code != 0 and "no record" in missing.output

"""Language: every article gets one; articles of different languages never share a story;
non-English articles get no English claim extraction and the run summary counts them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corroborator.documents import article_entry
from corroborator.language import detect, group_key, is_english
from corroborator.pipeline import Pipeline
from corroborator.store import open_store

from .conftest import DATA, needs_data

GERMAN = {
    "buchpreis.txt": (
        "Der Deutsche Buchpreis geht in diesem Jahr an eine Autorin aus Leipzig. Die Jury "
        "lobte am Montag in Frankfurt ihren Roman über eine Familie im Erzgebirge. Der Preis "
        "ist mit 25.000 Euro dotiert und wird zum Auftakt der Buchmesse verliehen. Die "
        "Autorin sagte, sie habe mit der Auszeichnung nicht gerechnet."
    ),
    "robotaxi.txt": (
        "In Hamburg fahren seit Dienstag die ersten Robotaxis ohne Fahrer durch die "
        "Innenstadt. Der Betreiber will bis zum Jahresende hundert Fahrzeuge einsetzen. Die "
        "Stadt hatte die Genehmigung nach einem zweijährigen Testbetrieb erteilt. Kritiker "
        "bemängeln, dass die Sicherheitsdaten nicht veröffentlicht wurden."
    ),
    "bahn.txt": (
        "Die Bahn senkt ihre Preise auf der Strecke zwischen Berlin und München. Ein privater "
        "Anbieter hatte zuvor Fahrkarten für 19 Euro angekündigt. Verbraucherschützer "
        "begrüßten den Preiskampf, warnten aber vor versteckten Gebühren. Die neuen Tarife "
        "gelten ab dem ersten Dezember."
    ),
}
ENGLISH = {
    "council.txt": (
        "The city council approved the harbour budget on Monday after a long debate. The "
        "mayor said the money would repair the old sea wall. Work is due to start in spring "
        "and take two years. Opposition members said the plan came too late."
    ),
    "prize.txt": (
        "A novelist from Leipzig won the German Book Prize on Monday in Frankfurt. The jury "
        "praised her novel about a family in the Ore Mountains. The prize is worth 25,000 "
        "euros and opens the book fair. The author said she had not expected to win."
    ),
}


def test_detect_languages() -> None:
    assert detect(GERMAN["bahn.txt"])[0] == "de"
    assert detect(ENGLISH["council.txt"])[0] == "en"
    assert detect("Le conseil municipal a approuvé le budget du port lundi soir.")[0] == "fr"
    assert detect("OK")[0] == "und" and detect("")[0] == "und"
    assert is_english("und") and is_english(None) and not is_english("de")
    assert group_key("und") == "en" and group_key("de") == "de"


def test_german_and_english_pages_never_share_a_story(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in {**GERMAN, **ENGLISH}.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = open_store(str(tmp_path / "c.db"))
    pipeline = Pipeline(store)
    report = pipeline.run([str(folder)])
    assert report.new == 5 and report.not_english == 3
    assert report.as_dict()["not_english"] == 3
    languages = {a.id: a.language for a in store.articles()}
    assert sorted(languages.values()) == ["de", "de", "de", "en", "en"]
    for _, _, ids in store.stories():
        assert len({group_key(languages[i]) for i in ids}) == 1, ids
    # The English and German reports of one prize are one event, but not one story here;
    # the English-only embeddings cannot tell German topics apart: each is its own story.
    german = [i for i, lang in languages.items() if lang == "de"]
    assert len({store.story_of(i) for i in german}) == 3
    claims = pipeline.claims(list(languages))
    assert all(claims[i].claims == () for i in german)
    assert any(claims[i].claims for i in languages if i not in german)
    entry = article_entry(store, german[0], {})
    assert json.loads(json.dumps(entry))["language"] == "de"


def test_summary_counts_not_english(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corroborator import cli

    path = tmp_path / "bahn.txt"
    path.write_text(GERMAN["bahn.txt"], encoding="utf-8")
    db = str(tmp_path / "c.db")
    result = CliRunner().invoke(cli.app, ["run", str(path), "--db", db, "--no-model"])
    assert "1 not English: no claims" in result.output, result.output


@pytest.mark.slow
@needs_data
def test_real_pages_never_share_a_story_across_languages(tmp_path: Path) -> None:
    """The 500 pages of data/pages (German, English, Spanish, Polish, French...): every
    story holds one language, and no story of two or more pages is not English."""
    store = open_store(str(tmp_path / "pages.db"))
    Pipeline(store).run([str(DATA / "pages" / "html")])
    languages = {a.id: a.language for a in store.articles()}
    assert len(set(languages.values())) > 3
    copies = store.copies()
    for _, _, ids in store.stories():
        assert len({group_key(languages[i]) for i in ids}) == 1, ids
        if not is_english(languages[ids[0]]):  # an original and its copies only
            assert sum(i not in copies for i in ids) == 1, ids

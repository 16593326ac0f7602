"""The prose check of web pages (ingest/prose.py) and the page metadata a reader can trust
(ingest/metadata.py), on pages written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborator.clean import clean
from corroborator.errors import EmptyInput
from corroborator.ingest import read_one
from corroborator.ingest.html import extract_html
from corroborator.ingest.metadata import outlet_agrees, page_title, trusted_authors
from corroborator.ingest.prose import check_blocks, marker_of, not_an_article
from corroborator.records import RawDocument

PROSE = (
    "The city council approved a new budget for the harbour district on Monday, after a "
    "debate that lasted well into the evening. "
)


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Read more: Council backs harbour plan", "teaser"),
        ("Lea también: Impiden ingreso a reportero", "teaser"),
        ("Czytaj też: Wyścig zbrojeń ruszył z kopyta", "teaser"),
        ("Never miss the latest news by signing up to our newsletter today!", "subscribe"),
        ("Submit your letter to the editor via this form. Read more Letters.", "form"),
        ("If you enjoyed reading this post – would you consider supporting our work?", "subscribe"),
        ("Schreib einen Kommentar", "comments"),
        ("120 Kommentare", "comments"),
        ("Foto: Lukasz Nowaczyk / Agencja Gazeta", "credit"),
        ("© 2020 General Mills All Rights Reserved", "credit"),
        ("Anzeige, enthält Affiliate Links", "advert"),
        ("Letzte Änderung 14.02.2019", "page"),
        ("23.10.2018", "page"),
        ('{{nrco.contentDetailController.content.status === "published"}}', "template"),
        ("Kongress (Foto: Natacha Pisarenko/Pool via REUTERS).", "caption"),
        ("Weitere Informationen erteilt Anne Althaus unter Tel. 02382 59743.", None),
        (PROSE, None),
    ],
)
def test_ingest_prose_markers(text: str, reason: str | None) -> None:
    assert marker_of(text) == reason


def test_ingest_prose_teaser_heading_drops_the_headlines_after_it() -> None:
    blocks = [
        ("p", PROSE),
        ("head", "Related stories"),
        ("p", "Harbour plan wins council backing"),
        ("p", "Mayor opens new ferry terminal"),
        ("p", PROSE + "The vote was 7 to 2."),
    ]
    verdicts = check_blocks(blocks)
    assert [v.keep for v in verdicts] == [True, False, False, False, True]
    assert {v.reason for v in verdicts if not v.keep} == {"teaser"}


def test_ingest_prose_program_code_is_kept() -> None:
    [verdict] = check_blocks([("code", ">>> def foo(bar=[]):  # bar is optional")])
    assert verdict.keep


def test_ingest_prose_heading_repeating_the_title_is_the_title() -> None:
    blocks = [("head", "Verbraucherschutz Mehr Transparenz bei Preisanpassungen"), ("p", PROSE)]
    verdicts = check_blocks(blocks, title="Mehr Transparenz bei Preisanpassungen")
    assert verdicts[0].reason == "title" and verdicts[1].keep


def test_ingest_prose_not_an_article() -> None:
    caption = [("p", "Cristina Kirchner y Alberto Fernández, el 1 de marzo, en el Congreso.")]
    assert not_an_article(caption, check_blocks(caption)) == "caption only"
    headlines = [("head", "Council backs harbour plan"), ("p", "Mayor opens ferry terminal")]
    assert not_an_article(headlines, check_blocks(headlines)) == "headlines only"
    article = [("p", PROSE * 3)]
    assert not_an_article(article, check_blocks(article)) is None
    short_post = [("p", "Who slips next on the ice? Me: I bet you do. Ouch! You win!")]
    assert not_an_article(short_post, check_blocks(short_post)) is None


def test_ingest_prose_page_keeps_the_article_and_drops_the_rest() -> None:
    html = page(
        "<article><h1>Council approves harbour budget</h1>"
        + "".join(f"<p>{PROSE}Paragraph {n} adds detail on the plan.</p>" for n in range(4))
        + "<p>Read more: Mayor opens new ferry terminal</p>"
        + "<p>Subscribe now to our eNATION edition for the full story.</p>"
        + '<p>{{ctrl.content.status === "published" ? ctrl.content.title : ""}}</p>'
        + "<p>Photo: Jane Roe / Harbour Times</p></article>",
        head="<title>Council approves harbour budget - Harbour Times</title>",
    )
    doc = extract_html("page.html", html)
    assert "Paragraph 3 adds detail" in doc.text
    for gone in ("Read more", "Subscribe now", "{{", "Photo: Jane Roe"):
        assert gone not in doc.text
    kinds = {r.kind for r in doc.removed}
    assert {"teaser", "subscribe", "template", "credit"} <= kinds
    article = clean(doc)
    assert {"teaser", "subscribe", "template", "credit"} <= {r.kind for r in article.removed}
    assert article.title == "Council approves harbour budget"


def test_ingest_prose_caption_only_page_is_skipped_with_reason(tmp_path: Path) -> None:
    path = tmp_path / "photo.html"
    path.write_text(
        page("<article><p>Firefighters at the Larkfield plant on Saturday morning.</p></article>"),
        encoding="utf-8",
    )
    [rejection] = list(read_one(str(path)))
    assert not isinstance(rejection, RawDocument)
    assert rejection.reason.startswith("not an article")
    with pytest.raises(EmptyInput, match="not an article"):
        extract_html("x", path.read_text(encoding="utf-8"))


def test_ingest_prose_lead_shown_on_the_page_comes_first() -> None:
    lead = "The harbour district gets a new budget after a long night of debate in the council."
    html = page(
        f'<div class="lead"><strong>{lead}</strong></div>'
        + "<article>"
        + "".join(f"<p>{PROSE}Paragraph {n}.</p>" for n in range(4))
        + "</article>",
        head=f'<meta name="description" content="{lead}">',
    )
    doc = extract_html("page.html", html)
    assert doc.text.startswith(lead) or lead in doc.text


def test_ingest_metadata_authors_that_are_not_people_are_dropped() -> None:
    found = trusted_authors(
        ["So Artikel Empfehlen", "Hamburg", "Germany", "Letters", "Tagesschau De", "Kj",
         "Art Edwards says", "NATURSTROM AG", "Jane Doe", "Jane Doe", "Ursula von der Leyen"],
        sitename="tagesschau.de",
        url="https://www.tagesschau.de/inland/x.html",
        sections=["Letters", "Inland"],
    )  # fmt: skip
    assert found == ("Jane Doe", "Ursula von der Leyen")


@pytest.mark.parametrize(
    ("sitename", "url", "agrees"),
    [
        ("Technology Review", "https://www.heise.de/hintergrund/x.html", False),
        ("Spektrum", "https://www.spektrum.de/news/x", True),
        ("MDR.DE", "https://www.mdr.de/thueringen/x.html", True),
        ("Neue Zürcher Zeitung", "https://www.nzz.ch/international/x", True),
        ("The Guardian", "https://www.theguardian.com/world/x", True),
        ("BBC News", "https://www.bbc.co.uk/news/x", True),
        ("Anything", None, True),
        (None, "https://www.heise.de/", False),
    ],
)
def test_ingest_metadata_outlet_agrees_with_domain(
    sitename: str | None, url: str | None, agrees: bool
) -> None:
    assert outlet_agrees(sitename, url) is agrees


def test_ingest_metadata_page_title_without_the_site() -> None:
    url = "https://www.strafprozess.ch/rasende-polizisten/"
    assert page_title(
        "Rasende Polizisten - strafprozess.ch", heading=None, sitename=None, url=url
    ) == ("Rasende Polizisten")
    assert (
        page_title(
            "Musik und Sport | Teufel Blog",
            heading=None,
            sitename="Das Lautsprecher Teufel Blog",
            url=None,
        )
        == "Musik und Sport"
    )
    assert page_title("Covid-19: Lässt sich das kontrollieren?", heading="Lässt sich das kontrollieren?",
                      sitename=None, url=None) == "Lässt sich das kontrollieren?"  # fmt: skip
    assert page_title("War and Peace - a novel", heading=None, sitename="Books", url=None) == (
        "War and Peace - a novel"
    )


def test_ingest_metadata_outlet_is_the_domain_when_the_site_name_disagrees() -> None:
    html = page(
        "<article>" + "".join(f"<p>{PROSE}Paragraph {n}.</p>" for n in range(4)) + "</article>",
        head='<meta property="og:site_name" content="Technology Review">'
        '<link rel="canonical" href="https://www.heise.de/hintergrund/harbour.html">'
        '<meta name="author" content="So Artikel Empfehlen">',
    )
    article = clean(extract_html("page.html", html))
    assert article.outlet == "heise.de"
    assert article.authors == ()


def test_ingest_encoding_kept_with_replacements(tmp_path: Path) -> None:
    koi8 = tmp_path / "news.txt"
    koi8.write_bytes(
        ("Новости дня\n\n" + "Правительство объявило новые меры поддержки. " * 8).encode("koi8-r")
    )
    [doc] = list(read_one(str(koi8)))
    assert isinstance(doc, RawDocument) and doc.encoding == "koi8-r" and doc.replaced == 0
    article = clean(doc)
    assert article.encoding == "koi8-r" and "Правительство" in article.text
    utf8 = tmp_path / "broken.txt"
    utf8.write_bytes(
        "Der Bürgermeister sagte am Montag, die Brücke bleibe offen. ".encode() * 3 + b"\xff\xfe"
    )
    [doc] = list(read_one(str(utf8)))
    assert isinstance(doc, RawDocument)
    assert clean(doc).encoding == "utf-8" and clean(doc).replaced == 2

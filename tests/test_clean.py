from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corroborator.clean import clean
from corroborator.errors import EmptyInput
from corroborator.records import RawDocument

from .conftest import SEEDS, needs_seeds


def raw(text: str, **kw: object) -> RawDocument:
    return RawDocument(source="t.txt", text=text, fmt="txt", **kw)  # type: ignore[arg-type]


def test_clean_repeated_caption_removed_and_wire_kept() -> None:
    cap = "A woman crosses a flooded street in the old town on Monday"
    text = f"{cap}\n{cap} AFP\n\nThe river rose two metres overnight, officials said.\n"
    a = clean(raw(text))
    assert a.text == "The river rose two metres overnight, officials said."
    assert a.wire == "AFP" and a.outlet == "AFP"
    assert [r.kind for r in a.removed] == ["caption"]


def test_clean_credit_and_comment_residue_removed() -> None:
    text = (
        "The port reopened on Tuesday, the harbour master said.\n"
        "Reporting by Ann Lee; Editing by Tom Ray\n"
        "Share this article\n"
        "0 Comments"
    )
    a = clean(raw(text))
    assert a.text == "The port reopened on Tuesday, the harbour master said."
    assert a.wire == "Reuters"
    assert {r.kind for r in a.removed} == {"credit", "residue"}


def test_clean_dateline_names_the_wire() -> None:
    a = clean(
        raw("OSLO, May 2 (Global Wire) - Ferries stopped running on Friday, the operator said.")
    )
    assert a.wire == "Global Wire"
    assert a.text.startswith("Ferries stopped")


@pytest.mark.parametrize(
    ("line", "dateline", "wire"),
    [
        ("KARSA, May 4 - Thirty people were killed, police said.", "KARSA, May 4 -", None),
        ("SEOUL (Reuters) - South Korea summoned the envoy.", "SEOUL (Reuters) -", "Reuters"),
        ("NAIROBI, Kenya — Rains closed the road, officials said.", "NAIROBI, Kenya —", None),
        ("Port Selden, March 14 (Global Wire) – Fire hit a plant.", "Port Selden, March 14 (Global Wire) –", "Global Wire"),
        ("WASHINGTON — The Senate voted on Tuesday.", "WASHINGTON —", None),
        ("LOS ANGELES, Calif., May 4 (AP) -- Police said two died.", "LOS ANGELES, Calif., May 4 (AP) --", "AP"),
    ],
)  # fmt: skip
def test_clean_datelines_of_every_common_form(line: str, dateline: str, wire: str | None) -> None:
    a = clean(raw(line))
    assert [r.text for r in a.removed if r.kind == "dateline"] == [dateline]
    assert a.wire == wire
    # offsets still point into the original
    start, end = a.to_original(0, len(a.text))
    assert a.original[start:end] == a.text


@pytest.mark.parametrize(
    "line",
    [
        "Meanwhile, officials — the mayor among them — said nothing.",
        "NATO - The alliance met on Monday.",
        "US — A jury found him guilty.",
        "Smith, 45 - The driver was not hurt.",
    ],
)
def test_clean_prose_is_not_taken_for_a_dateline(line: str) -> None:
    a = clean(raw(line))
    assert a.text == line and not [r for r in a.removed if r.kind == "dateline"]


def test_clean_dateline_with_a_year_dates_the_article() -> None:
    a = clean(raw("KARSA, May 4, 2026 - Thirty people were killed, police said."))
    assert a.published == "2026-05-04"
    b = clean(raw("KARSA, May 4, 2026 - Thirty people died.", published="2026-05-05"))
    assert b.published == "2026-05-05"  # a date the source gives wins


def test_clean_headline_line_becomes_title() -> None:
    a = clean(raw("Ferries stop in storm\n\nFerries stopped running on Friday, the operator said."))
    assert a.title == "Ferries stop in storm"
    assert a.text == "Ferries stopped running on Friday, the operator said."


def test_clean_outlet_order_field_then_domain_then_credit() -> None:
    text = "Ferries stopped running on Friday, the operator said.\nReporting by A; Editing by B"
    assert clean(raw(text, outlet="Coast News")).outlet == "Coast News"
    assert clean(raw(text, url="https://www.coast.example/x")).outlet == "coast.example"
    assert clean(raw(text)).outlet == "Reuters"


def test_clean_nothing_left_is_empty_input() -> None:
    with pytest.raises(EmptyInput):
        clean(raw("0 Comments\nShare this article\n"))


def test_clean_id_is_stable_and_depends_on_text() -> None:
    a = clean(raw("Ferries stopped running on Friday."))
    b = clean(raw("Ferries  stopped running on Friday.\n"))
    c = clean(raw("Ferries stopped running on Saturday."))
    assert a.id == b.id != c.id


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=60),
        min_size=1,
        max_size=8,
    )
)
def test_clean_offsets_map_back_to_original(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        a = clean(raw(text))
    except EmptyInput:
        return
    for clean_start, orig_start, length in a.segments:
        assert (
            a.text[clean_start : clean_start + length]
            == a.original[orig_start : orig_start + length]
        )
    s, e = a.to_original(0, len(a.text))
    first, last = a.segments[0], a.segments[-1]
    assert a.original[s : s + first[2]] == a.text[: first[2]]
    assert a.original[e - last[2] : e] == a.text[len(a.text) - last[2] :]


@needs_seeds
def test_clean_seeds_residue_removed() -> None:
    from corroborator.ingest import iter_documents

    articles = [clean(d) for d in iter_documents([str(SEEDS)])]  # type: ignore[arg-type]
    afp, reuters = articles
    assert "A man walks past a newspaper" not in afp.text
    assert afp.wire == "AFP" and afp.text.startswith("North Korea has not sent troops")
    assert reuters.wire == "Reuters"
    assert "Reporting by" not in reuters.text and "0 Comments" not in reuters.text
    assert reuters.text.rstrip().endswith("he said.")
    # offsets point at the same characters in the file as given
    i = reuters.text.index("Nato Secretary-General")
    s, e = reuters.to_original(i, i + 22)
    assert reuters.original[s:e] == "Nato Secretary-General"


def test_clean_headline_repeated_in_lede_is_not_a_caption() -> None:
    text = (
        "Fire at Port Selden chemical plant\n\n"
        "Fire at Port Selden chemical plant injures 14 workers, officials said on Friday.\n\n"
        "The blaze began at noon."
    )
    a = clean(raw(text))
    assert a.title == "Fire at Port Selden chemical plant"
    assert a.text.startswith("Fire at Port Selden chemical plant injures 14 workers")


def test_clean_keeps_prose_that_starts_like_residue() -> None:
    text = (
        "Related charges were filed on Monday, prosecutors said.\n"
        "Copyright lawyers for the firm said they would appeal.\n"
        "Related articles:\n"
        "Read more"
    )
    a = clean(raw(text))
    assert a.text == (
        "Related charges were filed on Monday, prosecutors said.\n"
        "Copyright lawyers for the firm said they would appeal."
    )


def test_clean_dates_are_normalised() -> None:
    text = "Ferries stopped running on Friday, the operator said."
    assert clean(raw(text, published="15/03/2026")).published == "2026-03-15"
    assert clean(raw(text, published="2026-03-14T09:10:00Z")).published == "2026-03-14T09:10:00"
    assert clean(raw(text, published="last week")).published is None

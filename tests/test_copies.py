from __future__ import annotations

from corroborator.clean import clean
from corroborator.copies import align, compare, original_priority
from corroborator.records import RawDocument

ORIGINAL = (
    "A fire at the plant injured 14 workers on Friday, officials said.\n"
    "The chief said the blaze started in a storage hall shortly after 10 p.m.\n"
    "Three of the injured workers were in serious condition, a spokeswoman said.\n"
    "The company denied that the plant had broken safety rules.\n"
    "The cause of the fire is under investigation."
)
REWRITE = (
    "A fire at the facility hurt 40 workers on Friday, authorities said.\n"
    "The chief said the fire began in a storage building soon after 10 p.m.\n"
    "Three of the hurt workers were in grave condition, a spokeswoman said.\n"
    "The company refused that the plant had broken safety regulations.\n"
    "The reason of the fire is under probe.\n"
    "Residents were told to keep their windows closed overnight."
)
INDEPENDENT = (
    "Twelve workers were hurt when fire swept through a solvent store late on Friday.\n"
    "Crews fought the fire for more than five hours before it was contained.\n"
    "A union representative said workers had complained for months about the hall.\n"
    "The company dismissed the union's account as speculation."
)


def art(text: str, outlet: str, **kw: object) -> object:
    return clean(RawDocument(source=outlet, text=text, fmt="txt", outlet=outlet, **kw))  # type: ignore[arg-type]


def test_copies_exact_republication() -> None:
    a, b = art(ORIGINAL, "Wire"), art(ORIGINAL, "Daily")
    link = compare(b, a)  # type: ignore[arg-type]
    assert link is not None and link.kind == "exact" and link.similarity == 1.0


def test_copies_near_copy_lists_departures() -> None:
    link = compare(art(REWRITE, "Scraper"), art(ORIGINAL, "Wire"))  # type: ignore[arg-type]
    assert link is not None and link.kind == "near"
    kinds = [d.kind for d in link.departures]
    assert "numbers_changed" in kinds and "words_replaced" in kinds and "sentence_added" in kinds
    numbers = next(d for d in link.departures if d.kind == "numbers_changed")
    assert "14" in numbers.detail and "40" in numbers.detail
    added = next(d for d in link.departures if d.kind == "sentence_added")
    assert added.copy_sentence == "Residents were told to keep their windows closed overnight."


def test_copies_independent_reports_are_not_copies() -> None:
    assert compare(art(INDEPENDENT, "Herald"), art(ORIGINAL, "Wire")) is None  # type: ignore[arg-type]


def test_copies_alignment_is_monotone() -> None:
    a = [{"x", "y"}, {"p", "q"}, {"m", "n"}]
    b = [{"m", "n"}, {"x", "y"}, {"p", "q"}]
    pairs = align(a, b, 0.5)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (1, 2)]


def test_copies_original_prefers_the_wire_then_earliest() -> None:
    wire = art(ORIGINAL + "\nReporting by A; Editing by B", "Reuters", published="2026-01-02")
    early = art(ORIGINAL, "Daily", published="2026-01-01")
    late = art(ORIGINAL, "Weekly", published="2026-01-05")
    ranked = sorted([(late, 1), (early, 2), (wire, 3)], key=lambda p: original_priority(*p))  # type: ignore[arg-type]
    assert [a.outlet for a, _ in ranked] == ["Reuters", "Daily", "Weekly"]  # type: ignore[attr-defined]


def test_copies_original_rule_wire_credit_then_earliest_then_first_read() -> None:
    """copies.original_priority, tier by tier: the wire's own (a dateline naming it, its
    outlet or site the wire), then one carrying the credit, then the earliest published,
    then the first read."""
    dated = "KELBY, May 2 (Northwind Wire) - " + ORIGINAL
    own_site = art(dated, "x", url="https://www.northwind-wire.example/a", published="2026-05-03")
    own = art(dated, "Northwind Wire", published="2026-05-04")
    credited = art(dated, "Ledger", published="2026-05-05")  # kept the dateline, not the wire
    early = art(ORIGINAL, "Gazette", published="2026-05-01")  # dropped it
    undated_first = art(ORIGINAL, "Post")
    undated_later = art(ORIGINAL, "Times")
    assert own_site.wire == own.wire == "Northwind Wire"  # type: ignore[attr-defined]
    pairs = [
        (undated_later, 6),
        (early, 5),
        (credited, 4),
        (undated_first, 3),
        (own, 2),
        (own_site, 1),
    ]
    ranked = sorted(pairs, key=lambda p: original_priority(*p))  # type: ignore[arg-type]
    assert [k for _, k in ranked] == [1, 2, 4, 5, 3, 6]


def test_copies_need_substance() -> None:
    """Short texts are copies only when their words are identical; texts with no words
    (mojibake, a stray character) are copies of nothing, however alike."""
    garbled = art("Ã¤Ã¶Ã¼ â€œ Ã©", "A")
    assert compare(art("x", "B"), garbled) is None  # type: ignore[arg-type]
    assert compare(art("Ã¤Ã¶Ã¼ â€œ Ã©", "B"), garbled) is None  # type: ignore[arg-type]
    one = "The council approved the harbour budget on Monday."
    teaser = "The council approved the harbour budget on Monday night in a vote."
    assert compare(art(teaser, "B"), art(one, "A")) is None  # type: ignore[arg-type]
    two = art(one + " Work starts in spring.", "A")
    assert compare(art(one + " Work begins in spring.", "B"), two) is None  # type: ignore[arg-type]
    same = compare(art(one.upper(), "B"), art(one, "A"))  # type: ignore[arg-type]
    assert same is not None and same.kind == "exact"
    russian = "Совет одобрил бюджет порта в понедельник."
    link = compare(art(russian, "B"), art(russian + " ", "A"))  # type: ignore[arg-type]
    assert link is not None and link.kind == "exact"

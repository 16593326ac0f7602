"""Hypothesis strategies for generated news sentences and names: the awkward cases real
text brings (empty, one letter, all capitals, non-Latin, very long, only punctuation)."""

from __future__ import annotations

from hypothesis import strategies as st

from corroborator.records import Article

LATIN_WORDS = ["police", "the", "mayor", "troops", "fire", "14", "1,500", "up to", "not",
               "Monday", "said", "denied", "about", "percent", "were", "injured", "in"]  # fmt: skip
NON_LATIN = st.sampled_from(["Владимир Путин", "習近平", "محمد بن سلمان", "नरेंद्र मोदी",
                             "Ελευθέριος Βενιζέλος", "김정은", "Łukasz Żółć"])  # fmt: skip
PUNCTUATION = st.text(alphabet=".,;:!?\"'“”‘’()[]-–—…/\\*&%$#@", min_size=1, max_size=30)

names = st.one_of(
    st.just(""),
    st.characters(min_codepoint=32, max_codepoint=0x2FFF).map(str),  # one letter (or sign)
    st.from_regex(r"[A-Z]{2,12}( [A-Z]{2,12}){0,2}", fullmatch=True),  # all capitals
    st.from_regex(r"[A-Z][a-z]{1,10}( [A-Z][a-z]{1,10}){0,2}", fullmatch=True),
    NON_LATIN,
    PUNCTUATION,
    st.integers(min_value=20, max_value=400).map(lambda n: "Abcdefgh " * n),  # very long
    st.text(max_size=40),
)

contents = st.one_of(
    st.lists(st.sampled_from(LATIN_WORDS), min_size=0, max_size=20).map(" ".join),
    st.text(max_size=80),
    names,
    PUNCTUATION,
    st.from_regex(r"[A-Z ]{1,60}", fullmatch=True),
    st.integers(min_value=50, max_value=3000).map(lambda n: "word " * n),  # very long sentence
)

TEMPLATES = [
    "{name} said {content}.",
    "\u201c{content},\u201d {name} told reporters.",
    '"{content}", said {name}.',
    "According to {name}, {content}.",
    "{name} denied that {content}.",
    "{content}, {name} said on Monday.",
    "{name}, the {content} minister, said up to {content}.",
    "{content}",
    "{name}",
]

sentences = st.builds(
    lambda t, name, content: t.format(name=name, content=content),
    st.sampled_from(TEMPLATES),
    names,
    contents,
)

texts = st.one_of(
    st.just(""),
    st.lists(sentences, min_size=1, max_size=6).map(" ".join),
    st.lists(sentences, min_size=1, max_size=4).map("\n\n".join),
    st.text(max_size=300),
    PUNCTUATION,
)


def article(text: str, aid: str = "a1", outlet: str | None = "Test News") -> Article:
    """An article whose clean text is exactly ``text`` (no cleaning in the way)."""
    return Article(
        id=aid, source=f"{aid}.txt", fmt="txt", original=text, text=text,
        segments=((0, 0, len(text)),), outlet=outlet, title=None,
    )  # fmt: skip

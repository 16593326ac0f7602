"""Claims: who says what in each sentence, with stance, quantities and people's titles.

Sentences come from text.split_sentences (one splitter for every stage); each is tagged, and
only those that can carry an attribution, a figure, a title or names are parsed with the full
English pipeline (en_core_web_sm: tagger, parser, NER); the rest become unattributed claims of
the outlet with cheap name-like entities.

One module per job:

- ``extract``: ClaimExtractor, which runs spaCy and the modules below over an article;
- ``attribution``: cue, speaker and content of every attribution in a sentence (rules on the
  dependency parse; cue words by lemma with spaCy's Matcher), quotations over several sentences;
- ``stance``: asserts, denies, calls for, declines to confirm, no comment;
- ``people``: canonical actor names, titles, "he" / "the envoy" / "Kim's sister" resolved;
- ``quantities``: figures with what they count and their hedges;
- ``garble``: signs of a machine-garbled sentence;
- ``parts``: a sentence's clauses, for matching claims across articles;
- ``records``: ArticleClaims and the claim's JSON form;
- ``lexicon``: the words all of these read (data only).
"""

from __future__ import annotations

from .extract import CLAIMS_VERSION, SPACY_MODEL, ClaimExtractor
from .lexicon import (
    CUE_LEMMAS,
    DENY_LEMMAS,
    MULTIPLIERS,
    NATIONAL_BODIES,
    NO_CONFIRM_LEMMAS,
    ROLE_NOUNS,
    SPEAKER_DEPS,
)
from .people import TITLE_WORDS_RE, canonical, title_key, titles_conflict
from .quantities import NUMBER_RE, WORD_NUMBER_RE, unit_class, word_number
from .records import (
    ArticleClaims,
    Garbled,
    claim_from_dict,
    claim_json,
    claim_to_dict,
    garbled_json,
    sentence_number,
)

__all__ = [
    "CLAIMS_VERSION",
    "CUE_LEMMAS",
    "DENY_LEMMAS",
    "MULTIPLIERS",
    "NO_CONFIRM_LEMMAS",
    "NUMBER_RE",
    "NATIONAL_BODIES",
    "ROLE_NOUNS",
    "SPACY_MODEL",
    "SPEAKER_DEPS",
    "TITLE_WORDS_RE",
    "WORD_NUMBER_RE",
    "ArticleClaims",
    "ClaimExtractor",
    "Garbled",
    "canonical",
    "claim_from_dict",
    "claim_json",
    "claim_to_dict",
    "garbled_json",
    "sentence_number",
    "title_key",
    "titles_conflict",
    "unit_class",
    "word_number",
]

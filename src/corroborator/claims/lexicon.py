"""The words claim extraction reads: data only, no rules (as spaCy's ``lang/`` folders).

Cue verbs are lemmas: attribution.CueMatcher matches them on spaCy's lemmas, so no inflected
forms are listed here.
"""

from __future__ import annotations

CUE_LEMMAS = {
    "say", "tell", "claim", "deny", "confirm", "report", "add", "warn", "urge", "state",
    "announce", "accuse", "insist", "note", "believe", "think", "argue", "dismiss", "comment",
    "reject", "stress", "emphasize", "emphasise", "promise", "suggest", "acknowledge", "admit",
    "allege", "describe", "assert", "explain", "write", "estimate", "predict", "demand",
    "charge", "condemn", "threaten", "call", "ask", "agree", "disclose", "reveal", "caution",
    "maintain", "contend", "declare", "indicate", "show", "concede", "recall", "vow", "pledge",
    "brief", "testify", "complain", "welcome", "decline", "refuse", "tweet", "post", "respond",
    "continue", "conclude", "reply", "observe", "praise", "repeat", "point", "propose",
    "recount", "remark", "question", "counter", "criticize", "criticise", "boast",
}  # fmt: skip
# Speech acts and stances taken toward someone (PolNeAR annotates these as attributions;
# measured on its train split). Kept apart from CUE_LEMMAS, which drift.py reads too.
SPEECH_ACT_LEMMAS = {
    "joke", "answer", "shout", "chant", "mention", "thank", "congratulate", "encourage",
    "express", "blast", "slam", "denounce", "ridicule", "mock", "echo", "discuss", "talk",
    "attack", "blame", "lament", "quip", "acknowledge",
    "signal", "highlight", "urge", "concede", "hint", "wonder", "yell", "scream",
    "whisper", "muse", "retort", "plead", "lash", "decry", "applaud", "hail", "tout",
    # with a subject, a cue of a PolNeAR attribution in at least 3 of 4 uses (endorse: 3
    # of 5), counted on its train split, articles 120-840 (issue 10)
    "cite", "reiterate", "list", "assure", "voice", "rail", "reference", "quote", "defend",
    "deem", "endorse", "order",
    # with a subject, a PolNeAR cue with that subject as its source in at least 3 of 5 uses
    # (counted on its train split, articles 120-840; issue 10, second pass)
    "issue", "compare", "publish", "promote", "portray", "invoke", "envision", "brush",
    "liken", "proclaim", "dispute", "forecast", "speculate", "credit", "interject", "deride",
    "assail", "contradict", "balk", "rebut", "distance", "bemoan", "outline", "unveil",
    "retweet", "dub", "articulate", "dwell", "attribute", "clarify", "reaffirm", "elaborate",
    "rebuke",
    # ... and in 2 to 3 of 5 uses (each raised who-says-what F1 on train 400-560; "release"
    # and "refer" were dropped again: they took the seeds' statements apart)
    "seek", "oppose", "prefer", "find", "offer", "push", "share", "view", "learn",
    "remember", "lay", "apologize", "imply", "recommend", "email",
    "characterize",
}  # fmt: skip
# Forms the tagger's lemmatizer gets wrong ("hopes" -> "hop"): set right after tagging, so the
# Matcher and every rule read the true lemma.
LEMMA_FIXES = {
    "hope": "hope", "hopes": "hope", "hoped": "hope", "hoping": "hope",
    "retweet": "retweet", "retweets": "retweet", "retweeted": "retweet", "retweeting": "retweet",
}  # fmt: skip
# Cue verbs whose content is a clause ("said that ...", "X, he added, ..."): with no clause
# of their own the content is the rest of the sentence. Any other cue with an object says
# its object ("railed against Republicans for ...", "accused Sanders of ...").
CLAUSE_CUE_LEMMAS = {
    "say", "tell", "add", "note", "write", "claim", "state", "explain", "insist", "argue",
    "report", "announce", "confirm", "comment", "respond", "reply", "continue", "conclude",
    "observe", "remark", "recount", "testify", "post", "tweet", "declare", "stress",
    "emphasize", "emphasise", "acknowledge", "admit", "assert", "maintain", "contend",
    "suggest", "predict", "estimate", "indicate", "believe", "think", "allege", "concede",
    "recall", "repeat", "reiterate", "answer", "joke", "quip", "retort", "deny",
}  # fmt: skip
# Beliefs, fears and expectations: attributions of their own kind ("X fears", "Y believes").
# ("know", "want", "feel", "see" were tried: on PolNeAR train they are mostly not attributions)
BELIEF_LEMMAS = {"believe", "think", "fear", "hope", "expect", "worry", "doubt", "suspect"}
# A speaker these pronouns name is a generic "you" or a voice inside someone else's quotation
# ("I think ...", the judge said): not an attribution of its own for belief verbs.
INNER_VOICES = {"i", "we", "you"}
ATTRIBUTION_LEMMAS = CUE_LEMMAS | SPEECH_ACT_LEMMAS | BELIEF_LEMMAS
DENY_LEMMAS = {"deny", "dismiss", "reject", "refute", "rebut", "dispute"}
# Verbs that take a side on what they govern: one source's "Russia defended its cooperation"
# and another's "the U.S. denounced the cooperation" speak of one thing and agree on nothing.
APPROVE_LEMMAS = {
    "defend", "praise", "welcome", "applaud", "hail", "tout", "endorse", "commend", "laud",
    "justify",
}  # fmt: skip
DISAPPROVE_LEMMAS = {
    "condemn", "denounce", "criticize", "criticise", "blast", "slam", "decry", "blame",
    "accuse", "mock", "ridicule", "lament", "deplore", "oppose", "reject", "dismiss",
    "censure", "rebuke",
}  # fmt: skip
CALL_LEMMAS = {"urge", "call", "demand", "warn", "ask", "appeal", "threaten", "caution", "vow"}
NO_CONFIRM_LEMMAS = {"confirm", "comment", "verify", "acknowledge", "respond", "reply"}
# not answering at all ("did not respond to requests for comment", "declined to comment")
# is having no comment; not confirming, verifying or acknowledging is declining to confirm
NO_COMMENT_LEMMAS = {"comment", "respond", "reply"}
# Dependency labels of a cue verb's speaker.
SPEAKER_DEPS = {"nsubj", "nsubjpass", "agent"}
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "who"}
PERSON_PRONOUNS = {"he", "she", "i", "we", "you"}
DETERMINERS = ("a ", "an ", "the ", "one of its ", "one of the ", "one of his ", "one of her ")
HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "sir", "dame", "mr.", "mrs.", "ms.", "dr."}
# Place names that stand for a country's government in news prose.
ALIASES = {
    "seoul": "south korea", "pyongyang": "north korea", "dprk": "north korea",
    "moscow": "russia", "kremlin": "russia", "the kremlin": "russia", "washington": "united states",
    "u.s.": "united states", "us": "united states", "the us": "united states", "america": "united states",
    "the united states": "united states", "kyiv": "ukraine", "kiev": "ukraine", "beijing": "china",
    "tokyo": "japan", "london": "britain", "uk": "britain", "the uk": "britain",
    "south korean": "south korea", "north korean": "north korea", "russian": "russia",
    "chinese": "china", "american": "united states", "british": "britain", "ukrainian": "ukraine",
    "japanese": "japan", "the north": "north korea", "the south": "south korea",
}  # fmt: skip
# Heads of a country's executive bodies: "the National Security Council" with no country
# named is the country that last spoke, and speaks for it (agencies, the military and the
# media stay actors of their own).
NATIONAL_BODIES = {"government", "council", "cabinet", "presidency", "administration"}
# Nouns for what carries a claim: "reports suggesting ..." is the carrier's claim.
REPORT_NOUNS = {"report", "statement", "claim", "rumour", "rumor"}
# What a cue verb may carry rather than say ("issued a statement, saying ..."): the verb's
# participle is what is said.
CARRIER_NOUNS = REPORT_NOUNS | {"tweet", "post", "video", "letter", "release", "message", "ad"}

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
}  # fmt: skip
MULTIPLIERS = {
    "dozen": 12,
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Currency signs before a figure and the unit they make: "$25 million settlement" counts
# dollars, whatever it pays for.
CURRENCY_SIGNS = {"$": "dollar", "£": "pound", "€": "euro"}
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS.update({"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
# Words for an uncounted many: "dozens of", "thousands of".
VAGUE_NUMBERS = ("dozens", "hundreds", "thousands", "millions", "billions", "scores")
# Words before a figure that hedge it, by the kind of hedge (read right before the figure).
HEDGE_WORDS = {
    "at_most": ("up to", "as many as", "as much as", "at most", "no more than", "a maximum of", "nearly",
                "almost", "just under", "fewer than", "less than", "under", "below"),
    "at_least": ("more than", "over", "at least", "above", "upwards of", "in excess of",
                 "a minimum of"),
    "about": ("about", "around", "approximately", "roughly", "some", "an estimated",
              "estimated", "close to"),
}  # fmt: skip

UNIT_SYNONYMS = {
    "troop": "troops", "soldier": "troops", "force": "troops", "personnel": "troops",
    "forces": "troops", "troops": "troops", "soldiers": "troops", "fighter": "troops",
    "worker": "workers", "employee": "workers", "staff": "workers", "workers": "workers",
    "resident": "residents", "people": "people", "person": "people", "local": "residents",
    "percent": "percent", "%": "percent", "per cent": "percent",
}  # fmt: skip
# Words that make a phrase a title or role (regular-expression fragments: "chair\w*").
TITLE_WORDS = (
    "president", "prime minister", "minister", "secretary", "general", "chief", r"chair\w*",
    "director", "governor", "mayor", "ambassador", "envoy", r"spokes\w+", "senator",
    "representative", "leader", "head", "commander", "editor", "analyst", "professor", "king",
    "queen", "chancellor", "ceo", "officer", "official", "manager", "judge", "sheriff", "deputy",
    "vice", "foreign minister", "coach", "captain", "skipper", "founder", "executive",
)  # fmt: skip
# Abbreviated titles before a name ("Sen. Kyrsten Sinema").
TITLE_ABBREVIATIONS = ("Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt", "Adm", "Dr", "Prof",
                       "Mr", "Mrs", "Ms", "Rev", "Supt")  # fmt: skip
DISTINCT_TITLE_MODIFIERS = {
    "deputy",
    "vice",
    "former",
    "acting",
    "assistant",
    "ex",
    "interim",
    "associate",
}

# Role nouns a later "the <role>" refers back to, mapped to one role ("envoy" is "ambassador").
ROLE_NOUNS = {
    "ambassador": "ambassador", "envoy": "ambassador", "spokesman": "spokesperson",
    "spokeswoman": "spokesperson", "spokesperson": "spokesperson", "minister": "minister",
    "president": "president", "leader": "leader", "chief": "chief", "governor": "governor",
    "mayor": "mayor", "premier": "premier", "chancellor": "chancellor", "sister": "sister",
    "brother": "brother", "wife": "wife", "husband": "husband",
}  # fmt: skip
FEMALE_WORDS = {"ms", "ms.", "mrs", "mrs.", "miss", "madam", "dame", "lady", "queen", "sister",
                "wife", "mother", "daughter", "spokeswoman", "congresswoman", "chairwoman"}  # fmt: skip
MALE_WORDS = {"mr", "mr.", "sir", "lord", "king", "brother", "husband", "father", "son",
              "spokesman", "congressman", "chairman"}  # fmt: skip


# Words that call a claim false ("groundless", "fabricated"): regular-expression fragments.
DENIAL_WORDS = (
    "groundless", "baseless", "unfounded", r"fabricat\w+", "untrue", "not true", "nonsense",
    "fake news", r"false (?:claims?|reports?|allegations?)", r"smear\w*",
)  # fmt: skip

# Words ending in -ly that are adjectives or nouns, not adverbs ("early", "family").
LY_ADJECTIVES = {
    "early", "daily", "weekly", "monthly", "yearly", "hourly", "nightly", "quarterly", "only",
    "likely", "unlikely", "friendly", "unfriendly", "holy", "elderly", "lonely", "lovely",
    "ugly", "deadly", "costly", "family", "rally", "ally", "supply", "reply", "assembly",
    "silly", "orderly", "disorderly", "timely", "untimely", "lively", "kindly", "bodily",
    "cowardly", "leisurely", "oily", "hilly", "chilly", "burly", "surly", "worldly",
    "scholarly", "manly", "motherly", "fatherly", "brotherly", "sisterly", "neighbourly",
    "neighborly", "heavenly", "earthly", "ghastly", "jolly", "curly", "smelly", "woolly",
    "italy", "july", "anomaly", "monopoly", "melancholy", "homily", "butterfly", "firefly",
}  # fmt: skip

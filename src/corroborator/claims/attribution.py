"""Attribution: who says what in a sentence, read off the dependency parse by hand-written rules.

- a cue verb (say, tell, deny, confirm, warn, ...) with a subject: the subject's phrase is
  the speaker; a clausal complement is the proposition; when the cue hangs off the content
  ("X has not sent troops, a representative said"), the proposition is the sentence without
  the cue's own subtree;
- "according to X", "citing X": X is the speaker;
- "reports suggesting ...": the speaker is whoever carried the reports;
- cue words are found by lemma with spaCy's Matcher (CueMatcher), any inflection.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..records import Attribution, Claim
from .cuemodel import CueModel, speaker_tokens
from .lexicon import (
    ATTRIBUTION_LEMMAS,
    BELIEF_LEMMAS,
    CARRIER_NOUNS,
    CLAUSE_CUE_LEMMAS,
    DENY_LEMMAS,
    INNER_VOICES,
    NO_CONFIRM_LEMMAS,
    REPORT_NOUNS,
    SPEAKER_DEPS,
)
from .people import Context, canonical, remember_org, resolve_speaker, span_text
from .stance import cue_stance, unattributed_stance

Cue = tuple[Any, list[Any], str]
RELATIVE_PRONOUNS = {"who", "which", "that"}
NOT_SPEAKERS = RELATIVE_PRONOUNS | {"you", "it", "its", "what", "this"}


class CueMatcher:
    """Cue words by lemma with spaCy's Matcher: an attribution verb in any inflection
    ("said", "denies", "warning"), "according to" and "citing"; and, on a parsed sentence,
    the verbs the learned cue model (cuemodel.CueModel) scores as cues."""

    def __init__(self, vocab: Any, model: CueModel | None = None) -> None:
        from spacy.matcher import Matcher

        self.model = model
        self.matcher = Matcher(vocab)
        self.matcher.add("CUE", [[{"LEMMA": {"IN": sorted(ATTRIBUTION_LEMMAS)}}]])
        self.matcher.add("ACCORDING", [[{"LOWER": "according"}, {"LOWER": "to"}]])
        self.matcher.add("CITING", [[{"LOWER": "citing"}]])
        self.matcher.add("COLON", [[{"ORTH": ":"}, {"ORTH": {"IN": sorted(QUOTE_OPEN)}}]])

    def __call__(self, doc: Any) -> list[int]:
        """Indices of the tokens that may be cues, in reading order ("according" for
        "according to"); lemmas need a tagged doc, no parse."""
        return sorted({start for _, start, _ in self.matcher(doc)})

    def worth_parsing(self, doc: Any) -> bool:
        """Whether a tagged sentence holds a verb the cue model often takes for a cue."""
        return self.model is not None and self.model.worth_parsing(doc)

    def learned(self, doc: Any, lexicon: list[int]) -> tuple[list[int], set[int]]:
        """On a parsed sentence, the cues the model adds to the lexicon's ``lexicon`` and
        those of the lexicon's it vetoes (cuemodel.CueModel.judge)."""
        return self.model.judge(doc, lexicon) if self.model is not None else ([], set())


def sentence_claim(
    doc: Any, base: dict[str, Any], ctx: Context, outlet: str, matcher: CueMatcher
) -> tuple[dict[str, Any] | None, str | None]:
    """The claim of one parsed sentence, and a surname speaker never introduced."""
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc)
    lexicon = matcher(doc)
    added, vetoed = matcher.learned(doc, lexicon)
    learned = set(added)
    candidates = sorted((set(lexicon) - vetoed) | learned)
    best, others_found = find_cues(doc, candidates, learned)
    cue, speaker_tokens, via = best if best is not None else (None, [], "")
    quote = "direct" if re.search(r"[\"“”]", doc.text) else "indirect"
    off = base["clean_start"]
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
            remember_org(ctx, speaker, subj[0])
            sub_toks = list(subj[0].subtree)
            where = (off + sub_toks[0].idx, off + sub_toks[-1].idx + len(sub_toks[-1]))
        # the outlet's sentence may still report others ("..., Mr. Sanders, who said ...")
        # (not a voice inside a quotation: "'... I think ...,' she said" is hers)
        attributions = tuple(
            Attribution(**attribution_of(c, doc, off, ctx)[0])
            for c in others_found
            if c[1] and not _quote_open_after(doc[: c[0].i].text, False)
        )
        return {
            **base, "proposition": doc.text, "speaker": speaker, "speaker_canonical": canon,
            "cue": cue_text, "stance": stance, "quote": None, "voice": voice,
            "speaker_span": where, "attributions": attributions,
            "content_span": (base["clean_start"], base["clean_start"] + len(doc.text)),
        }, None  # fmt: skip
    apart = frozenset(
        i
        for c in others_found
        if side_by_side(c[0]) or c[2] == "participle"
        for i in _subtree(c[0])
    )
    main, unintroduced = attribution_of((cue, speaker_tokens, via), doc, off, ctx, apart)
    if cue.i in learned and main["cue_kind"] == "speech":
        # a cue only the model proposed: often a doer rather than a sayer ("Gov. Abbott
        # signed the bill"); the cross-check does not read a speaker's stance from it
        main["cue_kind"] = "learned"
    # the others side by side with it ("X said ..., and Y said ..."), not nested inside
    # what it reports ("X said that Y believes ..."): on PolNeAR train a nested one is
    # rarely annotated apart (13 of 104 matched)
    others = []
    for c in others_found:
        extra = attribution_of(c, doc, off, ctx)[0] if c[1] else None
        if extra is None:
            continue
        # not confirming or commenting takes the whole sentence as its content; a verb
        # beside it ("has not confirmed ..., but defended ...") is still one of its own
        beside = side_by_side(c[0]) and c[0].head == cue
        # a cue of the lexicon inside what a cue only the model proposed governs ("The plan
        # angered residents who complained that ...") stays an attribution of its own
        over_learned = cue.i in learned and c[0].i not in learned
        if (
            _inside(extra["cue_span"], main["content_span"])
            and not (beside and main["stance"] in WHOLE_SENTENCE_STANCES)
            and not over_learned
        ):
            continue
        if _inside(main["cue_span"], extra["content_span"]) and not (
            beside and extra["stance"] in WHOLE_SENTENCE_STANCES
        ):
            continue
        others.append(Attribution(**extra))
    # a speaker never introduced is a sign of a rewritten copy only where someone surely
    # speaks: not for a cue only the model proposed ("Last week, Putin submitted a bill")
    if cue.i in learned:
        unintroduced = None
    return {**base, **main, "quote": quote, "attributions": tuple(others)}, unintroduced


WHOLE_SENTENCE_STANCES = ("declines_to_confirm", "no_comment")


def attribution_of(
    found: Cue, doc: Any, off: int, ctx: Context, apart: frozenset[int] = frozenset()
) -> tuple[dict[str, Any], str | None]:
    """The fields of one attribution (speaker, cue, stance, content and their spans in
    the clean text at ``off``), and a surname speaker never introduced."""
    cue, speaker_tokens, via = found
    # "Mr. Sanders, who said": the name without "who" (the span keeps it)
    named = speaker_tokens[:-1] if via == "relative" else speaker_tokens
    speaker = re.sub(r"\s+", " ", "".join(t.text_with_ws for t in named)).strip(" ,")
    canon, unintroduced = resolve_speaker(speaker, named, doc, ctx)
    stance = cue_stance(cue, doc)
    proposition, p_start, p_end = proposition_of(cue, speaker_tokens, doc, via, apart)
    if stance in WHOLE_SENTENCE_STANCES:
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


def _in_quotation(text: str, at: int) -> bool:
    """Whether character ``at`` of a sentence is inside a quotation the sentence opens; a
    straight mark right after punctuation closes a quotation opened in an earlier sentence
    ('... the end," she said')."""
    state = False
    for k, ch in enumerate(text[:at]):
        if ch == "“":
            state = True
        elif ch == "”":
            state = False
        elif ch == '"':
            state = not state and not (k > 0 and text[k - 1] in ",.!?")
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


def find_cues(
    doc: Any, candidates: list[int], learned: set[int] | frozenset[int] = frozenset()
) -> tuple[Cue | None, list[Cue]]:
    """Every attribution in the sentence as (cue token, speaker tokens, how found): the one
    that governs the sentence (None when the outlet speaks), and the others in reading
    order ("..., Mr. Sanders, who said ..."); ``candidates`` are the tokens CueMatcher found,
    ``learned`` those of them the cue model proposed (any lemma; adjectives too)."""
    best: Cue | None = None
    found: list[Cue] = []

    def outranks(tok: Any, other: Cue) -> bool:
        """A cue of the lexicon outranks one only the model proposed."""
        return tok.i not in learned and other[0].i in learned

    for tok in (doc[i] for i in candidates):
        # a voice inside a quotation ('"... we are saying to them ...," she said') is part of
        # what the quoted speaker says, not an attribution of its own; a quotation that opens
        # at the cue is not (the envoy "stressed that ...")
        if _in_quotation(doc.text, tok.idx) and not any(
            c.dep_ in ("nsubj", "agent") and not _in_quotation(doc.text, c.left_edge.idx)
            for c in tok.children
        ):
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            pobj = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            if pobj:
                best = (tok, list(pobj[0].subtree), "according")
                found.append(best)
                continue
        if tok.text == ":":  # "Marco Rubio: 'You don't win ...'": a name, a colon, a quote
            name = next(
                (e for e in doc.ents if e.end == tok.i and e.label_ in ("PERSON", "ORG")), None
            )
            if name is not None and best is None:
                best = (tok, list(name), "colon")
                found.append(best)
            continue
        if tok.lower_ == "citing":
            dobj = [c for c in tok.children if c.dep_ == "dobj"]
            if dobj:
                found.append((tok, list(dobj[0].subtree), "citing"))
                if best is None:
                    best = found[-1]
        if tok.i not in learned and (
            tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in ATTRIBUTION_LEMMAS
        ):
            continue
        if tok.i in learned and (
            tok.pos_ == "NOUN" or tok.dep_ in ("acl", "pcomp") and tok.tag_ == "VBG"
        ):
            # what the cue model proposes beyond verbs with a subject: "Trump's attacks on
            # Curiel", "criticism from X", "groups advocating ...", "... by promising ..."
            speaker = speaker_tokens(tok)
            said = [t for t in tok.subtree if t.i > tok.i and not t.is_punct]
            if len(said) >= 2 and speaker and speaker[0].lower_ not in NOT_SPEAKERS:
                # a participle after a preposition shares its verb's speaker, as "..., saying"
                found.append((tok, speaker, "participle" if tok.dep_ == "pcomp" else "learned"))
            continue
        subj = [c for c in tok.children if c.dep_ in SPEAKER_DEPS and c.dep_ != "nsubjpass"]
        # two subjects (a misparse of '"..., [Clinton] can be ...," Kilfoyle said'): the
        # one nearest the cue
        subj.sort(key=lambda c: abs(c.i - tok.i))
        if (
            subj
            and subj[0].lower_ in RELATIVE_PRONOUNS
            and tok.dep_ == "relcl"
            and tok.head.pos_ in ("PROPN", "NOUN")
        ):
            # "..., Mr. Sanders, who said ...", "people who believe ...", "a website that
            # posts ...": the phrase the clause hangs off, up to the relative pronoun
            clause = min(_subtree(tok))
            owner = [t for t in tok.head.subtree if t.i < clause]
            if owner:
                found.append((tok, [*owner, subj[0]], "relative"))
            continue
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
        # off; so does a second verb ("The judge rubbed his chin and said ..."); beside
        # another attribution it is one of its own ("X said ..., adding that ...")
        if not subj and (
            tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp", "conj") or tok.dep_ == "conj"
        ):
            inherited = [c for c in tok.head.children if c.dep_ == "nsubj"]
            if inherited and inherited[0].lower_ not in ("that", "which", "what", "it"):
                found.append((tok, list(inherited[0].subtree), "participle"))
                if best is None or outranks(tok, best):
                    best = found[-1]
            continue
        if subj:
            speaker = [t for t in subj[0].subtree]
            via = "verb"
            if subj[0].dep_ == "agent":
                # "Trump was attacked by Clinton": the speaker is who did it, without "by";
                # "worried by the increase" names a cause, not a speaker
                who = [c for c in subj[0].children if c.dep_ == "pobj"]
                if lemma in BELIEF_LEMMAS or not who:
                    continue
                speaker, via = list(who[0].subtree), "passive"
            cand = (tok, speaker, via)
            found.append(cand)
            # Prefer the cue that governs the sentence (the ROOT or a cue hanging off it)
            # (a cue of the lexicon before one the model proposed, whatever their places)
            if (
                best is None
                or outranks(tok, best)
                or not outranks(best[0], cand)
                and (
                    (tok.dep_ == "ROOT" and best[2] != "according")
                    or (best[0].dep_ not in ("ROOT",) and tok.dep_ in ("conj", "parataxis"))
                    and best[2] != "according"
                )
            ):
                best = cand
            continue
        # "reports suggesting ...": speaker is the subject of whoever carried the reports
        if tok.dep_ == "acl" and tok.head.lemma_ in REPORT_NOUNS:
            carrier = tok.head.head
            subj = [c for c in carrier.children if c.dep_ == "nsubj"]
            if subj:
                found.append((tok, list(subj[0].subtree), "reports"))
                if best is None:
                    best = found[-1]
    # "... issued a statement, saying ...": what the participle says is what was issued
    if best is not None and best[2] == "verb":
        carried = any(
            c.dep_ == "dobj" and c.lemma_.lower() in CARRIER_NOUNS for c in best[0].children
        )
        saying = [c for c in found if c[2] == "participle" and c[0].head == best[0]]
        if carried and saying:
            best = saying[0]
    # the others: each with its own cue and a speaker apart from the governing one's
    taken = {t.i for t in best[1]} | {best[0].i} if best is not None else set()
    others = []
    for cand in found:
        own = {t.i for t in cand[1]} | {cand[0].i}
        # a participle shares its speaker with the verb it hangs off: only its cue is its own
        if cand[2] == "participle" and cand is not best and cand[0].i not in taken:
            others.append(cand)
            taken.add(cand[0].i)
        elif cand is not best and not own & taken:
            others.append(cand)
            taken |= own
    return best, others


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


def proposition_of(
    cue: Any, speaker: list[Any], doc: Any, via: str, apart: frozenset[int] = frozenset()
) -> tuple[str, int, int]:
    """The reported content without the attribution frame: a contiguous span of the
    sentence (text, start, end in the sentence), never words picked out of it. Where the
    frame sits inside the content ("The troops, he said, are there"), the span runs over it."""
    keep: list[int] = []
    if via == "colon":
        keep = [t.i for t in doc if t.i > cue.i]
    elif (
        via == "participle"
    ):  # "..., calling Ukraine and the South 'bad dogs'": what follows the cue
        keep = [t.i for t in cue.subtree if t.i > cue.i]
    elif via == "passive":  # "Trump was attacked by Clinton for ...": Trump, and why
        done_to = [c for c in cue.children if c.dep_ == "nsubjpass"]
        if done_to and done_to[0].lower_ in RELATIVE_PRONOUNS and cue.dep_ == "relcl":
            keep = list(range(cue.head.left_edge.i, cue.head.i + 1))  # "a judge who was ..."
        elif done_to:
            keep = [t.i for t in done_to[0].subtree]
    elif via == "learned":  # "Trump's attacks on Curiel", "advocating to raise ...": what follows
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
        if content and via in ("verb", "relative"):
            keep = [t.i for c in content for t in c.subtree]
        elif via == "relative":  # "..., who warned of a crisis": what follows the cue
            keep = [t.i for t in cue.subtree if t.i > cue.i]
        elif via == "verb" and _object_content(cue, spoken):
            # "... railed against Republicans for refusing ...": what it says is its object
            keep = _object_content(cue, spoken)
        elif via == "verb" and cue.dep_ != "ROOT" and side_by_side(cue):
            # "..., and three-quarters said the same of her rival": what follows the cue
            keep = [t.i for t in cue.subtree if t.i > cue.i]
        else:
            drop = {t.i for t in cue.subtree} if cue.dep_ != "ROOT" else spoken | {cue.i}
            keep = [t.i for t in doc if t.i not in drop]
    keep = _run_on(doc, keep)
    # another speaker's attribution side by side with this one is not part of its content
    return _span_text(doc, [i for i in keep if i not in apart])


OBJECT_DEPS = {"dobj", "dative", "prep", "attr", "oprd", "acomp"}
# prepositions of time and place ("said on Tuesday", "told reporters in Ohio"): not an object
ADJUNCT_PREPS = {"in", "at", "on", "during", "after", "before", "since", "from", "while", "by"}


def _object_content(cue: Any, spoken: set[int]) -> list[int]:
    """The tokens from a cue to the end of its last object, for a cue that takes an
    object rather than a clause ("accused Sanders of ...", "praised her"); [] for a cue of
    CLAUSE_CUE_LEMMAS or one with no object after it."""
    if cue.lemma_.lower() in CLAUSE_CUE_LEMMAS:
        return []
    # a sentence that opens with its speaker ("South Korea has charged North Korea with
    # ..."): the rest of the sentence, as for any cue
    if cue.dep_ == "ROOT" and spoken and min(spoken) == 0:
        return []
    objects = [
        c
        for c in cue.children
        if c.i > cue.i
        and c.i not in spoken
        and c.dep_ in OBJECT_DEPS
        and not (c.dep_ == "prep" and c.lower_ in ADJUNCT_PREPS)
    ]
    if not objects:
        return []
    # the verb stays in: "denounced growing military cooperation" is not "growing military
    # cooperation"
    return list(range(cue.i, max(c.right_edge.i for c in objects) + 1))


def _run_on(doc: Any, keep: list[int]) -> list[int]:
    """The content carried on where the parser cut it: a clause right after the kept span
    that the parser hung off an outer verb as a conjunct with no "and", no comma and no
    subject of its own ("to demand that the troops ... be pulled out immediately": "be pulled
    out" is the demanded clause's own verb, not a second thing said)."""
    if not keep:
        return keep
    end = max(keep)
    while end + 1 < len(doc):
        nxt = doc[end + 1]
        head = next(
            (
                t
                for t in [nxt, *nxt.ancestors]
                if t.dep_ == "conj" and t.left_edge.i == end + 1 and t.i > end
            ),
            None,
        )
        if (
            head is None
            or head.head.i > end + 1
            or any(
                c.dep_ in ("cc", "nsubj", "nsubjpass", "expl") or c.is_punct and c.i < head.i
                for c in head.children
            )
        ):
            break
        if doc[end].is_punct or doc[end].dep_ == "cc":
            break
        keep = keep + list(range(end + 1, head.right_edge.i + 1))
        end = head.right_edge.i
    return keep


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

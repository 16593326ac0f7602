"""People and actors: canonical names, titles, who "he", "the envoy" or "Kim's sister" is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..records import Claim, Person
from .lexicon import (
    ALIASES,
    ATTRIBUTION_LEMMAS,
    DETERMINERS,
    DISTINCT_TITLE_MODIFIERS,
    FEMALE_WORDS,
    HONORIFICS,
    MALE_WORDS,
    NATIONAL_BODIES,
    PERSON_PRONOUNS,
    PRONOUNS,
    ROLE_NOUNS,
    TITLE_WORDS,
)

TITLE_WORDS_RE = re.compile(rf"\b({'|'.join(TITLE_WORDS)})\b", re.I)


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
class Context:
    """What earlier sentences of the article established, for resolving later ones."""

    people: dict[str, str] = field(default_factory=dict)  # full name -> latest title
    last_person: str | None = None
    gender: dict[str, str] = field(default_factory=dict)  # full name -> "m" | "f"
    # role word -> the last phrase that held it ("ambassador" -> "Russia's ambassador")
    roles: dict[str, str] = field(default_factory=dict)
    last_org: str | None = None
    last_country: str | None = None  # the country that last spoke ("South Korea")
    titled: dict[str, str] = field(default_factory=dict)  # title word -> full name


def people_of(doc: Any, ctx: Context) -> tuple[Person, ...]:
    """The people a sentence names, with their titles, remembered in ``ctx`` (and the roles
    it gives to phrases: "Russia's ambassador to South Korea")."""
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


def resolve_speaker(
    speaker: str, tokens: list[Any], doc: Any, ctx: Context
) -> tuple[str, str | None]:
    """The canonical actor a speaker phrase names, and a surname never introduced."""
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
        # "..., even after Pyongyang released images of what it claimed": the subject of an
        # earlier clause of the same sentence, outside quotation marks, comes first
        near = [
            t for t in doc[: tokens[0].i]
            if t.dep_ == "nsubj" and t.ent_type_ in ("GPE", "ORG")
            and sum(doc.text[: t.idx].count(q) for q in '"“”') % 2 == 0
            and not any(a.lemma_ in ATTRIBUTION_LEMMAS for a in [t.head])
        ]  # fmt: skip
        if low == "it" and near:
            ent = next(e for e in doc.ents if e.start <= near[-1].i < e.end)
            return canonical(ent.text), None
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
    country = country_of(speaker, tokens, doc)
    if country:
        ctx.last_country = country
    elif (
        ctx.last_country
        and words[:1] == ["the"]
        and tokens[-1].lower_ in NATIONAL_BODIES
        and not any(t.dep_ == "poss" or t.ent_type_ in ("GPE", "NORP") for t in tokens)
    ):  # "the National Security Council": the country that last spoke
        ctx.last_org = f"{ctx.last_country}'s {' '.join(words[1:])}"
        return canonical(ctx.last_org), None
    # "one of its United Nations representatives": its -> the sentence's subject entity
    # ... but in "The United States and its allies" the phrase names its own owner first
    own = re.search(r"\b(its|their)\b", low)
    if own and re.search(r"\w\W* (and|or|with) $", low[: own.start()]):
        own = None
    if own:
        owner = next((e.text for e in doc.ents if e.label_ in ("GPE", "ORG", "NORP")
                      and e.start < tokens[0].i), None) or ctx.last_org  # fmt: skip
        if owner:
            low = re.sub(r"\b(its|their)\b", canonical(owner) + "'s", low, count=1)
    remember_org(ctx, speaker, tokens[-1])
    return canonical(low), None


def country_of(speaker: str, tokens: list[Any], doc: Any) -> str | None:
    """The country a speaker phrase is, when it is one: a place entity or a capital standing
    for its government ("Seoul": south korea)."""
    key = canonical(speaker)
    if key in ALIASES.values():
        return key
    whole = [e for e in doc.ents if e.start == tokens[0].i and e.end == tokens[-1].i + 1]
    if whole and whole[0].label_ == "GPE":
        return key
    return None


def remember_org(ctx: Context, speaker: str, head: Any) -> None:
    if head.lower_ not in PRONOUNS:
        ctx.last_org = speaker


KIN_ROLE_RE = re.compile(
    r"^(?P<owner>[A-Z][\w-]+)['’]s\s+(?:[a-z]+\s+){0,2}(?P<role>"
    + "|".join(sorted(ROLE_NOUNS))
    + r")$"
)
NAMED_LATER_WITHIN = (
    3  # sentences: "Kim's powerful sister released ..." then "..., Kim Yo Jong said"
)


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


def resolve_surname(name: str, ctx: Context) -> str | None:
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

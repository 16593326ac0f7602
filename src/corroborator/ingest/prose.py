"""The prose check of a web page: which blocks of the extracted main text are article prose.

trafilatura finds a page's main text; what it keeps still holds blocks that are no part of
the article: "Read more: ..." teasers and lists of other headlines, calls to subscribe,
sign up or donate, comment prompts and forms, copyright and licence lines, photo credits
and captions, advertising labels, "last updated" lines and template code
(``{{ctrl.content.status === "published"}}``). Each block (a paragraph, heading, list,
table or quote of trafilatura's output tree) is kept, or dropped with the reason a reader
can check:

- ``teaser``: a pointer to another article ("Read more: ...", "Lea también: ...",
  "Czytaj też: ...") or a heading that opens a block of them ("Related stories",
  "Weitere Themen", "Notas relacionadas"), with the short lines that follow it;
- ``subscribe``: a call to subscribe, sign up, register, donate or follow;
- ``comments``: a comment prompt, a comment count or a comment form's label;
- ``form``: a form or its call ("Submit your letter to the editor via this form");
- ``credit``: a photo credit, caption label, copyright, licence or source line;
- ``advert``: an advertising or affiliate label;
- ``template``: template code (``{{...}}``) that a page renders in the browser;
- ``page``: page furniture (last updated, reading time, "show picture").

The markers are in the languages of the development pages (English, German, Spanish,
French, Polish, Portuguese, Italian). A page whose kept blocks are not prose at all (only
headings and captions, or under ``MIN_PROSE_CHARS`` of sentences) is not an article.

Calibrated on the dev half of ../shared/data/pages (the md5 of whose file name starts with
an even hex digit) with scripts/eval_pages.py and checked on the held-out half; the
figures are pinned in quality/pages_floors.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A block is (kind, text): kind is trafilatura's element name (p, head, list, table,
#: quote, code, div, cell).
Block = tuple[str, str]

# --- markers, matched at the start of a block (case-insensitive) -------------------------
_TEASER = (
    r"read (?:more|also|next)|see also|also read|"
    r"related(?: articles?| stories| posts| coverage| content| news)?(?::|$)|"
    r"you (?:may|might) also like|most (?:read|popular|viewed)|top stories|more stories|"
    r"meistgelesen|"
    r"more on this|recommended|watch:|listen:|"
    r"lesen sie (?:auch|mehr|hier)|lies auch|auch interessant|mehr zum thema|mehr dazu|"
    r"weiterlesen|weitere (?:artikel|beiträge|themen|informationen|meldungen|nachrichten|"
    r"aktuelle themen)|mehr themen|schon gelesen|das könnte sie (?:auch )?interessieren|"
    r"empfohlene beiträge|beiträge aus dem forum|vorschau auf den nächsten artikel|"
    r"\.\.\. ?weiter zu|"
    r"lea (?:también|más)|lea:|le puede interesar|puede interesarte|te puede interesar|"
    r"vea también|ver también|mira:|mire:|puedes ver:|notas relacionadas|"
    r"lire aussi|à lire aussi|voir aussi|"
    r"czytaj (?:też|także|więcej)|zobacz (?:też|także)|"
    r"leia (?:também|mais)|veja também|"
    r"leggi anche|"
    r">>(?!>)"
)
_SUBSCRIBE = (
    r"subscribe\b|sign up\b|never miss\b|get (?:the|our) .{0,60}(?:newsletter|edition|app)|"
    r"follow (?:us|the \w+) on|download (?:the|our) .{0,40}apps?\b|"
    r"to view the full story|if you(?:'|’)re seeing this message|"
    r"(?:if you enjoyed|support) .{0,40}(?:consider supporting|our work|journalism)|"
    r"donate\b|become a (?:member|subscriber|patron)|"
    r"zum newsletter|newsletter (?:abonnieren|bestellen|anmelden)|jetzt (?:abonnieren|anmelden|"
    r"registrieren|spenden|bestellen)|abonnieren sie|folgen sie uns|"
    r"suscr[ií]b|únete\b|¿ya sabías que .{0,40}(?:canal|telegram)|"
    r"abonnez-vous|inscrivez-vous|"
    r"zapisz się|wesprzyj|zaprenumeruj|"
    r"assine\b|inscreva-se"
)
_COMMENTS = (
    r"\d+ (?:comments?|kommentare?|comentarios?|commentaires?|komentarz[ey]?)\b|"
    r"(?:no|keine|sin) (?:comments|kommentare|comentarios)\b|"
    r"(?:leave|post|add|write) a (?:comment|reply)|comments?$|reply$|replydelete|"
    r"share your thoughts|we want to hear what you think|"
    r"kommentare?$|kommentar schreiben|schreib(?:e|en sie)? einen kommentar|kommentieren sie|"
    r"diskutieren sie mit|hier ist ihre meinung gefragt|neueste kommentare|"
    r"nur angemeldete benutzer|sie müssen sich anmelden|"
    r"dejá tu comentario|deja tu comentario|para comentar|"
    r"laissez un commentaire|dodaj komentarz|deixe seu comentário"
)
_FORM = (
    r"submit (?:your|a) (?:letter|comment|story|tip)|(?:fill (?:in|out)|use) (?:this|the|our) form|"
    r"required fields are marked|pflichtfelder sind|leserbrief schreiben|"
    r"send us (?:a message|your)|schicken sie uns|envíanos|"
    r"(?:name|e-?mail|website|webseite)\s*\*"
)
_CREDIT = (
    r"(?:photo|image|picture|video)s?\s*(?:credit)?s?\s*:|(?:foto|fotos|bild|bilder|titelbild|"
    r"beitragsbild|headerbild|quelle|source|fuente|crédits? photos?|credits?|fot\.|zdjęcie)\s*:|"
    r"fot\. |copyright\b|©|\(c\) \d{4}|all rights reserved|alle rechte vorbehalten|"
    r"todos los derechos reservados|tous droits réservés|"
    r"sofern nicht anders (?:ausgewiesen|angegeben)|this article is the copyrighted|"
    r"our standards:|quellenangaben:?$|abbildung \d+:|"
    r"\(alle angaben ohne gewähr\)|alle angaben ohne gewähr"
)
_ADVERT = (
    r"advertisement\b|sponsored\b|anzeige\b|\*?werbung\b|publicidad\b|publicité\b|reklama\b|"
    r"affiliate\b|we (?:may )?(?:receive|earn) (?:a )?commission|"
    r"we recommend the best products|advertise with\b|аdvеrtіѕе"
)
_PAGE = (
    r"(?:letzte|zuletzt) (?:änderung|aktualisier)|last (?:modified|updated)\b|"
    r"ten tekst przeczytasz|lesezeit|reading time|\d+ min(?:utes?)? read|"
    r"bild anzeigen|video verfügbar bis|inhaltsverzeichnis$|table of contents$|"
    r"temas$|tags?:|schlagworte:|themen:|category ?:|kategorie:|"
    r"teilen$|share$|drucken$|print$|e-?mail$"
)

MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(rf"^\W{{0,3}}(?:{pattern})", re.IGNORECASE))
    for reason, pattern in (
        ("teaser", _TEASER),
        ("subscribe", _SUBSCRIBE),
        ("comments", _COMMENTS),
        ("form", _FORM),
        ("credit", _CREDIT),
        ("advert", _ADVERT),
        ("page", _PAGE),
    )
)
#: The same markers read anywhere in a short block ("28 kwietnia 2021 Ten tekst przeczytasz
#: w mniej niż minutę", "News date: 04/21/2022 Category: Press Releases").
ANYWHERE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(rf"(?:^|\W)(?:{pattern})", re.IGNORECASE))
    for reason, pattern in (
        ("subscribe", _SUBSCRIBE),
        ("comments", _COMMENTS),
        ("form", _FORM),
        ("page", _PAGE),
    )
)
DATE_LINE_RE = re.compile(
    r"^\W*(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}\.? [A-Za-zäéû]+ \d{4})(?:,? \d{1,2}:\d{2})?\b"
)
#: Read anywhere in a short block (a line of page furniture with a date before it).
SHORT_BLOCK_WORDS = 12
#: Calls for money or support, read anywhere in a block of up to ``APPEAL_MAX_WORDS``.
APPEAL_RE = re.compile(
    r"\b(?:wesprzyj (?:nas|nasz)|support (?:us|our (?:work|journalism|newsroom))|"
    r"unterstützen sie (?:uns|unsere arbeit)|jetzt spenden|donate (?:now|today)|apóyanos|"
    r"soutenez-nous|make a (?:donation|contribution))",
    re.IGNORECASE,
)
APPEAL_MAX_WORDS = 60
#: A caption: a short block ending with its photo credit ("... (Foto: N. Pisarenko/Pool)").
CAPTION_TAIL_RE = re.compile(
    r"\((?:foto|fotos|photo|photos|bild|image|imagen|picture|zdjęcie|fot\.)\s*:[^)]{2,80}\)\.?$",
    re.IGNORECASE,
)
CAPTION_MAX_WORDS = 40
#: A teaser paragraph ending in its link: "... [more]", "... weiterlesen »".
MORE_LINK_RE = re.compile(
    r"(?:\[\s*(?:czytaj |read |weiter)?(?:more|mehr|więcej|más|plus|mais|lesen)\s*\]|(?:read more|weiterlesen|leer más|"
    r"lire la suite|czytaj dalej|continue reading)\s*[»›>…]*)\s*$",
    re.IGNORECASE,
)
TEMPLATE_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\bng-[a-z]+=")
#: A marker is read in the first characters of a block only; a longer block is prose that
#: happens to start with the word ("Subscribe" in "Subscribers to the service fell ...").
MARKER_MAX_CHARS = 300
#: A block that opens a teaser section ("Related stories", "Weitere Themen") drops the
#: short, unpunctuated lines that follow it (the linked headlines), up to this many.
TEASER_RUN_MAX = 12
#: A line of at most this many words without a sentence's end is a headline, not prose.
HEADLINE_MAX_WORDS = 20
#: A heading among the first blocks that repeats the page's title is the title.
TITLE_BLOCKS = 2
#: Under this many characters of sentences, a page holds no article prose.
MIN_PROSE_CHARS = 200
SENTENCE_END_RE = re.compile(r"[.!?…;:\"'»”“)\]。！？」]\s*$")
SENTENCE_STOP_RE = re.compile(r"[.!?。！？](?:\s|$)")
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class BlockVerdict:
    keep: bool
    reason: str = ""  # why a dropped block is not article prose


def _words(text: str) -> int:
    """Words, with two CJK characters counted as one (those scripts put no spaces)."""
    return len(text.split()) + len(CJK_RE.findall(text)) // 2


def is_sentence_like(text: str) -> bool:
    """Ends as a sentence does, or is long enough to be one without its full stop."""
    return bool(SENTENCE_END_RE.search(text)) or _words(text) > HEADLINE_MAX_WORDS


def marker_of(text: str) -> str | None:
    """The kind of boilerplate a block's opening marks, or None."""
    head = " ".join(text.split())
    if len(head) > MARKER_MAX_CHARS * 2:
        return None
    if TEMPLATE_RE.search(head):
        return "template"
    if DATE_LINE_RE.match(head) and _words(head) <= 8 and not head.endswith("."):
        return "page"
    words = _words(head)
    if words <= APPEAL_MAX_WORDS and APPEAL_RE.search(head):
        return "subscribe"
    if words <= CAPTION_MAX_WORDS and CAPTION_TAIL_RE.search(head):
        return "caption"
    if MORE_LINK_RE.search(head):
        return "teaser"
    for reason, pattern in MARKERS:
        found = pattern.match(head)
        if not found or len(head) > MARKER_MAX_CHARS:
            continue
        # "Weitere Informationen erteilt ... ." is prose; "Weitere Themen", "Lea también: X"
        # and "Read more: X" point elsewhere
        if (
            reason == "teaser"
            and head.endswith(".")
            and ":" not in head[found.end() : found.end() + 3]
        ):
            continue
        return reason
    if words <= SHORT_BLOCK_WORDS:
        for reason, pattern in ANYWHERE:
            found = pattern.search(head)
            # after a sentence the marker is a line of its own, not the block's nature
            if found and not SENTENCE_STOP_RE.search(head[: found.start() + 1]):
                return reason
    return None


def _opens_teasers(kind: str, text: str, reason: str | None) -> bool:
    """A short heading-like block that announces links to other articles."""
    return reason == "teaser" and _words(text) <= 8 and not text.rstrip().endswith(".")


def _same_title(text: str, title: str) -> bool:
    """A heading that is the page's title, perhaps with a kicker or the site's name."""
    a, b = _key(text), _key(title)
    return len(a) >= 12 and len(b) >= 12 and (a in b or b in a)


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def check_blocks(blocks: list[Block], title: str | None = None) -> list[BlockVerdict]:
    """A verdict for each block of a page's main text, in order; ``title`` is the page's
    own (a heading near the top that repeats it is the title, kept as metadata)."""
    out: list[BlockVerdict] = []
    run = 0  # headline lines still to drop after a teaser heading
    for index, (kind, text) in enumerate(blocks):
        flat = " ".join(text.split())
        if not flat:
            out.append(BlockVerdict(False, "empty"))
            continue
        if title and kind == "head" and index < TITLE_BLOCKS and _same_title(flat, title):
            out.append(BlockVerdict(False, "title"))
            continue
        if kind == "code":  # a program listing is the article's own (a tutorial's code)
            out.append(BlockVerdict(True))
            run = 0
            continue
        reason = marker_of(flat)
        if reason:
            out.append(BlockVerdict(False, reason))
            run = TEASER_RUN_MAX if _opens_teasers(kind, flat, reason) else 0
            continue
        if run and not is_sentence_like(flat) and kind != "table":
            out.append(BlockVerdict(False, "teaser"))
            run -= 1
            continue
        run = 0
        out.append(BlockVerdict(True))
    return out


def not_an_article(blocks: list[Block], verdicts: list[BlockVerdict]) -> str | None:
    """Why the kept blocks are not article prose ("caption only"), or None when they are."""
    kept = [(k, " ".join(t.split())) for (k, t), v in zip(blocks, verdicts, strict=True) if v.keep]
    if not kept:
        dropped = sorted({v.reason for v in verdicts if not v.keep})
        return "boilerplate only (" + ", ".join(dropped) + ")" if dropped else "no text"
    prose = sum(len(t) for k, t in kept if k != "head" and is_sentence_like(t))
    if prose >= MIN_PROSE_CHARS:
        return None
    if len(kept) == 1 and kept[0][0] != "head":
        one = kept[0][1]
        if _words(one) < 40 and len(SENTENCE_STOP_RE.findall(one)) <= 1:
            return "caption only"
        return None
    if all(k == "head" or not is_sentence_like(t) for k, t in kept):
        return "headlines only"
    return None

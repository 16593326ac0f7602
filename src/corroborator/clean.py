"""Clean: keep the article's prose, move page residue into metadata, keep offsets.

Works line by line on the original text. A line is kept whole, kept in part (a dateline
prefix such as "SEOUL (Reuters) - " is cut) or removed as one of:

- ``caption``: a photo caption at the top, typically repeated (seed 000 opens with its
  caption twice, the second time ending in "AFP"), or a line that credits a photo;
- ``credit``: "Reporting by ...; Editing by ..." and similar lines (Reuters style);
- ``residue``: "0 Comments", share / subscribe / advertisement boilerplate;
- ``title``: a headline line at the top when the input carried no title of its own.

A web page arrives with the blocks its reader found not to be prose already dropped
(teasers, subscribe calls, credits, ...: ingest/prose.py); they head ``Article.removed``.

The clean text is the kept pieces joined with the newlines that separated them, and
``Article.segments`` maps every kept piece back to the original, so claims found later can
point at the exact characters of the input.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from urllib.parse import urlparse

from .errors import EmptyInput
from .language import language_of
from .records import Article, RawDocument, Residue
from .text import split_sentences

CREDIT_RE = re.compile(
    r"^\s*\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|produced|written|"
    r"translated|research)\s+by\b",
    re.IGNORECASE,
)
REUTERS_CREDIT_RE = re.compile(r"\b(?:reporting|writing)\s+by\b.*\bediting\s+by\b", re.I)
RESIDUE_RE = re.compile(
    r"^\s*(?:\d+\s+comments?|comments?|no comments yet|show comments|leave a comment|"
    r"advertisement|advertising|sponsored( content)?|share( this( article| story)?)?|"
    r"share on (facebook|twitter|x|whatsapp|linkedin).*|tweet|email|print|"
    r"(subscribe|sign up)\b[^.]*|follow us on\b.*|read more(:.*|\s*»)?|"
    r"related( articles| stories| coverage)?:.*|click here\b[^.]*|"
    r"(?:©|\(c\)|copyright ©?\s*\d{4})\s.*|all rights reserved\.?|"
    r"we use cookies\b.*|accept cookies|skip to (main )?content|"
    r"(?:photo|image|picture|video)\s*(?:credit)?\s*:.*|.*\b(?:getty images|afp photo|ap photo)\)?)\s*$",
    re.IGNORECASE,
)
WIRE_TAIL_RE = re.compile(r"(?:\s+|\s*[-–—(]\s*)(AFP|AP|Reuters)\)?\s*$")
# A dateline opening the first lines of a report, removed as metadata with offsets kept:
#   "SEOUL (Reuters) - ", "PORT SELDEN, March 14 (Global Wire) - ", "KYIV, May 4 - ",
#   "NAIROBI, Kenya — ", "Port Selden, March 14, 2026 – ", "London (AFP) -- ".
# The place is in capitals, or in title case when a date or an outlet follows it (so prose
# such as "Meanwhile, officials — " is never taken); hyphen, en or em dash.
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_CAPS_PLACE = r"[A-Z][A-Z.'-]+(?:[ /][A-Z][A-Z.'-]+){0,4}"
_TITLE_PLACE = r"[A-Z][a-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,3}"
_REGION = r"(?P<region>,\s*(?:[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,2}))"
_DATE = rf"(?:,?\s*(?P<month>{MONTHS})\.?\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?)"
_OUTLET = r"(?:\s*\((?P<outlet>[A-Z][A-Za-z .&'-]{1,30})\))"
_DASH = r"\s*(?P<dash>-{1,2}|–|—)\s+(?=[\"“'‘A-Z0-9])"
DATELINE_RE = re.compile(
    rf"^\s*(?:(?P<caps>{_CAPS_PLACE})|{_TITLE_PLACE}){_REGION}?{_DATE}?{_OUTLET}?{_DASH}"
)
DATELINE_MAX_LINE = 3  # only the first lines of the prose can open with a dateline
WIRE_NAMES = {"AFP": "AFP", "AP": "AP", "Reuters": "Reuters", "REUTERS": "Reuters"}
TITLE_MAX_CHARS = 150
CAPTION_CREDIT_MAX = 40


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, stripped of surrounding whitespace."""
    out = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = pos + (len(body) - len(body.lstrip()))
            out.append((start, start + len(stripped)))
        pos += len(raw)
    return out


def _is_dateline(match: re.Match[str], line: str) -> bool:
    """A place in capitals, or in title case followed by a date or an outlet; prose follows."""
    dated = bool(match.group("month") or match.group("outlet"))
    caps = match.group("caps")
    # a bare "WASHINGTON — " needs a long dash and a real place name ("US - " is not one)
    bare = caps and not dated and not match.group("region")
    if bare and (match.group("dash") not in ("–", "—") or len(caps) < 4):
        return False
    return bool(caps or dated) and match.end() < len(line)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def _looks_like_headline(line: str) -> bool:
    return len(line) <= TITLE_MAX_CHARS and not line.rstrip().endswith((".", '"', "”", ":", ";"))


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 date (or date and time) from the many ways pages write dates; None if
    the value is not a date. Comparisons between articles rely on this form."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            from dateutil import parser as dateparser

            parsed = dateparser.parse(value, dayfirst=True, fuzzy=False)
        except (ValueError, OverflowError):
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    if (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0) and len(value) <= 10:
        return parsed.strftime("%Y-%m-%d")
    return parsed.strftime("%Y-%m-%dT%H:%M:%S")


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname or ""
    host = host.removeprefix("www.")
    return host or None


def article_id(text: str, identity: str) -> str:
    """Stable id from the normalised clean text and who published it (url or outlet)."""
    key = _norm(text) + "\x00" + identity.lower()
    digest = hashlib.sha256(key.encode("utf-8", errors="surrogatepass"))
    return digest.hexdigest()[:16]


def clean(raw: RawDocument) -> Article:
    """Clean one RawDocument into an Article; raises EmptyInput if no prose remains."""
    original = raw.text
    lines = _lines(original)
    removed: list[Residue] = list(raw.removed)  # page blocks the reader found not prose
    wire: str | None = None
    dated: str | None = None  # a date the dateline gives, with its year
    keep: list[tuple[int, int]] = []

    # A caption at the top: line 2 repeats line 1 (often with a trailing photo credit).
    skip_first = 0
    if len(lines) >= 2:
        first = original[lines[0][0] : lines[0][1]]
        second = original[lines[1][0] : lines[1][1]]
        extra = len(_norm(second)) - len(_norm(first))
        # the repeat may only add a short credit ("AFP", "(Photo: ...)"), never a sentence
        if (
            _norm(second).startswith(_norm(first))
            and len(first) > 20
            and extra <= CAPTION_CREDIT_MAX
        ):
            removed.append(Residue("caption", first))
            credit = second[len(first) :].strip()
            if credit in WIRE_NAMES:
                wire = WIRE_NAMES[credit]
            skip_first = 2

    for start, end in lines[skip_first:]:
        line = original[start:end]
        if CREDIT_RE.match(line):
            removed.append(Residue("credit", line))
            if REUTERS_CREDIT_RE.search(line):
                wire = wire or "Reuters"
            continue
        if line.strip() in WIRE_NAMES:
            removed.append(Residue("credit", line))
            wire = wire or WIRE_NAMES[line.strip()]
            continue
        if RESIDUE_RE.match(line) and len(line) < 200:
            removed.append(Residue("residue", line))
            continue
        dateline = DATELINE_RE.match(line) if len(keep) < DATELINE_MAX_LINE else None
        if dateline and _is_dateline(dateline, line):
            if dateline.group("outlet"):
                wire = wire or WIRE_NAMES.get(dateline.group("outlet"), dateline.group("outlet"))
            removed.append(Residue("dateline", dateline.group(0).strip()))
            if dateline.group("year"):
                dated = dated or normalise_date(
                    f"{dateline.group('day')} {dateline.group('month')} {dateline.group('year')}"
                )
            start += dateline.end()
        keep.append((start, end))

    # A short trailing "... AFP" credit at the very end of the text.
    if keep:
        last_start, last_end = keep[-1]
        tail = WIRE_TAIL_RE.search(original[last_start:last_end])
        if (
            tail
            and last_end - last_start > 40
            and original[last_start:last_end].rstrip()[-1] != "."
        ):
            wire = wire or WIRE_NAMES[tail.group(1)]
            removed.append(Residue("credit", tail.group(1)))
            keep[-1] = (last_start, last_start + tail.start())

    title = (raw.title or "").strip() or None
    if keep and title and _norm(original[keep[0][0] : keep[0][1]]) == _norm(title):
        keep = keep[1:]
    elif keep and not title and len(keep) > 1:
        first_line = original[keep[0][0] : keep[0][1]]
        if _looks_like_headline(first_line):
            title = first_line.strip()
            removed.append(Residue("title", first_line))
            keep = keep[1:]

    if not keep:
        raise EmptyInput("no article prose left after cleaning")

    pieces: list[str] = []
    segments: list[tuple[int, int, int]] = []
    cursor = 0
    prev_end: int | None = None
    for start, end in keep:
        if prev_end is not None:
            sep = "\n\n" if original.count("\n", prev_end, start) > 1 else "\n"
            pieces.append(sep)
            cursor += len(sep)
        pieces.append(original[start:end])
        segments.append((cursor, start, end - start))
        cursor += end - start
        prev_end = end
    text = "".join(pieces)

    if not title:
        spans = split_sentences(text)
        first_sentence = text[spans[0][0] : spans[0][1]] if spans else text.strip()
        title = (
            first_sentence if len(first_sentence) <= 120 else first_sentence[:117].rstrip() + "..."
        )

    outlet = raw.outlet or raw.sitename or domain_of(raw.url) or wire
    identity = raw.url or outlet or ""
    return Article(
        id=article_id(text, identity),
        source=raw.source,
        fmt=raw.fmt,
        original=original,
        text=text,
        segments=tuple(segments),
        url=raw.url,
        outlet=outlet,
        title=title,
        published=normalise_date(raw.published) or dated,
        authors=raw.authors,
        removed=tuple(removed),
        wire=wire,
        language=language_of(text, title),
        encoding=raw.encoding,
        replaced=raw.replaced,
    )


_MONTH_NUMBERS = {m.lower()[:3]: k for k, m in enumerate(MONTHS.split("|")[:12], start=1)}


def article_date(article: Article) -> tuple[str, str] | None:
    """When an article speaks: ``(sort key, label)`` from its publication date, else from its
    dateline's month and day ("KARSA, May 4 - " gives ("--05-04", "May 4")); None if unknown."""
    if article.published:
        day = article.published[:10]
        return day, day
    for r in article.removed:
        if r.kind != "dateline":
            continue
        m = re.search(rf"\b({MONTHS})\.?\s+(\d{{1,2}})\b", r.text)
        if m:
            month = _MONTH_NUMBERS[m.group(1).lower()[:3]]
            return f"--{month:02d}-{int(m.group(2)):02d}", f"{m.group(1)} {int(m.group(2))}"
    return None

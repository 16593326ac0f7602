"""Article identity: which input an article is, and the id it is stored under.

Reading an input again adds nothing; the same text read from another input is its own
article (a word-for-word republication, which ``copies.py`` links to its original with
``kind = "exact"``).

- The *text key* of an article is the hash of its normalised clean text and who published
  it, its URL or else its outlet (``clean.article_id``, the id every article had before
  schema 5). The first input to bring a text key is stored under it, so the ids of
  articles stored before keep their meaning.
- Another input bringing the same text key is read as *the same input* (nothing is added)
  when it has a URL (the key holds it: one web page, saved twice or fetched again), or,
  without a URL, when it names the same file: the same path as given, the same file on
  disk, any record of the same JSON Lines, feed or WARC file, or, when the file read
  before is gone, a file of the same name (a moved folder, an article pasted into the web
  page again).
- Otherwise it is a republication and is stored under :func:`republication_id`, the hash
  of the text key and the input's location (the file's absolute path): the same input
  read again, after other copies or none, comes to the same id.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .records import Article

#: Formats whose inputs hold several articles, named ``FILE#N`` (the N-th record).
RECORD_FORMATS = frozenset({"jsonl", "feed", "warc"})
#: What standard input is called as a source.
STDIN = "<stdin>"


@dataclass(frozen=True)
class KnownInput:
    """An input already stored for an article: the source as it was given, and its
    location (absolute path; None for databases made before schema 5)."""

    article_id: str
    url: str | None
    source: str
    location: str | None


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def file_part(source: str, fmt: str | None = None) -> str:
    """The file of a source: ``FILE#N`` less its record number (a feed item, a JSON line)."""
    path, sep, number = source.rpartition("#")
    if sep and number.isdigit() and (fmt in RECORD_FORMATS or fmt is None):
        if fmt is not None or not os.path.exists(source):
            return path
    return source


def location(source: str, fmt: str | None = None) -> str:
    """Where an input is, independent of the folder the command ran in: a file's absolute
    path (with ``#N`` for a record), a URL or standard input as given."""
    if _is_url(source) or source in (STDIN, "-"):
        return source
    file = file_part(source, fmt)
    record = source[len(file) :]
    try:
        return str(Path(file).resolve()) + record
    except (OSError, RuntimeError):  # an unresolvable path (a loop of links): as given
        return source


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def same_input(article: Article, where: str, known: KnownInput) -> bool:
    """Whether ``article`` (read from ``where``, its :func:`location`) is the input ``known``
    read again. Only asked of inputs with the same text key (see the module docstring)."""
    if article.url or known.url:
        return True  # the text key holds the URL: the same page
    mine = file_part(where, article.fmt)
    if known.location is not None:
        theirs = file_part(known.location)
        if mine == theirs:
            return True
        if _is_url(theirs) or theirs == STDIN or os.path.exists(theirs):
            return False
        return os.path.basename(mine) == os.path.basename(theirs)  # moved, or pasted again
    # stored before schema 5, without its location: the source as given, resolved here
    theirs = file_part(known.source)
    if theirs == file_part(article.source, article.fmt) or _same_file(theirs, mine):
        return True
    if _is_url(theirs) or theirs == STDIN or os.path.exists(theirs):
        return False
    return os.path.basename(mine) == os.path.basename(theirs)


def republication_id(text_key: str, where: str) -> str:
    """The id of a republication: its text key and its input's location, hashed."""
    digest = hashlib.sha256(f"{text_key}\x00{where}".encode("utf-8", errors="surrogatepass"))
    return digest.hexdigest()[:16]


def identify(article: Article, where: str, known: Iterable[KnownInput]) -> tuple[str, bool]:
    """(the id ``article`` is stored under, whether it is new), given the inputs already
    stored with its text key (``article.id`` as ``clean`` made it)."""
    known = list(known)
    for k in known:
        if same_input(article, where, k):
            return k.article_id, False
    if not known:
        return article.id, True
    return republication_id(article.id, file_part(where, article.fmt)), True

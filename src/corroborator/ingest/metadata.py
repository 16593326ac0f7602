"""Page metadata a reader can trust: authors that are people, an outlet that is the site's.

trafilatura reads a page's author and site name from its markup, and what it finds is not
always a person or the outlet: share buttons ("So Artikel Empfehlen"), places ("Hamburg",
"London"), section names ("Letters"), the outlet itself ("Tagesschau De", "CNN"), a
comment's "Art Edwards says", a theme credit ("Theme Pirate Rogue von xwolf"), initials
("Kj"); and a site name may belong to another publication ("Technology Review" for a
heise.de page). :func:`trusted_authors` drops such authors; :func:`outlet_agrees` tells
whether a site name can stand for the outlet of a page at that address (else the outlet
is the domain).

Measured on the gold titles, authors and dates of ../shared/data/pages with
scripts/eval_pages.py (figures in quality/pages_result.json).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlparse

#: Words of buttons, labels and sections that are never a person's name.
NOT_NAMES = frozenset(
    """
    share teilen empfehlen artikel article print drucken email e-mail mail tweet facebook
    twitter whatsapp linkedin pinterest telegram instagram youtube follow folgen subscribe
    abonnieren newsletter comment comments kommentar kommentare reply antworten anzeige
    advertisement sponsored werbung admin administrator anonymous anonym anónimo anonyme
    guest gast user autor author authors autoren letters
    leserbriefe opinion meinung news nachrichten home startseite menu menü search suche
    theme themes wordpress blog posted says said wrote schrieb schreibt
    """.split()
)
#: Words of an organisation's legal form: a company or association is not an author.
ORGANISATION = frozenset(
    "gmbh ag kg ev e.v. ltd inc llc plc sa s.a. sl srl corp media verlag stiftung".split()
)
#: Names shorter than this are initials ("Kj", "TK", "Mf"), not a byline a reader can use.
MIN_NAME_CHARS = 3


SITE_PARTS_RE = re.compile(r"\s+[|»·–—-]\s+")


def _fold(text: str) -> str:
    """Lower case, accents and umlauts folded (ü -> u, ue -> u), letters and digits only."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode())


_NOT_NAMES = frozenset(_fold(w) for w in NOT_NAMES)
_ORGANISATION = frozenset(_fold(w) for w in ORGANISATION)


def domain_label(url: str | None) -> str:
    """The registered name of a page's host: "heise" for www.heise.de, "bbc" for
    news.bbc.co.uk (the label before the public suffix, read as one or two labels)."""
    host = (urlparse(url).hostname or "") if url else ""
    labels = [part for part in host.lower().split(".") if part and part != "www"]
    if (
        len(labels) >= 3
        and len(labels[-1]) == 2
        and labels[-2] in {"co", "com", "org", "net", "gov", "ac", "or", "ne", "go"}
    ):
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")


def _acronym(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[^\W\d_]+", name.lower()))


def outlet_agrees(sitename: str | None, url: str | None) -> bool:
    """A site name can stand for the outlet of a page at ``url``: it names the domain
    ("Spektrum" for spektrum.de, "MDR.DE", "Neue Zürcher Zeitung" for nzz.ch), or no
    address is known to check it against."""
    if not sitename or not sitename.strip():
        return False
    label = _fold(domain_label(url))
    if not label:
        return True
    name = _fold(sitename)
    if len(label) >= 3 and label in name or len(name) >= 3 and name in label:
        return True
    if _acronym(sitename) == label:
        return True
    words = [_fold(w) for w in re.findall(r"[^\W_]+", sitename)]
    return any(len(w) >= 4 and w in label for w in words)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Folded names of countries, their capitals and provinces (the ``countryinfo`` data);
    empty when the package is missing."""
    try:
        from countryinfo import CountryInfo  # type: ignore[import-untyped]

        countries = CountryInfo.all()
    except Exception:  # the package missing or its data unreadable: no place is known
        return frozenset()
    names: set[str] = set()
    for data in countries.values():
        found = [data.get("name"), data.get("capital"), data.get("demonym")]
        found += list(data.get("provinces") or []) + list(data.get("altSpellings") or [])
        found += [t for t in (data.get("translations") or {}).values() if isinstance(t, str)]
        names.update(_fold(str(n)) for n in found if n and len(str(n)) > 3)
    names.update({"hamburg", "muenchen", "koeln", "wien", "zuerich", "newyork"})
    return frozenset(names)


def not_a_person(
    name: str, *, sitename: str | None, url: str | None, sections: Iterable[str]
) -> str | None:
    """Why an author name is not a person's byline, or None when it may be one."""
    folded = _fold(name)
    words = [_fold(w) for w in name.split()]
    if len(folded) < MIN_NAME_CHARS:
        return "initials"
    if re.search(r"\d", name) or "@" in name or "http" in name.lower() or "www" in folded:
        return "not a name"
    if any(w in _NOT_NAMES for w in words):
        return "a button or label"
    if any(w in _ORGANISATION for w in words):
        return "an organisation"
    if folded in place_names():
        return "a place"
    if any(folded == _fold(s) for s in sections if s):
        return "a section"
    label = _fold(domain_label(url))
    if len(label) >= 3 and label in folded:
        return "the outlet"
    # the site's name, or one part of it ("Achtsam durch die Krise | Die FURCHE")
    if any(folded == _fold(part) for part in SITE_PARTS_RE.split(sitename or "") if part.strip()):
        return "the outlet"
    return None


def trusted_authors(
    authors: Iterable[str],
    *,
    sitename: str | None = None,
    url: str | None = None,
    sections: Iterable[str] = (),
) -> tuple[str, ...]:
    """The authors that may be people, in order, each once."""
    sections = tuple(sections)
    kept: list[str] = []
    for name in authors:
        name = " ".join(name.split()).strip(" ,;|")
        if (
            name
            and name not in kept
            and not_a_person(name, sitename=sitename, url=url, sections=sections) is None
        ):
            kept.append(name)
    return tuple(kept)


def page_title(
    title: str | None, *, heading: str | None, sitename: str | None, url: str | None
) -> str | None:
    """The article's headline: the page's own heading when the title only adds to it (a
    kicker, the site's name), else the title without a part that names the site
    ("Rasende Polizisten - strafprozess.ch", "Musik und Sport | Teufel Blog")."""
    title = " ".join((title or "").split()) or None
    heading = " ".join((heading or "").split()) or None
    if heading and (not title or _fold(heading) in _fold(title)):
        return heading
    if not title:
        return None
    parts = [p for p in SITE_PARTS_RE.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    site = _fold(sitename or "")
    label = _fold(domain_label(url))

    def names_site(part: str) -> bool:
        key = _fold(part)
        return bool(key) and (
            bool(site) and (key in site or site in key) or len(label) >= 3 and label in key
        )

    if names_site(parts[-1]):
        parts = parts[:-1]
    elif names_site(parts[0]):
        parts = parts[1:]
    else:
        return title
    # the separators between the parts that are left, as the title wrote them
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() or title

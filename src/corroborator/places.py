"""One name per country: its capital, demonym and other names read as the country itself.

Reports of one event name the same country differently ("Seoul summoned Russia's
ambassador" / "South Korea called in the Russian ambassador"). The cross-check compares
words and names after :func:`country_words` rewrites every such name to one key per country.
The names come from the country data that the ``countryinfo`` package carries (name,
capital, demonym, other spellings); without the package nothing is rewritten.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Two- and three-letter codes are ordinary words in capitals ("IT", "IN"): only these are names.
CODES = {"US": "United States", "USA": "United States", "UK": "United Kingdom"}


def _key(name: str) -> str:
    return "country" + re.sub(r"[^a-z]", "", name.lower())


@lru_cache(maxsize=1)
def _aliases() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    try:
        from countryinfo import CountryInfo  # type: ignore[import-untyped]

        countries = CountryInfo.all()
    except Exception:  # the package missing or its data unreadable: nothing is rewritten
        return None, {}
    table: dict[str, str] = {}
    for data in countries.values():
        name = str(data.get("name") or "")
        if not name:
            continue
        key = _key(name)
        names = [name, str(data.get("capital") or ""), str(data.get("demonym") or "")]
        names += [str(s) for s in data.get("altSpellings") or [] if len(str(s)) > 3]
        for alias in names:
            alias = alias.removesuffix(" D.C.").strip()
            if alias.isascii() and alias[:1].isupper() and alias not in table:
                table[alias] = key
    for code, name in CODES.items():
        table[code] = table[".".join(code) + "."] = _key(name)
    # longest first, so "North Korean" wins over "North Korea"
    alternatives = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, alternatives)) + r")(?![\w])")
    return pattern, table


def country_words(text: str) -> str:
    """``text`` with each country's names (capital, demonym, other spellings) replaced by one
    word for that country: "Seoul" and "South Korean" both read ``countrysouthkorea``."""
    pattern, table = _aliases()
    if pattern is None:
        return text
    return pattern.sub(lambda m: table[m.group(0)], text)

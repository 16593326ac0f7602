"""Language detection on the 500 real pages of data/pages, against each page's own
``<html lang>`` (where it declares one): agreement on the dev half (the md5 of whose file
name starts with an even hex digit) and the held-out half, above the confidence floor.

    PYTHONPATH=src python scripts/eval_language.py [--floor 0.5]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datapaths import shared_data  # noqa: E402

from corroborator.errors import InputError  # noqa: E402
from corroborator.ingest import read_one  # noqa: E402
from corroborator.language import _model  # noqa: E402
from corroborator.records import RawDocument  # noqa: E402

LANG = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--floor", type=float, default=0.5)
    args = parser.parse_args()
    folder = shared_data() / "pages" / "html"
    rows: dict[str, list[tuple[str, str, float]]] = {"dev": [], "held-out": []}
    for path in sorted(folder.glob("*.html")):
        declared = LANG.search(path.read_bytes()[:20000])
        try:
            docs = [d for d in read_one(str(path)) if isinstance(d, RawDocument)]
        except InputError:
            continue
        if not docs or not declared:
            continue
        doc = docs[0]
        code, p = _model().classify(((doc.title or "") + "\n" + doc.text)[:3000])
        digest = hashlib.md5(path.name.encode()).hexdigest()
        part = "dev" if int(digest[0], 16) % 2 == 0 else "held-out"
        rows[part].append((declared.group(1).decode().lower()[:2], code, float(p)))
    for part, found in rows.items():
        agree = sum(d == c for d, c, _ in found)
        sure = [(d, c) for d, c, p in found if p >= args.floor]
        sure_agree = sum(d == c for d, c in sure)
        print(
            f"{part}: {len(found)} pages with <html lang>; agree {agree}/{len(found)}; "
            f"at p>={args.floor}: {len(sure)} pages, agree {sure_agree}/{len(sure)}; "
            f"declared {dict(Counter(d for d, _, _ in found).most_common(6))}"
        )
        wrong = [(d, c, round(p, 2)) for d, c, p in found if d != c][:8]
        print(f"  disagreements (declared, detected, p): {wrong}")


if __name__ == "__main__":
    main()

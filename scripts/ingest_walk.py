"""Read every file under a folder as `corroborator ingest` would, without a database, and
count what became articles and why the rest was skipped; articles whose text or title
starts with markup are listed (there should be none).

    PYTHONPATH=src python scripts/ingest_walk.py ../shared/data/feeds [N reasons]
"""

from __future__ import annotations

import sys
from collections import Counter

from corroborator.ingest import expand_paths, read_one
from corroborator.records import Rejection


def main() -> None:
    folder = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    read = skipped = articles = 0
    reasons: Counter[str] = Counter()
    markup = []
    for path in expand_paths([folder]):
        items = list(read_one(path))
        docs = [i for i in items if not isinstance(i, Rejection)]
        read += bool(docs)
        skipped += not docs
        articles += len(docs)
        for d in docs:
            if d.text.lstrip().startswith("<") or (d.title or "").startswith("<"):
                markup.append((path, d.text[:60]))
        reasons.update(i.reason[:70] for i in items if isinstance(i, Rejection))
    print(
        f"files with articles {read}, files skipped whole {skipped}, articles {articles}, "
        f"articles starting with markup {len(markup)}"
    )
    for reason, n in reasons.most_common(top):
        print(f"{n:6d}  {reason}")
    for path, text in markup[:10]:
        print("MARKUP", path, repr(text))


if __name__ == "__main__":
    main()

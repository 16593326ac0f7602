"""A stable, reviewable summary of a run document, compared against tests/golden/examples.json.

Regenerate after a reviewed change:  .venv/bin/python -m tests.golden > tests/golden/examples.json
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def summary(doc: dict[str, Any]) -> dict[str, Any]:
    stories = []
    for s in sorted(doc["stories"], key=lambda s: s["title"]):
        by = {c["id"]: c for c in s["claims"]}
        outlet = {a["id"]: a["outlet"] or "unknown" for a in s["articles"]}

        def who(cid: str, by: dict[str, Any] = by, outlet: dict[str, str] = outlet) -> str:
            return f"{outlet[by[cid]['article']]} #{by[cid]['sentence']}"

        stories.append({
            "title": s["title"],
            "articles": sorted(
                f"{outlet[a['id']]}" + (f" (copy of {outlet[a['copy_of']]})" if a["copy_of"] else "")
                for a in s["articles"]
            ),
            "claims": sorted(
                f"{who(c['id'])}: {c['speaker'] or '<outlet>'} | {c['stance']} | "
                + "; ".join(f"{q['text']} [{q['hedge']}]" for q in c["quantities"])
                for c in s["claims"]
            ),
            "corroborated": sorted(" + ".join(sorted(who(c) for c in f["claims"])) for f in s["corroborated"]),
            "conflicts": sorted(f"{v['kind']}: {' vs '.join(sorted(who(c) for c in v['claims']))}" for v in s["conflicts"]),
            "flags": {
                outlet[a["id"]] + f" ({a['path'].rsplit('/', 1)[-1]})": {
                    "title_conflicts": [t["text"] for t in a["flags"].get("title_conflicts", [])],
                    "unintroduced": [u["name"] for u in a["flags"].get("unintroduced_speakers", [])],
                    "garbled": len(a["flags"].get("garbled", [])),
                    "warning": bool(a["flags"].get("warning")),
                }
                for a in s["articles"]
            },
        })  # fmt: skip
    return {"stories": stories}


def run_examples(db: str) -> dict[str, Any]:
    from corroborator import documents
    from corroborator.pipeline import Options, Pipeline
    from corroborator.store import open_store

    store = open_store(db)
    pipeline = Pipeline(store, Options(use_model=False))
    report = pipeline.run([str(REPO / "examples")])
    checks = pipeline.check_stories(report.stories, report)
    return documents.stories_document(store, report.stories, report, checks)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        doc = run_examples(str(Path(tmp) / "golden.db"))
    json.dump(summary(doc), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")

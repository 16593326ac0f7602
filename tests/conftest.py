from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
# scripts/ holds the code that reads ../shared (evaluation.py, datapaths.py, claim_pairs.py);
# tests import it by module name, as the scripts import one another.
sys.path.insert(0, str(REPO / "scripts"))
EXAMPLES = REPO / "examples"
SHARED = (REPO / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}; skipping seed tests"
)
needs_data = pytest.mark.skipif(
    not DATA.is_dir(),
    reason=f"shared data folder not found at {DATA}; skipping data-dependent test",
)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


# --- the web app (test_web.py, test_web_browser.py): one database and one app per session -----
HOSTILE_ARTICLES = [
    {"url": "https://tribune.example/flood", "outlet": "<script>alert('outlet')</script>Tribune",
     "title": "Flood in <img src=x onerror=alert('title')> Marlow hurts 12",
     "published": "2026-04-02T08:00:00Z",
     "text": "A flood in the town of Marlow injured 12 people on Tuesday, Mayor Olga Berg said. "
             "<script>alert('text')</script>\n\nShop owners on the high street said the water "
             "reached <img src=x onerror=alert('img')> their windows within an hour.\n\n"
             "The regional weather office warned that more rain was expected on Thursday."},
    {"url": "https://post.example/flood", "outlet": "Marlow Post",
     "title": "Marlow counts the cost after river bursts its banks",
     "published": "2026-04-03T10:00:00Z",
     "text": "Rescue teams spent the night pumping water out of cellars across Marlow after the "
             "river burst its banks.\n\nMayor Olga Berg said the flood in Marlow injured 40 "
             "people on Tuesday.\n\nVolunteers from the sailing club helped move elderly "
             "residents to the sports hall, where the Red Cross set up beds."},
]  # fmt: skip


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/ plus a two-outlet story whose text, title and outlet carry hostile markup."""
    import json

    import corroborator

    tmp = tmp_path_factory.mktemp("web")
    hostile = tmp / "hostile"
    hostile.mkdir()
    (hostile / "flood.jsonl").write_text(
        "".join(json.dumps(a) + "\n" for a in HOSTILE_ARTICLES), encoding="utf-8"
    )
    db = tmp / "web.db"
    corroborator.run([str(EXAMPLES), str(hostile)], db=db, use_model=False)
    return db


@pytest.fixture(scope="session")
def web_app(web_db: Path) -> Any:
    """The app over ``web_db``, its fact sheets read once (rules only)."""
    pytest.importorskip("fastapi", reason="fastapi not installed")
    from corroborator.web.app import create_app

    app = create_app(web_db, use_model=False)
    app.state.library.document()
    return app

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
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


# --- a real PostgreSQL server for the store's contract suite (test_store_contract.py) ------
def _postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs: on PATH, or Debian's versioned folder."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    folders = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    return folders[-1].parent if folders else None


@pytest.fixture(scope="session")
def postgres_socket() -> Iterator[str]:
    """Start a throwaway PostgreSQL server (initdb + pg_ctl) on a Unix socket in a temporary
    folder, for this test session; skip, saying why, where none can be started."""
    pytest.importorskip("psycopg", reason="psycopg not installed: pip install -e '.[test]'")
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server not installed (no initdb on PATH or under /usr/lib/postgresql); "
            "`apt-get install postgresql` runs the PostgreSQL store tests (.ci/run does)"
        )
    run_as: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="corroborator-pg-"))
    if os.geteuid() == 0:  # initdb refuses root: run the server as Debian's postgres user
        if shutil.which("runuser") is None or not _user_exists("postgres"):
            pytest.skip("running as root without a postgres user to start PostgreSQL as")
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    data, log = root / "data", root / "server.log"

    def pg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*run_as, *args], capture_output=True, text=True, timeout=120)

    done = pg(str(bindir / "initdb"), "-D", str(data), "-U", "corroborator", "--auth=trust",
              "-E", "UTF8", "--no-sync")  # fmt: skip
    if done.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"initdb failed: {done.stderr.strip()[-300:]}")
    options = f"-k {root} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    done = pg(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w",
              "start")  # fmt: skip
    if done.returncode != 0:
        text = log.read_text() if log.exists() else done.stderr
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL did not start: {text.strip()[-300:]}")
    try:
        yield str(root)
    finally:
        pg(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture
def postgres_url(postgres_socket: str) -> str:
    """A new, empty database on the session's server, as a ``postgresql://`` URL."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = f"postgresql://corroborator@/postgres?host={postgres_socket}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql://corroborator@/{name}?host={postgres_socket}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store backend in turn: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "contract.db")
    return str(request.getfixturevalue("postgres_url"))

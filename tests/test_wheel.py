"""The installed wheel works away from the source tree: build it, install it in a fresh
virtual environment, and run ``corroborator run examples/`` from another folder.

The fresh environment gets the dependencies already installed beside the test's Python (one
.pth line naming that site-packages folder, no download), but not its corroborator: that
folder's own .pth files (an editable install pointing at src/) are not read, PYTHONPATH is
dropped, and the test checks where the package was imported from.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLES, REPO
from .golden import run_examples, summary

pytestmark = pytest.mark.slow

# What a build must not see: local environments, earlier builds (setuptools reuses build/lib,
# so a module deleted from src/ could come back), caches and databases.
IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.db*", "out"
)


def build_wheel(tmp: Path) -> Path:
    source = tmp / "source"
    shutil.copytree(REPO, source, ignore=IGNORE)
    dist = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        check=True,
        timeout=600,
    )
    (wheel,) = dist.glob("corroborator-*.whl")
    return wheel


def fresh_venv(tmp: Path, wheel: Path) -> Path:
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "-q", str(wheel)],
        check=True, timeout=600,
    )  # fmt: skip
    # after the install: pip would take the corroborator found there as already installed
    deps = sysconfig.get_paths()["purelib"]
    Path(purelib, "_corroborator_test_deps.pth").write_text(deps + "\n", encoding="utf-8")
    return env_dir


def test_wheel_installs_and_runs_examples_away_from_the_source(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {
        str(p.relative_to(REPO / "src"))
        for p in (REPO / "src" / "corroborator" / "models").rglob("*")
        if p.is_file()
    }
    assert shipped and shipped <= set(names), "the wheel lacks a shipped model file"
    assert "corroborator/__init__.py" in names and "corroborator/py.typed" in names
    assert not [n for n in names if n.endswith("evaluation.py")], "evaluation code is packaged"

    env_dir = fresh_venv(tmp_path, wheel)
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copytree(EXAMPLES, work / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CORROBORATOR"))}

    where = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c",
         "import corroborator; print(corroborator.__file__, corroborator.__version__)"],
        cwd=work, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    assert Path(where[0]).is_relative_to(env_dir), f"imported from {where[0]}, not the wheel"
    assert where[1] == wheel.name.split("-")[1]

    proc = subprocess.run(
        [str(env_dir / "bin" / "corroborator"), "run", "examples/", "--no-model",
         "--db", "news.db", "--json", "out.json"],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(
        "read 8, new 8, duplicates 0, copies found 2, skipped 2, errors 0\n"
    )
    assert "story 22d97c879447  Fire at Port Selden chemical plant" in proc.stdout
    # the same stories, claims, verdicts and flags as the source tree gives in-process
    doc = json.loads((work / "out.json").read_text(encoding="utf-8"))
    assert summary(doc) == summary(run_examples(str(tmp_path / "in-tree.db")))

    # the entailment model, too, is found inside the installed package
    verdict = subprocess.run(
        [str(env_dir / "bin" / "corroborator"), "verify", "-"],
        input='{"id": 1, "evidence": "The mayor resigned on Monday.", "claim": "The mayor quit."}\n',
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert verdict.returncode == 0, verdict.stderr
    assert json.loads(verdict.stdout)["label"] in ("supported", "contradicted", "neither")

"""Run each fuzz target of tests/fuzz_targets.py for a set time (`make fuzz`).

Each target runs Hypothesis searches of --batch examples, each with a fresh random seed,
until its time is up. The smallest input of each distinct failure (exception type and
place) is saved under tests/fuzz_corpus/<target>/<sha1> (replayed by `make test` from then
on) and reported; the search of that target then goes on. Prints executions and failures per target.

Example: python scripts/fuzz.py --seconds 60 --target html --target warc
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz_targets import CORPUS, STRATEGIES, TARGETS  # noqa: E402


def fuzz(target: str, seconds: float, batch: int) -> tuple[int, list[Path]]:
    executions = 0
    smallest: dict[str, bytes] = {}  # per distinct failure (type and place), its smallest input
    saved: list[Path] = []
    deadline = time.monotonic() + seconds

    def run(data: bytes) -> None:
        nonlocal executions
        executions += 1
        try:
            TARGETS[target](data)
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            key = f"{type(exc).__name__} at {frame.filename}:{frame.lineno}"
            if key not in smallest or len(data) < len(smallest[key]):
                smallest[key] = data
            raise

    search = settings(
        max_examples=batch, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )(given(STRATEGIES[target])(run))
    while time.monotonic() < deadline:
        try:
            search()
        except Exception:  # findings: keep the smallest input of each distinct failure
            for key, data in smallest.items():
                path = CORPUS / target / hashlib.sha1(data).hexdigest()
                if path in saved:
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                saved.append(path)
                print(f"[{target}] {key}: input saved to {path}", file=sys.stderr)
            traceback.print_exc(limit=3)
    return executions, saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="time per target")
    parser.add_argument("--batch", type=int, default=200, help="examples per Hypothesis search")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="default: all")
    args = parser.parse_args()
    failed = 0
    for target in args.target or sorted(TARGETS):
        start = time.monotonic()
        executions, saved = fuzz(target, args.seconds, args.batch)
        took = time.monotonic() - start
        failed += len(saved)
        print(
            f"{target:>7}: {executions} executions in {took:.0f} s "
            f"({executions / took:.0f}/s), {len(saved)} failing inputs saved",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

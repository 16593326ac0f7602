"""Ray Data for batch runs (``corroborator run --ray``): the only module that imports Ray.

The per-article work that needs neither the store nor any other article (reading a shard,
cleaning, story features, claims: :class:`~corroborator.pipeline.Prepare`) runs on a pool
of Ray workers through ``map_batches``, each worker a callable class that loads the models
once. Everything that depends on order or on what is stored (identity, copies, story
assignment, cross-check, fact sheets) stays in this process, in the same
:class:`~corroborator.pipeline.Pipeline` code a single-process run uses, writing to the
same store (a SQLite file or PostgreSQL)::

    inputs --expand_paths--> one row per input (a file, a JSONL/WARC shard)
      --map_batches(_Worker, ActorPoolStrategy)--> read, clean, features, claims
      --iter_batches, in input order--> Pipeline.admit_prepared (store) ... Pipeline.process

Results come back in input order (``preserve_order``), so articles arrive, are identified
and are grouped exactly as in a single-process run over the same inputs. One input is one
unit of work: split a large archive into shards (many files) for the workers to share it.
Workers need corroborator installed (a local cluster inherits this process's environment).
"""

from __future__ import annotations

import logging
import os
import pickle
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import errors
from .errors import CorroboratorError, EngineError
from .ingest import expand_paths
from .pipeline import FATAL, Options, Pipeline, Prepare, Prepared, Progress, RunReport, read_source

INSTALL = "`pip install 'corroborator[ray]'`"


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide a Ray run goes."""

    #: A running cluster (``auto``, ``HOST:PORT``, ``ray://HOST:10001``); None: this
    #: machine, a local cluster started for the run (or the one ``RAY_ADDRESS`` names).
    address: str | None = None
    #: Worker processes (each loads the models once); None: one per CPU of the cluster.
    workers: int | None = None
    #: CPUs of a local cluster started here; None: all of this machine's.
    num_cpus: int | None = None


def require_ray() -> Any:
    """The ``ray`` module, or an ``EngineError`` saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise EngineError(f"--ray needs Ray: install it with {INSTALL}") from exc
    return ray


@contextmanager
def cluster(options: RayOptions) -> Iterator[Any]:
    """Ray, connected: to the running cluster ``options.address`` names, to one this process
    joined already, or to a local cluster started now (and stopped at the end)."""
    ray = require_ray()
    started = False
    if not ray.is_initialized():
        local = not options.address and not os.environ.get("RAY_ADDRESS")
        package = str(Path(__file__).resolve().parents[1])  # workers import this corroborator
        path = os.pathsep.join(p for p in (package, os.environ.get("PYTHONPATH")) if p)
        try:
            ray.init(
                address=options.address,
                num_cpus=options.num_cpus if local else None,
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.WARNING,
                runtime_env={"env_vars": {"PYTHONPATH": path}} if local else None,
            )
        except Exception as exc:  # ConnectionError, RuntimeError, ValueError from ray.init
            where = options.address or "a local cluster"
            raise EngineError(f"cannot start Ray on {where}: {_line(exc)}") from exc
        started = True
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


class _Worker:
    """One Ray worker: loads the models once, then turns each input of a batch into its
    prepared documents (one row per input: the pickled documents and the worker's share
    of the run report)."""

    def __init__(self, options: Options, threads: int) -> None:
        self.options = options
        self.prepare = Prepare(options, threads=threads)
        self.prepare.load()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        out = []
        for source in batch["source"]:
            report = RunReport()
            docs = read_source(str(source), self.options.ingest, report)
            out.append(pickle.dumps((self.prepare(docs, report), report)))
        return {"payload": np.array(out, dtype=object)}


def _line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def _worker_error(exc: BaseException) -> CorroboratorError:
    """What stopped a Ray run, as one of ours: the corroborator error a worker raised
    (a model that did not load, a store that failed), read back from Ray's report of it
    (Ray passes the worker's traceback as text), else an ``EngineError`` with Ray's last
    line."""
    texts = []
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, CorroboratorError):
            return e
        texts.append(str(e))
        todo += [e.__cause__, e.__context__]
    for text in texts:
        found = re.findall(r"corroborator\.errors\.(\w+): (.+)", text)
        if found:
            name, message = found[-1]
            kind = getattr(errors, name, None)
            if isinstance(kind, type) and issubclass(kind, CorroboratorError):
                return kind(message.strip())
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for t in texts for line in t.splitlines()]
    raised = [x for x in lines if re.match(r"[A-Za-z_][\w.]*(Error|Exception): ", x)]
    last = ([x for x in raised if not x.startswith("ray.")] or raised or [type(exc).__name__])[-1]
    return EngineError(f"the Ray run failed: {last[:300]}")


def prepared_batches(
    ray: Any, sources: list[str], options: Options, workers: int
) -> Iterator[tuple[list[Prepared], RunReport]]:
    """Each input's prepared documents and report share, in input order, made by
    ``workers`` Ray workers (one CPU each)."""
    from ray.data import ActorPoolStrategy, DataContext

    context = DataContext.get_current()
    context.execution_options.preserve_order = True  # arrival order = input order
    context.enable_progress_bars = False  # ours are on (Ray says once that its are off)
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    rows = [{"source": s} for s in sources]
    ds = ray.data.from_items(rows, override_num_blocks=len(rows))  # one input per block
    ds = ds.map_batches(
        _Worker,
        fn_constructor_args=(options, 1),
        batch_size=1,
        batch_format="numpy",
        compute=ActorPoolStrategy(size=workers),
        num_cpus=1,
    )
    for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
        for payload in batch["payload"]:
            yield pickle.loads(payload)


def ingest(
    pipeline: Pipeline,
    paths: Iterable[str],
    options: RayOptions | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """``pipeline.ingest`` with the reading, cleaning, story features and claims done by
    Ray workers; the store is written here, in input order."""
    options = options or RayOptions()
    report = RunReport()
    sources = list(expand_paths(paths))
    if not sources:
        return report
    with cluster(options) as ray:
        workers = options.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        try:
            batches = prepared_batches(ray, sources, pipeline.options, workers)
            for k, (prepared, part) in enumerate(batches):
                report.merge(part)
                for item in prepared:
                    pipeline.admit_prepared(item, report)
                if progress is not None:
                    progress("ingest", k + 1, len(sources))
        except FATAL:
            raise
        except Exception as exc:  # Ray's wrappers around a worker's error
            raise _worker_error(exc) from exc
    return report


def run(
    pipeline: Pipeline,
    paths: Iterable[str],
    options: RayOptions | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """``pipeline.run`` on Ray: :func:`ingest`, then copies and stories here."""
    report = ingest(pipeline, paths, options, progress)
    return pipeline.process(report, progress or _quiet)


def _quiet(stage: str, done: int, total: int | None) -> None:
    return None

"""corroborator: cross-check one story told by many outlets. Offline, on a CPU.

The public API is the names below; each command of the command line is one of these calls
plus its output (see ``api.py``)::

    import corroborator

    result = corroborator.run(["examples/"], db="news.db", use_model=False)
    for story in result.document["stories"]:
        print(story["title"], len(story["corroborated"]), "corroborated")

Importing the package loads no model; each model loads on the first call that needs it.
"""

from __future__ import annotations

from .api import (
    FORMATS,
    CheckResult,
    ClaimsResult,
    FactSheet,
    RunResult,
    article_claims,
    check,
    fact_sheet,
    fact_sheets,
    ingest,
    run,
    serve,
    stories,
    verify,
)
from .distributed import RayOptions
from .errors import (
    CorroboratorError,
    EngineError,
    InputError,
    ModelError,
    NotFound,
    StoreError,
)
from .ingest.limits import IngestOptions
from .pipeline import Options, RunReport

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # one call per command
    "run",
    "ingest",
    "stories",
    "fact_sheet",
    "fact_sheets",
    "serve",
    "article_claims",
    "check",
    "verify",
    # what they return and take
    "RunResult",
    "RunReport",
    "FactSheet",
    "ClaimsResult",
    "CheckResult",
    "Options",
    "IngestOptions",
    "RayOptions",
    "FORMATS",
    # the exception tree (errors.py)
    "CorroboratorError",
    "InputError",
    "StoreError",
    "ModelError",
    "EngineError",
    "NotFound",
]

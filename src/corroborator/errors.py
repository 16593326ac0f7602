"""The one exception tree of corroborator.

    CorroboratorError                 base of everything the package raises on purpose
    ├── InputError                    an input cannot be read as an article (skipped, counted)
    │   ├── UnreadableInput           missing file, permission denied, undecodable bytes
    │   ├── EmptyInput                nothing left to read after extraction / cleaning
    │   └── MalformedInput            broken JSON line, broken feed, broken WARC record
    ├── StoreError                    the database cannot be opened, migrated or written
    ├── ModelError                    a packaged model is missing or fails to load
    ├── EngineError                   Ray (``run --ray``) is not installed, cannot start or failed
    └── NotFound                      a story or article id that the store does not hold

Messages say what went wrong and what to do next. The CLI turns any of these into one
line on stderr and a non-zero exit; batch stages turn an ``InputError`` into a
:class:`~corroborator.records.Rejection` that carries its reason and go on.
"""

from __future__ import annotations


class CorroboratorError(Exception):
    """Base class of every error corroborator raises on purpose."""


class InputError(CorroboratorError):
    """An input could not be turned into an article."""


class UnreadableInput(InputError):
    """A file or URL could not be read at all."""


class EmptyInput(InputError):
    """An input held no article text."""


class MalformedInput(InputError):
    """An input is not in the format its name or content claims."""


class StoreError(CorroboratorError):
    """The database could not be opened, migrated or written."""


class ModelError(CorroboratorError):
    """A model that ships with the package is missing or failed to load."""


class EngineError(CorroboratorError):
    """The distributed engine (Ray, ``run --ray``) is not installed, cannot start or failed."""


class NotFound(CorroboratorError):
    """A story or article id is not in the store."""

"""The one template set (``web/templates``, Jinja2, autoescaped) and the one-file report.

The served pages (app.py) and the HTML file that ``run -o`` and ``report`` write come from
the same templates: a story's fact sheet is ``sheet.html`` in both, built from the same
``views.story_view``; the file carries the stylesheet inline and links inside itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from .views import story_view

HERE = Path(str(files("corroborator.web")))


@cache
def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return env


def report_html(stories: list[dict[str, Any]]) -> str:
    """Stories of the ``run --json`` document (each with its fact sheet) as one
    self-contained page: no script, no asset from elsewhere."""
    css = (HERE / "static" / "style.css").read_text(encoding="utf-8")
    return (
        templates()
        .get_template("report.html")
        .render(
            sheets=[story_view(s, served=False) for s in stories],
            css=css,
            written=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )

"""The command line: thin commands over the library (see ``corroborator --help``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import documents
from .errors import CorroboratorError
from .pipeline import Pipeline, RunReport
from .store import open_store

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Cross-check one story told by many outlets. Offline, on a CPU.\n\n"
    "Example: corroborator run examples/ --json out.json -o report.html",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Path, typer.Option("--db", help="SQLite database file (created when missing).")
]
DEFAULT_DB = Path("corroborator.db")


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """The one place CLI errors become a one-line message and a non-zero exit."""
    try:
        yield
    except CorroboratorError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted; run the same command again to resume", 130)


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int | None], None]]:
    if not err.is_terminal:
        yield lambda stage, done, total: None
        return
    with Progress(
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def print_summary(report: RunReport) -> None:
    skipped = len(report.skipped)
    out.print(
        f"read {report.read}, new {report.new}, duplicates {report.duplicates}, "
        f"copies found {report.copies}, skipped {skipped}",
        highlight=False,
    )
    for rejection in report.skipped:
        out.print(f"  skipped {rejection.source}: {rejection.reason}", highlight=False)


def exit_code(report: RunReport) -> int:
    """Non-zero only when nothing at all could be read."""
    return 1 if report.read == 0 and report.skipped else 0


def print_stories(doc: dict[str, Any]) -> None:
    for story in doc["stories"]:
        out.print(f"[bold]story {story['id']}[/]  {story['title']}", highlight=False)
        for a in story["articles"]:
            copy = f"  [yellow]copy of {a['copy_of']}[/]" if a["copy_of"] else ""
            date = (a["published"] or "")[:10]
            out.print(
                f"  {a['id']}  {a['outlet'] or 'unknown outlet':<22} {date:<10}  {a['title']}{copy}",
                highlight=False,
            )


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, URLs, or - for stdin.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Read articles, clean them, find copies and group them into stories.

    Example: corroborator ingest examples/ feeds/world.rss --db news.db
    """
    with errors_to_exit():
        store = open_store(str(db))
        with progress_bar() as progress:
            report = Pipeline(store).run(paths, progress)
        print_summary(report)
        raise typer.Exit(exit_code(report))


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a list.")] = False,
) -> None:
    """List the stories with their articles (outlet, title, date, copy-of).

    Example: corroborator stories --db news.db --json
    """
    with errors_to_exit():
        doc = documents.stories_document(open_store(str(db)))
        if as_json:
            sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        else:
            print_stories(doc)


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, URLs, or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the JSON document here (- for stdout).")
    ] = None,
) -> None:
    """Ingest and group in one go, then print the stories this run touched.

    Example: corroborator run examples/ --json out.json
    """
    with errors_to_exit():
        store = open_store(str(db))
        with progress_bar() as progress:
            report = Pipeline(store).run(paths, progress)
        doc = documents.stories_document(store, report.stories, report)
        print_summary(report)
        print_stories(doc)
        if json_out is not None:
            text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
            if str(json_out) == "-":
                sys.stdout.write(text)
            else:
                json_out.write_text(text, encoding="utf-8")
                err.print(f"wrote {json_out}", highlight=False)
        raise typer.Exit(exit_code(report))


def main() -> None:  # pragma: no cover - console entry point
    app()

"""The command line: each command is one call of the library (``api.py``) plus its output
(see ``corroborator --help``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape as esc  # text read from the web is never markup
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import api, factsheet
from .claims import sentence_number
from .distributed import RayOptions
from .errors import CorroboratorError
from .ingest.limits import DEFAULT_LIMITS, IngestOptions, MiB
from .language import is_english
from .pipeline import RunReport
from .store import backend_of

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Cross-check one story told by many outlets. Offline, on a CPU.\n\n"
    "Example: corroborator run examples/ --json out.json -o report.html",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        help="SQLite database file (created when missing), or a postgresql://user@host/name URL.",
    ),
]
DEFAULT_DB = api.DEFAULT_DB

AllowPrivate = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Fetch URLs that point at this machine or a private network (refused by default).",
    ),
]
MaxDocumentMb = Annotated[
    float,
    typer.Option(min=0.001, help="Largest document read (a page, a JSON line, a WARC record), MB."),
]
MaxFeedMb = Annotated[float, typer.Option(min=0.001, help="Largest RSS/Atom feed read, MB.")]
MaxSentences = Annotated[int, typer.Option(min=1, help="Most sentences in one article.")]
DocumentTimeout = Annotated[
    float, typer.Option(min=0, help="Seconds one document may take to read (0: no limit).")
]


def ingest_options(
    allow_private: bool, max_document_mb: float, max_feed_mb: float, max_sentences: int,
    document_timeout: float,
) -> IngestOptions:  # fmt: skip
    return IngestOptions(
        max_document_bytes=int(max_document_mb * MiB),
        max_feed_bytes=int(max_feed_mb * MiB),
        max_sentences=max_sentences,
        document_timeout_s=document_timeout,
        allow_private=allow_private,
    )


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {esc(message)}", highlight=False)
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
    if report.read == 0 and not skipped and not report.errors:
        out.print("nothing to read: no input files were found", highlight=False)
        return
    replaced = f", undecodable bytes replaced {report.replaced}" if report.replaced else ""
    if report.not_english:
        replaced += f", {report.not_english} not English: no claims"
    out.print(
        f"read {report.read}, new {report.new}, duplicates {report.duplicates}, "
        f"copies found {report.copies}, skipped {skipped}{replaced}, errors {len(report.errors)}",
        highlight=False,
    )
    for rejection in report.skipped:
        out.print(
            f"  skipped {rejection.source}: {rejection.reason}", highlight=False, markup=False
        )
    for e in report.errors:
        what = f"article {e.article}" if e.article else f"story {e.story}"
        out.print(f"  error in {e.stage}, {what}: {e.reason}", highlight=False, markup=False)
    for warning in report.warnings:
        out.print(f"  warning: {warning}", highlight=False, markup=False)


def exit_code(report: RunReport) -> int:
    """Non-zero only when nothing was processed: no article read, or every one failed."""
    return 1 if report.nothing_processed() else 0


def print_stories(doc: dict[str, Any]) -> None:
    for story in doc["stories"]:
        out.print(f"[bold]story {story['id']}[/]  {esc(story['title'] or '')}", highlight=False)
        for a in story["articles"]:
            copy = f"  [yellow]copy of {esc(a['copy_of'])}[/]" if a["copy_of"] else ""
            date = (a["published"] or "")[:10]
            out.print(
                f"  {a['id']}  {esc(a['outlet'] or 'unknown outlet'):<22} {esc(date):<10}  {esc(a['title'] or '')}{copy}",
                highlight=False,
            )


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, URLs, or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    allow_private: AllowPrivate = False,
    max_document_mb: MaxDocumentMb = DEFAULT_LIMITS.max_document_bytes / MiB,
    max_feed_mb: MaxFeedMb = DEFAULT_LIMITS.max_feed_bytes / MiB,
    max_sentences: MaxSentences = DEFAULT_LIMITS.max_sentences,
    document_timeout: DocumentTimeout = DEFAULT_LIMITS.document_timeout_s,
) -> None:
    """Read articles, clean them, find copies and group them into stories.

    Example: corroborator ingest examples/ feeds/world.rss --db news.db
    """
    with errors_to_exit():
        limits = ingest_options(
            allow_private, max_document_mb, max_feed_mb, max_sentences, document_timeout
        )
        with progress_bar() as progress:
            report = api.ingest(paths, db, progress, limits=limits)
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
        doc = api.stories(db)
        if not doc["stories"] and not as_json:
            out.print(
                f"no stories in {db} yet; `corroborator run PATH... --db {db}` adds some",
                markup=False,
            )
        if as_json:
            sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        else:
            print_stories(doc)


NoModel = Annotated[
    bool, typer.Option("--no-model", help="Rules only: do not use the entailment model.")
]


def write_out(text: str, path: Path | None, what: str) -> None:
    if path is None or str(path) == "-":
        sys.stdout.write(text)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {what} to {path}: {exc.strerror or exc}")
    err.print(f"wrote {what} to {path}", highlight=False, markup=False)


def check_writable(*paths: Path | None) -> None:
    """Fail before the work, not after it, when an output cannot be written."""
    for path in paths:
        if path is not None and str(path) != "-" and not path.parent.is_dir():
            fail(f"cannot write {path}: folder {path.parent} does not exist")


def _disputed(story: dict[str, Any]) -> str:
    """ "N disputed claims", as the story list and the fact sheet say it (one per card)."""
    n = factsheet.disputed_count(story)
    return f"{n} disputed {'claim' if n == 1 else 'claims'}"


def print_sheet_summary(doc: dict[str, Any]) -> None:
    for story in doc["stories"]:
        if "claims" not in story:
            continue
        out.print(
            f"  fact sheet {story['id']}: {len(story['claims'])} claims, "
            f"{len(story['corroborated'])} corroborated, {_disputed(story)}, "
            f"{len(story['single_source'])} single-source",
            highlight=False,
        )
        for a in story["articles"]:
            warning = a.get("flags", {}).get("warning")
            if warning:
                out.print(
                    f"  [yellow]! {esc(a.get('outlet') or a['id'])}: {esc(warning)}[/]",
                    highlight=False,
                )


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, URLs, or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the JSON document here (- for stdout).")
    ] = None,
    html_out: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the fact sheets of the stories touched (HTML)."),
    ] = None,
    no_model: NoModel = False,
    allow_private: AllowPrivate = False,
    max_document_mb: MaxDocumentMb = DEFAULT_LIMITS.max_document_bytes / MiB,
    max_feed_mb: MaxFeedMb = DEFAULT_LIMITS.max_feed_bytes / MiB,
    max_sentences: MaxSentences = DEFAULT_LIMITS.max_sentences,
    document_timeout: DocumentTimeout = DEFAULT_LIMITS.document_timeout_s,
    ray: Annotated[
        bool,
        typer.Option(
            "--ray",
            help="Read, clean and extract on a Ray cluster (a local one unless --ray-address "
            "or RAY_ADDRESS names one); same result. Needs `pip install 'corroborator\\[ray]'`.",
        ),
    ] = False,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            metavar="ADDRESS",
            help="The Ray cluster to run on (auto, HOST:PORT or ray://HOST:10001); implies --ray.",
        ),
    ] = None,
) -> None:
    """Ingest, group, extract claims and cross-check; print the stories this run touched.

    Example: corroborator run examples/ --json out.json -o report.html
    On Ray:  corroborator run shards/ --ray-address ray://head:10001 --db postgresql://news@db/news
    """
    global out
    with errors_to_exit():
        check_writable(json_out, html_out)
        if "-" in (str(json_out), str(html_out)):
            out = err  # stdout carries the document; the human summary goes to stderr
        limits = ingest_options(
            allow_private, max_document_mb, max_feed_mb, max_sentences, document_timeout
        )
        with progress_bar() as progress:
            engine = RayOptions(address=ray_address) if ray or ray_address else None
            result = api.run(
                paths, db, use_model=not no_model, progress=progress, limits=limits, ray=engine
            )
        print_summary(result.report)
        print_stories(result.document)
        print_sheet_summary(result.document)
        if json_out is not None:
            write_out(result.to_json(), json_out, "the JSON document")
        if html_out is not None:
            write_out(result.to_html(), html_out, "the fact sheets")
        raise typer.Exit(exit_code(result.report))


@app.command()
def report(
    story: Annotated[str, typer.Argument(help="Story id (or an unambiguous prefix of it).")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="html, md, json or claimreview.")
    ] = "html",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")
    ] = None,
    no_model: NoModel = False,
    review_author: Annotated[
        str | None,
        typer.Option(
            help="claimreview: the organisation publishing the reviews (default: corroborator)."
        ),
    ] = None,
    base_url: Annotated[
        str,
        typer.Option(
            help="claimreview: where `corroborator serve` answers; each review's url "
            "is its sentence on the article's page there."
        ),
    ] = factsheet.DEFAULT_BASE_URL,
) -> None:
    """Write the fact sheet of one story.

    Example: corroborator report 22d97c --format md -o story.md
    (or --format claimreview --review-author "Harbour Fact Desk" --base-url https://facts.example)
    """
    with errors_to_exit():
        if fmt not in api.FORMATS:
            fail(f"unknown format {fmt!r}: use html, md, json or claimreview", 2)
        check_writable(output)
        sheet = api.fact_sheet(story, db, use_model=not no_model)
        review = {"author": review_author, "base_url": base_url} if fmt == "claimreview" else {}
        write_out(sheet.render(fmt, **review), output, f"the {fmt} fact sheet")


@app.command()
def claims(
    file: Annotated[
        str,
        typer.Argument(
            help="Articles: a file (every item of a feed, JSON Lines or WARC file; FILE#N for "
            "item N only), a URL, or - for stdin."
        ),
    ],
    json_out: Annotated[
        Path | None,
        typer.Option(
            "--json",
            help="Write the claims as JSON here (- for stdout): one article's document, or "
            '{"articles": [...]} for a file holding several.',
        ),
    ] = None,
    allow_private: AllowPrivate = False,
    max_document_mb: MaxDocumentMb = DEFAULT_LIMITS.max_document_bytes / MiB,
    max_feed_mb: MaxFeedMb = DEFAULT_LIMITS.max_feed_bytes / MiB,
    max_sentences: MaxSentences = DEFAULT_LIMITS.max_sentences,
    document_timeout: DocumentTimeout = DEFAULT_LIMITS.document_timeout_s,
) -> None:
    """The claims of each article of a file: who says what, stance, figures, people (no
    database).

    Example: corroborator claims examples/2026-03-16-harbour-regatta.txt --json -
    """
    with errors_to_exit():
        limits = ingest_options(
            allow_private, max_document_mb, max_feed_mb, max_sentences, document_timeout
        )
        results = api.all_claims(file, limits=limits)
        if json_out is not None:
            if len(results) == 1:
                write_out(results[0].to_json(), json_out, "the claims")
            else:
                docs = [r.document for r in results]
                write_out(json.dumps({"articles": docs}, indent=2), json_out, "the claims")
            return
        for result in results:
            if len(results) > 1:
                out.print(
                    f"[bold]== {esc(result.article.source)}[/]: {esc(result.article.title or '')}",
                    highlight=False,
                )
            _print_claims(result)


def _print_claims(result: api.ClaimsResult) -> None:
    if not is_english(result.article.language):
        out.print(
            f"[yellow]not English ({esc(result.article.language or '')}): no claims[/]",
            highlight=False,
        )
        return
    extracted = result.extracted
    for c in extracted.claims:
        q = "; ".join(x.text for x in c.quantities)
        out.print(
            f"\\[{sentence_number(c.sentence)}] [bold]{esc(c.speaker or result.article.outlet or 'the article')}[/] ({factsheet.STANCE_LABELS[c.stance]}"
            f"{', ' + esc(c.cue) if c.cue else ''}): {esc(c.proposition)}"
            + (f"  [cyan]{esc(q)}[/]" if q else ""),
            highlight=False,
        )
    for g in extracted.garbled:
        out.print(
            f"[yellow]garbled[/] \\[{sentence_number(g.sentence)}] {esc(g.reason)}: {esc(g.text)}",
            highlight=False,
        )
    for _, name in extracted.unintroduced:
        out.print(f"[yellow]unintroduced speaker[/]: {esc(name)}", highlight=False)


@app.command()
def check(
    file: Annotated[str, typer.Argument(help="One new article: a file, a URL, or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the result as JSON here (- for stdout).")
    ] = None,
    no_model: NoModel = False,
    allow_private: AllowPrivate = False,
    max_document_mb: MaxDocumentMb = DEFAULT_LIMITS.max_document_bytes / MiB,
    max_feed_mb: MaxFeedMb = DEFAULT_LIMITS.max_feed_bytes / MiB,
    max_sentences: MaxSentences = DEFAULT_LIMITS.max_sentences,
    document_timeout: DocumentTimeout = DEFAULT_LIMITS.document_timeout_s,
) -> None:
    """Check one new article against everything in the database (the article is stored).

    Prints its story, each claim with its status and evidence, and the article's own flags;
    --json writes the same as a JSON document (--json - to stdout, the lines then go to stderr).

    Example: corroborator check new-report.html --db news.db --json check.json
    """
    global out
    with errors_to_exit():
        check_writable(json_out)
        if str(json_out) == "-":
            out = err  # stdout carries the document
        limits = ingest_options(
            allow_private, max_document_mb, max_feed_mb, max_sentences, document_timeout
        )
        checked = api.check(file, db, use_model=not no_model, limits=limits)
        print_check(checked.document)
        if json_out is not None:
            write_out(checked.to_json(), json_out, "the check")


def evidence_word(ev: dict[str, Any]) -> str:
    """What a source's sentence does to a checked claim, as the check page says it."""
    if ev["verdict"] == "agrees":
        return "agrees"
    return "disagrees" if ev.get("contradicts", True) else "differs on a detail"


def print_check(result: dict[str, Any]) -> None:
    if result.get("story_articles") == 1:
        out.print(f"story {result['story']}: a new story (no story in the database tells of "
                  "the same event; nothing to check it against yet)", highlight=False)  # fmt: skip
    else:
        n = result["other_sources"]
        out.print(f"story {result['story']}: {esc(result['story_title'] or '')} "
                  f"({n} other independent source{'' if n == 1 else 's'})", highlight=False)  # fmt: skip
    original = result.get("copy_of")
    if original:
        out.print(f"[yellow]a copy of {esc(original['outlet'] or 'an unnamed source')}, "
                  f"“{esc(original['title'] or '')}”: counted as one source with it[/]",
                  highlight=False)  # fmt: skip
    colours = {"corroborated": "green", "contradicted": "red", "unverified": "dim"}
    for c in result["claims"]:
        status = c["status"]
        out.print(
            f"[{colours[status]}]{status:>12}[/] \\[{c['sentence']}] {esc(c['text'])}",
            highlight=False,
        )
        for ev in c["evidence"]:
            says = evidence_word(ev)
            out.print(
                f"{'':>14}{esc(ev['source'])} {says}: {esc(ev['text'])}  [dim]({esc(ev['reason'])})[/]",
                highlight=False,
            )
    flags = result.get("flags", {})
    notes = [t["text"] for t in flags.get("title_conflicts", [])]
    notes += [u["text"] for u in flags.get("unintroduced_speakers", [])]
    notes += [f"the same figure stated two ways: {' vs '.join(q['figures'])}"
              for q in flags.get("quantity_restated", [])]  # fmt: skip
    notes += [f"sentence {g['sentence']} too garbled to trust ({g['reason']})"
              for g in flags.get("garbled", [])]  # fmt: skip
    for note in notes:
        out.print(f"[yellow]{'flag':>12}[/] {esc(note)}", highlight=False)
    if flags.get("warning"):
        out.print(f"[yellow]! {esc(flags['warning'])}[/]", highlight=False)


@app.command()
def verify(
    pairs: Annotated[
        str, typer.Argument(help="JSON Lines of {id, evidence, claim}, or - for stdin.")
    ],
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="P(supported) a claim sentence needs to be called supported (default: the "
            "model's, tuned for balanced accuracy; raise it, e.g. 0.5, for fewer false supports).",
        ),
    ] = None,
) -> None:
    """Judge claims against evidence with the entailment model; JSON Lines to stdout.

    Each claim sentence is read against the windows of evidence sentences that share most
    words with it, and the best window decides; "supported" needs every claim sentence
    supported, one strong contradiction makes it "contradicted". Example:
    echo '{"id": 1, "evidence": "The mayor resigned.", "claim": "The mayor quit."}' | corroborator verify -
    """
    with errors_to_exit():
        api.verify(sys.stdin if pairs == "-" else pairs, sys.stdout, threshold=threshold)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option(help="Address to listen on; the default answers this machine only.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    no_model: NoModel = False,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="CORROBORATOR_TOKEN",
            help="Secret that checking an article needs (required off loopback).",
        ),
    ] = None,
    max_article_kb: Annotated[
        int,
        typer.Option(min=1, help="Largest article the check page and POST /api/check take, KiB."),
    ] = api.MAX_CHECK_KB,
) -> None:
    """Read the stories and their fact sheets in a browser (and as JSON under /api/).

    Example: corroborator serve --db news.db  (then open http://127.0.0.1:8000/)
    """
    with errors_to_exit():
        if backend_of(db) == "sqlite" and not Path(db).is_file():
            fail(f"no database at {db}; `corroborator run PATH... --db {db}` makes one")
        err.print(f"reading the fact sheets of {db}...", highlight=False, markup=False)

        def ready() -> None:
            err.print(f"open http://{host}:{port}/ (Ctrl-C stops)", highlight=False, markup=False)

        api.serve(db, host=host, port=port, use_model=not no_model, ready=ready, token=token,
                  max_check_kb=max_article_kb)  # fmt: skip


db_app = typer.Typer(no_args_is_help=True, help="Look after the database itself.")
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Apply the schema migrations the database lacks and list them (also done on open).

    Example: corroborator db upgrade --db postgresql://news@dbhost/news
    """
    with errors_to_exit():
        result = api.upgrade(db)
        if as_json:
            doc = {
                "applied_now": list(result.applied_now),
                "applied": list(result.applied),
                "schema_version": result.schema_version,
            }
            sys.stdout.write(json.dumps(doc, indent=2) + "\n")
            return
        for name in result.applied_now:
            out.print(f"applied {name}", markup=False, highlight=False)
        out.print(
            f"schema {result.schema_version}, up to date ({len(result.applied)} migrations)",
            markup=False,
            highlight=False,
        )


def main() -> None:  # pragma: no cover - console entry point
    app()

"""The web app: the story list and each story's fact sheet, as pages and as JSON under
``/api/`` (``corroborator serve``).

Pages are Jinja2 templates (autoescaped: article text is never markup) with one local
stylesheet; nothing is loaded from elsewhere, and the Content-Security-Policy says so to
the browser. Errors are turned into a response in one place: JSON ``{"error": message}``
under ``/api/``, a page elsewhere.
"""

from __future__ import annotations

import hmac
import json
import os
import re
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from .. import __version__
from ..api import MAX_CHECK_KB
from ..errors import CorroboratorError, InputError, NotFound, StoreError
from ..factsheet import to_claimreview
from .pages import HERE, templates
from .views import Library, article_view, matches, story_view, summary

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Every asset comes from this server; no inline script runs.
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'"


def _date_param(value: str | None, name: str) -> str | None:
    if not value:
        return None  # an empty date field of the search form
    if not DATE.match(value):
        raise HTTPException(400, f"{name} must be a date written YYYY-MM-DD, not {value!r}")
    return value


#: The largest article the check page and ``POST /api/check`` accept.
MAX_CHECK_BYTES = MAX_CHECK_KB * 1024
CHECK_FIELDS = ("text", "html", "title", "outlet")
#: What the write endpoints (check, ingest) answer besides 400.
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "the server's token is missing or wrong"},
    413: {"description": "the article is larger than the server accepts"},
}
UPLOAD_FIELDS = ("text", "title", "outlet", "token", "file")
#: The body of ``POST /api/check`` as the OpenAPI document describes it (read by hand, so
#: that the size cap applies before any parsing).
CHECK_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "description": "the article's text"},
                    "html": {"type": "string", "description": "or its web page"},
                    "title": {"type": "string"},
                    "outlet": {"type": "string"},
                },
                "anyOf": [{"required": ["text"]}, {"required": ["html"]}],
            }
        }
    },
}


def upload_fields(content_type: str, body: bytes) -> dict[str, str]:
    """The check form sent with a file (multipart/form-data): its text fields, and the
    file's content as ``html`` or ``text`` (by its name, or by its first characters)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise HTTPException(400, "the form could not be read (multipart without parts)")
    data: dict[str, str] = {}
    upload: tuple[str, str] | None = None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or name not in UPLOAD_FIELDS or name in data:
            continue
        raw = part.get_payload(decode=True)
        value = raw.decode("utf-8-sig", "replace") if isinstance(raw, bytes) else ""
        if name != "file":
            data[name] = value
        elif value.strip() and upload is None:
            upload = ((part.get_filename() or "").lower(), value)
    if upload is not None:  # a chosen file is the article, whatever was pasted
        filename, value = upload
        markup = filename.endswith((".html", ".htm")) or (
            not filename.endswith(".txt") and value.lstrip()[:1] == "<"
        )
        data["html" if markup else "text"] = value
        if markup:
            data["text"] = ""
    return data


def create_app(
    db: str | os.PathLike[str],
    *,
    use_model: bool = True,
    token: str | None = None,
    max_check_bytes: int = MAX_CHECK_BYTES,
) -> FastAPI:
    """The app over one SQLite database (as written by ``corroborator run``).

    ``token``: when given, checking an article (the one write) needs it, as
    ``Authorization: Bearer TOKEN`` or the check form's token field."""
    app = FastAPI(
        title="corroborator",
        version=__version__,
        description="Stories told by several outlets, cross-checked: what independent sources "
        "agree on, where they conflict, what rests on one source.",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema stays
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.library = Library(db, use_model=use_model)
    env = templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    def library() -> Library:
        lib: Library = app.state.library
        return lib

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return page("error.html", status, title="Something went wrong", message=message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no page at {request.url.path}"
        return error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        parts = [f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors()]
        return error(request, 400, "; ".join(parts) or "bad request")

    @app.exception_handler(CorroboratorError)
    async def corroborator_error(request: Request, exc: CorroboratorError) -> Response:
        status = (
            404 if isinstance(exc, NotFound)
            else 400 if isinstance(exc, InputError)  # the article sent cannot be read
            else 503 if isinstance(exc, StoreError)
            else 500
        )  # fmt: skip
        return error(request, status, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        return error(
            request, 500, f"internal error ({type(exc).__name__}); the server log has more"
        )

    def listing(q: str, date_from: str | None, date_to: str | None) -> list[dict[str, Any]]:
        start = _date_param(date_from, "from")
        end = _date_param(date_to, "to")
        lines = [summary(s) for s in library().stories()]
        return [line for line in lines if matches(line, q, start, end)]

    def one_story(story_id: str) -> dict[str, Any]:
        story = library().story(story_id)
        if story is None:
            raise HTTPException(404, f"no story {story_id!r}; the story list shows them all")
        return story

    # --- pages ------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        q: str = "",
        date_from: str | None = Query(None, alias="from"),
        date_to: str | None = Query(None, alias="to"),
    ) -> HTMLResponse:
        lines = listing(q, date_from, date_to)
        total = len(library().stories())
        return page("stories.html", title="Stories", stories=lines, total=total, q=q,
                    date_from=date_from or "", date_to=date_to or "")  # fmt: skip

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        view = story_view(one_story(story_id))
        return page("story.html", title=view["title"], s=view)

    def one_article(story_id: str, number: int) -> dict[str, Any]:
        story = one_story(story_id)
        if not 1 <= number <= len(story["articles"]):
            raise HTTPException(404, f"story {story_id!r} has no article {number}")
        article = story["articles"][number - 1]
        text = library().article_text(article["id"])
        original = None
        if article.get("copy_of"):
            try:
                original = library().article_text(article["copy_of"])
            except NotFound:
                original = None  # the original was never stored: no word-by-word view
        view = article_view(story, number, text, original)
        assert view is not None
        return view

    @app.get("/stories/{story_id}/articles/{number}", response_class=HTMLResponse,
             include_in_schema=False)  # fmt: skip
    def article_page(story_id: str, number: int) -> HTMLResponse:
        view = one_article(story_id, number)
        return page("article.html", title=view["headline"] or view["outlet"], a=view)

    async def read_body(request: Request) -> bytes:
        """The request's body, refused as soon as it passes the size cap (never read whole
        into memory first)."""
        too_big = HTTPException(413, f"the article is larger than {max_check_bytes // 1024} KiB")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_check_bytes:
            raise too_big
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_check_bytes:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks)

    async def read_check(request: Request, what: str = "checking") -> dict[str, str]:
        body = await read_body(request)
        kind = request.headers.get("content-type", "")
        if kind.startswith("application/json"):
            try:
                data = json.loads(body)
            except ValueError as exc:
                raise HTTPException(400, f"the body is not JSON ({exc})") from exc
            if not isinstance(data, dict):
                raise HTTPException(400, 'send {"text": ..., "title": ..., "outlet": ...}')
        elif kind.startswith("multipart/form-data"):  # the form with a file
            data = upload_fields(kind, body)
        else:  # the form: application/x-www-form-urlencoded
            data = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if token is not None:
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            given = given or str(data.get("token", ""))
            if not hmac.compare_digest(given.encode(), token.encode()):
                raise HTTPException(401, f"{what} an article needs the server's token")
        article = {k: str(data.get(k) or "").strip() for k in CHECK_FIELDS}
        if not article["text"] and not article["html"]:
            verb = "check" if what == "checking" else "store"
            raise HTTPException(400, f"paste the article's text or choose its file to {verb} it")
        return article

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_form() -> HTMLResponse:
        return page("check.html", title="Check an article", result=None, form=dict.fromkeys(CHECK_FIELDS, ""),
                    needs_token=token is not None, problem=None)  # fmt: skip

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_page(request: Request) -> HTMLResponse:
        try:
            article = await read_check(request)
        except HTTPException as exc:  # nothing pasted, too large, no token: said on the form
            return page("check.html", exc.status_code, title="Check an article", result=None,
                        form=dict.fromkeys(CHECK_FIELDS, ""), needs_token=token is not None,
                        problem=str(exc.detail))  # fmt: skip
        try:
            result = await run_in_threadpool(library().check, article)
        except InputError as exc:  # said on the form, which keeps what was pasted
            return page("check.html", 400, title="Check an article", result=None, form=article,
                        needs_token=token is not None, problem=str(exc))  # fmt: skip
        return page("check.html", title="Check an article", result=result, form=article,
                    needs_token=token is not None, problem=None)  # fmt: skip

    @app.post(
        "/api/check",
        summary="Check one article against everything known",
        openapi_extra={"requestBody": CHECK_BODY},
        responses=WRITE_ERRORS,
    )
    async def api_check(request: Request) -> dict[str, Any]:
        """Body: JSON ``{"text", "title", "outlet"}`` (at most the server's size). The
        article is stored and placed in a story; per claim, whether independent sources
        corroborate it, contradict it or say nothing (``corroborator check``)."""
        article = await read_check(request)
        result: dict[str, Any] = await run_in_threadpool(library().check, article)
        return result

    @app.post(
        "/api/ingest",
        summary="Store one article and place it in a story (no cross-check)",
        openapi_extra={"requestBody": CHECK_BODY},
        responses=WRITE_ERRORS,
    )
    async def api_ingest(request: Request) -> dict[str, Any]:
        """Body as for ``/api/check`` (at most the server's size). The article is stored,
        its copies found and it is placed in a story, as ``corroborator ingest`` does;
        ``stored`` is 0 for an article already known (``duplicate``)."""
        article = await read_check(request, "storing")
        result: dict[str, Any] = await run_in_threadpool(library().ingest, article)
        return result

    # --- JSON -------------------------------------------------------------------------------
    @app.get("/api/stories", summary="The stories, with search")
    def api_stories(
        q: str = Query("", description="words to find in a title, a headline, an outlet or a name"),
        date_from: str | None = Query(None, alias="from", description="YYYY-MM-DD"),
        date_to: str | None = Query(None, alias="to", description="YYYY-MM-DD"),
    ) -> dict[str, Any]:
        """Each story with its counts: articles, independent sources, and disputed claims
        (``disputed_claims``: the dispute cards of the story's page, one per conflict)."""
        return {"stories": listing(q, date_from, date_to)}

    @app.get("/api/stories/{story_id}", summary="One story's fact sheet")
    def api_story(story_id: str) -> dict[str, Any]:
        """The story as in ``corroborator run --json``: articles, claims, corroborated facts,
        conflicts, single-source claims, who says what, figures, people."""
        return one_story(story_id)

    @app.get("/api/stories/{story_id}/articles/{number}", summary="One article, marked up")
    def api_article(story_id: str, number: int) -> dict[str, Any]:
        """The article numbered ``number`` (from 1, in the story's order): its cleaned text
        in pieces, each claim sentence with its status (disputed, corroborated, single,
        other) and its flags; what it copies and who copies it."""
        return one_article(story_id, number)

    @app.get("/api/stories/{story_id}/claimreview", summary="ClaimReview of the disputed claims")
    def api_claimreview(
        request: Request,
        story_id: str,
        author: str | None = Query(None, description="the organisation publishing the reviews"),
    ) -> list[dict[str, Any]]:
        """schema.org ClaimReview items (JSON-LD) for each claim of the story whose content
        another independent source disputes; each review's ``url`` is the claim's sentence on
        its article's page here."""
        base = str(request.base_url).rstrip("/")
        return to_claimreview(one_story(story_id), author=author or None, base_url=base)

    return app

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
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import CorroboratorError, NotFound, StoreError
from .views import Library, article_view, matches, story_view, summary

HERE = Path(str(files("corroborator.web")))
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Every asset comes from this server; no inline script runs.
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'"


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return env


def _date_param(value: str | None, name: str) -> str | None:
    if not value:
        return None  # an empty date field of the search form
    if not DATE.match(value):
        raise HTTPException(400, f"{name} must be a date written YYYY-MM-DD, not {value!r}")
    return value


#: The largest article the check page and ``POST /api/check`` accept.
MAX_CHECK_BYTES = 1024 * 1024
CHECK_FIELDS = ("text", "title", "outlet")


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
    env = _templates()
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
        status = 404 if isinstance(exc, NotFound) else 503 if isinstance(exc, StoreError) else 500
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
        text = library().article_text(story["articles"][number - 1]["id"])
        view = article_view(story, number, text)
        assert view is not None
        return view

    @app.get("/stories/{story_id}/articles/{number}", response_class=HTMLResponse,
             include_in_schema=False)  # fmt: skip
    def article_page(story_id: str, number: int) -> HTMLResponse:
        view = one_article(story_id, number)
        return page("article.html", title=view["headline"] or view["outlet"], a=view)

    async def read_check(request: Request) -> dict[str, str]:
        body = await request.body()
        if len(body) > max_check_bytes:
            raise HTTPException(413, f"the article is larger than {max_check_bytes // 1024} KiB")
        if request.headers.get("content-type", "").startswith("application/json"):
            try:
                data = json.loads(body)
            except ValueError as exc:
                raise HTTPException(400, f"the body is not JSON ({exc})") from exc
            if not isinstance(data, dict):
                raise HTTPException(400, 'send {"text": ..., "title": ..., "outlet": ...}')
        else:  # the form: application/x-www-form-urlencoded
            data = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if token is not None:
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            given = given or str(data.get("token", ""))
            if not hmac.compare_digest(given.encode(), token.encode()):
                raise HTTPException(401, "checking an article needs the server's token")
        article = {k: str(data.get(k) or "").strip() for k in CHECK_FIELDS}
        if not article["text"]:
            raise HTTPException(400, "paste the article's text to check it")
        return article

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_form() -> HTMLResponse:
        return page("check.html", title="Check an article", result=None, form=dict.fromkeys(CHECK_FIELDS, ""),
                    needs_token=token is not None)  # fmt: skip

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_page(request: Request) -> HTMLResponse:
        article = await read_check(request)
        result = await run_in_threadpool(library().check, article)
        return page("check.html", title="Check an article", result=result, form=article,
                    needs_token=token is not None)  # fmt: skip

    @app.post("/api/check", summary="Check one article against everything known")
    async def api_check(request: Request) -> dict[str, Any]:
        """Body: JSON ``{"text", "title", "outlet"}`` (at most the server's size). The
        article is stored and placed in a story; per claim, whether independent sources
        corroborate it, contradict it or say nothing (``corroborator check``)."""
        article = await read_check(request)
        result: dict[str, Any] = await run_in_threadpool(library().check, article)
        return result

    # --- JSON -------------------------------------------------------------------------------
    @app.get("/api/stories", summary="The stories, with search")
    def api_stories(
        q: str = Query("", description="words to find in a title, a headline, an outlet or a name"),
        date_from: str | None = Query(None, alias="from", description="YYYY-MM-DD"),
        date_to: str | None = Query(None, alias="to", description="YYYY-MM-DD"),
    ) -> dict[str, Any]:
        """Each story with its counts: articles, independent sources, disputed claims."""
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

    return app

"""The JSON API against its own OpenAPI document, with requests that schemathesis generates
from it (Hypothesis underneath): whatever is asked, the answer is never a server error, and
an error is JSON with a message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis not installed")
from hypothesis import HealthCheck, given, settings  # noqa: E402


@pytest.fixture(scope="module")
def api_schema(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The app over a copy of the database (a generated article that is checked is
    stored), its fact sheets read once, rules only."""
    import sqlite3

    from corroborator.web.app import create_app

    copy = tmp_path_factory.mktemp("schema") / "schema.db"
    with sqlite3.connect(web_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    app = create_app(copy, use_model=False, max_check_bytes=64 * 1024)
    app.state.library.document()
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def test_web_schema_no_generated_request_gets_a_server_error(api_schema: Any) -> None:
    """Each operation of the document, with requests Hypothesis draws from its schema (the
    same ones on every run, so that a failure replays); schemathesis's pytest plugin is not
    used (its lazy fixture does not run under this pytest)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # the reads first: a checked article changes the database, and the next read then
    # rebuilds every fact sheet
    operations.sort(key=lambda op: op.method.upper() != "GET")
    assert {f"{op.method.upper()} {op.path}" for op in operations} >= {
        "GET /api/stories", "GET /api/stories/{story_id}", "POST /api/check", "POST /api/ingest",
        "GET /api/stories/{story_id}/articles/{number}",
        "GET /api/stories/{story_id}/claimreview",
    }  # fmt: skip
    for op in operations:

        @given(case=op.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def answers(case: Any) -> None:
            response = case.call(timeout=600)
            assert response.status_code < 500, (
                case.method, case.path, case.path_parameters, case.query, case.body,
                response.text[:500],
            )  # fmt: skip
            if response.status_code >= 400:
                body = response.json()
                assert isinstance(body, dict) and isinstance(body.get("error"), str)
                assert body["error"]

        answers()

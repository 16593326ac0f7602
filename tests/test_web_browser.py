"""The web app in a real browser: uvicorn on a free loopback port, Debian's Chromium driven
by Playwright. Skips with a message when Chromium or Playwright is missing (`.ci/run`
installs Chromium). Screenshots land in tests/artifacts/ (ignored by git)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO
from .test_browser import CHROMIUM, FLAGS

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"Chromium not found at {CHROMIUM}; skipping browser tests"
)
ARTIFACTS = REPO / "tests" / "artifacts"


def serving(app: Any) -> Iterator[str]:
    uvicorn = pytest.importorskip("uvicorn", reason="uvicorn not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(web_app: Any) -> Iterator[str]:
    yield from serving(web_app)


@pytest.fixture(scope="module")
def writable_server(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a copy of the database: checking an article stores it."""
    import sqlite3

    from corroborator.web.app import create_app

    copy = tmp_path_factory.mktemp("browser-check") / "check.db"
    with sqlite3.connect(web_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    yield from serving(create_app(copy, use_model=False))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Watched:
    """A page with every console error, dialog and request it caused."""

    def __init__(self, browser: Any, width: int) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def test_web_browser_search_open_story_and_read_the_dispute(server: str, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1200, 375):
        w = Watched(browser, width)
        page = w.page
        page.goto(server + "/")
        assert page.title() == "Stories · corroborator"
        assert page.locator("li.story").count() == 4
        page.screenshot(path=str(ARTIFACTS / f"web-stories-{width}.png"), full_page=True)
        page.fill("input[name=q]", "Moreau")
        page.click("button[type=submit]")
        page.wait_for_url("**/?q=Moreau**")
        assert page.locator("li.story").count() == 1
        page.click("li.story a.title")
        page.wait_for_selector("#disputed")
        assert "Port Selden" in page.locator("h1").inner_text()
        cards = page.locator("#disputed .conflict")
        assert cards.count() >= 2
        first = cards.first
        assert first.is_visible()
        assert first.locator("blockquote").count() >= 2  # both sentences, side by side
        if width >= 700:
            boxes = [first.locator(".side").nth(k).bounding_box() for k in range(2)]
            assert boxes[0] and boxes[1] and boxes[0]["y"] == boxes[1]["y"]
        # nothing wider than the screen: readable on a phone without sideways scrolling
        assert page.evaluate("document.body.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"web-story-{width}.png"), full_page=True)
        # a reader follows a disputed sentence into its article, where it is marked
        quoted = first.locator("blockquote").first.inner_text()
        first.locator(".src a").first.click()
        page.wait_for_selector("article.text")
        target = page.locator(".st:target")
        assert target.is_visible() and "st-disputed" in (target.get_attribute("class") or "")
        assert target.inner_text() == quoted
        assert page.evaluate("document.body.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"web-article-{width}.png"), full_page=True)
        assert w.errors == [] and w.dialogs == []
        assert all(u.startswith(server) for u in w.requests), "nothing may load from elsewhere"
        page.close()


def test_web_browser_hostile_article_markup_never_runs(server: str, browser: Any) -> None:
    w = Watched(browser, 1200)
    page = w.page
    page.goto(server + "/?q=Marlow")
    assert page.locator("li.story").count() == 1
    assert "<script>alert('outlet')</script>Tribune" in page.locator("li.story").inner_text()
    page.click("li.story a.title")
    page.wait_for_selector("#disputed .conflict")
    text = page.locator("#disputed").inner_text()
    assert "<script>alert('text')</script>" in text  # shown as the words it is
    assert page.locator("script").count() == 0 and page.locator("main img").count() == 0
    page.screenshot(path=str(ARTIFACTS / "web-hostile.png"), full_page=True)
    assert w.dialogs == [], "article markup ran in the page"
    assert w.errors == []
    page.close()


def test_web_browser_check_a_pasted_article(writable_server: str, browser: Any) -> None:
    from .test_web import NEW_REPORT

    w = Watched(browser, 1200)
    page = w.page
    page.goto(writable_server + "/")
    page.click("a.nav")
    page.fill("input[name=title]", "Thirty hurt in Port Selden fire")
    page.fill("input[name=outlet]", "Harbour News")
    page.fill("textarea[name=text]", NEW_REPORT)
    page.click("button[type=submit]")
    page.wait_for_selector("#result", timeout=180_000)  # the first check loads the models
    result = page.locator("#result")
    assert "Fire at Port Selden" in result.locator("p").first.inner_text()
    assert result.locator(".card.bad").count() >= 1  # a contradicted claim
    assert "<script>alert('check')</script>" in result.inner_text()
    page.screenshot(path=str(ARTIFACTS / "web-check.png"), full_page=True)
    assert w.errors == [] and w.dialogs == []
    page.close()


def test_web_browser_copy_diff_and_figures_chart(server: str, browser: Any) -> None:
    """From a story's timeline to a rewritten copy: its words against its original's; the
    figures chart is drawn in the page (SVG from the server, no script)."""
    w = Watched(browser, 1200)
    page = w.page
    page.goto(server + "/?q=Moreau")
    page.click("li.story a.title")
    chart = page.locator("#figures figure.chart svg").first
    assert chart.is_visible() and chart.locator("rect").count() >= 2
    page.locator("#figures").screenshot(path=str(ARTIFACTS / "web-figures.png"))
    page.click("#timeline a:has-text('Unnamed source')")
    page.wait_for_selector("#diff")
    diff = page.locator("#diff")
    assert diff.evaluate("d => d.open") and diff.locator("ins").count() >= 1
    assert any("40" in t for t in diff.locator("ins").all_inner_texts())
    page.screenshot(path=str(ARTIFACTS / "web-copy-diff.png"), full_page=True)
    assert w.errors == [] and w.dialogs == []
    page.close()


def test_web_browser_check_an_uploaded_file(
    writable_server: str, browser: Any, tmp_path: Path
) -> None:
    from .test_web import NEW_REPORT

    upload = tmp_path / "harbour-report.txt"
    upload.write_text("Port Selden fire: thirty hurt\n\n" + NEW_REPORT.replace("Sunday", "Monday"))
    w = Watched(browser, 375)
    page = w.page
    page.goto(writable_server + "/check")
    page.fill("input[name=outlet]", "Harbour Weekly")
    page.set_input_files("input[name=file]", str(upload))
    page.click("button[type=submit]")
    page.wait_for_selector("#result", timeout=180_000)
    assert "Fire at Port Selden" in page.locator("#result p").first.inner_text()
    assert page.evaluate("document.body.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "web-check-upload-375.png"), full_page=True)
    assert w.errors == [] and w.dialogs == []
    page.close()

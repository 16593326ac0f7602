"""The HTML fact sheet in a real browser (Debian's Chromium driven by Playwright).

Skips with a message when Chromium or Playwright is missing (`.ci/run` installs both)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES, REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"Chromium not found at {CHROMIUM}; skipping browser tests"
)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    out = tmp / "report.html"
    subprocess.run([sys.executable, "-m", "corroborator", "run", str(EXAMPLES), "--db", str(tmp / "b.db"),
                    "-o", str(out), "--no-model"], check=True, capture_output=True)  # fmt: skip
    return out


def test_browser_fact_sheet_renders_on_desktop_and_phone(page_file: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    artifacts = REPO / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        requests: list[str] = []
        for width in (1200, 375):
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            page.screenshot(path=str(artifacts / f"report-file-{width}.png"), full_page=True)
            assert page.title() == "corroborator fact sheets"
            # nothing wider than the screen: readable on a phone without sideways scrolling
            assert page.evaluate("document.body.scrollWidth") <= width
            conflicts = page.locator(".card.bad")
            assert conflicts.count() >= 3
            assert "Deputy Fire Chief" in page.inner_text("body")
            # evidence is folded away and opens on a click
            details = page.locator(".card.ok details").first
            assert not details.evaluate("d => d.open")
            details.locator("summary").click()
            assert details.evaluate("d => d.open")
            assert details.locator("blockquote").first.is_visible()
            # a quoted sentence leads to its article's card in the same file
            link = page.locator(".conflict .src a").first
            target = link.get_attribute("href") or ""
            assert target.startswith("#") and "article-" in target
            link.click()
            assert page.evaluate("location.hash") == target
            assert page.locator(target).is_visible()
            page.close()
        browser.close()
    assert all(u.startswith("file:") for u in requests), "the page must not load anything external"

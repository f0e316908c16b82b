"""The studio in headless Chromium against a real uvicorn server: a producer's session.

Open the example ad's board, start a run with two takes and watch jobs go live (the page
closed mid-run, the run goes on), approve at the gate, rate and pick a take, run again and
see the cut use it; every page at 390 px and 1400 px without horizontal scroll and without
console errors. Screenshots land in tests/web/screens/ (git-ignored).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from tests.web.web_projects import write_project

from shotrelay import api
from shotrelay.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
SCREENS = Path(__file__).with_name("screens")
RUN_TIMEOUT = 600_000  # ms: a loaded 2-core machine renders the local takes slowly

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def studio_url(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A uvicorn server on a free loopback port serving three shots of the example ad."""
    project = write_project(tmp_path, "startup-ad", shots=3)
    app = create_app([project])
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", project
    app.state.studio.join(timeout=600)
    server.should_exit = True
    thread.join(10)


class Session:
    """A browser page that records console errors and checks layout at each stop."""

    def __init__(self, browser: Any, base: str) -> None:
        self.browser = browser
        self.base = base
        self.errors: list[str] = []
        self.page = self.open(1400)

    def open(self, width: int) -> Any:
        page = self.browser.new_page(viewport={"width": width, "height": 900})
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        return page

    def look(self, path: str, name: str) -> None:
        """Visit ``path`` at phone and desktop width: no horizontal scroll; screenshots."""
        for width in (390, 1400):
            page = self.open(width)
            page.goto(self.base + path)
            page.wait_for_load_state("networkidle")
            wide, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
            assert wide <= inner, f"{path} scrolls sideways at {width} px ({wide} > {inner})"
            page.close()


def _wait_idle(page: Any) -> None:
    page.wait_for_selector('[data-live="board"] .activity[data-running="0"]', timeout=RUN_TIMEOUT)


def test_a_producer_runs_reviews_picks_and_recuts_in_the_browser(
    studio_url: tuple[str, Path],
) -> None:
    base, project = studio_url
    shutil.rmtree(SCREENS, ignore_errors=True)
    SCREENS.mkdir()
    (SCREENS / ".gitignore").write_text("*\n!.gitignore\n")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        s = Session(browser, base)
        board = s.page
        board.goto(base + "/")
        assert board.url.endswith("/p/startup-ad")
        assert board.locator(".card").count() == 3
        s.look("/p/startup-ad", "1-board-before")

        # start a run with two takes; jobs go live on the cards over SSE
        board.select_option("form.run select[name=takes]", "2")
        board.click("form.run button[type=submit]")
        board.wait_for_selector(".activity[data-running='1']", timeout=30_000)
        board.wait_for_selector(".card[data-state='running']", timeout=RUN_TIMEOUT)
        board.screenshot(path=str(SCREENS / "2-board-live-1400.png"), full_page=True)
        updates = int(board.evaluate("document.body.dataset.updates || '0'"))
        assert updates >= 2  # the first board and at least one change while jobs moved
        board.close()  # the run belongs to the server, not to the page

        board = s.open(1400)
        board.goto(base + "/p/startup-ad")
        _wait_idle(board)
        assert board.locator(".card[data-state='done']").count() == 3
        report = api.status(project)  # what `shotrelay status` shows: the same journal
        assert report.jobs.get("succeeded", 0) >= 9 and not report.stuck
        s.look("/p/startup-ad", "3-board-done")

        # the structure gate: the animatic plays, approve it
        board.goto(base + "/p/startup-ad/gate")
        assert board.locator("video").count() == 1
        s.look("/p/startup-ad/gate", "4-gate")
        board.click("button[data-action$='/approve']")
        board.wait_for_selector("text=structure approved")
        assert api.status(project).approved

        # a shot with two takes: rate take 2, then pick it
        board.goto(base + "/p/startup-ad/shot/open")
        takes = board.locator("article.take")
        assert takes.count() == 2
        assert board.locator("article.take video").count() == 2
        s.look("/p/startup-ad/shot/open", "5-shot")
        second = board.locator("article.take[data-take='2']")
        second.locator("input[name=note]").fill("warmer light")
        second.locator("button[name=stars][value='4']").click()
        board.wait_for_selector("#toast.show:has-text('take 2 rated 4 of 5')")
        board.wait_for_load_state("load")
        board.locator("article.take[data-take='2'] button.pick").click()
        board.wait_for_selector("article.take[data-take='2'] .pill.picked")
        rated = board.locator("article.take[data-take='2'] .rated").inner_text()
        assert rated == "You rated it ★★★★: “warmer light”"
        assert api.status(project).picks == {"open": 2}

        # run again: the cut now uses take 2
        board.goto(base + "/p/startup-ad")
        board.click("form.run button[type=submit]")
        board.wait_for_selector(".activity[data-running='1']", timeout=30_000)
        _wait_idle(board)
        board.goto(base + "/p/startup-ad/cut")
        assert board.locator("li[data-shot='open']").inner_text().endswith("take 2")
        assert board.locator("#player").count() == 1
        s.look("/p/startup-ad/cut", "6-cut")
        board.goto(base + "/p/startup-ad/shot/open")
        cut_take = board.locator("article.take:has(.pill.done)")
        assert cut_take.get_attribute("data-take") == "2"
        s.look("/p/startup-ad/shot/open", "7-shot-picked")
        browser.close()
    assert s.errors == []

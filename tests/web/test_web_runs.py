"""Runs started from the studio: background threads over the api, one at a time per project."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests.web.web_projects import write_project

from shotrelay import api
from shotrelay.errors import ShotrelayError
from shotrelay.web import create_app

TOKEN = "r" * 24
WRITE = {"X-Shotrelay-Token": TOKEN, "Origin": "http://127.0.0.1:8765"}


def test_a_redo_of_a_stage_that_does_not_exist_ends_with_the_librarys_message(
    two_projects: tuple[Path, Path],
) -> None:
    app = create_app([two_projects[0]], token=TOKEN)
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    started = client.post("/p/ad-a/shot/open/redo", json={"stage": "bogus"}, headers=WRITE)
    assert started.status_code == 200
    app.state.studio.join(timeout=120)
    activity = app.state.studio.activity("ad-a")
    assert activity.running == ""
    assert activity.failed
    with pytest.raises(ShotrelayError) as direct:
        api.redo(two_projects[0], "open", "bogus")
    assert activity.last == str(direct.value)
    page = client.get("/p/ad-a")
    assert "activity bad" in page.text
    assert html.escape(str(direct.value).splitlines()[0], quote=True) in page.text


def test_run_all_puts_every_served_project_on_one_queue_and_refuses_a_second_run(
    tmp_path: Path,
) -> None:
    a = write_project(tmp_path, "one-a", shots=1)
    b = write_project(tmp_path, "one-b", shots=1)
    app = create_app([a, b], token=TOKEN)
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    started = client.post("/studio/run", json={}, headers=WRITE)
    assert started.status_code == 200
    assert started.json()["message"] == "2 projects started on one studio queue"
    again = client.post("/p/one-a/run", json={"takes": 1}, headers=WRITE)
    assert again.status_code == 409
    assert "already running studio run" in again.json()["error"]
    app.state.studio.join(timeout=600)
    for slug, path in (("one-a", a), ("one-b", b)):
        activity = app.state.studio.activity(slug)
        assert not activity.failed, activity.last
        assert activity.last.startswith("final cut at")
        assert api.status(path).outputs["final.mp4"] is not None
    home = client.get("/")
    assert home.text.count("1 done") == 2

"""The studio's pages and actions over Starlette's TestClient (no browser, no run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests.web.web_projects import write_project

from shotrelay import api
from shotrelay.errors import ShotrelayError
from shotrelay.web import Studio, create_app

TOKEN = "k" * 24
WRITE = {"X-Shotrelay-Token": TOKEN, "Origin": "http://127.0.0.1:8765"}


@pytest.fixture
def client(two_projects: tuple[Path, Path]) -> TestClient:
    app = create_app(list(two_projects), token=TOKEN)
    return TestClient(app, base_url="http://127.0.0.1:8765")


def test_the_home_page_lists_every_served_project_and_offers_one_queue(
    client: TestClient,
) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/p/ad-a"' in page.text and 'href="/p/ad-b"' in page.text
    assert 'data-action="/studio/run"' in page.text


def test_one_project_opens_on_its_board(two_projects: tuple[Path, Path]) -> None:
    one = TestClient(create_app([two_projects[0]]), base_url="http://127.0.0.1:8765")
    answer = one.get("/", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/p/ad-a"


def test_a_board_before_any_run_shows_every_shot_waiting_and_the_money(
    client: TestClient,
) -> None:
    page = client.get("/p/ad-a")
    assert page.status_code == 200
    assert page.text.count('class="card"') == 2
    assert page.text.count('data-state="waiting"') == 2
    assert 'data-stream="/p/ad-a/events"' in page.text
    for label in ("planned", "reserved", "spent", "budget", "deadline"):
        assert f"<small>{label}</small>" in page.text
    assert "$40.00" in page.text  # the example's budget
    assert "Not run yet." in page.text


def test_the_gate_before_a_run_says_there_is_no_animatic_yet(client: TestClient) -> None:
    page = client.get("/p/ad-a/gate")
    assert "No animatic yet" in page.text
    assert "waiting for approval" in page.text


def test_an_unknown_project_or_shot_is_404(client: TestClient) -> None:
    assert client.get("/p/nope").status_code == 404
    assert client.get("/p/ad-a/shot/nope").status_code == 404
    assert client.post("/p/ad-a/shot/nope/pick", json={"take": 1}, headers=WRITE).status_code == 404


def test_bad_action_input_is_a_400_naming_the_field(client: TestClient) -> None:
    no_take = client.post("/p/ad-a/shot/open/pick", json={}, headers=WRITE)
    assert no_take.status_code == 400
    assert "field take" in no_take.json()["error"]
    stars = client.post("/p/ad-a/shot/open/rate", json={"stars": 9}, headers=WRITE)
    assert stars.status_code == 400
    assert "field stars: 9 is outside 1-5" in stars.json()["error"]
    takes = client.post("/p/ad-a/run", json={"takes": "two"}, headers=WRITE)
    assert takes.status_code == 400
    assert "field takes" in takes.json()["error"]
    garbage = client.post("/p/ad-a/approve", content=b"{not json", headers=WRITE)
    assert garbage.status_code == 400


def test_the_librarys_refusal_comes_back_as_its_own_message(
    client: TestClient, two_projects: tuple[Path, Path]
) -> None:
    answer = client.post("/p/ad-a/shot/open/pick", json={"take": 1}, headers=WRITE)
    assert answer.status_code == 409
    with pytest.raises(ShotrelayError) as direct:
        api.pick(two_projects[0], "open", 1)
    assert answer.json()["error"] == str(direct.value)


def test_downloads_before_a_cut_say_why_and_unknown_kinds_are_404(client: TestClient) -> None:
    assert client.get("/p/ad-a/download/edl").status_code == 409
    assert client.get("/p/ad-a/download/mp3").status_code == 404
    report = client.get("/p/ad-a/download/report")
    assert report.status_code == 200
    assert report.headers["content-disposition"] == 'attachment; filename="ad-a-report.html"'
    assert b"<html" in report.content[:200].lower()


def test_two_served_projects_with_one_name_are_refused(tmp_path: Path) -> None:
    a = write_project(tmp_path / "one", "same")
    b = write_project(tmp_path / "two", "same")
    with pytest.raises(ShotrelayError, match="both named 'same'"):
        Studio([a, b])


def test_the_static_files_are_shipped(client: TestClient) -> None:
    assert "EventSource" in client.get("/static/studio.js").text
    assert ".cards" in client.get("/static/studio.css").text

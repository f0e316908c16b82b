"""The studio is safe by default: loopback or a token, no cross-origin writes, store-only media."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from shotrelay import api
from shotrelay.cli import app as cli
from shotrelay.engine.store import ArtifactStore
from shotrelay.engine.workspace import workspace_for
from shotrelay.errors import ShotrelayError
from shotrelay.web import create_app

LOCAL = "http://127.0.0.1:8765"
TOKEN = "t" * 24


def _client(projects: list[Path], host: str = "127.0.0.1", token: str | None = TOKEN) -> TestClient:
    app = create_app(projects, host=host, token=token)
    return TestClient(app, base_url=f"http://{host}:8765")


def _put(project: Path, data: bytes, media_type: str = "image/png") -> str:
    return ArtifactStore(workspace_for(project).store).put(data, media_type).hash


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_a_non_loopback_bind_without_a_token_is_refused(
    two_projects: tuple[Path, Path], host: str
) -> None:
    with pytest.raises(ShotrelayError, match="needs a token"):
        create_app([two_projects[0]], host=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_binds_get_a_generated_token(two_projects: tuple[Path, Path], host: str) -> None:
    app = create_app([two_projects[0]], host=host)
    assert len(app.state.token) >= 32


def test_the_cli_refuses_a_public_address_with_a_short_token(
    two_projects: tuple[Path, Path],
) -> None:
    result = CliRunner().invoke(
        cli, ["serve", str(two_projects[0]), "--host", "0.0.0.0", "--token", "short"]
    )
    assert result.exit_code == 2
    assert "token is too short" in result.output


def test_a_change_without_the_token_is_refused_and_changes_nothing(
    two_projects: tuple[Path, Path],
) -> None:
    client = _client([two_projects[0]])
    answer = client.post("/p/ad-a/approve")
    assert answer.status_code == 403
    assert "token" in answer.text
    wrong = client.post("/p/ad-a/approve", headers={"X-Shotrelay-Token": "x" * 24})
    assert wrong.status_code == 403
    assert api.status(two_projects[0]).approved is False


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_a_cross_origin_change_is_refused_even_with_the_token(
    two_projects: tuple[Path, Path], headers: dict[str, str]
) -> None:
    client = _client([two_projects[0]])
    answer = client.post("/p/ad-a/approve", headers={"X-Shotrelay-Token": TOKEN, **headers})
    assert answer.status_code == 403
    assert api.status(two_projects[0]).approved is False


def test_a_same_origin_change_with_the_token_goes_through_the_api(
    two_projects: tuple[Path, Path],
) -> None:
    client = _client([two_projects[0]])
    headers = {"X-Shotrelay-Token": TOKEN, "Origin": LOCAL, "Sec-Fetch-Site": "same-origin"}
    answer = client.post("/p/ad-a/approve", headers=headers)
    assert answer.status_code == 200, answer.text
    assert "structure approved" in answer.json()["message"]
    assert api.status(two_projects[0]).approved is True


def test_a_page_for_another_host_name_is_refused_on_loopback(
    two_projects: tuple[Path, Path],
) -> None:
    client = _client([two_projects[0]])
    assert client.get("/p/ad-a/gate", headers={"Host": "attacker.example"}).status_code == 400


def test_on_a_public_address_reads_need_the_token_then_a_cookie_carries_it(
    two_projects: tuple[Path, Path],
) -> None:
    client = _client([two_projects[0]], host="0.0.0.0")
    assert client.get("/p/ad-a/gate").status_code == 401
    first = client.get(f"/p/ad-a/gate?token={TOKEN}")
    assert first.status_code == 200
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/p/ad-a/gate").status_code == 200  # the cookie now
    # the cookie alone never authorises a change: the header must be there
    assert client.post("/p/ad-a/approve").status_code == 403


def test_media_is_served_by_content_id_from_the_projects_own_store(
    two_projects: tuple[Path, Path],
) -> None:
    a, b = two_projects
    mine = _put(a, b"\x89PNG a's frame")
    theirs = _put(b, b"\x89PNG b's frame")
    client = _client([a, b])
    got = client.get(f"/p/ad-a/media/{mine}")
    assert got.status_code == 200
    assert got.content == b"\x89PNG a's frame"
    assert got.headers["content-type"] == "image/png"
    assert client.get(f"/p/ad-a/media/{theirs}").status_code == 404
    assert client.get(f"/p/ad-b/media/{theirs}").status_code == 200


@pytest.mark.parametrize(
    "tail",
    [
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "%2Fetc%2Fpasswd",
        "../../../../etc/passwd",
        "..%252F..%252Fetc%252Fpasswd",
        "%2E%2E",
        "0" * 63,
        "g" * 64,
        "A" * 64,
    ],
)
def test_anything_but_a_stored_content_id_is_404(
    two_projects: tuple[Path, Path], tail: str
) -> None:
    a, _b = two_projects
    _put(a, b"present")
    client = _client([a])
    answer = client.get(f"/p/ad-a/media/{tail}")
    assert answer.status_code == 404
    assert b"root:" not in answer.content


def test_the_project_file_itself_is_not_reachable(two_projects: tuple[Path, Path]) -> None:
    a, _b = two_projects
    client = _client([a])
    for path in ["/static/../../ad-a.yaml", f"/static/{a}", "/p/ad-a/media/ad-a.yaml"]:
        assert client.get(path).status_code == 404
    assert client.get("/p/ad-c").status_code == 404
    assert client.get("/p/ad-a/download/..%2Fad-a.yaml").status_code == 404

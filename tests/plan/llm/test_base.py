"""The repair loop and the HTTP behaviour every planner shares, played against each API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import AuthError, InvalidInput, RateLimited, TransientError
from shotrelay.plan.llm import PlanError
from shotrelay.plan.registry import get_planner, planner_names
from shotrelay.providers.credentials import Credentials

from .helpers import APIS, SECRET, Api, Reply, good_plan, project, shot

pytestmark = pytest.mark.parametrize("api", APIS, ids=[a.name for a in APIS])


def test_valid_plan_becomes_numbered_shots(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    server.on("POST", api.path, Reply(json=api.answer(good_plan())))
    shots = api.make(server).plan(project(), models)
    assert [s.id for s in shots] == ["s1", "s2", "s3", "s4"]
    assert [s.order for s in shots] == [1, 2, 3, 4]
    assert [s.duration for s in shots] == [5, 5, 4, 6]
    assert shots[1].dialogue[0].speaker == "Maya"
    assert shots[3].transition == "crossfade"
    assert len(server.received("POST", api.path)) == 1


def test_invalid_json_is_sent_back_and_the_repair_is_used(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    broken = '{"shots": [{"duration": 5, "role": '
    server.on(
        "POST",
        api.path,
        Reply(json=api.answer(broken)),
        Reply(json=api.answer(good_plan())),
    )
    shots = api.make(server).plan(project(), models)
    assert len(shots) == 4
    sent = server.received("POST", api.path)
    assert len(sent) == 2
    feedback = api.last_user(sent[1].json())
    assert "not valid JSON" in feedback and "corrected shot list" in feedback


def test_schema_violation_is_named_in_the_repair_request(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    bad = good_plan()
    bad["shots"][2]["framing"] = "very-close"
    bad["shots"][1]["characters"] = ["Mia"]
    server.on("POST", api.path, Reply(json=api.answer(bad)), Reply(json=api.answer(good_plan())))
    shots = api.make(server).plan(project(), models)
    assert shots[2].framing == "close-up"
    feedback = api.last_user(server.received("POST", api.path)[1].json())
    assert "shots[2].framing" in feedback
    assert "'Mia' is not in the cast" in feedback


def test_still_bad_after_the_attempts_raises_a_plan_error(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    server.on("POST", api.path, Reply(json=api.answer({"shots": [shot(duration=-1)]})))
    with pytest.raises(PlanError) as caught:
        api.make(server, attempts=2).plan(project(), models)
    message = str(caught.value)
    assert f"{api.name} planner" in message and "in 2 answers" in message
    assert "shots[0].duration" in message and "--planner rules" in message
    assert len(server.received("POST", api.path)) == 2


def test_rate_limit_waits_as_told_then_succeeds(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    waits: list[float] = []
    server.on(
        "POST",
        api.path,
        Reply(status=429, json={"error": {"message": "slow down"}}, headers={"Retry-After": "7"}),
        Reply(json=api.answer(good_plan())),
    )
    shots = api.make(server, sleep=waits.append).plan(project(), models)
    assert len(shots) == 4 and waits == [7.0]


def test_rate_limit_longer_than_max_wait_is_raised(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    server.on("POST", api.path, Reply(status=429, json={}, headers={"Retry-After": "3600"}))
    with pytest.raises(RateLimited) as caught:
        api.make(server).plan(project(), models)
    assert caught.value.retry_after == 3600.0


def test_server_errors_back_off_then_succeed(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    waits: list[float] = []
    server.on(
        "POST",
        api.path,
        Reply(status=500, json={"error": "boom"}),
        Reply(status=503, body=b"<html>bad gateway</html>", content_type="text/html"),
        Reply(json=api.answer(good_plan())),
    )
    shots = api.make(server, sleep=waits.append).plan(project(), models)
    assert len(shots) == 4 and waits == [1.0, 2.0]


def test_persistent_server_errors_end_as_transient_error(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    server.on("POST", api.path, Reply(status=502, json={"error": "upstream"}))
    with pytest.raises(TransientError, match="HTTP 502"):
        api.make(server, retries=1).plan(project(), models)
    assert len(server.received("POST", api.path)) == 2


def test_auth_error_is_raised_at_once_without_the_key(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    # Servers echo the key they refused; it must not reach the message.
    echoed = SECRET if api.planner.key_env else "no token"
    server.on("POST", api.path, Reply(status=401, json={"error": {"message": f"bad {echoed}"}}))
    with pytest.raises(AuthError) as caught:
        api.make(server).plan(project(), models)
    assert SECRET not in str(caught.value) and "HTTP 401" in str(caught.value)
    assert len(server.received("POST", api.path)) == 1
    if api.planner.key_env:
        assert api.planner.key_env in str(caught.value)


def test_bad_request_is_invalid_input(api: Api, server: Any, models: list[ModelProfile]) -> None:
    server.on("POST", api.path, Reply(status=400, json={"error": {"message": "bad schema"}}))
    with pytest.raises(InvalidInput, match="bad schema"):
        api.make(server).plan(project(), models)


def test_durations_that_drift_are_fitted_to_the_target(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    long = good_plan()
    for s, d in zip(long["shots"], (8, 7, 4, 9), strict=True):
        s["duration"] = d
    server.on("POST", api.path, Reply(json=api.answer(long)))
    shots = api.make(server).plan(project(target=20.0), models)
    assert len(shots) == 4
    assert sum(s.duration for s in shots) == pytest.approx(20.0, abs=0.05)
    # Catalog-friendly lengths, handed out in the order of the model's own lengths.
    by_model = [shots[i].duration for i in (3, 0, 1, 2)]
    assert by_model == sorted(by_model, reverse=True)
    assert all(s.duration in (4.0, 5.0, 6.0, 8.0, 10.0) for s in shots)


def test_registered_by_name_with_a_model(api: Api) -> None:
    assert api.name in planner_names()
    planner = get_planner(f"{api.name}:some-model")
    assert planner.name == api.name and getattr(planner, "model", None) == "some-model"


def test_the_key_is_sent_only_in_headers(api: Api, server: Any, models: list[ModelProfile]) -> None:
    server.on("POST", api.path, Reply(json=api.answer(good_plan())))
    api.make(server).plan(project(), models)
    sent = server.received("POST", api.path)[0]
    assert SECRET not in sent.body.decode() and SECRET not in sent.path
    if api.planner.key_env:
        assert any(SECRET in v for v in sent.headers.values())
    body = json.loads(sent.body)
    assert "Maya" in json.dumps(body)  # the cast reaches the model


def test_missing_key_stops_before_any_request(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    if api.planner.key_env is None:
        pytest.skip("keyless server")
    planner = api.planner(
        base_url=server.url, credentials=Credentials(env={}, dotenv_path=Path("/nonexistent"))
    )
    assert planner.available() == (False, f"set {api.planner.key_env}")
    with pytest.raises(AuthError, match=api.planner.key_env):
        planner.plan(project(), models)
    assert server.requests == []


def test_base_url_comes_from_the_environment(api: Api) -> None:
    env = {f"SHOTRELAY_{api.name.upper()}_BASE_URL": "http://127.0.0.1:9/"}
    planner = api.planner(credentials=Credentials(env=env, dotenv_path=Path("/nonexistent")))
    assert planner.base_url == "http://127.0.0.1:9"


def test_too_few_shots_for_a_long_target_are_sent_back_for_more(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    few = {"shots": [shot(5), shot(5)]}
    many = {"shots": [shot(10) for _ in range(15)]}
    server.on("POST", api.path, Reply(json=api.answer(few)), Reply(json=api.answer(many)))
    shots = api.make(server).plan(project(target=150.0), models)
    assert len(shots) == 15 and all(0 < s.duration <= 60 for s in shots)
    feedback = api.last_user(server.received("POST", api.path)[1].json())
    assert "more shots" in feedback


def test_a_plan_that_cannot_fit_the_target_is_a_plan_error_not_an_invalid_shot(
    api: Api, server: Any, models: list[ModelProfile]
) -> None:
    server.on("POST", api.path, Reply(json=api.answer({"shots": [shot(5), shot(5)]})))
    with pytest.raises(PlanError, match=r"more shots.*shorter target"):
        api.make(server, attempts=2).plan(project(target=150.0), models)
    assert len(server.received("POST", api.path)) == 2

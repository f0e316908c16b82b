"""``shotrelay doctor``: usable providers, missing key names (never values), local engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shotrelay.catalog.loader import load_catalog
from shotrelay.cli import app
from shotrelay.doctor import EngineCheck, diagnose
from shotrelay.providers.base import Provider
from shotrelay.providers.credentials import Credentials
from shotrelay.providers.local import LocalProvider
from shotrelay.providers.luma import LumaProvider
from shotrelay.providers.runway import RunwayProvider
from shotrelay.providers.sora import SoraProvider

KEY = "rw-DOCTOR-SECRET-93c1"
NO_ENGINES: list[EngineCheck] = []


def providers(creds: Credentials) -> dict[str, Provider]:
    return {
        "runway": RunwayProvider(credentials=creds),
        "luma": LumaProvider(credentials=creds),
        "sora": SoraProvider(credentials=creds),
        "local": LocalProvider(),
    }


def test_keyed_provider_is_usable_and_missing_keys_are_named() -> None:
    creds = Credentials(env={"RUNWAYML_API_SECRET": KEY}, dotenv_path=Path("/nonexistent"))
    found = diagnose(
        providers(creds),
        catalog=load_catalog(use_env=False).models,
        credentials=creds,
        engines=NO_ENGINES,
    )
    rows = {p.name: p for p in found.providers}
    assert set(found.usable) == {"runway", "local"}
    assert rows["luma"].missing_env == ["LUMAAI_API_KEY"] and not rows["luma"].usable
    assert rows["sora"].missing_env == ["OPENAI_API_KEY"]
    assert "sora-2" in rows["sora"].models
    assert rows["runway"].missing_env == [] and "RUNWAYML_API_SECRET" in rows["runway"].reason
    assert KEY not in found.model_dump_json()


def test_dotenv_key_counts_and_failed_plugin_is_reported(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"export LUMAAI_API_KEY='{KEY}'\n")
    creds = Credentials(env={}, dotenv_path=dotenv)
    found = diagnose(
        providers(creds),
        catalog=[],
        credentials=creds,
        load_errors={"kling": "ModuleNotFoundError: No module named 'jwt'"},
        engines=NO_ENGINES,
    )
    rows = {p.name: p for p in found.providers}
    assert rows["luma"].usable
    assert not rows["kling"].usable and "install the package" in rows["kling"].reason
    assert KEY not in found.model_dump_json()


def test_broken_available_is_reported_not_raised() -> None:
    class Broken(LocalProvider):
        def available(self) -> tuple[bool, str]:
            raise RuntimeError(KEY)

    found = diagnose({"broken": Broken()}, catalog=[], engines=NO_ENGINES)
    assert not found.providers[0].usable and KEY not in found.providers[0].reason


def test_engines_are_listed_by_name() -> None:
    names = [e.name for e in diagnose({}, catalog=[]).engines]
    assert names == ["piper", "espeak-ng", "ffmpeg", "opentimelineio"]


@pytest.mark.parametrize("as_json", [True, False])
def test_cli_doctor_names_variables_never_values(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, as_json: bool
) -> None:
    for name in ("LUMAAI_API_KEY", "OPENAI_API_KEY", "FAL_KEY", "SYNC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RUNWAYML_API_SECRET", KEY)
    monkeypatch.chdir(tmp_path)  # no .env here
    result = CliRunner().invoke(app, ["doctor", "--json"] if as_json else ["doctor"])
    assert result.exit_code == 0, result.output
    assert KEY not in result.output
    assert "LUMAAI_API_KEY" in result.output
    if as_json:
        rows = {p["name"]: p for p in json.loads(result.output)["providers"]}
        assert rows["runway"]["usable"] and not rows["luma"]["usable"]
        assert rows["sora"]["missing_env"] == ["OPENAI_API_KEY"]


def test_planners_are_listed_with_the_key_they_need(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    found = diagnose({}, catalog=[], engines=NO_ENGINES, credentials=Credentials(env={}))
    rows = {p.name: p for p in found.planners}
    assert rows["rules"].usable
    assert rows["anthropic"].usable
    assert not rows["gemini"].usable and rows["gemini"].missing_env == ["GEMINI_API_KEY"]
    assert KEY not in found.model_dump_json()


def test_account_limits_are_shown_and_a_bad_one_makes_the_provider_unusable() -> None:
    env = {"RUNWAYML_API_SECRET": KEY, "LUMAAI_API_KEY": KEY, "SHOTRELAY_LUMA_CONCURRENCY": "x"}
    env["SHOTRELAY_RUNWAY_CONCURRENCY"] = "3"
    creds = Credentials(env=env, dotenv_path=Path("/nonexistent"))
    found = diagnose(providers(creds), catalog=[], credentials=creds, engines=NO_ENGINES)
    rows = {p.name: p for p in found.providers}
    assert rows["runway"].usable and "3 jobs in flight at once" in rows["runway"].reason
    assert not rows["luma"].usable
    assert "SHOTRELAY_LUMA_CONCURRENCY" in rows["luma"].reason


def test_ollama_counts_only_when_its_server_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from providers.cloud.fakeserver import FakeServer, Reply

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{port}")
    down = {p.name: p for p in diagnose({}, catalog=[], engines=NO_ENGINES).planners}
    assert not down["ollama"].usable and "no Ollama server answers" in down["ollama"].reason
    server = FakeServer().start()
    try:
        server.on("GET", "/api/tags", Reply(json={"models": []}))
        monkeypatch.setenv("OLLAMA_HOST", server.url)
        up = {p.name: p for p in diagnose({}, catalog=[], engines=NO_ENGINES).planners}
        assert up["ollama"].usable and "answers" in up["ollama"].reason
    finally:
        server.stop()

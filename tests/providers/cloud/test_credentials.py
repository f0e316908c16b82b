"""Keys from the environment and .env, masked everywhere they could be printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.providers.credentials import Credentials, Secret, parse_dotenv, redact
from shotrelay.providers.runway import RunwayProvider


def test_secret_is_masked_in_repr_str_and_format() -> None:
    s = Secret("abc123")
    assert "abc123" not in repr(s) and "abc123" not in str(s) and "abc123" not in f"{s}"
    assert s.reveal() == "abc123"


def test_secret_refuses_pickling() -> None:
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(Secret("abc123"))


def test_dotenv_parser_handles_export_quotes_and_comments() -> None:
    text = "# comment\nexport A=1\nB='two words'\nC=\"x#y\"\nD=plain # trailing\nbad line\n=x\n"
    assert parse_dotenv(text) == {"A": "1", "B": "two words", "C": "x#y", "D": "plain"}


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("RUNWAYML_API_SECRET=from-file\nOTHER=from-file\n")
    creds = Credentials(env={"RUNWAYML_API_SECRET": "from-env"}, dotenv_path=env_file)
    assert creds.get("RUNWAYML_API_SECRET") == Secret("from-env")
    assert creds.get("OTHER") == Secret("from-file")
    assert creds.get("MISSING") is None


def test_dotenv_in_working_directory_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("RUNWAYML_API_SECRET=k\n")
    assert RunwayProvider(credentials=Credentials(env={})).available()[0] is True


def test_available_names_the_variable_to_set(tmp_path: Path) -> None:
    p = RunwayProvider(credentials=Credentials(env={}, dotenv_path=tmp_path / "none"))
    assert p.available() == (False, "set RUNWAYML_API_SECRET")


def test_base_url_override_from_environment(tmp_path: Path) -> None:
    creds = Credentials(
        env={"SHOTRELAY_RUNWAY_BASE_URL": "http://127.0.0.1:9/"}, dotenv_path=tmp_path / "none"
    )
    assert RunwayProvider(credentials=creds).base_url == "http://127.0.0.1:9"


def test_redact_masks_every_occurrence() -> None:
    assert redact("key=abc and abc", [Secret("abc"), None]) == "key=*** and ***"

"""The public face: every command is a typed function of shotrelay.api, and they work
without the terminal (no printing, data back)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import shotrelay.api as api
from shotrelay.errors import SpecError
from shotrelay.spec.vocabulary import Stage, Task

#: command -> the function it calls
COMMANDS = {
    "schema": api.schema, "init": api.init_project, "plan": api.plan_file,
    "route": api.route_file, "models": api.list_models, "rephrase": api.rephrase,
    "doctor": api.doctor, "run": api.run_project, "studio": api.run_studio,
    "approve": api.approve, "redo": api.redo, "pick": api.pick, "abandon": api.abandon,
    "status": api.status, "report": api.report, "export": api.export,
    "contact-sheet": api.contact_sheet,
}  # fmt: skip


def test_all_is_sorted_and_complete() -> None:
    public = {n for n in dir(api) if not n.startswith("_") and n not in ("annotations",)}
    public -= {m for m in public if inspect.ismodule(getattr(api, m))}
    assert api.__all__ == sorted(api.__all__)
    assert set(api.__all__) == public


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_a_typed_documented_function(command: str) -> None:
    fn = COMMANDS[command]
    assert fn.__name__ in api.__all__ and fn.__doc__
    hints = inspect.get_annotations(fn, eval_str=True)
    assert "return" in hints
    assert all(name in hints for name in inspect.signature(fn).parameters)


def test_the_project_commands_without_a_terminal(tmp_path: Path) -> None:
    assert api.schema()["title"] == "Project"
    file = api.init_project(tmp_path / "ad", brief="A 20-second ad", length=20, aspect="16:9")
    with pytest.raises(SpecError, match="already exists"):
        api.init_project(tmp_path / "ad", brief="again", length=20, aspect="16:9")
    planned = api.plan_file(file)
    assert planned.written and planned.project.shots
    plan = api.route_file(tmp_path / "ad", available_only=True)
    assert {s.id for s in plan.shots} == {s.id for s in planned.project.shots}
    assert api.find_project_file(tmp_path / "ad") == file


def test_models_rephrase_and_doctor_return_data() -> None:
    rows = api.list_models(task=Task.IMAGE_TO_VIDEO)
    assert rows and all(Task.IMAGE_TO_VIDEO.value in r.tasks for r in rows)
    prompt = api.rephrase("slow push on the laptop, moody blue light", stage=Stage.GENERATE)
    assert prompt.text
    found = api.doctor()
    assert "local" in found.usable


def test_available_only_routes_on_what_run_would_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys in .env count (run reads them); a key for a provider with no adapter does not."""
    for name in (
        "FAL_KEY",
        "RUNWAYML_API_SECRET",
        "LUMAAI_API_KEY",
        "REPLICATE_API_TOKEN",
        "GEMINI_API_KEY",
        "OPENAI_API_KEY",
        "ELEVENLABS_API_KEY",
        "SYNC_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)  # fmt: skip
    monkeypatch.setenv("PIXVERSE_API_KEY", "set-but-no-adapter")
    monkeypatch.chdir(tmp_path)
    file = api.init_project(tmp_path / "ad", brief="A 20-second ad for a bike shop")
    api.plan_file(file)
    local = {
        st.provider for r in api.route_file(file, available_only=True).shots for st in r.stages
    }
    assert local == {"local"}
    (tmp_path / ".env").write_text("FAL_KEY=id:secret\n")
    with_fal = api.route_file(file, available_only=True)
    providers = {st.provider for r in with_fal.shots for st in r.stages}
    assert "fal" in providers and "pixverse" not in providers

"""The list of local files a plan sends to paid providers matches what the job graph sends."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from PIL import Image

from shotrelay.catalog import load_catalog
from shotrelay.catalog.profile import ModelProfile
from shotrelay.continuity.ledger import ContinuityLedger
from shotrelay.engine import ArtifactStore
from shotrelay.engine.store import sha256_file
from shotrelay.relay import build_graph
from shotrelay.relay.uploads import Upload, UploadUse, describe_uploads, local_uploads
from shotrelay.route import route_project
from shotrelay.route.plan import RoutePlan
from shotrelay.spec import load_project
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Stage

PROJECT = """\
name: up
style: {references: [look.png]}
music: bed.wav
characters:
  - {name: Mara, references: [mara.png]}
shots:
  - {id: hero, duration: 4, characters: [Mara],
     models: {keyframe: runway-gen4-image, generate: runway-gen4-turbo}}
  - {id: broll, duration: 4, characters: [Mara],
     models: {keyframe: runway-gen4-image, generate: luma-ray-2}}
  - {id: kontext, duration: 4, characters: [Mara], models: {keyframe: flux-kontext-pro}}
  - {id: free, duration: 4, characters: [Mara],
     models: {keyframe: local-previs, generate: local-camera}}
"""


@pytest.fixture(scope="module")
def models() -> dict[str, ModelProfile]:
    return {m.id: m for m in load_catalog(use_env=False).models}


@pytest.fixture
def project(tmp_path: Path) -> Project:
    Image.new("RGB", (8, 8), "red").save(tmp_path / "mara.png")
    Image.new("RGB", (8, 8), "blue").save(tmp_path / "look.png")
    with wave.open(str(tmp_path / "bed.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 800)
    (tmp_path / "p.yaml").write_text(PROJECT)
    return load_project(tmp_path / "p.yaml")


def routed(project: Project, models: dict[str, ModelProfile]) -> RoutePlan:
    return route_project(project, list(models.values()))


def by_key(uploads: list[Upload]) -> dict[tuple[str, str], Upload]:
    return {(u.path.name, u.provider): u for u in uploads}


def test_each_file_appears_once_per_provider_with_its_shots(
    project: Project, models: dict[str, ModelProfile]
) -> None:
    uploads = by_key(local_uploads(project, routed(project, models), models))
    assert set(uploads) == {("mara.png", "runway"), ("look.png", "runway"), ("mara.png", "fal")}
    mara = uploads["mara.png", "runway"]
    assert mara.shots == ["hero", "broll"] and mara.field == "characters[0].references[0]"
    assert mara.describe() == "mara.png -> runway (runway-gen4-image: hero, broll)"
    assert uploads["look.png", "runway"].field == "style.references[0]"
    # flux-kontext-pro takes one reference: the character's, not the style's
    assert uploads["mara.png", "fal"].uses == [
        UploadUse(shot_id="kontext", stage=Stage.KEYFRAME, model="flux-kontext-pro")
    ]


def test_music_and_local_models_send_nothing(
    project: Project, models: dict[str, ModelProfile]
) -> None:
    uploads = local_uploads(project, routed(project, models), models)
    assert all(u.path.name != "bed.wav" for u in uploads)
    assert all("free" not in u.shots and u.provider != "local" for u in uploads)


def test_the_list_is_what_the_job_graph_sends(
    project: Project, models: dict[str, ModelProfile], tmp_path: Path
) -> None:
    plan = routed(project, models)
    graph = build_graph(
        project,
        plan,
        models,
        store=ArtifactStore(tmp_path / "store"),
        compile=lambda stage, shot, project, model, packet: ("p", ""),
        packets=ContinuityLedger(project).packet,
    )
    names = {sha256_file(tmp_path / n): n for n in ("mara.png", "look.png")}
    from_graph = {
        (names[ref.removeprefix("sha256:")], models[node.model].provider, node.shot_id)
        for node in graph.nodes.values()
        if node.model and not models[node.model].local
        for key, ref in node.inputs.items()
        if key.startswith("reference_")
    }
    listed = {
        (u.path.name, u.provider, use.shot_id)
        for u in local_uploads(project, plan, models)
        for use in u.uses
        if not use.fallback
    }
    assert listed == from_graph and listed


def test_a_fallback_provider_is_listed_as_a_fallback_within_its_own_limit(
    project: Project, models: dict[str, ModelProfile]
) -> None:
    plan = routed(project, models)
    hero = plan.shots[0]
    keyframe = hero.stages[0].model_copy(
        update={"fallbacks": ["local-previs", "gpt-image-2.5", "flux-kontext-pro"]}
    )
    shots = [hero.model_copy(update={"stages": [keyframe, *hero.stages[1:]]}), *plan.shots[1:]]
    uploads = by_key(local_uploads(project, plan.model_copy(update={"shots": shots}), models))
    assert uploads["mara.png", "openai"].fallback_only
    assert uploads["look.png", "openai"].describe().endswith("[only on fallback]")
    fal = uploads["mara.png", "fal"]  # kontext routed there, hero only as a fallback
    assert not fal.fallback_only and [u.fallback for u in fal.uses] == [True, False]
    assert ("look.png", "fal") not in uploads  # flux-kontext-pro takes one reference


def test_describe_uploads_heads_the_list_and_is_empty_without_uploads(
    project: Project, models: dict[str, ModelProfile]
) -> None:
    lines = describe_uploads(local_uploads(project, routed(project, models), models))
    assert lines[0] == "These local files will be sent:"
    assert "  mara.png -> runway (runway-gen4-image: hero, broll)" in lines
    assert describe_uploads([]) == []


def test_an_upload_round_trips_as_json(project: Project, models: dict[str, ModelProfile]) -> None:
    upload = local_uploads(project, routed(project, models), models)[0]
    assert Upload.model_validate_json(upload.model_dump_json()) == upload


RUN_PROJECT = """\
name: ad
characters:
  - {name: Mara, references: [mara.png]}
shots:
  - {id: a, duration: 2, subject: Mara, role: hero, characters: [Mara]}
  - {id: b, duration: 3, subject: a dog, role: hero}
"""


def test_run_lists_the_uploads_at_the_gate_in_the_result_and_the_journal(tmp_path: Path) -> None:
    from dataclasses import replace

    from shotrelay.engine.journal import Journal
    from shotrelay.relay.run import run
    from shotrelay.spec.vocabulary import Task
    from shotrelay.testing import LOCAL_MODELS, FakeCutter, FakeProvider, hooks, model

    Image.new("RGB", (8, 8), "red").save(tmp_path / "mara.png")
    (tmp_path / "ad.yaml").write_text(RUN_PROJECT)
    cloud = model("veo", "cloud", [Task.IMAGE_TO_VIDEO, Task.TEXT_TO_IMAGE], usd=1.0, score=0.95)

    class Catalog:
        def __init__(self) -> None:
            self.models = [*LOCAL_MODELS, cloud]

    providers = {"local": FakeProvider("local"), "cloud": FakeProvider("cloud")}
    # the default packets: the continuity ledger, as a real run uses
    engine_hooks = replace(hooks(FakeCutter()), packets=None)
    result = run(tmp_path / "ad.yaml", providers=providers, catalog=Catalog(), hooks=engine_hooks)
    assert result.status == "awaiting_approval"
    assert providers["cloud"].submissions == []
    (upload,) = result.uploads
    assert upload.path == tmp_path / "mara.png" and upload.provider == "cloud"
    assert upload.shots == ["a"] and upload.field == "characters[0].references[0]"
    journal = Journal(result.workspace / "journal.sqlite")
    try:
        (event,) = journal.events(kind="uploads")
        gate = journal.events(kind="gate")[-1]
    finally:
        journal.close()
    assert "mara.png -> cloud (veo: a)" in event.message
    assert event.data is not None and event.data["uploads"][0]["provider"] == "cloud"
    assert gate.message.startswith("These local files will be sent:\n  mara.png -> cloud")
    assert "shotrelay approve" in result.message


CLI_PROJECT = """\
name: ad
format: {aspect: "16:9", resolution: 360p, fps: 12}
characters:
  - {name: Mara, references: [mara.png]}
shots:
  - {id: hero, duration: 1, characters: [Mara],
     models: {keyframe: runway-gen4-image, generate: runway-gen4-turbo}}
  - {id: broll, duration: 1, characters: [Mara], models: {keyframe: runway-gen4-image}}
"""
KEYS = (
    "OPENAI_API_KEY", "FAL_KEY", "REPLICATE_API_TOKEN", "GEMINI_API_KEY", "ELEVENLABS_API_KEY",
    "ANTHROPIC_API_KEY", "LUMAAI_API_KEY", "SYNC_API_KEY",
)  # fmt: skip


def test_cli_run_prints_the_uploads_before_the_gate_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from shotrelay.cli import app

    for name in KEYS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RUNWAYML_API_SECRET", "key_fake-never-called")
    Image.new("RGB", (64, 64), "red").save(tmp_path / "mara.png")
    (tmp_path / "project.yaml").write_text(CLI_PROJECT)
    result = CliRunner().invoke(app, ["run", str(tmp_path), "--quiet"])
    assert result.exit_code == 3, result.output  # waiting at the gate (docs/terminal.md)
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "These local files will be sent:",
        "  mara.png -> runway (runway-gen4-image: hero, broll)",
    ]
    assert lines[2].startswith("gate: waiting for your approval")

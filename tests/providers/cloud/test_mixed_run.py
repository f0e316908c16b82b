"""A project mixing Runway, Luma and sync.so runs end to end through the real engine against
loopback servers: each request carries the prompt in its model's dialect and the continuity
packet (reference image, keyframe, previous shot's last frame, the clip and speech to sync)."""

from __future__ import annotations

import base64
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from shotrelay.catalog.loader import load_catalog
from shotrelay.continuity.ledger import ContinuityLedger
from shotrelay.prompts.compiler import compile_prompt
from shotrelay.relay import RunResult
from shotrelay.spec.loader import load_project
from shotrelay.spec.vocabulary import Stage

from .fakeserver import FakeServer, Reply
from .mixed_project import Servers, configure, run_project, script, write_project


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    made = Servers(FakeServer().start(), FakeServer().start(), FakeServer().start())
    yield made
    for server in made.all():
        server.stop()


@pytest.fixture(scope="module")
def mixed(
    servers: Servers, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, RunResult]]:
    """The project, run once for every test in this module."""
    tmp_path = tmp_path_factory.mktemp("mixed")
    with pytest.MonkeyPatch.context() as monkeypatch:
        configure(monkeypatch, servers)
        script(servers, tmp_path)
        project = write_project(tmp_path / "film")
        monkeypatch.chdir(tmp_path)  # no stray .env
        yield project, run_project(project)


def expected_prompt(project_file: Path, shot_id: str, stage: Stage, model_id: str) -> str:
    """What the prompt compiler writes for this shot, stage and model (its dialect)."""
    project = load_project(project_file)
    model = load_catalog(use_env=False).get(model_id)
    packet = ContinuityLedger(project).packet(shot_id)
    return compile_prompt(stage, project.shot(shot_id), project, model, packet).text


def decoded(uri: str) -> bytes:
    head, _, data = uri.partition(";base64,")
    assert head.startswith("data:"), uri[:40]
    return base64.b64decode(data)


def bodies(server: FakeServer, path: str) -> list[dict[str, Any]]:
    return [r.json() for r in server.received("POST", path)]


def test_three_providers_run_to_a_final_cut(mixed: tuple[Path, RunResult]) -> None:
    _, result = mixed
    assert result.status == "done", (result.message, result.failures)
    assert result.final is not None and result.final.name == "final.mp4"
    assert result.final.stat().st_size > 0
    stages = {(r.id, s.stage): s.provider for r in result.plan.shots for s in r.stages}  # type: ignore[union-attr]
    assert stages[("hero", Stage.GENERATE)] == "runway"
    assert stages[("broll", Stage.GENERATE)] == "luma"
    assert stages[("talk", Stage.LIPSYNC)] == "sync"


def test_each_providers_own_job_id_is_journalled(mixed: tuple[Path, RunResult]) -> None:
    _, result = mixed
    with sqlite3.connect(result.workspace / "journal.sqlite") as db:
        dump = "\n".join(db.iterdump())
    for remote_id in ("img-1", "vid-1", "gen-1", "sync-1"):
        assert remote_id in dump


def test_runway_gets_its_dialect_and_the_character_reference(
    mixed: tuple[Path, RunResult], servers: Servers
) -> None:
    project, _ = mixed
    (still,) = bodies(servers.runway, "/v1/text_to_image")
    assert still["model"] == "gen4_image"
    assert still["promptText"] == expected_prompt(
        project, "hero", Stage.KEYFRAME, "runway-gen4-image"
    )
    (ref,) = still["referenceImages"]
    assert decoded(ref["uri"]) == (project.parent / "mara.png").read_bytes()
    assert f"@{ref['tag']}" in still["promptText"]  # the tag the prompt uses names the image

    (clip,) = bodies(servers.runway, "/v1/image_to_video")
    assert clip["model"] == "gen4_turbo"
    assert clip["promptText"] == expected_prompt(
        project, "hero", Stage.GENERATE, "runway-gen4-turbo"
    )
    keyframe = servers.runway.routes[("GET", "/out/key.png")][0].body
    assert decoded(clip["promptImage"]) == keyframe  # the keyframe Runway itself made


def test_luma_gets_its_dialect_and_the_previous_last_frame(
    mixed: tuple[Path, RunResult], servers: Servers
) -> None:
    project, _ = mixed
    sent = {b["prompt"]: b for b in bodies(servers.luma, "/generations/video")}
    broll = sent[expected_prompt(project, "broll", Stage.GENERATE, "luma-ray-2")]
    talk = sent[expected_prompt(project, "talk", Stage.GENERATE, "luma-ray-2")]
    assert broll["model"] == talk["model"] == "ray-2"
    # b-roll continues the hero shot: its first frame is the hero clip's last frame, whose
    # colour the fake clip ramps to (224, 0, 62) (the keyframe was amber).
    with Image.open(io.BytesIO(decoded(broll["keyframes"]["frame0"]["url"]))) as frame:
        r, g, b = frame.convert("RGB").getpixel((160, 90))  # type: ignore[misc]
    assert abs(r - 224) < 12 and g < 12 and abs(b - 62) < 12
    # the dialogue shot starts from its own (local previs) keyframe instead
    assert decoded(talk["keyframes"]["frame0"]["url"]) != decoded(
        broll["keyframes"]["frame0"]["url"]
    )


def test_sync_gets_the_generated_clip_and_the_speech(
    mixed: tuple[Path, RunResult], servers: Servers
) -> None:
    (body,) = bodies(servers.sync, "/v2/generate")
    assert body["model"] == "lipsync-2"
    video, audio = body["input"]
    assert video["type"] == "video" and audio["type"] == "audio"
    luma_clip = servers.luma.routes[("GET", "/v.mp4")][0].body
    assert decoded(video["url"]) == luma_clip  # the talk shot's Luma clip
    assert decoded(audio["url"])[:4] == b"RIFF"  # the local TTS line


FALLBACK_PROJECT = """\
name: fallback
format: {aspect: "16:9", resolution: 360p, fps: 12}
policy:
  rules:
    - when: {stage: generate}
      require_models: [runway-gen4-turbo, luma-ray-2]
shots:
  - {id: roof, duration: 2, role: b-roll, subject: a rooftop water tank at dawn}
"""


def test_moderation_rejection_falls_back_to_the_next_provider(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = Servers(FakeServer().start(), FakeServer().start(), FakeServer().start())
    try:
        configure(monkeypatch, made)
        script(made, tmp_path)
        refused = {"id": "vid-1", "status": "FAILED", "failure": "refused",
                   "failureCode": "SAFETY.INPUT.TEXT"}  # fmt: skip
        made.runway.on("GET", "/v1/tasks/vid-1", Reply(json=refused))
        project = tmp_path / "fallback.yaml"
        project.write_text(FALLBACK_PROJECT)
        monkeypatch.chdir(tmp_path)
        result = run_project(project)
    finally:
        for server in made.all():
            server.stop()
    assert result.status == "done", (result.message, result.failures)
    (route,) = result.plan.shots  # type: ignore[union-attr]
    generate = next(s for s in route.stages if s.stage is Stage.GENERATE)
    assert (generate.model, generate.fallbacks[:1]) == ("runway-gen4-turbo", ["luma-ray-2"])
    assert len(made.runway.received("POST", "/v1/image_to_video")) == 1  # refused, not retried
    (luma,) = bodies(made.luma, "/generations/video")
    assert luma["prompt"] == expected_prompt(project, "roof", Stage.GENERATE, "luma-ray-2")
    keyframe = made.runway.routes[("GET", "/out/key.png")][0].body
    assert decoded(luma["keyframes"]["frame0"]["url"]) == keyframe  # same packet, new dialect
    manifest = json.loads(Path(str(result.manifest)).read_text())
    stages = manifest["shots"][0]["stages"]
    chosen = next(s for s in stages if s["stage"] == "generate" and s.get("chosen", True))
    assert chosen["model"] == "luma-ray-2"

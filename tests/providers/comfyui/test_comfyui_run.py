"""The Must-show of issue 16 for ComfyUI: the example ad run with its generate stage on the
comfyui provider (a loopback ComfyUI) and cut from its outputs; and a ``shotrelay run``
killed with SIGKILL while its ComfyUI submission is in flight, rerun, adopting the job by its
prompt_id with exactly one ``/prompt`` on the server's ledger.

The ad runs at 480p and 16 fps (Wan 2.2's own rate) so no CPU upscale or interpolation is
routed after the clips; its shots, story and style are the example's.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from shotrelay.engine.journal import Journal
from shotrelay.engine.workspace import workspace_for
from shotrelay.relay import EngineHooks, RunResult, run
from shotrelay.spec.vocabulary import Stage

from .fakecomfy import FakeComfy, wait_for

EXAMPLE = Path(__file__).parents[3] / "examples" / "startup-ad.yaml"
FULL_FORMAT = 'format: {aspect: "16:9", resolution: 1080p, fps: 24}'
SMALL_FORMAT = 'format: {aspect: "16:9", resolution: 480p, fps: 16}'
#: Every key another provider could be routed on: the route may only use local and comfyui.
OTHER_KEYS = (
    "OPENAI_API_KEY", "FAL_KEY", "REPLICATE_API_TOKEN", "GEMINI_API_KEY", "ELEVENLABS_API_KEY",
    "ANTHROPIC_API_KEY", "SYNC_API_KEY", "LUMAAI_API_KEY", "RUNWAYML_API_SECRET",
)  # fmt: skip


def ad_project(folder: Path) -> Path:
    text = EXAMPLE.read_text()
    assert FULL_FORMAT in text, "the example ad's format line changed; update this test"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "startup-ad.yaml"
    path.write_text(text.replace(FULL_FORMAT, SMALL_FORMAT))
    return path


def comfy_env(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    for name in OTHER_KEYS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SHOTRELAY_COMFYUI_URL", url)
    monkeypatch.setenv("SHOTRELAY_COMFYUI_POLL_S", "0.01")
    monkeypatch.delenv("SHOTRELAY_COMFYUI_WORKFLOWS", raising=False)


async def _no_wait(_s: float) -> None:
    await asyncio.sleep(0)


@pytest.fixture(scope="module")
def ad_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeComfy, RunResult]]:
    server = FakeComfy().start()
    folder = tmp_path_factory.mktemp("ad")
    with pytest.MonkeyPatch.context() as monkeypatch:
        comfy_env(monkeypatch, server.url)
        monkeypatch.chdir(folder)  # no stray .env
        project = ad_project(folder)
        result = run(
            project, auto_approve=True, priors_only=True, hooks=EngineHooks(sleep=_no_wait)
        )
        yield server, result
    server.stop()


def test_the_ad_routes_every_generate_stage_to_comfyui(ad_run: tuple[FakeComfy, RunResult]) -> None:
    _, result = ad_run
    assert result.status == "done", (result.message, result.failures)
    assert result.plan is not None
    generate = {r.id: s for r in result.plan.shots for s in r.stages if s.stage == Stage.GENERATE}
    assert len(generate) == 6
    assert {s.provider for s in generate.values()} == {"comfyui"}
    assert {s.model for s in generate.values()} <= {"comfyui-wan2.2-i2v", "comfyui-ltxv-t2v"}


def test_each_comfyui_job_is_one_prompt_under_its_own_id(
    ad_run: tuple[FakeComfy, RunResult],
) -> None:
    server, result = ad_run
    journal = Journal(result.workspace / "journal.sqlite")
    rows = [r for r in journal.jobs() if r.provider == "comfyui"]
    assert rows and all(r.state == "succeeded" for r in rows)
    sent = [p["prompt_id"] for p in server.prompts]
    assert sorted(sent) == sorted(r.handle["remote_id"] for r in rows if r.handle)
    assert len(set(sent)) == len(sent)
    assert server.calls("GET", "/view") == len(rows)


def test_the_cut_is_made_from_the_comfyui_clips(ad_run: tuple[FakeComfy, RunResult]) -> None:
    _, result = ad_run
    assert result.final is not None and result.final.is_file()
    with av.open(str(result.final)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(stream)]
    assert len(frames) / 16 == pytest.approx(20, abs=0.5)  # the ad's 20 s at 16 fps
    # The loopback server paints its clips with a green channel of 120 throughout.
    greens = [float(np.median(f[:, :, 1])) for f in frames[8::40]]
    assert all(abs(g - 120) < 12 for g in greens), greens


KILL_PROJECT = """\
name: kill
brief: A kite over a grey sea.
format: {aspect: "16:9", resolution: 480p, fps: 16}
shots:
  - id: kite
    duration: 3
    role: b-roll
    subject: a red kite
    setting: a grey sea at dawn
    models: {keyframe: local-previs, generate: comfyui-wan2.2-i2v}
"""


def test_sigkill_mid_submission_then_rerun_adopts_the_prompt_without_sending_it_again(
    tmp_path: Path, comfy: FakeComfy, monkeypatch: pytest.MonkeyPatch
) -> None:
    comfy_env(monkeypatch, comfy.url)
    monkeypatch.chdir(tmp_path)
    project = tmp_path / "film" / "project.yaml"
    project.parent.mkdir()
    project.write_text(KILL_PROJECT)
    shotrelay = str(Path(sys.executable).parent / "shotrelay")
    command = [shotrelay, "run", str(project), "--auto-approve", "-q"]
    comfy.hold_answer.set()  # the server queues the prompt and its answer never comes back
    log = (tmp_path / "first.log").open("w")
    child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    try:
        wait_for(lambda: comfy.queued == 1 or child.poll() is not None,
                 "the run's /prompt in the queue", tries=30_000)  # fmt: skip
        assert child.poll() is None, (tmp_path / "first.log").read_text()
    finally:
        child.kill()  # SIGKILL
        child.wait()
    comfy.hold_answer.clear()
    journal = Journal(workspace_for(project).journal)
    (row,) = [r for r in journal.jobs() if r.provider == "comfyui"]
    assert row.state == "submitting" and row.handle is None  # the answer never arrived
    journal.close()

    again = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    assert again.returncode == 0, again.stdout + again.stderr
    assert comfy.calls("POST", "/prompt") == 1
    (sent,) = comfy.prompts
    journal = Journal(workspace_for(project).journal)
    (row,) = [r for r in journal.jobs() if r.provider == "comfyui"]
    assert row.state == "succeeded" and row.handle is not None
    assert row.handle["remote_id"] == sent["prompt_id"]
    adopted = journal.events(job_key=row.key, kind="adopted")
    assert adopted and sent["prompt_id"] in adopted[-1].message
    journal.close()
    assert (workspace_for(project).out / "final.mp4").is_file()


def test_websocket_progress_reaches_the_runs_progress_events(
    tmp_path: Path, comfy: FakeComfy, monkeypatch: pytest.MonkeyPatch
) -> None:
    comfy_env(monkeypatch, comfy.url)
    monkeypatch.setenv("SHOTRELAY_COMFYUI_POLL_S", "0.02")
    monkeypatch.chdir(tmp_path)
    comfy.run_steps = 30
    project = tmp_path / "film" / "project.yaml"
    project.parent.mkdir()
    project.write_text(KILL_PROJECT)
    seen: list[float] = []

    def on_event(event: object) -> None:
        value = getattr(event, "progress", None)
        kind, stage = getattr(event, "kind", ""), getattr(event, "stage", "")
        if kind == "progress" and stage == "generate" and value is not None:
            seen.append(float(value))

    result = run(project, auto_approve=True, priors_only=True, on_event=on_event)
    assert result.status == "done", result.message
    assert seen and all(0 < v <= 1 for v in seen), seen
    assert seen == sorted(seen)  # sampler steps only go forward


def test_a_server_restart_mid_job_is_sent_again_under_the_same_id_and_the_run_ends(
    tmp_path: Path, comfy: FakeComfy, monkeypatch: pytest.MonkeyPatch
) -> None:
    comfy_env(monkeypatch, comfy.url)
    monkeypatch.chdir(tmp_path)
    comfy.crash_mid_job = 1
    project = tmp_path / "film" / "project.yaml"
    project.parent.mkdir()
    project.write_text(KILL_PROJECT)
    result = run(project, auto_approve=True, priors_only=True, hooks=EngineHooks(sleep=_no_wait))
    assert result.status == "done", (result.message, result.failures)
    ids = [p["prompt_id"] for p in comfy.prompts]
    assert len(ids) == 2 and ids[0] == ids[1]  # forgotten by the server, so free to reuse
    journal = Journal(workspace_for(project).journal)
    (row,) = [r for r in journal.jobs() if r.provider == "comfyui"]
    failed = [e.message for e in journal.events(job_key=row.key) if "no longer knows" in e.message]
    journal.close()
    assert failed, "the lost job was not reported"

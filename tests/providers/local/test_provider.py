from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from shotrelay.catalog.loader import builtin_models
from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import InvalidInput
from shotrelay.media import probe, tone
from shotrelay.providers.base import Handle, JobRequest, JobState, Provider, ProviderResult
from shotrelay.providers.local import LocalProvider
from shotrelay.spec.models import Shot
from shotrelay.spec.vocabulary import Stage, Task

SHOT = Shot(id="s2", duration=1.0, framing="medium", camera="push-in", subject="Maya")
CONTEXT = {
    "shot": SHOT.model_dump(mode="json"),
    "style": {"palette": ["#203040", "#507060", "#e0b040"]},
    "project": "demo",
    "characters": [],
}
BASE = {"width": 160, "height": 90, "fps": 12, "seconds": 1.0, "clip_seconds": 1.5}


def _profile(model_id: str, task: str) -> ModelProfile:
    """A minimal catalog row for a local model (unknown ids too, to test dispatch)."""
    return ModelProfile.model_validate(
        {
            "id": model_id,
            "provider": "local",
            "name": model_id,
            "api_model": model_id,
            "tasks": [task],
            "pricing": {"rule": "free"},
            "latency": {"base_s": 0.1},
            "local": True,
            "dialect": "local",
        }
    )


def _request(model: str, task: Task, stage: Stage, **kw: Any) -> JobRequest:
    return JobRequest(
        job_id=f"job-{model}",
        shot_id="s2",
        stage=stage,
        task=task,
        model=_profile(model, task.value),
        context=CONTEXT,
        seed=3,
        **kw,
    )


async def _run(provider: LocalProvider, request: JobRequest, dest: Path) -> ProviderResult:
    handle = await provider.submit(request)
    assert handle.remote_id == request.job_id and handle.provider == "local"
    while (await provider.poll(handle)).state == JobState.RUNNING:
        await asyncio.sleep(0)  # yield to the worker thread, no wall-clock wait
    assert (await provider.poll(handle)).state == JobState.SUCCEEDED
    return await provider.fetch(handle, request, dest)


def test_local_provider_satisfies_the_protocol() -> None:
    provider = LocalProvider()
    assert isinstance(provider, Provider) and provider.name == "local"
    assert provider.available() == (True, "")


def test_every_model_runs_end_to_end(tmp_path: Path) -> None:
    provider = LocalProvider(workdir=tmp_path)
    out = tmp_path / "out"

    async def relay() -> dict[str, ProviderResult]:
        res: dict[str, ProviderResult] = {}
        res["previs"] = await _run(
            provider,
            _request("local-previs", Task.TEXT_TO_IMAGE, Stage.KEYFRAME, params=BASE),
            out,
        )
        res["camera"] = await _run(
            provider,
            _request(
                "local-camera",
                Task.IMAGE_TO_VIDEO,
                Stage.GENERATE,
                params={**BASE, "camera": "push-in"},
                inputs={"first_frame": res["previs"].path},
            ),
            out,
        )
        clip = res["camera"].path
        res["grade"] = await _run(
            provider,
            _request(
                "local-grade",
                Task.VIDEO_TO_VIDEO,
                Stage.EDIT,
                params=BASE,
                inputs={"video": clip, "reference_0": res["previs"].path},
            ),
            out,
        )
        res["tts"] = await _run(
            provider,
            _request(
                "local-tts",
                Task.TTS,
                Stage.TTS,
                params={**BASE, "text": "Hello there.", "speaker": "Maya"},
            ),
            out,
        )
        res["dub"] = await _run(
            provider,
            _request(
                "local-dub",
                Task.LIPSYNC,
                Stage.LIPSYNC,
                params=BASE,
                inputs={"video": clip, "audio": res["tts"].path},
            ),
            out,
        )
        res["upscale"] = await _run(
            provider,
            _request(
                "local-upscale",
                Task.UPSCALE,
                Stage.UPSCALE,
                params={**BASE, "width": 320, "height": 180},
                inputs={"video": clip},
            ),
            out,
        )
        res["interpolate"] = await _run(
            provider,
            _request(
                "local-interpolate",
                Task.INTERPOLATE,
                Stage.INTERPOLATE,
                params={**BASE, "target_fps": 24},
                inputs={"video": clip},
            ),
            out,
        )
        return res

    res = asyncio.run(relay())
    assert all(r.cost_usd == 0.0 and r.path.parent == out and r.path.exists() for r in res.values())
    assert res["previs"].media_type == "image/png"
    camera = probe(res["camera"].path)
    assert (camera.width, camera.height, camera.fps, camera.frames) == (160, 90, 12.0, 18)
    assert probe(res["grade"].path).frames == 18
    assert res["tts"].media_type == "audio/wav" and probe(res["tts"].path).duration > 0.3
    assert probe(res["dub"].path).has_audio
    assert (probe(res["upscale"].path).width, probe(res["upscale"].path).height) == (320, 180)
    interp = probe(res["interpolate"].path)
    assert (interp.fps, interp.frames) == (24.0, 36)


def test_camera_without_first_frame_draws_its_own_keyframe(tmp_path: Path) -> None:
    request = _request("local-camera", Task.TEXT_TO_VIDEO, Stage.GENERATE, params=BASE)
    result = asyncio.run(_run(LocalProvider(), request, tmp_path))
    assert probe(result.path).frames == 18


def test_same_request_renders_the_same_clip(tmp_path: Path) -> None:
    request = _request("local-camera", Task.TEXT_TO_VIDEO, Stage.GENERATE, params=BASE)
    a = asyncio.run(_run(LocalProvider(), request, tmp_path / "a"))
    b = asyncio.run(_run(LocalProvider(), request, tmp_path / "b"))
    assert a.path.read_bytes() == b.path.read_bytes()


def test_unknown_model_is_invalid_input() -> None:
    request = _request("local-nope", Task.TEXT_TO_IMAGE, Stage.KEYFRAME, params=BASE)
    with pytest.raises(InvalidInput, match="local-nope"):
        asyncio.run(LocalProvider().submit(request))


def test_missing_input_fails_the_job_as_invalid_input(tmp_path: Path) -> None:
    provider = LocalProvider()
    request = _request("local-dub", Task.LIPSYNC, Stage.LIPSYNC, params=BASE)

    async def go() -> None:
        handle = await provider.submit(request)
        with pytest.raises(InvalidInput, match=r"audio|video"):
            await provider.fetch(handle, request, tmp_path)

    asyncio.run(go())


def test_unknown_handle_polls_as_failed_and_find_returns_none() -> None:
    provider = LocalProvider()
    request = _request("local-previs", Task.TEXT_TO_IMAGE, Stage.KEYFRAME, params=BASE)

    async def go() -> None:
        status = await provider.poll(Handle(provider="local", remote_id="gone"))
        assert status.state == JobState.FAILED and "again" in status.message
        assert await provider.find(request) is None

    asyncio.run(go())


def test_tts_result_carries_engine_and_warning_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shotrelay.providers.local import tts

    monkeypatch.setattr(tts, "find_piper_voice", lambda: None)
    monkeypatch.setattr(tts.shutil, "which", lambda name: None)
    request = _request("local-tts", Task.TTS, Stage.TTS, params={**BASE, "text": "One two."})
    result = asyncio.run(_run(LocalProvider(), request, tmp_path))
    assert result.metadata["engine"] == "none" and "warning" in result.metadata


def test_serves_every_local_media_model_of_the_builtin_catalog() -> None:
    local = {m.id for m in builtin_models() if m.provider == "local" and Task.PLAN not in m.tasks}
    assert local and local <= set(LocalProvider().models)


def test_dub_audio_longer_than_clip_is_trimmed(tmp_path: Path) -> None:
    clip_req = _request("local-camera", Task.TEXT_TO_VIDEO, Stage.GENERATE, params=BASE)
    clip = asyncio.run(_run(LocalProvider(), clip_req, tmp_path)).path
    line = tone(tmp_path / "long.wav", 4.0)
    dub = _request(
        "local-dub", Task.LIPSYNC, Stage.LIPSYNC, params=BASE, inputs={"video": clip, "audio": line}
    )
    info = probe(asyncio.run(_run(LocalProvider(), dub, tmp_path / "d")).path)
    assert info.audio_duration == pytest.approx(1.5, abs=0.03)

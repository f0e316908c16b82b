"""LocalProvider: the embedded default, every local model of the catalog behind one adapter.

Jobs run in a worker thread off the event loop; outputs are real files. Local jobs are free
and deterministic, so nothing is looked up after a crash: they simply run again.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from pydantic import ValidationError

from shotrelay.errors import InvalidInput, ProviderError, ShotrelayError
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus, ProviderResult
from shotrelay.providers.local import finishing
from shotrelay.providers.local.camera import animate
from shotrelay.providers.local.overlay import lift_overlay
from shotrelay.providers.local.previs import read_layout, render_previs, save_previs
from shotrelay.providers.local.tts import synthesize
from shotrelay.spec.models import Shot
from shotrelay.spec.vocabulary import CameraMove

__all__ = ["LocalProvider", "Output"]

#: A finished render: the file, its MIME type and metadata for the result.
Output = tuple[Path, str, dict[str, Any]]
_Renderer = Callable[[JobRequest, Path], Output]


class LocalProvider:
    """Runs local-previs, local-camera, local-grade, local-tts, local-dub, local-upscale and
    local-interpolate on this machine."""

    name = "local"
    #: Seconds between the engine's polls: renders here take seconds, not minutes.
    poll_interval_s = 0.1

    def __init__(self, workdir: Path | None = None) -> None:
        self._workdir = Path(workdir) if workdir else None
        self._jobs: dict[str, asyncio.Task[Output]] = {}

    @property
    def models(self) -> tuple[str, ...]:
        """Model ids this provider renders."""
        return tuple(_RENDERERS)

    def available(self) -> tuple[bool, str]:
        """Always usable: no keys, no network (local-tts may fall back to silence)."""
        return True, ""

    async def submit(self, request: JobRequest) -> Handle:
        """Start rendering in a worker thread; the job id is the remote id."""
        render = _RENDERERS.get(request.model.id)
        if render is None:
            raise InvalidInput(
                f"the local provider has no model {request.model.id!r}; it runs "
                + ", ".join(_RENDERERS),
                provider=self.name,
                model=request.model.id,
            )
        task = self._jobs.get(request.job_id)
        if task is None or task.cancelled():
            folder = Path(tempfile.mkdtemp(prefix="local-", dir=self._workdir))
            task = asyncio.create_task(asyncio.to_thread(_run, render, request, folder))
            self._jobs[request.job_id] = task
        return Handle(
            provider=self.name, remote_id=request.job_id, data={"model": request.model.id}
        )

    async def poll(self, handle: Handle) -> JobStatus:
        """Running, succeeded or failed; a job this process never started reads as failed."""
        task = self._jobs.get(handle.remote_id)
        if task is None:
            return JobStatus(state=JobState.FAILED, message="unknown local job; submit it again")
        if not task.done():
            return JobStatus(state=JobState.RUNNING)
        if task.cancelled():
            return JobStatus(state=JobState.FAILED, message="cancelled")
        exc = task.exception()
        if exc is not None:
            return JobStatus(state=JobState.FAILED, message=str(exc))
        return JobStatus(state=JobState.SUCCEEDED, progress=1.0)

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        """Wait for the render if needed and move its output into the folder ``dest``."""
        task = self._jobs.get(handle.remote_id)
        if task is None:
            raise ProviderError(
                f"unknown local job {handle.remote_id}; submit it again",
                provider=self.name,
                model=request.model.id,
            )
        path, media_type, metadata = await task
        dest.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", handle.remote_id)[:80]
        target = dest / f"{safe}{path.suffix}"
        shutil.move(str(path), target)
        shutil.rmtree(path.parent, ignore_errors=True)
        del self._jobs[handle.remote_id]
        return ProviderResult(path=target, media_type=media_type, cost_usd=0.0, metadata=metadata)

    async def cancel(self, handle: Handle) -> None:
        """Forget the job; a render already running finishes in its thread and is discarded."""
        task = self._jobs.pop(handle.remote_id, None)
        if task is not None:
            task.cancel()

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """Local jobs are free and deterministic: never recovered, simply run again."""
        return None


def _run(render: _Renderer, request: JobRequest, folder: Path) -> Output:
    try:
        return render(request, folder)
    except ShotrelayError as exc:
        if isinstance(exc, ProviderError):
            raise
        raise ProviderError(str(exc), provider="local", model=request.model.id) from exc
    except (KeyError, ValueError, ValidationError, OSError) as exc:
        raise InvalidInput(
            f"{request.model.id}: bad request for shot {request.shot_id}: {exc}",
            provider="local",
            model=request.model.id,
        ) from exc


def _input(request: JobRequest, role: str) -> Path:
    path = request.inputs.get(role)
    if path is None:
        raise InvalidInput(
            f"{request.model.id} needs the input {role!r} (got {sorted(request.inputs)})",
            provider="local",
            model=request.model.id,
        )
    return Path(path)


def _shot(request: JobRequest) -> Shot:
    data = request.context.get("shot")
    if data:
        return Shot.model_validate(data)
    return Shot(id=request.shot_id, duration=request.params.seconds or 2.0)


def _palette(request: JobRequest) -> list[str]:
    style = request.context.get("style") or {}
    return list(style.get("palette") or request.context.get("palette") or [])


def _size(request: JobRequest) -> tuple[int, int]:
    return _needed(request, "width"), _needed(request, "height")


def _needed(request: JobRequest, name: str) -> int:
    value = getattr(request.params, name)
    if value is None:
        raise InvalidInput(
            f"{request.model.id} needs params.{name}", provider="local", model=request.model.id
        )
    return int(value)


def _references(request: JobRequest) -> list[Path]:
    refs = [(k, v) for k, v in request.inputs.items() if k.startswith("reference_")]
    return [Path(v) for _, v in sorted(refs, key=lambda kv: int(kv[0].split("_")[1]))]


def _previs(request: JobRequest, folder: Path) -> Output:
    width, height = _size(request)
    shot = _shot(request)
    img, layout = render_previs(
        shot,
        width=width,
        height=height,
        palette=_palette(request),
        seed=request.seed,
        references=_references(request),
    )
    out = save_previs(img, layout, folder / "keyframe.png")
    return out, "image/png", {"layout": layout.model_dump(mode="json")}


def _camera(request: JobRequest, folder: Path) -> Output:
    width, height = _size(request)
    fps = _needed(request, "fps")
    seconds = request.params.length
    shot = _shot(request)
    move = CameraMove(request.params.camera or shot.camera)
    source = request.inputs.get("first_frame")
    lead_in = None
    if source is not None and shot.continues_previous:
        # the previous shot's last frame: start on it, then this shot's own framing and
        # caption (drawn here), never more of the previous shot with its caption burned in
        lead_in = _handed_over(Path(source))
        source = None
    if source is None:  # text-to-video, or a continued shot: draw the keyframe first
        source, _, _ = _previs(request, folder)
    layout = read_layout(Path(source)) if Path(source).suffix.lower() == ".png" else None
    action = f"{shot.action} {request.prompt}".lower()
    direction = -1 if "left" in action and "right" not in action else 1
    with Image.open(source) as still:
        out = animate(
            still,
            folder / "clip.mp4",
            move=move,
            width=width,
            height=height,
            fps=fps,
            seconds=seconds,
            seed=request.seed,
            layout=layout,
            direction=direction,
            lead_in=lead_in,
        )
    return out, "video/mp4", {"camera": move.value, "frames": round(seconds * fps)}


def _handed_over(frame: Path) -> Image.Image:
    """The previous shot's last frame, its previs guides and caption lifted off if any."""
    with Image.open(frame) as img:
        rgb = np.asarray(img.convert("RGB"))
    lifted = lift_overlay(rgb)
    return Image.fromarray(rgb if lifted is None else lifted)


def _grade(request: JobRequest, folder: Path) -> Output:
    out, meta = finishing.grade(
        _input(request, "video"), request.inputs.get("reference_0"), folder / "graded.mp4"
    )
    return out, "video/mp4", meta


def _upscale(request: JobRequest, folder: Path) -> Output:
    width, height = _size(request)
    out, meta = finishing.upscale(
        _input(request, "video"), folder / "upscaled.mp4", width=width, height=height
    )
    return out, "video/mp4", meta


def _interpolate(request: JobRequest, folder: Path) -> Output:
    fps = request.params.target_fps or _needed(request, "fps")
    mode = request.params.mode
    out, meta = finishing.interpolate_clip(
        _input(request, "video"), folder / "interpolated.mp4", fps=fps, mode=mode
    )
    return out, "video/mp4", meta


def _dub(request: JobRequest, folder: Path) -> Output:
    out, meta = finishing.dub(
        _input(request, "video"), _input(request, "audio"), folder / "dubbed.mp4"
    )
    return out, "video/mp4", meta


def _tts(request: JobRequest, folder: Path) -> Output:
    text = str(request.params.text or request.prompt).strip()
    if not text:
        raise InvalidInput(
            "local-tts needs params.text (the line to speak)", provider="local", model="local-tts"
        )
    speech = synthesize(text, folder / "line.wav")
    meta: dict[str, Any] = {
        "engine": speech.engine,
        "seconds": speech.seconds,
        "speaker": request.params.speaker or "",
    }
    if speech.warning:
        meta["warning"] = speech.warning
    return speech.path, "audio/wav", meta


_RENDERERS: dict[str, _Renderer] = {
    "local-previs": _previs,
    "local-camera": _camera,
    "local-grade": _grade,
    "local-tts": _tts,
    "local-dub": _dub,
    "local-upscale": _upscale,
    "local-interpolate": _interpolate,
}

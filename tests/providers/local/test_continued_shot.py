"""A continued shot in the offline animatic: it starts on the previous shot's last frame, then
keeps its own framing and caption (never more of the previous shot with its caption burned in)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from shotrelay.catalog.loader import builtin_models
from shotrelay.providers.base import JobRequest, JobState, ProviderResult
from shotrelay.providers.local import LocalProvider
from shotrelay.providers.local.overlay import lift_overlay
from shotrelay.providers.local.previs import render_previs
from shotrelay.spec.models import Shot
from shotrelay.spec.vocabulary import Stage, Task

W, H, FPS = 320, 180, 12
PALETTE = ["#203040", "#507060", "#e0b040"]
BEFORE = Shot(id="wide", duration=2, role="establishing", framing="wide", subject="a beach")
AFTER = Shot(
    id="close",
    duration=2,
    framing="close-up",
    camera="push-in",
    subject="Maya",
    action="looks up at the kite",
    continues_previous=True,
)
STRIP = max(14, round(H * 0.11))


def _camera(shot: Shot, dest: Path, first_frame: Path | None) -> list[NDArray[np.uint8]]:
    model = next(m for m in builtin_models() if m.id == "local-camera")
    request = JobRequest(
        job_id=f"job-{shot.id}-{first_frame is not None}",
        shot_id=shot.id,
        stage=Stage.GENERATE,
        task=Task.IMAGE_TO_VIDEO if first_frame else Task.TEXT_TO_VIDEO,
        model=model,
        context={"shot": shot.model_dump(mode="json"), "style": {"palette": PALETTE}},
        seed=5,
        params={"width": W, "height": H, "fps": FPS, "seconds": shot.duration},
        inputs={"first_frame": str(first_frame)} if first_frame else {},
    )

    async def go() -> ProviderResult:
        provider = LocalProvider()
        handle = await provider.submit(request)
        while (await provider.poll(handle)).state == JobState.RUNNING:
            await asyncio.sleep(0)
        return await provider.fetch(handle, request, dest)

    result = asyncio.run(go())
    with av.open(str(result.path)) as clip:
        return [f.to_ndarray(format="rgb24") for f in clip.decode(video=0)]


def _diff(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def test_a_continued_shot_starts_on_the_last_frame_with_its_own_caption(tmp_path: Path) -> None:
    # the previous shot's last frame, as the handoff extracts it: pixels only, caption burned in
    last, _ = render_previs(BEFORE, width=W, height=H, palette=PALETTE, seed=5)
    handoff = tmp_path / "last.png"
    last.save(handoff)
    before = np.asarray(last.convert("RGB"))
    own, _ = render_previs(AFTER, width=W, height=H, palette=PALETTE, seed=5)
    mine = np.asarray(own.convert("RGB"))

    frames = _camera(AFTER, tmp_path / "continued", handoff)
    first, scene = frames[0], slice(0, H - STRIP)
    assert len(frames) == 2 * FPS
    assert Image.fromarray(first).size == (W, H)
    # the picture continues the previous shot's last frame ...
    assert _diff(first[scene], before[scene]) < 6
    # ... while the caption strip says this shot: where the two captions differ, it is ours
    text = np.abs(before[H - STRIP :].astype(np.int16) - mine[H - STRIP :]).max(axis=2) > 100
    assert text.sum() > 50
    strip = first[H - STRIP :]
    assert _diff(strip[text], mine[H - STRIP :][text]) < 40
    assert _diff(strip[text], before[H - STRIP :][text]) > 100


def test_a_continued_shot_ends_on_its_own_framing(tmp_path: Path) -> None:
    last, _ = render_previs(BEFORE, width=W, height=H, palette=PALETTE, seed=5)
    handoff = tmp_path / "last.png"
    last.save(handoff)
    continued = _camera(AFTER, tmp_path / "continued", handoff)
    alone = _camera(
        AFTER.model_copy(update={"continues_previous": False}), tmp_path / "alone", None
    )
    assert _diff(continued[-1], alone[-1]) < 3  # the lead-in is over: the shot's own move
    assert _diff(continued[0], alone[0]) > 10  # and it did not start there


def test_lifting_the_overlay_keeps_the_scene_and_refuses_other_frames() -> None:
    img, _ = render_previs(BEFORE, width=W, height=H, palette=PALETTE, seed=5)
    rgb = np.asarray(img.convert("RGB"))
    lifted = lift_overlay(rgb)
    assert lifted is not None
    assert not (lifted[H - STRIP :] < 20).all(axis=2).any()  # no dark strip left
    assert (
        _diff(
            lifted[H // 4 : H // 2, W // 4 : 3 * W // 4], rgb[H // 4 : H // 2, W // 4 : 3 * W // 4]
        )
        < 1
    )
    photo = np.full((H, W, 3), 128, np.uint8)
    assert lift_overlay(photo) is None

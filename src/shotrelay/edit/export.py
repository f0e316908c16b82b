"""Hand the cut to an editor: an OpenTimelineIO timeline, FCP XML and a CMX 3600 EDL.

The timeline is built from the journal's record of the final cut (which artifact each shot
used, its duration and transition), so it matches ``final.mp4`` shot for shot. FCP XML and
EDL are written through OTIO's adapter plug-ins (``otio-fcp-adapter``,
``otio-cmx3600-adapter``, in the ``edit`` extra).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from shotrelay.edit.cut import CutItem, plan_segments
from shotrelay.edit.record import CutRecord
from shotrelay.engine.journal import JobRow, JobStateName, Journal
from shotrelay.engine.store import ArtifactStore, sha256_file
from shotrelay.engine.workspace import Workspace, workspace_for
from shotrelay.errors import EngineError
from shotrelay.media.conform import frame_count
from shotrelay.media.info import probe
from shotrelay.spec.loader import load_project
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Transition

__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "FinalClip",
    "build_timeline",
    "export_cut",
    "final_clips",
]

ExportFormat = Literal["otio", "fcpxml", "edl"]
EXPORT_FORMATS: dict[ExportFormat, tuple[str, str]] = {
    "otio": ("otio_json", ".otio"),
    "fcpxml": ("fcp_xml", ".xml"),
    "edl": ("cmx_3600", ".edl"),
}


class FinalClip(BaseModel):
    """One shot as the final cut used it, with what made it."""

    model_config = ConfigDict(frozen=True)

    shot_id: str
    artifact: str
    path: Path
    duration: float
    transition: Transition
    transition_seconds: float
    audio: Path | None = None
    dialogue: Path | None = None
    info: dict[str, Any] = {}


def _cut_job(journal: Journal, final: Path) -> JobRow:
    cuts = [
        j
        for j in journal.jobs(state=JobStateName.SUCCEEDED.value)
        if j.stage == "cut" and j.model == "final" and j.artifact
    ]
    if not cuts:
        raise EngineError("no final cut in the journal yet; run `shotrelay run <project>` first")
    if final.is_file():
        digest = sha256_file(final)
        for job in cuts:
            if job.artifact == digest:
                return job
    return max(cuts, key=lambda j: j.updated_at)


def _otio() -> Any:
    """The ``opentimelineio`` module, or an EngineError saying how to install it."""
    try:
        import opentimelineio
    except ImportError:
        raise EngineError(
            "exporting the cut needs OpenTimelineIO, which is not installed; "
            "install shotrelay[edit]: pip install 'shotrelay[edit]'"
        ) from None
    return opentimelineio


def _shot_info(manifest: dict[str, Any], shot_id: str, project: Project) -> dict[str, Any]:
    try:
        shot = project.shot(shot_id)
    except KeyError:
        raise EngineError(
            f"the last cut has shot {shot_id!r}, which the project no longer has: the cut "
            "predates an edit of the shot list (a shot renamed or removed); fix: run "
            "`shotrelay run <project>` again so the cut matches the project"
        ) from None
    info: dict[str, Any] = {"shot_id": shot_id, "role": shot.role.value}
    stages: list[dict[str, Any]] = next(
        (s["stages"] for s in manifest.get("shots", []) if s["id"] == shot_id), []
    )
    gen = next((s for s in stages if s["stage"] == "generate" and s.get("chosen")), None)
    gen = gen or next((s for s in stages if s["stage"] == "generate"), None)
    if gen:
        info.update(model=gen["model"], prompt=gen["prompt"], seed=gen["seed"], take=gen["take"])
    info["estimate_usd"] = round(sum(s.get("estimate_usd") or 0.0 for s in stages), 6)
    info["actual_usd"] = round(sum(s.get("actual_usd") or 0.0 for s in stages), 6)
    tts = next((s for s in stages if s["stage"] == "tts" and s.get("artifact")), None)
    if tts:
        info["dialogue_artifact"] = tts["artifact"]
    return info


def final_clips(ws: Workspace, project: Project) -> list[FinalClip]:
    """The shots of the last final cut, in order, with artifact paths and shot metadata."""
    if not ws.journal.is_file():
        raise EngineError(f"no journal at {ws.journal}; run `shotrelay run` first")
    store = ArtifactStore(ws.store)
    manifest: dict[str, Any] = {}
    if ws.manifest.is_file():
        manifest = json.loads(ws.manifest.read_text(encoding="utf-8"))
    journal = Journal(ws.journal)
    try:
        job = _cut_job(journal, ws.final)
    finally:
        journal.close()
    clips = []
    for entry in CutRecord.from_detail(job.detail).clips:
        info = _shot_info(manifest, entry.shot_id, project)
        info["artifact"] = entry.clip
        speech = info.get("dialogue_artifact")
        clips.append(
            FinalClip(
                shot_id=entry.shot_id,
                artifact=entry.clip,
                path=store.get(entry.clip).resolve(),
                duration=entry.duration,
                transition=entry.transition,
                transition_seconds=entry.transition_seconds,
                audio=store.get(entry.audio).resolve() if entry.audio else None,
                dialogue=store.get(speech).resolve() if speech and store.has(speech) else None,
                info=info,
            )
        )
    return clips


def _media_seconds(path: Path, fallback: float) -> float:
    try:
        return probe(path).duration or fallback
    except Exception:  # an unreadable file still gets a reference an editor can relink
        return fallback


def build_timeline(name: str, clips: Sequence[FinalClip], fps: int) -> Any:
    """An ``otio.schema.Timeline``: a video track of the clips and dissolves, a dialogue track."""
    otio = _otio()

    def rt(frames: int) -> Any:
        return otio.opentime.RationalTime(frames, fps)

    def ref(path: Path, seconds: float) -> Any:
        return otio.schema.ExternalReference(
            target_url=path.as_uri(),
            available_range=otio.opentime.TimeRange(rt(0), rt(max(1, round(seconds * fps)))),
        )

    items = [
        CutItem(
            shot_id=c.shot_id,
            path=c.path,
            duration=c.duration,
            transition=c.transition,
            transition_seconds=c.transition_seconds,
        )
        for c in clips
    ]
    segments = plan_segments(items, fps)
    timeline = otio.schema.Timeline(name=name)
    timeline.global_start_time = rt(0)
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    audio = otio.schema.Track(name="A1 dialogue", kind=otio.schema.TrackKind.Audio)
    at = 0
    for clip, segment in zip(clips, segments, strict=True):
        frames = frame_count(clip.duration, fps)
        overlap = round(segment.transition_seconds * fps)
        if overlap and segment.transition != Transition.CUT:
            # The cut fades the incoming shot in over its first frames: all after the cut point.
            video.append(
                otio.schema.Transition(
                    name=segment.transition.value,
                    transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                    in_offset=rt(0),
                    out_offset=rt(overlap),
                )
            )
        item = otio.schema.Clip(
            name=clip.shot_id,
            media_reference=ref(clip.path, _media_seconds(clip.path, clip.duration)),
            source_range=otio.opentime.TimeRange(rt(0), rt(frames)),
        )
        item.metadata["shotrelay"] = dict(clip.info)
        video.append(item)
        speech = clip.audio or clip.dialogue
        if speech is not None:
            seconds = min(_media_seconds(speech, clip.duration), clip.duration)
            gap = at - audio.duration().to_frames()
            if gap > 0:
                audio.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(rt(0), rt(gap))))
            line = otio.schema.Clip(
                name=f"{clip.shot_id} dialogue",
                media_reference=ref(speech, seconds),
                source_range=otio.opentime.TimeRange(rt(0), rt(max(1, round(seconds * fps)))),
            )
            line.metadata["shotrelay"] = {"shot_id": clip.shot_id, "kind": "dialogue"}
            audio.append(line)
        at += frames
    timeline.tracks.append(video)
    if len(audio):
        timeline.tracks.append(audio)
    return timeline


def export_cut(
    project_path: Path | str,
    formats: Sequence[ExportFormat] = ("otio", "fcpxml", "edl"),
    *,
    out_dir: Path | None = None,
    workdir: Path | str | None = None,
) -> dict[ExportFormat, Path]:
    """Write the final cut as ``cut.otio``, ``cut.xml`` and ``cut.edl`` (default: out/)."""
    otio = _otio()

    ws = workspace_for(project_path, workdir)
    project = load_project(ws.project_file, check_files=False)  # a past cut: refs may be gone
    timeline = build_timeline(project.name, final_clips(ws, project), project.format.fps)
    folder = out_dir or ws.out
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[ExportFormat, Path] = {}
    for fmt in formats:
        adapter, suffix = EXPORT_FORMATS[fmt]
        path = folder / f"cut{suffix}"
        if adapter not in otio.adapters.available_adapter_names():
            raise EngineError(
                f"the OTIO adapter {adapter!r} for --format {fmt} is not installed; "
                "fix: pip install 'shotrelay[edit]' (otio-fcp-adapter, otio-cmx3600-adapter)"
            )
        try:
            otio.adapters.write_to_file(timeline, str(path), adapter_name=adapter)
        except ValueError as exc:
            if "timecode" not in str(exc):
                raise
            raise EngineError(
                f"{ws.project_file}: format.fps {project.format.fps} has no SMPTE timecode, "
                f"which {fmt} needs ({exc}); fix: set fps to 24, 25 or 30, or use --format otio"
            ) from None
        written[fmt] = path
    return written

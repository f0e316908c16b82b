"""The cut and the manifest: what the relay delivers, and what made each shot."""

from __future__ import annotations

import json
import mimetypes
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from shotrelay.edit import CutItem, assemble_cut
from shotrelay.edit.record import CutEntry, CutRecord
from shotrelay.edit.versions import describe_deliverables
from shotrelay.engine.events import EngineEvent, EventCallback
from shotrelay.engine.executor import Outcome
from shotrelay.engine.graph import SELECT, JobGraph
from shotrelay.engine.journal import JobStateName, Journal
from shotrelay.engine.store import ArtifactStore
from shotrelay.errors import IntegrityError
from shotrelay.relay.delivery import cut_items, deliver_final, speech_tracks
from shotrelay.relay.judging import shot_scores
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.models import RESOLUTIONS, Format, Project, Shot, Sound

__all__ = [
    "PREVIEW",
    "Cutter",
    "MissingShot",
    "assemble",
    "cut_format",
    "default_cutter",
    "describe_incomplete",
    "fallbacks_taken",
    "missing_shots",
    "write_manifest",
]


class MissingShot(BaseModel):
    """A shot with no clip for the cut, and the full message of each job that stopped it."""

    model_config = ConfigDict(frozen=True)

    shot_id: str
    why: list[str]


#: (clips in order, output file, delivery format, music or None) -> the output file
Cutter = Callable[[list[CutItem], Path, Format, Path | None], Path]


def default_cutter(
    clips: list[CutItem],
    out: Path,
    fmt: Format,
    music: Path | None,
    *,
    cache: Path | None = None,
    on_event: EventCallback | None = None,
    sound: Sound | None = None,
) -> Path:
    """Assemble with ``shotrelay.edit.assemble_cut`` (as cached pieces when ``cache`` is a
    folder: a re-cut renders only the shots and transitions that changed), mixed and
    normalised as ``sound`` says (the project's; defaults: -14 LUFS, -1 dBTP); each step is
    told to ``on_event`` as a ``progress`` event of the ``cut`` stage."""
    mix = sound or Sound()

    def step(done: int, total: int, what: str) -> None:
        if on_event:
            on_event(
                EngineEvent(
                    kind="progress",
                    stage="cut",
                    state=what,
                    progress=done / total,
                    message=f"{done}/{total}",
                )
            )

    return assemble_cut(
        clips,
        out,
        fmt=fmt,
        music=music,
        loudness_lufs=mix.loudness_lufs,
        true_peak=mix.true_peak,
        music_db=mix.music_db,
        music_fade=mix.fade_seconds,
        cache=cache,
        progress=step,
    )


#: The animatic reviews structure, not pixels: it is cut at this size at most.
PREVIEW = "540p"


def cut_format(kind: str, fmt: Format) -> Format:
    """The format a cut is made in: the project's, except the animatic at preview size."""
    if kind == "animatic" and RESOLUTIONS[fmt.resolution] > RESOLUTIONS[PREVIEW]:
        return fmt.model_copy(update={"resolution": PREVIEW})
    return fmt


def assemble(
    *,
    kind: str,
    project: Project,
    graph: JobGraph,
    outcome: Outcome,
    journal: Journal,
    store: ArtifactStore,
    cutter: Cutter,
    out: Path,
    on_event: EventCallback | None = None,
    partial: Path | None = None,
) -> Path | None:
    """Cut the shots whose final clip exists into ``out``; cached by the clips' hashes.

    With ``partial``, ``out`` is only ever this plan's complete cut: when a shot has no
    clip, the others are cut into ``partial`` and a stale ``out`` is removed (and a stale
    ``partial`` when the cut is complete). Returns the file written, or None (and records
    why) when no shot has a clip.
    """
    fmt = cut_format(kind, project.format)
    clips: list[tuple[Shot, str, str | None]] = []
    for shot in project.shots:
        final = outcome.results.get(graph.finals[shot.id])
        if final is None or final.state != JobStateName.SUCCEEDED or not final.artifact:
            journal.event(
                "cut_gap",
                f"{kind}: shot {shot.id} has no clip; left out of the cut",
                shot_id=shot.id,
            )
            continue
        speech = graph.audio.get(shot.id)
        audio = outcome.results.get(speech) if speech else None
        clips.append((shot, final.artifact, audio.artifact if audio else None))
    if partial is not None:
        whole = len(clips) == len(project.shots)
        for stale in [partial] if whole else [out] if clips else [out, partial]:
            if stale.exists():
                stale.unlink()
                journal.event("cut_removed", f"{kind}: removed {stale.name}: not this run's cut")
        if not whole and clips:
            journal.event(
                "cut_partial",
                f"{kind}: {len(project.shots) - len(clips)} of {len(project.shots)} shots "
                f"missing; the others are cut into {partial.name}, not {out.name}",
            )
            out = partial
    if not clips:
        journal.event("cut_skipped", f"{kind}: no shot has a clip")
        return None
    music = project.music if project.music and project.music.is_file() else None
    record = CutRecord(
        kind=kind,
        format=fmt,
        sound=project.sound,
        music=store.put(music, _media_type(music)).hash if music else None,
        clips=[
            CutEntry(
                shot_id=s.id,
                clip=clip,
                duration=s.duration,
                transition=s.transition,
                transition_seconds=s.transition_seconds,
                audio=audio,
            )
            for s, clip, audio in clips
        ],
    )
    key = record.key()
    row = journal.job(key)
    if row is not None and row.state == JobStateName.SUCCEEDED and row.artifact:
        try:
            store.verify(row.artifact)
            _publish(store.get(row.artifact), out)
            if kind == "final" and out != partial:
                deliver_final(
                    project, record, store, out, journal, speech_tracks(graph, outcome, store)
                )
            return out
        except IntegrityError as exc:
            journal.event("integrity", str(exc), job_key=key, stage="cut")
            store.discard(row.artifact)
    journal.ensure_job(
        key,
        shot_id="*",
        stage="cut",
        take=0,
        model=kind,
        provider="local",
        detail=record.model_dump(mode="json"),
    )
    items = cut_items(record, store)
    if on_event:
        on_event(
            EngineEvent(
                kind="state", stage="cut", job=key, state="submitted", message=f"cutting the {kind}"
            )
        )
    with tempfile.TemporaryDirectory(dir=store.root.parent) as tmp:
        made = cutter(items, Path(tmp) / out.name, fmt, music)
        ref = store.put(made, "video/mp4")
    with journal.transaction():
        journal.update_job(key, state=JobStateName.SUCCEEDED, artifact=ref.hash, attempts=1)
        journal.event("succeeded", f"{kind} cut -> {ref.hash[:12]}", job_key=key, stage="cut")
    _publish(ref.path, out)
    if kind == "final" and out != partial:
        deliver_final(project, record, store, out, journal, speech_tracks(graph, outcome, store))
    if on_event:
        on_event(EngineEvent(kind="state", stage="cut", job=key, state="succeeded", progress=1.0))
    return out


def missing_shots(project: Project, graph: JobGraph, outcome: Outcome) -> list[MissingShot]:
    """The shots with no final clip, each with its failed jobs' own messages in full."""
    missing: list[MissingShot] = []
    for shot in project.shots:
        final = outcome.results.get(graph.finals[shot.id])
        if final is not None and final.state == JobStateName.SUCCEEDED and final.artifact:
            continue
        stopped = [
            r
            for r in outcome.results.values()
            if r.shot_id == shot.id and r.state != JobStateName.SUCCEEDED
        ]
        causes = [
            r for r in stopped if r.state != JobStateName.SKIPPED and r.step != SELECT
        ] or stopped
        why = [f"{r.node} ({r.state.value}): {r.message}" for r in causes]
        missing.append(MissingShot(shot_id=shot.id, why=why or ["it was not run"]))
    return missing


def fallbacks_taken(graph: JobGraph, outcome: Outcome) -> list[str]:
    """One line per job made by another model than its route chose (a fallback this run)."""
    lines = []
    for result in outcome.results.values():
        node = graph.nodes.get(result.node)
        if node is None or node.step == SELECT or result.cached or not result.model:
            continue
        if result.state == JobStateName.SUCCEEDED and result.model != node.model:
            lines.append(
                f"{result.shot_id} {result.step}: made by {result.model}, not {node.model} "
                "(the journal's fallback events say why)"
            )
    return sorted(lines)


def describe_incomplete(
    missing: list[MissingShot], failures: list[str], shots: int, partial: Path | None
) -> str:
    """Why a run is incomplete, in full: each missing shot with its jobs' messages."""
    if not missing:
        return f"{len(failures)} jobs did not finish:\n" + "\n".join(f"  {f}" for f in failures)
    cut = (
        f"the {shots - len(missing)} finished shots are cut in {partial}"
        if partial is not None
        else "no shot has a clip, so nothing was cut"
    )
    lines = [f"incomplete: {len(missing)} of {shots} shots missing, so no final.mp4 ({cut})"]
    for m in missing:
        lines.append(f"shot {m.shot_id} is missing:")
        lines += [f"  {why}" for why in m.why]
    return "\n".join(lines)


def _media_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _publish(src: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, out)


def write_manifest(
    path: Path,
    *,
    project: Project,
    graph: JobGraph,
    outcome: Outcome,
    journal: Journal,
    final: Path | None,
    partial: Path | None = None,
    missing: list[MissingShot] | None = None,
) -> dict[str, Any]:
    """Write ``manifest.json``: every shot's stages with model, prompt, seed, cost, artifact.

    ``cut`` says whether the cut is complete, which file holds it and what is missing.
    """
    shots = []
    judged = shot_scores(journal, {r.key for r in outcome.results.values() if r.key})
    for shot in project.shots:
        stages = []
        for node in graph.nodes.values():
            if node.shot_id != shot.id or node.step == SELECT:
                continue
            res = outcome.results.get(node.id)
            row = journal.job(res.key) if res and res.key else None
            events = journal.events(job_key=res.key) if res and res.key else []
            chosen = outcome.results.get(f"{shot.id}/generate")
            stages.append(
                {
                    "node": node.id,
                    "stage": node.step,
                    "take": node.take or None,
                    "chosen": bool(node.take) and chosen is not None and chosen.key == res.key
                    if res
                    else False,
                    "state": res.state.value if res else "not run",
                    "model": row.model if row else node.model,
                    "provider": row.provider if row else "",
                    "prompt": node.prompt,
                    "negative": node.negative,
                    "seed": node.seed,
                    "estimate_usd": row.estimate_usd if row else None,
                    "estimate_rule": row.estimate_rule if row else "",
                    "actual_usd": row.actual_usd if row else None,
                    "artifact": res.artifact if res else None,
                    "cached": res.cached if res else False,
                    "fallbacks": [e.message for e in events if e.kind == "fallback"],
                    "events": [f"{e.kind}: {e.message}" for e in events],
                    "message": res.message if res else "",
                }
            )
        shots.append({"id": shot.id, "stages": stages, "takes": judged.get(shot.id, [])})
    reserved, actual = journal.costs()
    data: dict[str, Any] = {
        "project": project.name,
        "final": str(final) if final else None,
        "cut": {
            "complete": not missing and final is not None,
            "file": str(final or partial) if final or partial else None,
            "missing": [m.model_dump(mode="json") for m in missing or []],
        },
        "deliverables": describe_deliverables(final, project) if final else None,
        "cost": {"reserved_usd": round(reserved, 6), "actual_usd": round(actual, 6)},
        "notes": list(graph.notes),
        "shots": shots,
    }
    write_json(path, data)
    return data


def write_route(path: Path, plan: RoutePlan) -> None:
    """Write ``route.json``: the plan this run executes, with reasons and runner-ups."""
    write_json(path, plan.model_dump(mode="json"))


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON atomically (a temp file renamed over ``path``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)

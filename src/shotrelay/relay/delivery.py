"""What the relay delivers beside the final cut: captions and the project's other aspects."""

from __future__ import annotations

from pathlib import Path

from shotrelay.edit import CutItem
from shotrelay.edit.captions import lay_out, spoken_shots
from shotrelay.edit.cut import plan_segments
from shotrelay.edit.record import CutRecord
from shotrelay.edit.versions import deliver
from shotrelay.engine.executor import Outcome
from shotrelay.engine.graph import JobGraph
from shotrelay.engine.journal import Journal
from shotrelay.engine.store import ArtifactStore
from shotrelay.errors import EngineError
from shotrelay.media.concat import timeline
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Stage

__all__ = ["cut_items", "deliver_final", "speech_tracks"]


def cut_items(record: CutRecord, store: ArtifactStore) -> list[CutItem]:
    """The cut's items with their clips and speech as files of the store."""
    return [
        CutItem(
            shot_id=c.shot_id,
            path=store.get(c.clip),
            duration=c.duration,
            transition=c.transition,
            transition_seconds=c.transition_seconds,
            audio=store.get(c.audio) if c.audio else None,
        )
        for c in record.clips
    ]


def speech_tracks(graph: JobGraph, outcome: Outcome, store: ArtifactStore) -> dict[str, Path]:
    """Shot id -> its TTS track, also where a lip sync has put it into the clip."""
    tracks = {}
    for node in graph.nodes.values():
        result = outcome.results.get(node.id)
        if node.step == Stage.TTS.value and result is not None and result.artifact:
            tracks[node.shot_id] = store.get(result.artifact)
    return tracks


def deliver_final(
    project: Project,
    record: CutRecord,
    store: ArtifactStore,
    master: Path,
    journal: Journal,
    speech: dict[str, Path],
) -> None:
    """Captions, burned-in captions and the extra aspects beside the final cut; a failure
    is journalled (the cut itself stands)."""
    try:
        items = cut_items(record, store)
        cues = lay_out(spoken_shots(items, project, record.format.fps, speech))
        fps = record.format.fps
        places = timeline(plan_segments(items, fps), fps)
        ends = [p.start for p in places[1:]] + [places[-1].start + places[-1].frames]
        shots = [(p.start / fps, end / fps) for p, end in zip(places, ends, strict=True)]
        made = deliver(
            master,
            fmt=record.format,
            cues=cues,
            captions=project.captions,
            deliverables=project.deliverables,
            cache=store.root.parent / "versions",
            shots=shots,
        )
    except EngineError as exc:
        journal.event("deliver_failed", f"captions and versions of {master.name}: {exc}")
        return
    names = [p.name for p in made.captions] + [v.path.name for v in made.versions]
    if names:
        journal.event("delivered", f"beside {master.name}: {', '.join(names)}")

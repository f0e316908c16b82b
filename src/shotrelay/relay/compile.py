"""Compiling a routed plan into the engine's job graph: per shot keyframe -> generate (takes)
-> edit -> tts -> lipsync -> finishing, with last-frame handoffs between continuing shots.

Pure apart from putting the user's reference images into the store (so their content, not
their path, enters the cache keys).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from shotrelay.catalog.params import CallParams
from shotrelay.catalog.profile import ModelProfile
from shotrelay.continuity import ContextPacket
from shotrelay.engine.graph import SELECT, JobGraph
from shotrelay.engine.jobs import HANDOFF, JobNode, derive_seed
from shotrelay.engine.store import ArtifactStore
from shotrelay.errors import CatalogError, EngineError
from shotrelay.prompts.dialect import dialect
from shotrelay.prompts.stages import reference_tags
from shotrelay.route.plan import RoutePlan, StageRoute
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Stage, Task

__all__ = ["CompileFn", "PacketLike", "build_graph", "reference_inputs", "stage_params"]

_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
_VIDEO_STAGES = (Stage.GENERATE, Stage.EDIT, Stage.LIPSYNC, Stage.UPSCALE, Stage.INTERPOLATE)
_T = TypeVar("_T")


def reference_inputs(stage: Stage, model: ModelProfile, refs: Sequence[_T]) -> list[_T]:
    """The reference images a stage gives ``model``: keyframe and generate only, up to its
    limit (engine/uploads.py lists the local files this sends)."""
    if stage not in (Stage.KEYFRAME, Stage.GENERATE):
        return []
    return list(refs[: model.inputs.reference_images])


class PacketLike(Protocol):
    """What the graph reads from a continuity packet."""

    @property
    def reference_images(self) -> list[Path]: ...

    @property
    def handoff(self) -> bool: ...


#: (stage, shot, project, model, packet) -> (prompt, negative prompt)
CompileFn = Callable[[Stage, Shot, Project, ModelProfile, Any], tuple[str, str]]


def stage_params(route: StageRoute, shot: Shot, project: Project) -> CallParams:
    """Request parameters: the router's (clip_seconds, resolution...) over the format's."""
    fmt = project.format
    params: dict[str, Any] = {
        "seconds": shot.duration,
        "width": fmt.width,
        "height": fmt.height,
        "fps": fmt.fps,
        "aspect": fmt.aspect,
        "camera": shot.camera.value,
        "framing": shot.framing.value,
    }
    if route.stage == Stage.TTS:
        params["text"] = " ".join(d.line for d in shot.dialogue)
        params["lines"] = [{"speaker": d.speaker, "line": d.line} for d in shot.dialogue]
    if route.stage == Stage.UPSCALE:
        params["target_height"] = fmt.height
    if route.stage == Stage.INTERPOLATE:
        params["target_fps"] = fmt.fps
    return CallParams.model_validate({**params, **route.params.fixed()})


def build_graph(
    project: Project,
    plan: RoutePlan,
    models: Mapping[str, ModelProfile],
    *,
    store: ArtifactStore,
    compile: CompileFn,
    packets: Callable[[str], PacketLike],
    takes: int | None = None,
    revisions: Mapping[tuple[str, str], int] | None = None,
    held: Mapping[str, int] | None = None,
) -> JobGraph:
    """Nodes for every routed stage of every shot, with handoffs between continuing shots.

    ``held``: per shot, at least this many takes (a pick, takes already made) whatever
    ``takes`` says.
    """
    revisions = revisions or {}
    n_takes = takes or project.takes
    nodes: dict[str, JobNode] = {}
    finals: dict[str, str] = {}
    audio: dict[str, str] = {}
    notes: list[str] = []
    previous: str | None = None
    routes = {r.id: r for r in plan.shots}
    for shot in project.shots:
        route = routes.get(shot.id)
        if route is None:
            raise EngineError(
                f"shot {shot.id} has no route; run `shotrelay route` again after editing shots"
            )
        packet = packets(shot.id)
        refs = [_put_image(store, p) for p in packet.reference_images]
        handoff = None
        keyframed = route.stage(Stage.KEYFRAME) is not None
        if shot.continues_previous and previous is not None and not keyframed:
            handoff = JobNode(
                id=f"{shot.id}/{HANDOFF}",
                shot_id=shot.id,
                step=HANDOFF,
                inputs={"video": finals[previous]},
                revision=revisions.get((shot.id, HANDOFF), 0),
            )
            nodes[handoff.id] = handoff
        image: str | None = handoff.id if handoff else None
        video: str | None = None
        speech: str | None = None
        for st in route.stages:
            model = _model(models, st.model, shot.id, st.stage)
            prompt, negative = compile(st.stage, shot, project, model, packet)
            rev = revisions.get((shot.id, st.stage.value), 0)
            inputs = _inputs(st, model, refs, image, video, speech, notes, shot.id)
            base = JobNode(
                id=f"{shot.id}/{st.stage.value}",
                shot_id=shot.id,
                step=st.stage.value,
                model=st.model,
                fallbacks=list(st.fallbacks),
                task=st.task,
                prompt=prompt,
                negative=negative,
                params=_tag_params(stage_params(st, shot, project), st, model, packet),
                inputs=inputs,
                revision=rev,
                estimate=st.cost,
                context=_context(packet, shot),
            )
            if st.stage == Stage.GENERATE:
                take_ids = []
                # A stage routed without a number of takes gets the project's.
                count = takes or (st.takes if "takes" in st.model_fields_set else n_takes)
                count = max(count, (held or {}).get(shot.id, 0))
                per_take = st.cost.per_take()
                for t in range(1, max(1, count) + 1):
                    seed = derive_seed(project.name, shot.id, t, rev)
                    node = base.model_copy(
                        update={
                            "id": f"{base.id}/t{t}",
                            "take": t,
                            "seed": seed,
                            "estimate": per_take,
                        }
                    )
                    nodes[node.id] = node
                    take_ids.append(node.id)
                sel = JobNode(id=base.id, shot_id=shot.id, step=SELECT, takes=take_ids)
                nodes[sel.id] = sel
                out = sel.id
            else:
                node = base.model_copy(update={"seed": derive_seed(project.name, shot.id, 0, rev)})
                nodes[node.id] = node
                out = node.id
            if st.stage == Stage.KEYFRAME:
                image = out
            elif st.stage == Stage.TTS:
                speech = out
            elif st.stage in _VIDEO_STAGES:
                video = out
                if st.stage == Stage.LIPSYNC:
                    speech = None  # the speech is in the clip now
        if video is None:
            raise EngineError(f"shot {shot.id}: the route has no generate stage")
        finals[shot.id] = video
        if speech is not None:
            audio[shot.id] = speech
        previous = shot.id
    return JobGraph(
        project=project.name,
        nodes=nodes,
        shots=[s.id for s in project.shots],
        finals=finals,
        audio=audio,
        notes=notes,
    )


def _model(
    models: Mapping[str, ModelProfile], model_id: str, shot: str, stage: Stage
) -> ModelProfile:
    try:
        return models[model_id]
    except KeyError:
        raise CatalogError(
            f"shot {shot} {stage.value}: the route names model {model_id!r}, "
            "which is not in the catalog; route again"
        ) from None


def _inputs(
    st: StageRoute,
    model: ModelProfile,
    refs: list[str],
    image: str | None,
    video: str | None,
    speech: str | None,
    notes: list[str],
    shot_id: str,
) -> dict[str, str]:
    inputs: dict[str, str] = {}
    if st.stage in (Stage.KEYFRAME, Stage.GENERATE):
        limit = model.inputs.reference_images
        use = reference_inputs(st.stage, model, refs)
        if len(refs) > len(use):
            notes.append(
                f"shot {shot_id} {st.stage.value}: {model.id} takes {limit} reference images; "
                f"{len(refs) - len(use)} of {len(refs)} left out"
            )
        inputs.update({f"reference_{i}": f"sha256:{h}" for i, h in enumerate(use)})
    if st.stage == Stage.GENERATE and image is not None:
        if st.task == Task.IMAGE_TO_VIDEO or model.inputs.first_frame:
            inputs["first_frame"] = image
        else:
            notes.append(
                f"shot {shot_id} generate: {model.id} cannot start from an image; "
                "its keyframe or handed-off frame is not used"
            )
    if st.stage in (Stage.EDIT, Stage.LIPSYNC, Stage.UPSCALE, Stage.INTERPOLATE):
        if video is None:
            raise EngineError(f"shot {shot_id} {st.stage.value}: no clip comes before this stage")
        inputs["video"] = video
    if st.stage == Stage.LIPSYNC:
        if speech is None:
            raise EngineError(f"shot {shot_id} lipsync: no speech (tts) comes before it")
        inputs["audio"] = speech
    return inputs


def _tag_params(params: CallParams, st: StageRoute, model: ModelProfile, packet: Any) -> CallParams:
    """``reference_tags``: the tag of each ``reference_i`` input, in input order, for models
    whose prompts name reference images by tag (Runway's ``@name``)."""
    if st.stage not in (Stage.KEYFRAME, Stage.GENERATE) or not isinstance(packet, ContextPacket):
        return params
    spoken = dialect(model.dialect)
    tags = reference_tags(packet, spoken, model)
    if not tags:  # also when the dialect names no references by tag
        return params
    head, _, tail = spoken.reference_tag.partition("{}")
    by_path = {path: tag[len(head) : len(tag) - len(tail)] for tag, path in tags.values()}
    refs = packet.reference_images[: model.inputs.reference_images]
    return params.but(reference_tags=[by_path.get(str(p), f"ref{i}") for i, p in enumerate(refs)])


def _context(packet: Any, shot: Shot) -> dict[str, Any]:
    """The continuity packet and the shot itself (local renderers draw its blocking)."""
    dump = getattr(packet, "model_dump", None)
    data: dict[str, Any] = dump(mode="json") if dump is not None else {}
    data["shot"] = shot.model_dump(mode="json")
    return data


def _put_image(store: ArtifactStore, path: Path) -> str:
    if not path.is_file():
        raise EngineError(f"reference image {path} does not exist; fix the path in the project")
    media_type = _IMAGE_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return store.put(path, media_type).hash

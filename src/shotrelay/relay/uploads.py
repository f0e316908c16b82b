"""Which local files a routed plan sends to which paid provider (shown before the gate).

Pure: it reads the same continuity packets and reference limits the job graph uses, so the
list is what the graph will send, not a guess. Music and local models send nothing remote.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import ModelProfile
from shotrelay.relay.compile import PacketLike, reference_inputs
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Stage

__all__ = ["Upload", "UploadUse", "describe_uploads", "local_uploads"]


class UploadUse(BaseModel):
    """One job that sends the file: shot, stage, model, and whether only as a fallback."""

    model_config = ConfigDict(frozen=True)

    shot_id: str
    stage: Stage
    model: str
    fallback: bool = False


class Upload(BaseModel):
    """A local file that goes to one provider, with every job that sends it there."""

    model_config = ConfigDict(frozen=True)

    path: Path
    field: str
    provider: str
    uses: list[UploadUse]

    @property
    def shots(self) -> list[str]:
        """Shot ids that send the file, in plan order."""
        return list(dict.fromkeys(u.shot_id for u in self.uses))

    @property
    def fallback_only(self) -> bool:
        """Whether the file goes there only if a routed model fails over."""
        return all(u.fallback for u in self.uses)

    def describe(self) -> str:
        """``mara.png -> runway (runway-gen4-image: hero, broll)``."""
        by_model: dict[str, list[str]] = {}
        for use in self.uses:
            shots = by_model.setdefault(use.model, [])
            if use.shot_id not in shots:
                shots.append(use.shot_id)
        jobs = "; ".join(f"{m}: {', '.join(s)}" for m, s in by_model.items())
        line = f"{self.path.name} -> {self.provider} ({jobs})"
        return line + (" [only on fallback]" if self.fallback_only else "")


def local_uploads(
    project: Project,
    plan: RoutePlan,
    models: Mapping[str, ModelProfile],
    *,
    packets: Callable[[str], PacketLike] | None = None,
) -> list[Upload]:
    """Every local file the plan sends to a non-local provider, once per provider.

    ``packets`` is the run's packet source (the continuity ledger by default). A fallback
    model is given the routed model's inputs, so it is listed too, marked as a fallback.
    """
    packet_of = packets or _ledger(project)
    fields = _fields(project)
    found: dict[tuple[Path, str], list[UploadUse]] = {}
    for route in plan.shots:
        refs = list(packet_of(route.id).reference_images)
        for st in route.stages:
            routed = models.get(st.model)
            if routed is None:
                continue
            sent = reference_inputs(st.stage, routed, refs)
            chain = [(routed, False), *((models[m], True) for m in st.fallbacks if m in models)]
            for model, fallback in chain:
                if model.local:
                    continue
                use = UploadUse(shot_id=route.id, stage=st.stage, model=model.id, fallback=fallback)
                for path in reference_inputs(st.stage, model, sent):
                    uses = found.setdefault((path, model.provider), [])
                    if use not in uses:
                        uses.append(use)
    return [
        Upload(path=path, field=fields.get(path, ""), provider=provider, uses=uses)
        for (path, provider), uses in found.items()
    ]


def describe_uploads(uploads: list[Upload]) -> list[str]:
    """Lines for a person: a heading, then one line per file and provider (empty if none)."""
    if not uploads:
        return []
    return ["These local files will be sent:", *(f"  {u.describe()}" for u in uploads)]


def _fields(project: Project) -> dict[Path, str]:
    """Where the project names each file (shots in cut order, as the project holds them)."""
    out: dict[Path, str] = {}
    named = [
        *(
            (f"shots[{i}].references[{j}]", p)
            for i, s in enumerate(project.shots)
            for j, p in enumerate(s.references)
        ),
        *(
            (f"characters[{i}].references[{j}]", p)
            for i, c in enumerate(project.characters)
            for j, p in enumerate(c.references)
        ),
        *((f"style.references[{j}]", p) for j, p in enumerate(project.style.references)),
    ]
    for field, path in named:
        out.setdefault(path, field)
    return out


def _ledger(project: Project) -> Callable[[str], PacketLike]:
    from shotrelay.continuity.ledger import ContinuityLedger

    return ContinuityLedger(project).packet

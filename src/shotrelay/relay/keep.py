"""Finished paid work keeps its route, so a later run never pays for it again.

Routing depends on more than the shot: the providers available, the budget, a deadline and
its trades. A shot whose clip was already generated on a paid model would be generated again
if a later run routed it elsewhere (a new model means a new cache key). So a shot keeps the
route it finished on while it is unchanged: same spec, same format, style and cast, and no
`redo` of its generate stage. Edit the shot (or pin a model) or redo it to route it afresh.
Shots that finished on local models are routed afresh: redoing them costs nothing, and a key
set since then should reach them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.journal import Journal
from shotrelay.relay.output import write_json
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Stage

__all__ = ["keep_finished", "read_digests", "read_route", "shot_digests", "write_digests"]


def shot_digests(project: Project, journal: Journal) -> dict[str, str]:
    """Per shot, a hash of everything its generated clip depends on besides the route."""
    common = json.dumps(
        [
            project.format.model_dump(mode="json"),
            project.style.model_dump(mode="json"),
            [c.model_dump(mode="json") for c in project.characters],
        ],
        sort_keys=True,
    )
    revisions = journal.revisions()
    out: dict[str, str] = {}
    for shot in project.shots:
        redo = revisions.get((shot.id, Stage.GENERATE.value), 0)
        text = f"{common}|{shot.model_dump_json()}|{redo}"
        out[shot.id] = hashlib.sha256(text.encode()).hexdigest()
    return out


def write_digests(path: Path, digests: Mapping[str, str]) -> None:
    """Write the digests beside the executed route (atomically)."""
    write_json(path, dict(digests))


def read_digests(path: Path) -> dict[str, str]:
    """The digests of the last run, or none if missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def read_route(path: Path) -> RoutePlan | None:
    """The route plan the last run executed, or None if missing or unreadable."""
    try:
        return RoutePlan.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def keep_finished(
    plan: RoutePlan,
    previous: RoutePlan | None,
    before: Mapping[str, str],
    now: Mapping[str, str],
    journal: Journal,
    models: Mapping[str, ModelProfile],
) -> tuple[RoutePlan, set[str]]:
    """``plan`` with each unchanged shot that finished on a paid model on its old route (the
    set names those shots; the plan's notes say why)."""
    if previous is None:
        return plan, set()
    finished = {
        (r.shot_id, r.model)
        for r in journal.jobs(state="succeeded")
        if r.stage == Stage.GENERATE.value
    }
    old = {s.id: s for s in previous.shots}
    shots = []
    notes: list[str] = []
    kept: set[str] = set()
    for route in plan.shots:
        was = old.get(route.id)
        gen = was.stage(Stage.GENERATE) if was is not None else None
        model = models.get(gen.model) if gen is not None else None
        if (
            was is None
            or gen is None
            or model is None
            or model.local
            or before.get(route.id) != now.get(route.id)
            or (route.id, gen.model) not in finished
            or was == route
        ):
            shots.append(route)
            continue
        shots.append(was)
        kept.add(route.id)
        notes.append(
            f"shot {route.id} keeps the route it was generated on ({gen.model}); edit the "
            f"shot or `shotrelay redo` it to route it afresh"
        )
    if not kept:
        return plan, kept
    return plan.model_copy(update={"shots": shots, "notes": [*plan.notes, *notes]}), kept

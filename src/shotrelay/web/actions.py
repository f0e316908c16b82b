"""What a person does from the pages: run, approve, pick, rate, redo, run the studio.

Each handler reads a small JSON body, calls the same ``shotrelay.api`` function the CLI
calls (runs in a background thread, see runs.py) and answers ``{"message": ...}``; a
refusal by the library is a 409 carrying its message, bad input a 400 naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse

from shotrelay import api
from shotrelay.errors import ShotrelayError
from shotrelay.web.runs import Served, Studio

__all__ = ["Handler", "actions"]

Handler = Callable[[Request], Awaitable[JSONResponse]]


class BadInput(ValueError):
    """A request body field that is missing or wrong."""


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise BadInput("the request body is not JSON") from None
    if not isinstance(data, dict):
        raise BadInput("the request body must be a JSON object")
    return data


def _int(data: dict[str, Any], name: str, low: int, high: int, default: int | None) -> int | None:
    value = data.get(name, default)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadInput(f"field {name}: {value!r} is not a whole number") from None
    if not low <= number <= high:
        raise BadInput(f"field {name}: {number} is outside {low}-{high}")
    return number


def _flag(data: dict[str, Any], name: str) -> bool:
    return data.get(name) in {True, "on", "true", "1"}


def actions(studio: Studio) -> dict[str, Handler]:
    """The POST handlers by route name, bound to a studio."""

    def served(request: Request) -> Served:
        found = studio.get(request.path_params.get("slug", ""))
        if found is None:
            raise LookupError("no such project in this studio")
        return found

    def shot(request: Request, project: Served) -> str:
        shot_id = str(request.path_params["shot"])
        from shotrelay.spec.loader import load_project

        if shot_id not in {s.id for s in load_project(project.file, check_files=False).shots}:
            raise LookupError(f"no shot {shot_id} in {project.slug}")
        return shot_id

    def answering(work: Callable[[Request, dict[str, Any]], Awaitable[str]]) -> Handler:
        async def handler(request: Request) -> JSONResponse:
            try:
                message = await work(request, await _body(request))
            except LookupError as exc:
                return JSONResponse({"error": str(exc).strip("'\"")}, status_code=404)
            except BadInput as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
            except ShotrelayError as exc:
                return JSONResponse({"error": str(exc)}, status_code=409)
            return JSONResponse({"message": message})

        return handler

    async def run(request: Request, data: dict[str, Any]) -> str:
        project = served(request)
        takes = _int(data, "takes", 1, 8, None)
        studio.start_run(project.slug, takes=takes, auto_approve=_flag(data, "auto_approve"))
        return f"{project.slug}: run started; the board follows it"

    async def approve(request: Request, _data: dict[str, Any]) -> str:
        return await to_thread.run_sync(api.approve, served(request).file)

    async def pick(request: Request, data: dict[str, Any]) -> str:
        project = served(request)
        shot_id = shot(request, project)
        take = _int(data, "take", 1, 99, None)
        if take is None:
            raise BadInput("field take: say which take to pick (1, 2, ...)")
        return await to_thread.run_sync(api.pick, project.file, shot_id, take)

    async def rate(request: Request, data: dict[str, Any]) -> str:
        project = served(request)
        shot_id = shot(request, project)
        stars = _int(data, "stars", 1, 5, None)
        if stars is None:
            raise BadInput("field stars: give 1 to 5 stars")
        take = _int(data, "take", 1, 99, None)
        note = str(data.get("note", ""))[:500]

        def rating() -> str:
            done = api.rate(project.file, shot_id, stars, take, note=note)
            return f"{shot_id}: take {done.take} rated {done.stars} of 5"

        return await to_thread.run_sync(rating)

    async def redo(request: Request, data: dict[str, Any]) -> str:
        project = served(request)
        shot_id = shot(request, project)
        stage = str(data.get("stage") or "") or None
        studio.start_redo(project.slug, shot_id, stage)
        return f"{shot_id}: redo of {stage or 'every stage'} started"

    async def run_all(_request: Request, data: dict[str, Any]) -> str:
        studio.start_studio(auto_approve=_flag(data, "auto_approve"))
        return f"{len(studio.projects)} projects started on one studio queue"

    return {
        "run": answering(run),
        "approve": answering(approve),
        "pick": answering(pick),
        "rate": answering(rate),
        "redo": answering(redo),
        "studio_run": answering(run_all),
    }

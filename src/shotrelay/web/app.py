"""The studio as a Starlette app: pages, live events, media, downloads and actions.

``create_app`` wires the served projects to routes behind the security guard; ``serve``
runs it with uvicorn (what ``shotrelay serve`` calls).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from anyio import to_thread
from sse_starlette import EventSourceResponse
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from shotrelay import api
from shotrelay.errors import ShotrelayError
from shotrelay.web.actions import actions
from shotrelay.web.events import board_stream
from shotrelay.web.layout import Nav, page
from shotrelay.web.media import artifact_response
from shotrelay.web.pages import (
    board_live,
    board_page,
    cut_page,
    gate_page,
    home_page,
    shot_page,
)
from shotrelay.web.runs import Served, Studio
from shotrelay.web.security import Guard, is_loopback, studio_token
from shotrelay.web.views import BoardView, board_view, shot_view

__all__ = ["create_app", "serve"]

_STATIC = Path(__file__).with_name("static")
_DOWNLOADS: dict[str, tuple[str, str]] = {
    "report": ("text/html", "report.html"),
    "otio": ("application/json", "cut.otio"),
    "fcpxml": ("application/xml", "cut.xml"),
    "edl": ("text/plain", "cut.edl"),
}
_LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


def create_app(
    projects: Sequence[Path | str] | Studio,
    *,
    host: str = "127.0.0.1",
    token: str | None = None,
) -> Starlette:
    """The studio for ``projects``; a non-loopback ``host`` needs a ``token``.

    The app's ``state.token`` and ``state.studio`` hold the token in force and the projects.
    """
    studio = projects if isinstance(projects, Studio) else Studio(projects)
    token = studio_token(host, token)
    names = list(studio.projects)
    handlers = actions(studio)

    def project(request: Request) -> Served:
        served = studio.get(str(request.path_params["slug"]))
        if served is None:
            raise HTTPException(404, "no such project in this studio")
        return served

    def view_of(served: Served) -> BoardView:
        return board_view(served, studio.activity(served.slug))[0]

    def html(title: str, body: str, nav: Nav, stream: str = "") -> HTMLResponse:
        return HTMLResponse(page(title, body, nav=nav, token=token, stream=stream))

    async def home(request: Request) -> Response:
        if len(names) == 1:
            return RedirectResponse(f"/p/{names[0]}", status_code=303)
        views = [await to_thread.run_sync(view_of, studio.projects[n]) for n in names]
        return html("Projects", home_page(views), Nav(names))

    async def board(request: Request) -> Response:
        served = project(request)
        view = await to_thread.run_sync(view_of, served)
        nav = Nav(names, served.slug, "board")
        return html(view.name, board_page(view), nav, f"/p/{served.slug}/events")

    async def gate(request: Request) -> Response:
        served = project(request)
        view = await to_thread.run_sync(view_of, served)
        return html(f"{view.name} gate", gate_page(view), Nav(names, served.slug, "gate"))

    async def cut(request: Request) -> Response:
        served = project(request)
        view = await to_thread.run_sync(view_of, served)
        return html(f"{view.name} cut", cut_page(view), Nav(names, served.slug, "cut"))

    async def shot(request: Request) -> Response:
        served = project(request)
        shot_id = str(request.path_params["shot"])

        def gather() -> str:
            _view, data = board_view(served, studio.activity(served.slug))
            found = next((s for s in data.project.shots if s.id == shot_id), None)
            if found is None:
                raise HTTPException(404, f"no shot {shot_id} in {served.slug}")
            report = api.status(served.file, last=0)
            takes, stages = shot_view(data, found, report.scores.get(shot_id, []), report.picks)
            return shot_page(served.slug, found, takes, stages)

        body = await to_thread.run_sync(gather)
        return html(f"{shot_id} · {served.slug}", body, Nav(names, served.slug, "board"))

    async def events(request: Request) -> Response:
        served = project(request)
        stream = board_stream(request, served, studio, lambda s: board_live(view_of(s)))
        return EventSourceResponse(stream, ping=15)

    async def media(request: Request) -> Response:
        served = project(request)
        download = request.query_params.get("download") == "1"
        return artifact_response(served, str(request.path_params["artifact"]), download=download)

    async def download(request: Request) -> Response:
        served = project(request)
        what = str(request.path_params["what"])
        if what not in _DOWNLOADS:
            raise HTTPException(404, "downloads are report, otio, fcpxml and edl")
        media_type, name = _DOWNLOADS[what]
        try:
            data = await to_thread.run_sync(_make_download, served, what, name)
        except ShotrelayError as exc:
            return PlainTextResponse(str(exc), status_code=409)
        disposition = f'attachment; filename="{served.slug}-{name}"'
        return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})

    routes = [
        Route("/", home),
        Route("/p/{slug}", board),
        Route("/p/{slug}/gate", gate),
        Route("/p/{slug}/cut", cut),
        Route("/p/{slug}/shot/{shot}", shot),
        Route("/p/{slug}/events", events),
        Route("/p/{slug}/media/{artifact}", media),
        Route("/p/{slug}/download/{what}", download),
        Route("/p/{slug}/run", handlers["run"], methods=["POST"]),
        Route("/p/{slug}/approve", handlers["approve"], methods=["POST"]),
        Route("/p/{slug}/shot/{shot}/pick", handlers["pick"], methods=["POST"]),
        Route("/p/{slug}/shot/{shot}/rate", handlers["rate"], methods=["POST"]),
        Route("/p/{slug}/shot/{shot}/redo", handlers["redo"], methods=["POST"]),
        Route("/studio/run", handlers["studio_run"], methods=["POST"]),
        Mount("/static", StaticFiles(directory=_STATIC), name="static"),
    ]
    loopback = is_loopback(host)
    middleware = [Middleware(Guard, token=token, reads_need_token=not loopback)]
    if loopback:  # a page of another site resolving its own name to 127.0.0.1 is refused
        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=_LOOPBACK_NAMES))
    app = Starlette(routes=routes, middleware=middleware)
    app.state.token = token
    app.state.studio = studio
    return app


def _make_download(served: Served, what: str, name: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="shotrelay-download-") as tmp:
        if what == "report":
            path = api.report(served.file, out=Path(tmp) / name)
        else:
            fmt: Literal["otio", "fcpxml", "edl"] = (
                "otio" if what == "otio" else "fcpxml" if what == "fcpxml" else "edl"
            )
            path = api.export(served.file, [fmt], out_dir=Path(tmp))[fmt]
        return path.read_bytes()


def serve(
    projects: Sequence[Path | str],
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
) -> None:
    """Serve the studio with uvicorn until interrupted."""
    import uvicorn

    app = create_app(projects, host=host, token=token)
    uvicorn.run(app, host=host, port=port, log_level="warning")

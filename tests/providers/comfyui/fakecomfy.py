"""A loopback ComfyUI that plays the server's protocol as its ``server.py`` and
``execution.py`` write it: ``/prompt`` validation (400 with ``error`` and ``node_errors``),
a client-chosen ``prompt_id``, the in-memory queue and history, ``/view``, ``/upload/image``,
``/queue`` deletes, ``/interrupt``, ``/system_stats``, ``/object_info`` and the ``/ws``
progress socket. It runs no model: a job advances one step per ``/history`` or ``/queue``
read (deterministic, no clock), and its save node writes a real tiny clip made with PyAV.

The ledger (``prompts``, ``requests``) is what tests count. ``restart()`` forgets the queue
and history as a restarted ComfyUI does; ``hold`` keeps a running job running; ``hold_answer``
queues a prompt but keeps its HTTP answer back (a client killed mid-submission).
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from .fakejobs import Failure, Job, history_entry, wait_for
from .fakemedia import clip_values, mp4, png
from .fakenodes import NODES, node_info, validate


@dataclass
class FakeComfy:
    """The server's state; ``start()`` serves it on 127.0.0.1."""

    run_steps: int = 2
    video_key: str = "images"  # SaveVideo's ui key; "gifs" (VHS) or "videos" to vary it
    devices: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {
                "name": "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync",
                "type": "cuda",
                "index": 0,
                "vram_total": 25_757_220_864,
                "vram_free": 24_000_000_000,
                "torch_vram_total": 0,
                "torch_vram_free": 0,
            }
        ]
    )
    models: dict[str, list[str]] = field(
        default_factory=lambda: {"ckpt_name": ["sd_xl_base_1.0.safetensors"]}
    )
    prompts: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    files: dict[tuple[str, str, str], bytes] = field(default_factory=dict)
    pending: list[Job] = field(default_factory=list)
    running: Job | None = None
    history: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)
    number: int = 0
    queued: int = 0  # prompts accepted into the queue
    crash_mid_job: int = 0  # restarts to play, each on the next running job's first step
    counter: int = 0

    def __post_init__(self) -> None:
        self.hold = threading.Event()
        self.hold_answer = threading.Event()
        self.lock = threading.Lock()
        self.sockets: dict[str, WebSocket] = {}
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # ----- test controls ---------------------------------------------------------------------

    def start(self) -> FakeComfy:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            self.app(), log_level="error", lifespan="off", ws="websockets-sansio"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]})
        self._thread.daemon = True
        self._thread.start()
        while not self._server.started:
            threading.Event().wait(0.01)
        return self

    def stop(self) -> None:
        self.hold.clear()
        self.hold_answer.clear()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def restart(self) -> None:
        """What a restarted ComfyUI keeps: the files on disk, not the queue or the history."""
        with self.lock:
            self.pending.clear()
            self.running = None
            self.history.clear()
            self.number = 0

    def calls(self, method: str, path: str) -> int:
        return sum(1 for m, p in self.requests if m == method and p == path)

    # ----- the protocol ----------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/prompt", self.post_prompt, methods=["POST"]),
                Route("/queue", self.get_queue, methods=["GET"]),
                Route("/queue", self.post_queue, methods=["POST"]),
                Route("/history/{prompt_id}", self.get_history, methods=["GET"]),
                Route("/interrupt", self.post_interrupt, methods=["POST"]),
                Route("/upload/image", self.upload_image, methods=["POST"]),
                Route("/view", self.view, methods=["GET"]),
                Route("/system_stats", self.system_stats, methods=["GET"]),
                Route("/object_info", self.object_info, methods=["GET"]),
                Route("/object_info/{node_class}", self.object_info_node, methods=["GET"]),
                WebSocketRoute("/ws", self.websocket),
            ]
        )

    def _log(self, request: Request) -> None:
        with self.lock:
            self.requests.append((request.method, request.url.path))

    async def post_prompt(self, request: Request) -> Response:
        # Logged once the body is read: a client gone before that sent no prompt.
        data = await request.json()
        self._log(request)
        with self.lock:
            self.prompts.append(data)
        if "prompt" not in data:
            error = {
                "type": "no_prompt",
                "message": "No prompt provided",
                "details": "No prompt provided",
                "extra_info": {},
            }
            return JSONResponse({"error": error, "node_errors": {}}, status_code=400)
        prompt = data["prompt"]
        pid = str(data.get("prompt_id") or f"{self.counter:08d}-fake")
        invalid = validate(prompt, self.uploads)
        if invalid is not None:
            return JSONResponse(invalid, status_code=400)
        extra = dict(data.get("extra_data") or {})
        if "client_id" in data:
            extra["client_id"] = data["client_id"]
        with self.lock:
            number = self.number
            self.number += 1
            outputs = [i for i, n in prompt.items() if NODES[n["class_type"]][2]]
            self.pending.append(Job(number, pid, prompt, extra, outputs))
            self.queued += 1
        while self.hold_answer.is_set():  # queued; the answer never reaches the killed client
            await asyncio.sleep(0.01)
        return JSONResponse({"prompt_id": pid, "number": number, "node_errors": {}})

    async def get_queue(self, request: Request) -> Response:
        self._log(request)
        await self._tick()
        with self.lock:
            running = [self.running.item()] if self.running else []
            pending = [j.item() for j in self.pending]
        return JSONResponse({"queue_running": running, "queue_pending": pending})

    async def post_queue(self, request: Request) -> Response:
        self._log(request)
        data = await request.json()
        with self.lock:
            if data.get("clear"):
                self.pending.clear()
            for pid in data.get("delete") or []:
                self.pending = [j for j in self.pending if j.prompt_id != pid]
        return Response(status_code=200)

    async def post_interrupt(self, request: Request) -> Response:
        self._log(request)
        body = await request.body()
        data = await request.json() if body else {}
        with self.lock:
            job = self.running
            if job is not None and data.get("prompt_id") in (None, job.prompt_id):
                self.interrupted.append(job.prompt_id)
                self.running = None
                self.history[job.prompt_id] = history_entry(
                    job,
                    "error",
                    False,
                    [
                        ["execution_start", {"prompt_id": job.prompt_id, "timestamp": 1000}],
                        [
                            "execution_interrupted",
                            {
                                "prompt_id": job.prompt_id,
                                "node_id": "1",
                                "node_type": "KSampler",
                                "executed": [],
                            },
                        ],
                    ],
                    {},
                )
        return Response(status_code=200)

    async def get_history(self, request: Request) -> Response:
        self._log(request)
        await self._tick()
        pid = request.path_params["prompt_id"]
        with self.lock:
            found = self.history.get(pid)
        return JSONResponse({pid: found} if found else {})

    async def upload_image(self, request: Request) -> Response:
        self._log(request)
        form = await request.form()
        image = form.get("image")
        if image is None or isinstance(image, str) or not image.filename:
            return Response(status_code=400)
        subfolder = str(form.get("subfolder") or "")
        name = f"{subfolder}/{image.filename}" if subfolder else image.filename
        self.uploads[name] = await image.read()
        return JSONResponse({"name": image.filename, "subfolder": subfolder, "type": "input"})

    async def view(self, request: Request) -> Response:
        self._log(request)
        q = request.query_params
        key = (q.get("type", "output"), q.get("subfolder", ""), q.get("filename", ""))
        if ".." in key[2] or key[2].startswith("/"):
            return Response(status_code=400)
        data = self.files.get(key)
        if data is None:
            return Response(status_code=404)
        ctype = mimetypes.guess_type(key[2])[0] or "application/octet-stream"
        return Response(
            data, media_type=ctype, headers={"Content-Disposition": f'filename="{key[2]}"'}
        )

    async def system_stats(self, request: Request) -> Response:
        self._log(request)
        system = {
            "os": "posix",
            "ram_total": 64 * 1024**3,
            "ram_free": 48 * 1024**3,
            "comfyui_version": "0.3.66",
            "python_version": "3.11",
            "pytorch_version": "2.8.0",
            "embedded_python": False,
            "argv": ["main.py"],
        }
        return JSONResponse({"system": system, "devices": self.devices})

    async def object_info(self, request: Request) -> Response:
        self._log(request)
        return JSONResponse({name: node_info(name, self.models) for name in NODES})

    async def object_info_node(self, request: Request) -> Response:
        self._log(request)
        name = request.path_params["node_class"]
        return JSONResponse({name: node_info(name, self.models)} if name in NODES else {})

    async def websocket(self, ws: WebSocket) -> None:
        await ws.accept()
        sid = ws.query_params.get("clientId") or f"sid{len(self.sockets)}"
        self.sockets[sid] = ws
        try:
            await ws.send_json(
                {
                    "type": "status",
                    "data": {
                        "status": {"exec_info": {"queue_remaining": len(self.pending)}},
                        "sid": sid,
                    },
                }
            )
            while True:
                await ws.receive_text()
        except WebSocketDisconnect:
            pass
        finally:
            self.sockets.pop(sid, None)

    # ----- execution -------------------------------------------------------------------------

    async def _tick(self) -> None:
        """One step of the executor: start the next job, or advance (and maybe end) the running."""
        with self.lock:
            job = self.running
            if job is None and self.pending:
                self.pending.sort(key=lambda j: j.number)
                job = self.running = self.pending.pop(0)
                events: list[tuple[str, dict[str, Any]]] = [
                    ("execution_start", {"prompt_id": job.prompt_id, "timestamp": 1000})
                ]
            elif job is not None and self.crash_mid_job > 0:
                self.crash_mid_job -= 1  # the server dies during the job and comes back empty
                self.pending.clear()
                self.running, job = None, None
                self.history.clear()
                events = []
            elif job is not None and not self.hold.is_set():
                job.steps += 1
                events = [
                    (
                        "progress",
                        {
                            "value": job.steps,
                            "max": self.run_steps,
                            "prompt_id": job.prompt_id,
                            "node": "sampler",
                        },
                    )
                ]
                if job.steps >= self.run_steps:
                    self.running = None
                    events += self._finish(job)
            else:
                events = []
        client = job.extra_data.get("client_id") if job is not None else None
        ws = self.sockets.get(str(client)) if client else None
        for kind, data in events:
            if ws is not None:
                with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                    await ws.send_json({"type": kind, "data": data})

    def _finish(self, job: Job) -> list[tuple[str, dict[str, Any]]]:
        start = ["execution_start", {"prompt_id": job.prompt_id, "timestamp": 1000}]
        if self.failures:
            failure = self.failures.pop(0)
            node_id = next(
                (i for i, n in job.prompt.items() if n["class_type"] == failure.node_type), "?"
            )
            error = {
                "prompt_id": job.prompt_id,
                "node_id": node_id,
                "node_type": failure.node_type,
                "executed": [],
                "exception_message": failure.message,
                "exception_type": failure.exception_type,
                "traceback": [],
                "current_inputs": {},
                "current_outputs": {},
            }
            self.history[job.prompt_id] = history_entry(
                job, "error", False, [start, ["execution_error", error]], {}
            )
            return [("execution_error", error)]
        outputs = {node_id: self._save(job, node_id) for node_id in job.outputs}
        done = ["execution_success", {"prompt_id": job.prompt_id, "timestamp": 43_500}]
        self.history[job.prompt_id] = history_entry(job, "success", True, [start, done], outputs)
        return [
            ("executed", {"node": n, "output": o, "prompt_id": job.prompt_id})
            for n, o in outputs.items()
        ] + [("execution_success", done[1])]

    def _save(self, job: Job, node_id: str) -> dict[str, Any]:
        """A save node's ui output, and the file it wrote (a real clip or picture)."""
        node = job.prompt[node_id]
        self.counter += 1
        values = clip_values(job.prompt)
        prefix = str(node["inputs"].get("filename_prefix", "ComfyUI"))
        sub, _, stem = prefix.rpartition("/")
        if node["class_type"] == "SaveImage":
            name = f"{stem}_{self.counter:05d}_.png"
            self.files[("output", sub, name)] = png(values["width"], values["height"], self.counter)
            return {"images": [{"filename": name, "subfolder": sub, "type": "output"}]}
        name = f"{stem}_{self.counter:05d}_.mp4"
        self.files[("output", sub, name)] = mp4(values, self.counter)
        item = {"filename": name, "subfolder": sub, "type": "output"}
        if node["class_type"] == "VHS_VideoCombine" or self.video_key == "gifs":
            item |= {"format": "video/h264-mp4", "frame_rate": values["fps"]}
            return {"gifs": [item]}
        if self.video_key == "videos":
            return {"videos": [item]}
        return {"images": [item], "animated": [True]}


__all__ = ["NODES", "Failure", "FakeComfy", "wait_for"]

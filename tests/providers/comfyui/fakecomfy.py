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
import io
import mimetypes
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

import av
import numpy as np
import uvicorn
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

#: Node classes this server has: (required inputs, optional inputs, output node?). Names and
#: inputs as ComfyUI's nodes.py and comfy_extras define them (VHS is the popular custom node).
NODES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "CheckpointLoaderSimple": (("ckpt_name",), (), False),
    "UNETLoader": (("unet_name", "weight_dtype"), (), False),
    "CLIPLoader": (("clip_name", "type"), ("device",), False),
    "VAELoader": (("vae_name",), (), False),
    "CLIPTextEncode": (("text", "clip"), (), False),
    "LoadImage": (("image",), (), False),
    "EmptyLatentImage": (("width", "height", "batch_size"), (), False),
    "KSampler": (
        (
            "model",
            "seed",
            "steps",
            "cfg",
            "sampler_name",
            "scheduler",
            "positive",
            "negative",
            "latent_image",
            "denoise",
        ),
        (),
        False,
    ),
    "KSamplerAdvanced": (
        (
            "model",
            "add_noise",
            "noise_seed",
            "steps",
            "cfg",
            "sampler_name",
            "scheduler",
            "positive",
            "negative",
            "latent_image",
            "start_at_step",
            "end_at_step",
            "return_with_leftover_noise",
        ),
        (),
        False,
    ),
    "ModelSamplingSD3": (("model", "shift"), (), False),
    "WanImageToVideo": (
        ("positive", "negative", "vae", "width", "height", "length", "batch_size"),
        ("clip_vision_output", "start_image"),
        False,
    ),
    "LTXVConditioning": (("positive", "negative", "frame_rate"), (), False),
    "EmptyLTXVLatentVideo": (("width", "height", "length", "batch_size"), (), False),
    "LTXVScheduler": (
        ("steps", "max_shift", "base_shift", "stretch", "terminal"),
        ("latent",),
        False,
    ),
    "KSamplerSelect": (("sampler_name",), (), False),
    "SamplerCustom": (
        (
            "model",
            "add_noise",
            "noise_seed",
            "cfg",
            "positive",
            "negative",
            "sampler",
            "sigmas",
            "latent_image",
        ),
        (),
        False,
    ),
    "VAEDecode": (("samples", "vae"), (), False),
    "CreateVideo": (("images", "fps"), ("audio",), False),
    "SaveVideo": (("video", "filename_prefix", "format", "codec"), (), True),
    "SaveImage": (("images", "filename_prefix"), (), True),
    "VHS_VideoCombine": (
        (
            "images",
            "frame_rate",
            "loop_count",
            "filename_prefix",
            "format",
            "pingpong",
            "save_output",
        ),
        ("audio",),
        True,
    ),
}


@dataclass
class Job:
    """A queued prompt: ComfyUI's queue tuple (number, prompt_id, prompt, extra_data, outputs)."""

    number: int
    prompt_id: str
    prompt: dict[str, Any]
    extra_data: dict[str, Any]
    outputs: list[str]
    steps: int = 0

    def item(self) -> list[Any]:
        return [self.number, self.prompt_id, self.prompt, self.extra_data, self.outputs]


@dataclass
class Failure:
    """A scripted failure inside a node (``execution_error``)."""

    node_type: str
    message: str
    exception_type: str = "torch.OutOfMemoryError"


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
        self._log(request)
        data = await request.json()
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
        invalid = self.validate(prompt)
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
        while self.hold_answer.is_set():  # queued; the answer never reaches the killed client
            await asyncio.sleep(0.01)
        return JSONResponse({"prompt_id": pid, "number": number, "node_errors": {}})

    def validate(self, prompt: dict[str, Any]) -> dict[str, Any] | None:
        """``execution.validate_prompt``: unknown classes, no outputs, missing or bad inputs."""
        for node_id, node in prompt.items():
            cls = node.get("class_type")
            if cls not in NODES:
                error = {
                    "type": "invalid_prompt",
                    "message": f"Cannot execute because node {cls} does not exist.",
                    "details": f"Node ID '#{node_id}'",
                    "extra_info": {},
                }
                return {"error": error, "node_errors": {}}
        outputs = [i for i, n in prompt.items() if NODES[n["class_type"]][2]]
        if not outputs:
            error = {
                "type": "prompt_no_outputs",
                "message": "Prompt has no outputs",
                "details": "",
                "extra_info": {},
            }
            return {"error": error, "node_errors": []}
        node_errors: dict[str, Any] = {}
        for output in outputs:
            for node_id in self._ancestors(prompt, output):
                errors = self._node_errors(prompt, node_id)
                if errors:
                    entry = node_errors.setdefault(
                        node_id,
                        {
                            "errors": errors,
                            "dependent_outputs": [],
                            "class_type": prompt[node_id]["class_type"],
                        },
                    )
                    entry["dependent_outputs"].append(output)
        if node_errors:
            details = "\n".join(
                f"{e['type']}: {e['details']}" for v in node_errors.values() for e in v["errors"]
            )
            error = {
                "type": "prompt_outputs_failed_validation",
                "message": "Prompt outputs failed validation",
                "details": details,
                "extra_info": {},
            }
            return {"error": error, "node_errors": node_errors}
        return None

    def _ancestors(self, prompt: dict[str, Any], start: str) -> list[str]:
        seen: list[str] = []
        stack = [start]
        while stack:
            node_id = stack.pop()
            if node_id in seen or node_id not in prompt:
                continue
            seen.append(node_id)
            for value in prompt[node_id]["inputs"].values():
                if isinstance(value, list) and len(value) == 2:
                    stack.append(str(value[0]))
        return seen

    def _node_errors(self, prompt: dict[str, Any], node_id: str) -> list[dict[str, Any]]:
        node = prompt[node_id]
        required, _optional, _out = NODES[node["class_type"]]
        errors = []
        for name in required:
            value = node["inputs"].get(name)
            if value is None:
                errors.append(
                    {
                        "type": "required_input_missing",
                        "message": "Required input is missing",
                        "details": name,
                        "extra_info": {"input_name": name},
                    }
                )
            elif isinstance(value, list) and str(value[0]) not in prompt:
                errors.append(
                    {
                        "type": "bad_linked_input",
                        "message": "Bad linked input, must be a length-2 list of [string, int]",
                        "details": f"{name}, {value}",
                        "extra_info": {"input_name": name},
                    }
                )
        if node["class_type"] == "LoadImage" and node["inputs"].get("image") not in self.uploads:
            image = node["inputs"].get("image")
            errors.append(
                {
                    "type": "custom_validation_failed",
                    "message": "Custom validation failed for node",
                    "details": f"image - Invalid image file: {image}",
                    "extra_info": {"input_name": "image"},
                }
            )
        return errors

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
                self.history[job.prompt_id] = self._entry(
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

    def _info(self, name: str) -> dict[str, Any]:
        """``server.node_info``: inputs as ``[type or choices, options]``; files as choices."""
        required, optional, out = NODES[name]

        def spec(i: str) -> list[Any]:
            return [self.models[i], {}] if i in self.models else ["*", {}]

        return {
            "input": {
                "required": {i: spec(i) for i in required},
                "optional": {i: spec(i) for i in optional},
            },
            "input_order": {"required": list(required), "optional": list(optional)},
            "output_node": out,
            "name": name,
            "display_name": name,
        }

    async def object_info(self, request: Request) -> Response:
        self._log(request)
        return JSONResponse({name: self._info(name) for name in NODES})

    async def object_info_node(self, request: Request) -> Response:
        self._log(request)
        name = request.path_params["node_class"]
        return JSONResponse({name: self._info(name)} if name in NODES else {})

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
            self.history[job.prompt_id] = self._entry(
                job, "error", False, [start, ["execution_error", error]], {}
            )
            return [("execution_error", error)]
        outputs = {node_id: self._save(job, node_id) for node_id in job.outputs}
        done = ["execution_success", {"prompt_id": job.prompt_id, "timestamp": 43_500}]
        self.history[job.prompt_id] = self._entry(job, "success", True, [start, done], outputs)
        return [
            ("executed", {"node": n, "output": o, "prompt_id": job.prompt_id})
            for n, o in outputs.items()
        ] + [("execution_success", done[1])]

    def _entry(
        self, job: Job, status: str, completed: bool, messages: list[Any], outputs: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "prompt": job.item(),
            "outputs": outputs,
            "status": {"status_str": status, "completed": completed, "messages": messages},
            "meta": {n: {"node_id": n} for n in outputs},
        }

    def _save(self, job: Job, node_id: str) -> dict[str, Any]:
        """A save node's ui output, and the file it wrote (a real clip or picture)."""
        node = job.prompt[node_id]
        self.counter += 1
        values = _sizes(job.prompt)
        prefix = str(node["inputs"].get("filename_prefix", "ComfyUI"))
        sub, _, stem = prefix.rpartition("/")
        if node["class_type"] == "SaveImage":
            name = f"{stem}_{self.counter:05d}_.png"
            self.files[("output", sub, name)] = _png(
                values["width"], values["height"], self.counter
            )
            return {"images": [{"filename": name, "subfolder": sub, "type": "output"}]}
        name = f"{stem}_{self.counter:05d}_.mp4"
        self.files[("output", sub, name)] = _mp4(values, self.counter)
        item = {"filename": name, "subfolder": sub, "type": "output"}
        if node["class_type"] == "VHS_VideoCombine" or self.video_key == "gifs":
            item |= {"format": "video/h264-mp4", "frame_rate": values["fps"]}
            return {"gifs": [item]}
        if self.video_key == "videos":
            return {"videos": [item]}
        return {"images": [item], "animated": [True]}


def _sizes(prompt: dict[str, Any]) -> dict[str, int]:
    """Width, height, frames and fps as the workflow asks for them."""
    out = {"width": 512, "height": 288, "length": 17, "fps": 16}
    for node in prompt.values():
        inputs = node["inputs"]
        for key in ("width", "height", "length"):
            if isinstance(inputs.get(key), int | float) and not isinstance(inputs.get(key), bool):
                out[key] = int(inputs[key])
        if node["class_type"] == "CreateVideo" and isinstance(inputs.get("fps"), int | float):
            out["fps"] = round(inputs["fps"])
    return out


def _png(width: int, height: int, seed: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (40 + seed * 30 % 200, 90, 160)).save(buf, "PNG")
    return buf.getvalue()


def _mp4(values: dict[str, int], seed: int) -> bytes:
    """A real H.264 clip of the asked frame count and rate, at a quarter of the asked size."""
    width = max(32, values["width"] // 4 // 2 * 2)
    height = max(18, values["height"] // 4 // 2 * 2)
    buf = io.BytesIO()
    with av.open(buf, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=values["fps"])
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(values["length"]):
            frame = np.zeros((height, width, 3), np.uint8)
            frame[:, :, 0] = (seed * 40 + i * 3) % 256
            frame[:, :, 1] = 120
            frame[:, :, 2] = (200 - i * 2) % 256
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buf.getvalue()


def wait_for(check: Any, what: str, tries: int = 1000) -> None:
    """Wait (on an event, not a clock measurement) until ``check()`` holds."""
    pause = threading.Event()
    for _ in range(tries):
        if check():
            return
        pause.wait(0.01)
    raise AssertionError(f"timed out waiting for {what}")


__all__ = ["NODES", "Failure", "FakeComfy", "wait_for"]

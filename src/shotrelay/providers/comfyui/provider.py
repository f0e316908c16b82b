"""The ``comfyui`` provider: open models on your own GPU, through ComfyUI's own HTTP API.

A job is a workflow from ``workflows.py`` with the job's values written into its bound
inputs, sent as ``POST /prompt`` with a ``prompt_id`` derived from the job's cache key (so a
crashed run asks ``/history`` and ``/queue`` for it instead of sending it twice), polled
through ``/history/{id}`` and ``/queue``, downloaded through ``/view``. ComfyUI keeps its
queue and history in memory: a job a restarted server forgot is reported as failed, and
since a local GPU bills nothing the engine may send it again (``bills_failed: false``).
"""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx

from shotrelay.errors import EngineError, InvalidInput, ProviderError, TransientError
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus, ProviderResult
from shotrelay.providers.comfyui.fill import fill
from shotrelay.providers.comfyui.progress import ProgressFeed
from shotrelay.providers.comfyui.protocol import (
    IMAGE_EXTENSIONS,
    MAX_ATTEMPTS,
    VIDEO_EXTENSIONS,
    HistoryEntry,
    prompt_id,
    queued,
    read_history,
    rejection,
)
from shotrelay.providers.comfyui.server import probe
from shotrelay.providers.comfyui.workflows import (
    IMAGE_FIELDS,
    Workflow,
    WorkflowError,
    find_workflow,
)
from shotrelay.providers.credentials import Credentials, Secret
from shotrelay.providers.http import HttpCall, HttpProvider
from shotrelay.spec.vocabulary import Task

__all__ = ["URL_ENV", "ComfyUIProvider"]

URL_ENV = "SHOTRELAY_COMFYUI_URL"
#: Local generation takes minutes to hours; a single HTTP answer should still be quick.
LOCAL_TIMEOUT = httpx.Timeout(connect=5.0, read=120.0, write=300.0, pool=30.0)
_PROBE_TTL_S = 60.0


class ComfyUIProvider(HttpProvider):
    """One ComfyUI server (``SHOTRELAY_COMFYUI_URL``), one job at a time by default."""

    name: ClassVar[str] = "comfyui"
    key_env: ClassVar[str] = URL_ENV  # not a key: the one setting it cannot work without
    default_base_url: ClassVar[str] = ""
    default_concurrency: ClassVar[int | None] = 1

    def __init__(
        self,
        *,
        base_url: str | None = None,
        credentials: Credentials | None = None,
        workflow_dirs: Sequence[Path] | None = None,
        timeout: httpx.Timeout | float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            base_url=base_url,
            credentials=credentials,
            timeout=timeout or LOCAL_TIMEOUT,
            transport=transport,
        )
        self.client_id = uuid.uuid4().hex
        self._dirs = workflow_dirs
        self._clock = clock
        self._probed: tuple[float, tuple[bool, str]] | None = None
        self._feed: ProgressFeed | None = None

    # ----- configuration -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The server, from the argument or ``SHOTRELAY_COMFYUI_URL`` ("" when unset)."""
        url = self._base_url or self._credentials.setting(URL_ENV) or ""
        return url.strip().rstrip("/")

    def _number(self, suffix: str, default: float | None) -> float | None:
        env = f"SHOTRELAY_COMFYUI_{suffix}"
        raw = self._credentials.setting(env)
        if raw is None or not raw.strip():
            return default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if value <= 0:
            raise EngineError(f"{env}={raw!r} is not a positive number; fix it or unset it")
        return value

    @property
    def poll_interval_s(self) -> float:
        """Seconds between polls (``SHOTRELAY_COMFYUI_POLL_S``, default 2)."""
        return self._number("POLL_S", 2.0) or 2.0

    @property
    def max_wait_s(self) -> float:
        """How long a job may take before it is cancelled (``SHOTRELAY_COMFYUI_MAX_WAIT_S``,
        default 6 hours: local video models take minutes to hours)."""
        return self._number("MAX_WAIT_S", 6 * 3600.0) or 6 * 3600.0

    @property
    def usd_per_gpu_s(self) -> float | None:
        """A price for your GPU time (``SHOTRELAY_COMFYUI_USD_PER_GPU_S``); unset: free."""
        return self._number("USD_PER_GPU_S", None)

    def _key(self) -> Secret | None:
        return None  # ComfyUI has no key

    def _headers(self, extra: dict[str, str], *, model: str) -> dict[str, str]:
        if not self.base_url:
            raise self._error(InvalidInput, f"no server: set {URL_ENV}", model)
        return dict(extra)

    def available(self) -> tuple[bool, str]:
        """Usable once ``SHOTRELAY_COMFYUI_URL`` is set and the server answers ``/system_stats``
        (the answer is kept a minute)."""
        if not self.base_url:
            return False, f"set {URL_ENV} to your ComfyUI server, e.g. http://127.0.0.1:8188"
        now = self._clock()
        if self._probed is None or now - self._probed[0] > _PROBE_TTL_S:
            found = probe(self.base_url)
            self._probed = (now, (found.ok, found.summary()))
        return self._probed[1]

    def workflow(self, request: JobRequest) -> Workflow:
        """The request's workflow (the catalog row's ``api_model`` or endpoint for its task)."""
        try:
            return find_workflow(request.model.endpoint(request.task), self._dirs)
        except WorkflowError as exc:
            raise self._error(InvalidInput, str(exc), request.model.id) from None

    # ----- the Provider protocol ------------------------------------------------------------

    async def submit(self, request: JobRequest) -> Handle:
        """Upload the frames, fill the workflow and queue it under the job's next free id."""
        model = request.model.id
        workflow = self.workflow(request)
        images = {
            role: await self._upload(request.inputs[role], model)
            for role in IMAGE_FIELDS
            if role in request.inputs and workflow.binds(role)
        }
        graph = fill(request, workflow, images)
        pid = await self._free_id(request.job_id, model)
        self._listen()
        at = self._clock()
        body = {
            "prompt": graph,
            "client_id": self.client_id,
            "prompt_id": pid,
            "extra_data": {"shotrelay": {"job": request.job_id, "at": at}},
        }
        try:
            answer = await self.send(HttpCall(url="/prompt", body=body), model=model, paid=True)
        except InvalidInput as exc:
            raise self._error(InvalidInput, f"{workflow.name}: {exc}", model) from None
        got = answer.get("prompt_id") if isinstance(answer, dict) else None
        if not isinstance(got, str) or not got:
            raise self._error(TransientError, "POST /prompt answered without a prompt_id", model)
        return self._handle(got, model, workflow, at)

    async def poll(self, handle: Handle) -> JobStatus:
        """History first (done or failed), then the queue, then history again: a job in
        neither was lost by a server restart."""
        pid, model = handle.remote_id, self._model_of(handle)
        entry = await self._history(pid, model)
        if entry is not None:
            return _finished(entry)
        item = queued(await self.send(HttpCall(method="GET", url="/queue"), model=model), pid)
        if item is not None:
            waited = self._clock() - float(handle.data.get("submitted_at") or self._clock())
            if waited > self.max_wait_s:
                await self.cancel(handle)
                return JobStatus(
                    state=JobState.FAILED,
                    message=f"cancelled after {waited / 60:.0f} min, over "
                    "SHOTRELAY_COMFYUI_MAX_WAIT_S; raise it for longer jobs",
                )
            if not item.running:
                return JobStatus(state=JobState.QUEUED, message=f"{item.ahead} ahead in queue")
            self._listen()
            feed = self._feed.get(pid) if self._feed is not None else None
            return JobStatus(state=JobState.RUNNING, progress=feed)
        entry = await self._history(pid, model)  # it may have ended between the two reads
        if entry is not None:
            return _finished(entry)
        return JobStatus(
            state=JobState.FAILED,
            message=f"the ComfyUI server at {self.base_url} no longer knows prompt {pid} "
            "(neither queued nor in its history: it restarted and forgot it); nothing was "
            "billed, so the job may be sent again",
        )

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        """Download the output file of the workflow's output node through ``/view``."""
        model = request.model.id
        entry = await self._history(handle.remote_id, model)
        if entry is None or not entry.succeeded:
            raise self._error(
                TransientError, f"prompt {handle.remote_id} has no finished output", model
            )
        wanted = IMAGE_EXTENSIONS if request.task is Task.TEXT_TO_IMAGE else VIDEO_EXTENSIONS
        files = entry.files(handle.data.get("output_node"))
        chosen = next((f for ext in wanted for f in files if f.suffix() == ext), None)
        if chosen is None:
            names = ", ".join(f"{f.key}/{f.filename}" for f in files) or "no files"
            raise self._error(
                InvalidInput,
                f"workflow {handle.data.get('workflow')} wrote {names}; none is a "
                f"{'picture' if wanted is IMAGE_EXTENSIONS else 'video'} (check its save node)",
                model,
            )
        query = urlencode(
            {"filename": chosen.filename, "subfolder": chosen.subfolder, "type": chosen.type}
        )
        dest.mkdir(parents=True, exist_ok=True)
        path, media_type = await self.download(
            f"{self.base_url}/view?{query}",
            dest,
            stem=request.job_id,
            hint=mimetypes.guess_type(chosen.filename)[0],
            model=model,
        )
        gpu_s = entry.gpu_seconds()
        rate = self.usd_per_gpu_s
        return ProviderResult(
            path=path,
            media_type=media_type,
            cost_usd=round(rate * gpu_s, 6) if rate is not None and gpu_s is not None else None,
            metadata={
                "prompt_id": handle.remote_id,
                "workflow": handle.data.get("workflow"),
                "file": f"{chosen.subfolder}/{chosen.filename}".lstrip("/"),
                "gpu_seconds": gpu_s,
            },
        )

    async def cancel(self, handle: Handle) -> None:
        """Drop the prompt from the queue, or interrupt it if it is the one running."""
        pid, model = handle.remote_id, self._model_of(handle)
        item = queued(await self.send(HttpCall(method="GET", url="/queue"), model=model), pid)
        if item is None:
            return
        if item.running:
            call = HttpCall(url="/interrupt", body={"prompt_id": pid}, expect="none")
        else:
            call = HttpCall(url="/queue", body={"delete": [pid]}, expect="none")
        await self.send(call, model=model)

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """The job's latest id on the server (queued, running or in history) sent at or after
        ``since``; None when the server has none (it never arrived, or a restart forgot it)."""
        model = request.model.id
        queue = await self.send(HttpCall(method="GET", url="/queue"), model=model)
        found: str | None = None
        for attempt in range(MAX_ATTEMPTS):
            pid = prompt_id(request.job_id, attempt)
            item = queued(queue, pid)
            entry = None if item is not None else await self._history(pid, model)
            if item is None and entry is None:
                break
            extra = item.extra_data if item is not None else entry.extra_data if entry else {}
            mark = extra.get("shotrelay")
            at = mark.get("at") if isinstance(mark, dict) else None
            if since is None or not isinstance(at, int | float) or at >= since - 1.0:
                found = pid
        if found is None:
            return None
        workflow = self.workflow(request)
        at = since if since is not None else self._clock()
        return self._handle(found, model, workflow, at, adopted=True)

    def _handle(
        self, pid: str, model: str, workflow: Workflow, at: float, *, adopted: bool = False
    ) -> Handle:
        """The handle of prompt ``pid`` on this server (``adopted``: found after a crash)."""
        data: dict[str, object] = {
            "model": model,
            "workflow": workflow.name,
            "output_node": workflow.output_node,
            "submitted_at": at,
            "server": self.base_url,
        }
        if adopted:
            data["adopted"] = True
        return Handle(provider=self.name, remote_id=pid, data=data)

    # ----- mechanism ------------------------------------------------------------------------

    async def _history(self, pid: str, model: str) -> HistoryEntry | None:
        body = await self.send(HttpCall(method="GET", url=f"/history/{pid}"), model=model)
        return read_history(body, pid)

    async def _free_id(self, job_id: str, model: str) -> str:
        """The first id of the job's ladder the server has never seen (earlier ones failed or
        were cancelled: reusing one would read their history)."""
        queue = await self.send(HttpCall(method="GET", url="/queue"), model=model)
        for attempt in range(MAX_ATTEMPTS):
            pid = prompt_id(job_id, attempt)
            if queued(queue, pid) is None and await self._history(pid, model) is None:
                return pid
        raise self._error(
            InvalidInput,
            f"this job was sent {MAX_ATTEMPTS} times already; clear the server's history "
            '(POST /history {"clear": true}) to send it again',
            model,
        )

    async def _upload(self, path: Path, model: str) -> str:
        """Upload an input image under a name made of its content hash; the name to bind."""
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
        with tempfile.TemporaryDirectory(prefix="shotrelay-comfy-") as tmp:
            named = Path(tmp) / f"{digest}{path.suffix.lower() or '.png'}"
            shutil.copyfile(path, named)
            call = HttpCall(
                url="/upload/image",
                form={"type": "input", "subfolder": "shotrelay", "overwrite": "true"},
                files={"image": named},
            )
            answer = await self.send(call, model=model)
        if not isinstance(answer, dict) or not answer.get("name"):
            raise self._error(TransientError, "POST /upload/image answered without a name", model)
        sub = str(answer.get("subfolder") or "")
        return f"{sub}/{answer['name']}" if sub else str(answer["name"])

    def _listen(self) -> None:
        if self._feed is None:
            ws = self.base_url.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
            self._feed = ProgressFeed(f"{ws}/ws?clientId={self.client_id}", self._clock)
        self._feed.ensure()

    def _http_error(self, response: httpx.Response, what: str, model: str) -> ProviderError:
        if response.status_code == 400 and what.endswith("/prompt"):
            try:
                body: Any = response.json()
            except ValueError:
                body = None
            return self._error(
                InvalidInput, f"{what} refused the workflow: {rejection(body)}", model
            )
        return super()._http_error(response, what, model)


def _finished(entry: HistoryEntry) -> JobStatus:
    if entry.succeeded:
        return JobStatus(state=JobState.SUCCEEDED, progress=1.0)
    return JobStatus(state=JobState.FAILED, message=f"ComfyUI: {entry.failure()}")

"""A stateful loopback server that plays one cloud provider's real protocol, keeps a ledger of
what it accepted (and so billed), and injects faults scripted per (phase, call number).

Phases: ``submit``, ``status``, ``result``, ``listing``, ``media``, ``cancel``. The per-provider
wire shapes live in :mod:`protocols`; this module is the mechanism.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qs, urlsplit

Phase = Literal["submit", "status", "result", "listing", "media", "cancel"]
FaultKind = Literal[
    "drop_after_read",
    "delay",
    "status_after_accept",
    "malformed_after_accept",
    "status_before_accept",
    "truncate",
]


@dataclass(frozen=True)
class Fault:
    """One injected fault. ``status_before_accept`` on submit creates no job; the other submit
    faults create (and bill) the job first. On other phases "accept" has no meaning: the fault
    replaces the answer."""

    kind: FaultKind
    status: int = 502
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 1.0
    keep: int = 48


def drop_after_read() -> Fault:
    """Read the request in full, then close the connection without a word."""
    return Fault("drop_after_read")


def delay(seconds: float = 1.0) -> Fault:
    """Answer normally, but only after ``seconds`` (longer than the client's timeout)."""
    return Fault("delay", delay=seconds)


def status_after_accept(status: int = 502) -> Fault:
    """Create the job, then answer ``status`` (a gateway error after the work was taken)."""
    return Fault("status_after_accept", status=status, json={"error": "bad gateway"})


def malformed_after_accept() -> Fault:
    """Create the job, then answer 200 with a body that is not the protocol's."""
    return Fault("malformed_after_accept", status=200)


def status_before_accept(
    status: int = 503, json_body: Any = None, headers: dict[str, str] | None = None
) -> Fault:
    """Answer ``status`` without creating anything (a 5xx, a 429 with Retry-After, a 4xx)."""
    body = json_body if json_body is not None else {"error": f"HTTP {status}"}
    return Fault("status_before_accept", status=status, json=body, headers=headers or {})


def truncate(keep: int = 48) -> Fault:
    """Announce the full length, send ``keep`` bytes, close (a cut download)."""
    return Fault("truncate", keep=keep)


@dataclass
class RemoteJob:
    """A job the provider accepted: billed from the moment it exists."""

    id: str
    number: int
    path: str
    body: dict[str, Any]
    created: float
    running_polls: int = 0
    failure: tuple[str, str] | None = None
    polls: int = 0

    @property
    def state(self) -> str:
        """``running``, ``failed`` or ``done`` as of now."""
        if self.polls < self.running_polls:
            return "running"
        return "failed" if self.failure else "done"


@dataclass(frozen=True)
class Seen:
    """A request the server received."""

    phase: str
    method: str
    path: str
    call: int
    job_id: str | None


@dataclass
class Ledger:
    """What the server accepted and what it was asked."""

    accepted: list[RemoteJob] = field(default_factory=list)
    requests: list[Seen] = field(default_factory=list)

    def calls(self, phase: str) -> int:
        """How many requests of ``phase`` arrived."""
        return sum(1 for r in self.requests if r.phase == phase)


@dataclass(frozen=True)
class Answer:
    """A protocol's answer: JSON or raw bytes."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Protocol:
    """How one provider looks on the wire. Subclasses fill in the hooks."""

    name: str = ""
    #: The outputs' bytes and type (set by the server from the test's media).
    media: bytes = b""
    media_type: str = "video/mp4"
    #: semantic failure kind -> (provider code, message) for ``fail_job``.
    failures: ClassVar[dict[str, tuple[str, str]]] = {}
    #: semantic submit-time error -> (HTTP status, JSON body) for ``status_before_accept``.
    submit_errors: ClassVar[dict[str, tuple[int, Any]]] = {}
    synchronous: bool = False

    def route(self, method: str, path: str) -> tuple[Phase, str | None] | None:
        """The phase and job id of a request, or None (404)."""
        raise NotImplementedError

    def accepted(self, job: RemoteJob, url: str) -> Answer:
        """The answer to a submission that created ``job``."""
        raise NotImplementedError

    def status(self, job: RemoteJob, url: str) -> Answer:
        """The job's state."""
        raise NotImplementedError

    def result(self, job: RemoteJob, url: str) -> Answer:
        """Where the output is (default: the status answer)."""
        return self.status(job, url)

    def listing(self, jobs: list[RemoteJob], url: str) -> Answer | None:
        """The provider's listing of recent jobs, or None when it has none."""
        return None

    def media_url(self, job: RemoteJob, url: str) -> str:
        """Where the job's output is downloaded."""
        return f"{url}/media/{job.id}"


class ProviderServer:
    """A ThreadingHTTPServer on 127.0.0.1 playing ``protocol``; see the module docstring."""

    def __init__(self, protocol: Protocol, *, clock: Callable[[], float] = time.time) -> None:
        self.protocol = protocol
        self.ledger = Ledger()
        self.jobs: dict[str, RemoteJob] = {}
        self.faults: dict[tuple[str, int], Fault] = {}
        self.running_polls = 0
        self._fail_next: list[tuple[str, str] | None] = []
        self._clock = clock
        self._lock = threading.Lock()
        self.hold = threading.Event()  # set: jobs stay running until released
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # -- scripting ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def fault(self, phase: Phase, call: int, fault: Fault) -> ProviderServer:
        """Inject ``fault`` into the ``call``-th request (from 1) of ``phase``."""
        self.faults[(phase, call)] = fault
        return self

    def fail_job(self, code: str, message: str) -> ProviderServer:
        """The next accepted job ends failed with this provider code and message."""
        self._fail_next.append((code, message))
        return self

    def fail_as(self, kind: str) -> ProviderServer:
        """The next accepted job fails with the provider's own code for ``kind``."""
        return self.fail_job(*self.protocol.failures[kind])

    def submit_error(self, kind: str, call: int = 1) -> ProviderServer:
        """The ``call``-th submission is refused with the provider's own error for ``kind``."""
        status, body = self.protocol.submit_errors[kind]
        return self.fault("submit", call, status_before_accept(status, body))

    def accepted_usd(self, price: float) -> float:
        """What the accepted jobs cost at ``price`` each."""
        return price * len(self.ledger.accepted)

    def start(self) -> ProviderServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.hold.clear()
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- serving ------------------------------------------------------------------------------

    def _record(self, phase: Phase, method: str, path: str, job_id: str | None) -> Fault | None:
        with self._lock:
            call = self.ledger.calls(phase) + 1
            self.ledger.requests.append(Seen(phase, method, path, call, job_id))
            return self.faults.get((phase, call))

    def _accept(self, path: str, body: dict[str, Any]) -> RemoteJob:
        with self._lock:
            number = len(self.ledger.accepted) + 1
            job = RemoteJob(
                id=f"{self.protocol.name}-job-{number}",
                number=number,
                path=path,
                body=body,
                created=self._clock(),
                running_polls=self.running_polls,
                failure=self._fail_next.pop(0) if self._fail_next else None,
            )
            self.ledger.accepted.append(job)
            self.jobs[job.id] = job
            return job

    def answer(self, phase: Phase, path: str, job_id: str | None, body: dict[str, Any]) -> Answer:
        """The protocol's normal answer (the submit creates the job)."""
        p, url = self.protocol, self.url
        if phase == "submit":
            return p.accepted(self._accept(path, body), url)
        if phase == "listing":
            return p.listing(list(self.ledger.accepted), url) or Answer(404, {"error": "none"})
        job = self.jobs.get(job_id or "")
        if job is None:
            return Answer(404, {"error": f"no job {job_id}"})
        if phase == "status":
            if self.hold.is_set():  # held: still running, whatever the script says
                return p.status(dataclasses.replace(job, polls=0, running_polls=1), url)
            answer = p.status(job, url)
            if not self.hold.is_set():
                job.polls += 1
            return answer
        if phase == "result":
            return p.result(job, url)
        if phase == "cancel":
            return Answer(200, {})
        return Answer(body=p.media, content_type=p.media_type)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


def parse_multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    """Part name -> raw bytes of a ``multipart/form-data`` body."""
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    parts: dict[str, bytes] = {}
    for part in message.iter_parts():
        assert isinstance(part, Message)
        payload = part.get_payload(decode=True)
        name = str(part.get_param("name", header="content-disposition"))
        parts[name] = payload if isinstance(payload, bytes) else b""
    return parts


def parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    """A JSON object, or the text fields of a multipart form."""
    if not raw:
        return {}
    if content_type.startswith("multipart/"):
        return {
            k: v.decode("utf-8", "replace")
            for k, v in parse_multipart(content_type, raw).items()
            if k != "input_reference"
        }
    try:
        data = json.loads(raw)
    except ValueError:
        return {"raw": raw.decode("utf-8", "replace")}
    return data if isinstance(data, dict) else {"value": data}


def _handler(server: ProviderServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, answer: Answer, keep: int | None = None) -> None:
            payload = answer.body
            ctype = answer.content_type
            if payload is None:
                payload = json.dumps(answer.json).encode() if answer.json is not None else b""
                ctype = ctype or "application/json"
            self.send_response(answer.status)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            for k, v in answer.headers.items():
                self.send_header(k, v)
            if keep is not None:
                self.send_header("Connection", "close")
                self.close_connection = True
                payload = payload[:keep]
            self.end_headers()
            try:
                self.wfile.write(payload)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _drop(self) -> None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            routed = server.protocol.route(self.command, parts.path)
            if routed is None:
                self._send(Answer(404, {"error": f"no route {self.command} {parts.path}"}))
                return
            phase, job_id = routed
            fault = server._record(phase, self.command, parts.path, job_id)
            if fault is not None and fault.kind == "status_before_accept":
                self._send(Answer(fault.status, fault.json, headers=fault.headers))
                return
            body = parse_body(self.headers.get("content-type") or "", raw)
            body["_query"] = parse_qs(parts.query)
            answer = server.answer(phase, parts.path, job_id, body)
            if fault is None:
                self._send(answer)
            elif fault.kind == "drop_after_read":
                self._drop()
            elif fault.kind == "delay":
                time.sleep(fault.delay)
                self._send(answer)
            elif fault.kind == "status_after_accept":
                self._send(Answer(fault.status, fault.json, headers=fault.headers))
            elif fault.kind == "malformed_after_accept":
                self._send(Answer(200, body=b'{"id": ', content_type="application/json"))
            else:  # truncate
                self._send(answer, keep=fault.keep)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    return Handler

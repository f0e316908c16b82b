"""ComfyUI's answers as data, read the way its ``server.py`` and ``execution.py`` write them.

``GET /history/{id}`` answers ``{id: {"prompt": [number, id, graph, extra_data, outputs],
"outputs": {node_id: {"images" | "gifs" | "videos" | ...: [{filename, subfolder, type}]}},
"status": {"status_str": "success" | "error", "completed": bool, "messages": [[event,
data], ...]}}}`` or ``{}``. ``GET /queue`` answers ``{"queue_running": [item...],
"queue_pending": [item...]}`` with items shaped like ``prompt`` above. A 400 on ``POST
/prompt`` is ``{"error": {type, message, details}, "node_errors": {node_id: {"errors": [...],
"class_type"}}}``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MAX_ATTEMPTS",
    "HistoryEntry",
    "OutputFile",
    "QueueItem",
    "prompt_id",
    "queued",
    "read_history",
    "rejection",
]

#: Submissions of one job each get the next id of its ladder; this many at most.
MAX_ATTEMPTS = 32
_NAMESPACE = uuid.UUID("6f1c1f0e-5b9a-4c55-9a43-2f3d2f0c0d16")
VIDEO_EXTENSIONS = (".mp4", ".webm", ".mov", ".mkv", ".gif", ".webp")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")


def prompt_id(job_id: str, attempt: int = 0) -> str:
    """The ``prompt_id`` of a job's ``attempt``-th submission: a UUID5 of its cache key, so a
    crashed run finds its job on the server instead of submitting it twice."""
    return str(uuid.uuid5(_NAMESPACE, f"{job_id}#{attempt}"))


@dataclass(frozen=True)
class OutputFile:
    """A file a node wrote, as ``GET /view`` serves it."""

    filename: str
    subfolder: str
    type: str
    node: str
    key: str

    def suffix(self) -> str:
        """The file's extension, lower case."""
        dot = self.filename.rfind(".")
        return self.filename[dot:].lower() if dot >= 0 else ""


@dataclass(frozen=True)
class HistoryEntry:
    """A finished (or failed) prompt as ``/history`` keeps it."""

    status_str: str
    completed: bool
    messages: list[tuple[str, dict[str, Any]]]
    outputs: dict[str, Any]
    extra_data: dict[str, Any] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        """Ran to the end without error."""
        return self.status_str == "success" and self.completed

    def failure(self) -> str:
        """What went wrong, from the ``execution_error`` / ``execution_interrupted`` message."""
        for event, data in self.messages:
            if event == "execution_error":
                where = f"node {data.get('node_id', '?')} ({data.get('node_type', '?')})"
                kind = data.get("exception_type", "error")
                text = str(data.get("exception_message", "")).strip()
                return f"{where} failed: {kind}: {text}"[:600]
            if event == "execution_interrupted":
                return (
                    f"interrupted at node {data.get('node_id', '?')} ({data.get('node_type', '?')})"
                )
        return f"status {self.status_str or 'unknown'} without an error message"

    def gpu_seconds(self) -> float | None:
        """Seconds from ``execution_start`` to ``execution_success`` (the server's own clock)."""
        stamps = {event: data.get("timestamp") for event, data in self.messages}
        start, end = stamps.get("execution_start"), stamps.get("execution_success")
        if isinstance(start, int | float) and isinstance(end, int | float) and end >= start:
            return (end - start) / 1000.0
        return None

    def files(self, node: str | None = None) -> list[OutputFile]:
        """Every file under every key of the outputs (``images``, ``gifs``, ``videos``...),
        the node ``node``'s first when given."""
        found: list[OutputFile] = []
        for node_id, ui in self.outputs.items():
            if not isinstance(ui, dict):
                continue
            for key, items in ui.items():
                if not isinstance(items, list):
                    continue
                for item in items:
                    if isinstance(item, dict) and isinstance(item.get("filename"), str):
                        found.append(
                            OutputFile(
                                filename=item["filename"],
                                subfolder=str(item.get("subfolder") or ""),
                                type=str(item.get("type") or "output"),
                                node=str(node_id),
                                key=key,
                            )
                        )
        if node is not None:
            found.sort(key=lambda f: f.node != node)
        return found


def read_history(body: Any, pid: str) -> HistoryEntry | None:
    """The entry for ``pid`` in a ``/history/{pid}`` answer, or None when the server has none."""
    if not isinstance(body, dict) or not isinstance(body.get(pid), dict):
        return None
    entry = body[pid]
    status = entry.get("status") or {}
    messages = [
        (str(m[0]), m[1] if isinstance(m[1], dict) else {})
        for m in status.get("messages") or []
        if isinstance(m, list | tuple) and len(m) == 2
    ]
    item = entry.get("prompt")
    extra = (
        item[3] if isinstance(item, list) and len(item) > 3 and isinstance(item[3], dict) else {}
    )
    return HistoryEntry(
        status_str=str(status.get("status_str") or ""),
        completed=bool(status.get("completed")),
        messages=messages,
        outputs=entry.get("outputs") or {},
        extra_data=extra,
    )


@dataclass(frozen=True)
class QueueItem:
    """A prompt waiting or running: where it is and the extra data it was sent with."""

    running: bool
    ahead: int
    extra_data: dict[str, Any]


def queued(body: Any, pid: str) -> QueueItem | None:
    """Where ``pid`` is in a ``/queue`` answer, or None when it is not queued."""
    if not isinstance(body, dict):
        return None
    for running, key in ((True, "queue_running"), (False, "queue_pending")):
        items = [i for i in body.get(key) or [] if isinstance(i, list) and len(i) > 1]
        if not running:
            items.sort(key=lambda i: i[0] if isinstance(i[0], int | float) else 0)
        for ahead, item in enumerate(items):
            if str(item[1]) == pid:
                extra = item[3] if len(item) > 3 and isinstance(item[3], dict) else {}
                return QueueItem(running=running, ahead=ahead, extra_data=extra)
    return None


def rejection(body: Any) -> str:
    """A 400 from ``POST /prompt`` in words: the error and each node's errors (node id and
    class, as in the workflow JSON)."""
    if not isinstance(body, dict):
        return "the server refused the workflow"
    error = body.get("error")
    head = error.get("message", "") if isinstance(error, dict) else str(error or "")
    if isinstance(error, dict) and error.get("details"):
        head = f"{head}: {error['details']}"
    parts = [head or "the server refused the workflow"]
    node_errors = body.get("node_errors")
    for node_id, info in node_errors.items() if isinstance(node_errors, dict) else []:
        if not isinstance(info, dict):
            continue
        name = str(info.get("class_type") or "?")
        for err in info.get("errors") or []:
            if isinstance(err, dict):
                text = err.get("details") or err.get("message") or err.get("type")
                parts.append(f"node {node_id} ({name}): {err.get('type', 'error')}: {text}")
    return "; ".join(parts)[:800]

"""The loopback ComfyUI's jobs: its queue items, scripted failures and history entries."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

__all__ = ["Failure", "Job", "history_entry", "wait_for"]


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


def history_entry(
    job: Job, status: str, completed: bool, messages: list[Any], outputs: dict[str, Any]
) -> dict[str, Any]:
    return {
        "prompt": job.item(),
        "outputs": outputs,
        "status": {"status_str": status, "completed": completed, "messages": messages},
        "meta": {n: {"node_id": n} for n in outputs},
    }


def wait_for(check: Any, what: str, tries: int = 1000) -> None:
    """Wait (on an event, not a clock measurement) until ``check()`` holds."""
    pause = threading.Event()
    for _ in range(tries):
        if check():
            return
        pause.wait(0.01)
    raise AssertionError(f"timed out waiting for {what}")

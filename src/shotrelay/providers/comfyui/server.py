"""What a ComfyUI server is and can run: ``GET /system_stats`` (version, GPUs) and ``GET
/object_info`` (the node classes installed), for ``available()`` and ``doctor``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

from shotrelay.providers.comfyui.workflows import WorkflowError, load_workflows

__all__ = ["Device", "ServerReport", "WorkflowFit", "inspect_server", "probe"]

_PROBE_TIMEOUT = httpx.Timeout(5.0)


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class Device(_Row):
    """One compute device from ``/system_stats``."""

    name: str
    type: str = ""
    vram_total: int | None = None

    def label(self) -> str:
        """'NVIDIA GeForce RTX 4090 (24.0 GB)'."""
        if self.vram_total:
            return f"{self.name} ({self.vram_total / 1024**3:.1f} GB)"
        return self.name


class WorkflowFit(_Row):
    """Whether the server has every node class a workflow uses."""

    name: str
    runs: bool
    missing: list[str] = Field(default_factory=list)
    error: str = ""


class ServerReport(_Row):
    """A probed server: reachable or why not, its version and devices, and what it runs."""

    url: str
    ok: bool
    error: str = ""
    version: str = ""
    devices: list[Device] = Field(default_factory=list)
    workflows: list[WorkflowFit] = Field(default_factory=list)

    def summary(self) -> str:
        """One line for ``available()`` and ``doctor``."""
        if not self.ok:
            return f"ComfyUI at {self.url} does not answer /system_stats ({self.error})"
        gpus = ", ".join(d.label() for d in self.devices) or "no device listed"
        version = f" {self.version}" if self.version else ""
        return f"ComfyUI{version} at {self.url}; {gpus}"


def _get(url: str, path: str) -> Any:
    response = httpx.get(f"{url}{path}", timeout=_PROBE_TIMEOUT)
    response.raise_for_status()
    return response.json()


def probe(url: str) -> ServerReport:
    """Ask ``/system_stats``; a server that does not answer is not usable."""
    try:
        stats = _get(url, "/system_stats")
    except (httpx.HTTPError, ValueError) as exc:
        return ServerReport(url=url, ok=False, error=type(exc).__name__)
    if not isinstance(stats, dict):
        return ServerReport(url=url, ok=False, error="not a system_stats answer")
    system: dict[str, Any] = stats["system"] if isinstance(stats.get("system"), dict) else {}
    devices = [
        Device(
            name=str(d.get("name") or "?"),
            type=str(d.get("type") or ""),
            vram_total=d.get("vram_total") if isinstance(d.get("vram_total"), int) else None,
        )
        for d in stats.get("devices") or []
        if isinstance(d, dict)
    ]
    return ServerReport(
        url=url, ok=True, version=str(system.get("comfyui_version") or ""), devices=devices
    )


def inspect_server(url: str, dirs: Sequence[Path] | None = None) -> ServerReport:
    """``probe`` plus, for every shipped and user workflow, whether the server has its nodes."""
    report = probe(url)
    if not report.ok:
        return report
    try:
        classes: Mapping[str, Any] = _get(url, "/object_info")
    except (httpx.HTTPError, ValueError) as exc:
        return report.model_copy(update={"error": f"/object_info: {type(exc).__name__}"})
    try:
        workflows = load_workflows(dirs)
    except WorkflowError as exc:
        fits = [WorkflowFit(name="(workflows)", runs=False, error=str(exc))]
        return report.model_copy(update={"workflows": fits})
    fits = []
    for name, workflow in sorted(workflows.items()):
        missing = sorted(c for c in workflow.classes if c not in classes)
        fits.append(WorkflowFit(name=name, runs=not missing, missing=missing))
    return report.model_copy(update={"workflows": fits})

"""The ComfyUI provider: open video and image models on your own GPU (see docs/comfyui.md)."""

from shotrelay.providers.comfyui.provider import URL_ENV, ComfyUIProvider
from shotrelay.providers.comfyui.server import ServerReport, inspect_server
from shotrelay.providers.comfyui.workflows import (
    WORKFLOWS_ENV,
    Workflow,
    WorkflowError,
    find_workflow,
    load_workflows,
)

__all__ = [
    "URL_ENV",
    "WORKFLOWS_ENV",
    "ComfyUIProvider",
    "ServerReport",
    "Workflow",
    "WorkflowError",
    "find_workflow",
    "inspect_server",
    "load_workflows",
]

"""Jobs: one model call each, with a cache key that embeds its ancestors' keys."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.catalog.params import CallParams
from shotrelay.catalog.profile import CostEstimate, ModelProfile
from shotrelay.providers.base import JobRequest
from shotrelay.spec.vocabulary import Stage, Task

__all__ = ["HANDOFF", "Job", "JobNode", "derive_seed", "job_key", "provider_request"]

#: The step name of the local "extract the last frame" job that hands a shot to the next.
HANDOFF = "handoff"


class JobNode(BaseModel):
    """A node of the job graph before its inputs are resolved.

    ``inputs`` maps a role (``first_frame``, ``video``, ``audio``, ``reference_0`` ...) to an
    upstream node id or to ``sha256:<hex>`` for a file already in the store. ``takes`` lists
    the node ids among which a selection node chooses (then ``model`` is empty).
    """

    model_config = ConfigDict(frozen=True)

    id: str
    shot_id: str
    step: str = Field(description="A Stage value, 'handoff', or 'select'.")
    take: int = 0
    model: str = ""
    fallbacks: list[str] = Field(default_factory=list)
    task: Task | None = None
    prompt: str = ""
    negative: str = ""
    params: CallParams = Field(default_factory=CallParams)
    seed: int | None = None
    inputs: dict[str, str] = Field(default_factory=dict)
    takes: list[str] = Field(default_factory=list)
    revision: int = 0
    estimate: CostEstimate | None = None
    context: dict[str, Any] = Field(default_factory=dict)

    @property
    def stage(self) -> Stage | None:
        """The relay stage, or None for handoff and select nodes."""
        return Stage(self.step) if self.step in Stage.__members__.values() else None

    @property
    def deps(self) -> list[str]:
        """Upstream node ids this node waits for."""
        ups = [v for v in self.inputs.values() if not v.startswith("sha256:")]
        return [*ups, *self.takes]


class Job(BaseModel):
    """One resolved model call: what it is, on which model, from which inputs.

    ``inputs`` maps a role to an upstream job's cache key (``job:<key>``) or a stored
    artifact (``sha256:<hex>``).
    """

    model_config = ConfigDict(frozen=True)

    node: str
    shot_id: str
    step: str
    take: int = 0
    model: str
    api_model: str
    task: Task | None = None
    prompt: str = ""
    negative: str = ""
    params: CallParams = Field(default_factory=CallParams)
    seed: int | None = None
    inputs: dict[str, str] = Field(default_factory=dict)
    revision: int = 0

    @property
    def key(self) -> str:
        """The cache key: sha256 over everything that determines the output."""
        return job_key(self)


def job_key(job: Job) -> str:
    """sha256 of model, stage, prompt, negative, params, seed, inputs and redo revision."""
    body = {
        "model": [job.model, job.api_model],
        "step": job.step,
        "task": job.task.value if job.task else None,
        "prompt": job.prompt,
        "negative": job.negative,
        "params": job.params.fixed(),
        "seed": job.seed,
        "inputs": sorted(job.inputs.items()),
        "revision": job.revision,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def derive_seed(project: str, shot_id: str, take: int, revision: int = 0) -> int:
    """A deterministic seed per project, shot, take and redo (31 bits, as most APIs accept)."""
    text = f"{project}\x00{shot_id}\x00{take}\x00{revision}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big") & 0x7FFFFFFF


def provider_request(
    node: JobNode,
    key: str,
    model: ModelProfile,
    paths: dict[str, Path],
    prompt: str,
    negative: str,
) -> JobRequest:
    """What a provider is asked to do for ``node`` on ``model`` (first task the model does)."""
    stage = Stage(node.step)
    task = node.task
    if task is None or not model.does(task):
        task = next(t for t in stage.tasks if model.does(t))
    return JobRequest(
        job_id=key,
        shot_id=node.shot_id,
        stage=stage,
        task=task,
        model=model,
        prompt=prompt,
        negative_prompt=negative,
        inputs=paths,
        params=node.params,
        seed=node.seed,
        context=node.context,
    )

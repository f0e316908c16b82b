"""The durable engine: job graph, cache keys, journal, artifact store, executor and runs."""

from shotrelay.engine.actions import StatusReport, approve, pick, redo, status
from shotrelay.engine.events import EngineEvent
from shotrelay.engine.executor import Executor, NodeResult, Outcome, TakeResult, first_success
from shotrelay.engine.graph import JobGraph, build_graph
from shotrelay.engine.jobs import Job, JobNode, derive_seed, job_key
from shotrelay.engine.journal import JobStateName, Journal
from shotrelay.engine.output import CutClip
from shotrelay.engine.retry import RetryPolicy
from shotrelay.engine.run import EngineHooks, RunResult, run, run_async
from shotrelay.engine.store import ArtifactRef, ArtifactStore
from shotrelay.engine.workspace import Workspace, workspace_for

__all__ = [
    "ArtifactRef",
    "ArtifactStore",
    "CutClip",
    "EngineEvent",
    "EngineHooks",
    "Executor",
    "Job",
    "JobGraph",
    "JobNode",
    "JobStateName",
    "Journal",
    "NodeResult",
    "Outcome",
    "RetryPolicy",
    "RunResult",
    "StatusReport",
    "TakeResult",
    "Workspace",
    "approve",
    "build_graph",
    "derive_seed",
    "first_success",
    "job_key",
    "pick",
    "redo",
    "run",
    "run_async",
    "status",
    "workspace_for",
]

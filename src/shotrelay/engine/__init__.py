"""The durable executor: jobs and their cache keys, the journal, the artifact store, the graph
runner with its provider calls, recovery, retries and slots.

It knows models (the catalog), the provider protocol, errors and the relay's vocabulary, and
nothing of projects, routes, prompts or media: ``shotrelay.relay`` drives it.
"""

from shotrelay.engine.events import EngineEvent
from shotrelay.engine.executor import Executor, NodeResult, Outcome, TakeResult, first_success
from shotrelay.engine.graph import JobGraph
from shotrelay.engine.jobs import Job, JobNode, derive_seed, job_key
from shotrelay.engine.journal import JobStateName, Journal
from shotrelay.engine.retry import RetryPolicy
from shotrelay.engine.store import ArtifactRef, ArtifactStore
from shotrelay.engine.workspace import Workspace, workspace_for

__all__ = [
    "ArtifactRef",
    "ArtifactStore",
    "EngineEvent",
    "Executor",
    "Job",
    "JobGraph",
    "JobNode",
    "JobStateName",
    "Journal",
    "NodeResult",
    "Outcome",
    "RetryPolicy",
    "TakeResult",
    "Workspace",
    "derive_seed",
    "first_success",
    "job_key",
    "workspace_for",
]

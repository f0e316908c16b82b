"""The relay: a routed plan compiled into jobs and run on the durable engine — the animatic,
the structure gate, takes and picks, the cut and the manifest, deadline and studio runs, and
what a person does between runs (approve, redo, pick, abandon, status)."""

from shotrelay.relay.abandon import abandon
from shotrelay.relay.actions import StatusReport, approve, pick, redo, status
from shotrelay.relay.compile import build_graph
from shotrelay.relay.hooks import EngineHooks
from shotrelay.relay.result import RunResult
from shotrelay.relay.run import run, run_async

__all__ = [
    "EngineHooks",
    "RunResult",
    "StatusReport",
    "abandon",
    "approve",
    "build_graph",
    "pick",
    "redo",
    "run",
    "run_async",
    "status",
]

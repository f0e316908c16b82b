"""A discrete-event simulator: the real engine on a virtual clock against simulated providers.

See docs/scheduling.md.
"""

from shotrelay.sim.clock import VirtualClockLoop, run_virtual
from shotrelay.sim.provider import CallRecord, SimProvider
from shotrelay.sim.virtual_studio import ProjectResult, SimProject, StudioResult, run_studio

__all__ = [
    "CallRecord",
    "ProjectResult",
    "SimProject",
    "SimProvider",
    "StudioResult",
    "VirtualClockLoop",
    "run_studio",
    "run_virtual",
]

"""A real crash: SIGKILL a process while its job runs remotely; the restart only polls."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from test_executor import VEO, Rig

from shotrelay.engine.journal import JobStateName
from shotrelay.spec.vocabulary import Stage

CHILD = """
import asyncio, sys
sys.path.insert(0, {here!r})
from pathlib import Path
from shotrelay.testing import FakeProvider
from test_executor import VEO, Rig
from shotrelay.spec.vocabulary import Stage

class Hangs(FakeProvider):
    async def poll(self, handle):
        print("submitted", handle.remote_id, flush=True)
        await asyncio.Event().wait()  # the remote job never ends while we live

rig = Rig(Path({tmp!r}), {{Stage.GENERATE: (VEO, [])}}, shots=1,
          providers={{"cloud": Hangs("cloud")}})
rig.run()
"""


def test_sigkill_while_waiting_then_restart_polls_without_resubmitting(tmp_path: Path) -> None:
    here = str(Path(__file__).parent)
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(here=here, tmp=str(tmp_path)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([here, *sys.path])}
    child = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, env=env, text=True
    )
    assert child.stdout is not None
    line = child.stdout.readline()  # blocks until the handle is journalled and polled
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert line.startswith("submitted cloud-1")
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, [])}, shots=1)
    (row,) = rig.journal.jobs()
    assert row.state == JobStateName.SUBMITTED and row.handle is not None
    assert row.handle["remote_id"] == "cloud-1"
    out = rig.run()
    assert out.ok
    assert rig.providers["cloud"].submissions == []  # polled and fetched, never resubmitted
    assert rig.providers["cloud"].polls == 1

"""The main job: the example ad from an empty state, offline, as the README's first command runs it.

Run: .venv/bin/python bench/main_job.py [project.yaml]
Prints the run's wall time and the CPU seconds it used (the shotrelay process and every ffmpeg
it started), so wall time against cores says whether the run is CPU-bound; then the journal's
time per stage (jobs run side by side, so these overlap). Target (issue 15): under 20 s on
2 cores.
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

EXAMPLE = Path(__file__).parents[1] / "examples" / "startup-ad.yaml"


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLE
    exe = shutil.which("shotrelay") or str(Path(sys.executable).with_name("shotrelay"))
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / source.name
        shutil.copy(source, project)
        cpu0, start = _children_cpu(), time.perf_counter()
        done = subprocess.run(
            [exe, "run", str(project), "--auto-approve", "-q"],
            capture_output=True,
            text=True,
            check=False,
        )
        wall, cpu = time.perf_counter() - start, _children_cpu() - cpu0
        if done.returncode != 0:
            raise SystemExit(f"the run failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        cores = os.cpu_count() or 1
        print(f"{source.name} from empty: {wall:.1f} s wall (target < 20 s), {cpu:.1f} CPU-s")
        print(f"  {cores} cores: CPU-bound at {cpu / wall / cores:.0%} of all cores busy")
        journal = next(Path(tmp).glob(".shotrelay/*/journal.sqlite"))
        spans: dict[str, list[float]] = defaultdict(list)
        with sqlite3.connect(journal) as db:
            for stage, model, seconds in db.execute(
                "SELECT stage, model, updated_at - created_at FROM jobs ORDER BY created_at"
            ):
                spans[f"{stage} ({model})"].append(float(seconds))
        for name, times in spans.items():
            summed, longest = sum(times), max(times)
            print(f"  {name}: {len(times)} jobs, {summed:.1f} s summed, longest {longest:.1f} s")


if __name__ == "__main__":
    main()

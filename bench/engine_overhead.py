"""Engine overhead: jobs/second through the journal and executor, and a no-op re-run.

Run: .venv/bin/python bench/engine_overhead.py [jobs] [folder, e.g. /dev/shm]
Targets: > 2,000 jobs/s on one core; a no-op re-run of a 100-shot project under 1 s. Where the
file system caps the rate (one fsync per artifact, a scratch folder per download), the line
beside each figure says how fast the file-system work alone goes on the same folder.
Providers are instant (no media work), so the figures are the engine's own cost: journal
writes (each state change committed), artifact store writes (fsync), hashing and scheduling.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from shotrelay.engine import ArtifactStore, Executor, Journal
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus, ProviderResult
from shotrelay.relay import EngineHooks, build_graph, run
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Stage, Task
from shotrelay.testing import FakeCutter, Packet, compile_plain, model, plan

#: Where the temporary workspaces go: argv[2], e.g. /dev/shm to take the disk out of the figure.
BASE: str | None = sys.argv[2] if len(sys.argv) > 2 else None


class Instant:
    """A provider that finishes every job at once with a few unique bytes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.submitted = 0

    def available(self) -> tuple[bool, str]:
        return True, ""

    async def submit(self, request: JobRequest) -> Handle:
        self.submitted += 1
        return Handle(provider=self.name, remote_id=request.job_id)

    async def poll(self, handle: Handle) -> JobStatus:
        return JobStatus(state=JobState.SUCCEEDED)

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        path = dest / "out.bin"
        path.write_text(handle.remote_id)
        return ProviderResult(path=path, media_type="video/mp4")

    async def cancel(self, handle: Handle) -> None:
        return None

    async def find(self, request: JobRequest) -> Handle | None:
        return None


MODELS = [
    model("local-previs", "local", [Task.TEXT_TO_IMAGE], local=True, concurrency=64),
    model("local-camera", "local", [Task.IMAGE_TO_VIDEO], local=True, concurrency=64),
]


def _project(shots: int) -> Project:
    return Project(
        name="bench",
        shots=[Shot(duration=2, subject=f"subject {i}", action="moves") for i in range(shots)],
    )


def journal_only(jobs: int) -> float:
    """Jobs per second for the journal writes alone, as the executor makes them per job."""
    with tempfile.TemporaryDirectory(dir=BASE) as tmp:
        j = Journal(Path(tmp) / "journal.sqlite")
        start = time.perf_counter()
        for i in range(jobs):
            key = f"{i:064x}"
            j.job(key)
            j.ensure_job(
                key,
                shot_id="s",
                stage="generate",
                take=1,
                model="m",
                provider="p",
                detail={"prompt": "x" * 200},
            )
            j.spent_usd()
            for state, extra in (
                ("submitting", {"reserved_usd": 0.1, "attempts": 1}),
                ("submitted", {"handle": {"provider": "p", "remote_id": key}}),
                ("succeeded", {"artifact": key, "reserved_usd": 0.0, "actual_usd": 0.1}),
            ):
                with j.transaction():
                    j.update_job(key, state=state, **extra)
                    j.event(state, key, job_key=key, shot_id="s", stage="generate")
        elapsed = time.perf_counter() - start
        j.close()
    return jobs / elapsed


def journal_throughput(jobs: int, *, fsync: bool = True) -> float:
    """Jobs per second for one generate job per shot through journal, store and executor."""
    project = _project(jobs)
    gen_plan = plan(project, {Stage.GENERATE: (MODELS[1], [])})
    with tempfile.TemporaryDirectory(dir=BASE) as tmp:
        root = Path(tmp)
        store = ArtifactStore(root / "store", fsync=fsync)
        journal = Journal(root / "journal.sqlite")
        graph = build_graph(
            project,
            gen_plan,
            {m.id: m for m in MODELS},
            store=store,
            compile=compile_plain,
            packets=lambda _s: Packet(),
        )
        provider = Instant("local")
        executor = Executor(
            journal, store, {"local": provider}, {m.id: m for m in MODELS}, scratch=root / "scratch"
        )
        start = time.perf_counter()
        outcome = asyncio.run(executor.run(graph))
        elapsed = time.perf_counter() - start
        assert outcome.ok and provider.submitted == jobs
        journal.close()
    return jobs / elapsed


def filesystem_ceiling(jobs: int, *, fsync: bool = True) -> float:
    """Jobs per second for the file-system work alone that one job needs, no engine at all.

    What the store and the executor do on disk per job, in the same order: a scratch folder
    for the download, the provider's output file written in it, read back for its hash and
    fsynced, renamed into the store, the store's small record written; the scratch tree
    removed at the end. On a disk where one fsync or one mkdir costs milliseconds, this is
    the most the full path can reach, whatever the engine does in Python.
    """
    with tempfile.TemporaryDirectory(dir=BASE) as tmp:
        root = Path(tmp)
        store, scratch = root / "store", root / "scratch"
        store.mkdir()
        start = time.perf_counter()
        for i in range(jobs):
            key = f"{i:064x}"
            dest = scratch / key
            dest.mkdir(parents=True)
            out = dest / "out.bin"
            out.write_text(key)
            with out.open("rb") as f:
                f.read()
                if fsync:
                    os.fsync(f.fileno())
            folder = store / key[:2]
            folder.mkdir(exist_ok=True)
            os.replace(out, folder / f"{key[2:]}.mp4")
            (folder / f"{key[2:]}.ref").write_text('{"size": 64}')
        shutil.rmtree(scratch)
        elapsed = time.perf_counter() - start
    return jobs / elapsed


def noop_rerun(shots: int) -> tuple[float, float]:
    """Seconds of a first run and of a no-op re-run of a project through ``run()``."""
    with tempfile.TemporaryDirectory(dir=BASE) as tmp:
        file = Path(tmp) / "project.yaml"
        file.write_text(
            "name: bench\nshots:\n"
            + "".join(
                f"  - {{duration: 2, subject: subject {i}, action: moves}}\n" for i in range(shots)
            )
        )

        class Catalog:
            models = MODELS

        provider = Instant("local")
        hooks = EngineHooks(
            compile=compile_plain, packets=lambda _p: lambda _s: Packet(), cutter=FakeCutter()
        )
        kw: dict[str, Any] = {
            "providers": {"local": provider},
            "catalog": Catalog(),
            "hooks": hooks,
        }
        start = time.perf_counter()
        first = run(file, **kw)
        mid = time.perf_counter()
        submitted = provider.submitted
        again = run(file, **kw)
        end = time.perf_counter()
        assert first.status == again.status == "done", (first.message, again.message)
        assert provider.submitted == submitted, "the re-run submitted jobs"
    return mid - start, end - mid


def main() -> None:
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    print(f"workspaces under {BASE or tempfile.gettempdir()}")
    print(
        f"journal alone (the writes of one job): {journal_only(jobs):,.0f} jobs/s (target > 2,000)"
    )
    for fsync in (True, False):
        ceiling = filesystem_ceiling(jobs, fsync=fsync)
        rate = journal_throughput(jobs, fsync=fsync)
        print(
            f"journal + store + executor, instant provider, artifact fsync={fsync}: "
            f"{jobs} jobs at {rate:,.0f} jobs/s; the file-system work of those jobs alone "
            f"(no engine): {ceiling:,.0f} jobs/s, so the engine reaches {rate / ceiling:.0%} "
            "of what this file system allows"
        )
    first, again = noop_rerun(100)
    print(
        f"100-shot project through run(): first run {first:.2f} s, "
        f"no-op re-run {again:.3f} s (target < 1 s)"
    )


if __name__ == "__main__":
    main()

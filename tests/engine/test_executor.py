"""The executor: caching, retries, fallbacks, budget, integrity, takes and picks."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.executor import Executor, Outcome
from shotrelay.engine.graph import JobGraph
from shotrelay.engine.journal import JobStateName, Journal
from shotrelay.engine.settings import ExecutorHooks, ExecutorSettings, Scorer, first_success
from shotrelay.engine.store import ArtifactStore
from shotrelay.errors import InvalidInput, QuotaError, RateLimited, Rejected, TransientError
from shotrelay.relay.compile import build_graph
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Stage, Task
from shotrelay.testing import (
    FakeProvider,
    NoSleep,
    Packet,
    compile_plain,
    last_frame_fake,
    model,
    plan,
)

GEN = [Task.IMAGE_TO_VIDEO, Task.TEXT_TO_VIDEO]
KEY = model("kf", "cloud", [Task.TEXT_TO_IMAGE], usd=0.1)
VEO = model("veo", "cloud", GEN, usd=1.0)
ALT = model("alt", "backup", GEN, usd=1.0)
UP = model("up", "cloud", [Task.UPSCALE], usd=0.2)


class Rig:
    """A project, its graph and an executor over fake providers, in one folder."""

    def __init__(
        self,
        tmp: Path,
        stages: dict[Stage, tuple[ModelProfile, list[str]]],
        *,
        shots: int = 2,
        takes: int = 1,
        budget: float | None = None,
        models: list[ModelProfile] | None = None,
        providers: dict[str, FakeProvider] | None = None,
    ) -> None:
        self.tmp = tmp
        self.project = Project(
            name="p",
            takes=takes,
            budget_usd=budget,
            shots=[Shot(duration=2, subject=f"thing {i}") for i in range(1, shots + 1)],
        )
        self.models = {m.id: m for m in (models or [KEY, VEO, ALT, UP])}
        self.providers = providers or {
            "cloud": FakeProvider("cloud"),
            "backup": FakeProvider("backup"),
        }
        self.plan = plan(self.project, stages)
        self.sleep = NoSleep()
        self.store = ArtifactStore(tmp / "store")
        self.journal = Journal(tmp / "journal.sqlite")

    def graph(self, project: Project | None = None) -> JobGraph:
        return build_graph(
            project or self.project,
            self.plan,
            self.models,
            store=self.store,
            compile=compile_plain,
            packets=lambda s: Packet(),
        )

    def run(self, *, scorer: Scorer = first_success, **kw: Any) -> Outcome:
        ex = Executor(
            self.journal,
            self.store,
            self.providers,
            self.models,
            ExecutorSettings(
                budget_usd=self.project.budget_usd, sleep=self.sleep, rand=lambda: 0.5, **kw
            ),
            ExecutorHooks(scorer=scorer, extract_last_frame=last_frame_fake),
            scratch=self.tmp / "scratch",
        )
        return asyncio.run(ex.run(self.graph()))

    def submitted(self) -> int:
        return sum(len(p.submissions) for p in self.providers.values())


def test_rerun_with_nothing_changed_submits_nothing(tmp_path: Path) -> None:
    rig = Rig(
        tmp_path, {Stage.KEYFRAME: (KEY, []), Stage.GENERATE: (VEO, []), Stage.UPSCALE: (UP, [])}
    )
    first = rig.run()
    assert first.ok
    assert rig.submitted() == 6
    second = rig.run()
    assert second.ok and rig.submitted() == 6
    assert all(r.cached for r in second.results.values() if r.step != "select")


def test_generate_gets_keyframe_as_first_frame_and_upscale_gets_clip(tmp_path: Path) -> None:
    rig = Rig(
        tmp_path,
        {Stage.KEYFRAME: (KEY, []), Stage.GENERATE: (VEO, []), Stage.UPSCALE: (UP, [])},
        shots=1,
    )
    rig.run()
    reqs = list(rig.providers["cloud"].remote.values())
    assert [r.stage for r in reqs] == [Stage.KEYFRAME, Stage.GENERATE, Stage.UPSCALE]
    assert set(reqs[1].inputs) == {"first_frame"}
    assert set(reqs[2].inputs) == {"video"}
    assert reqs[1].seed is not None


def test_transient_errors_retry_honouring_retry_after(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, [])}, shots=1)
    rig.providers["cloud"].fail["veo"] = [
        RateLimited("slow down", retry_after=7.0),
        TransientError("502"),
    ]
    out = rig.run()
    assert out.ok
    assert rig.sleep.delays == [7.0, 3.0]  # Retry-After, then 2 s x 2^1 x jitter(0.75)
    assert len(rig.providers["cloud"].submissions) == 1
    retries = rig.journal.events(kind="retry")
    assert len(retries) == 2 and "RateLimited" in retries[0].message
    row = rig.journal.job(out.results["s1/generate"].key)
    assert row is not None and row.attempts == 3 and row.state == JobStateName.SUCCEEDED


def test_retries_exhausted_fall_back_to_next_ranked_model(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, ["alt"])}, shots=1)
    rig.providers["cloud"].fail["veo"] = [TransientError("503")] * 4
    out = rig.run()
    assert out.results["s1/generate"].model == "alt"
    assert len(rig.sleep.delays) == 3
    assert rig.journal.events(kind="fallback")


@pytest.mark.parametrize("error", [Rejected("moderation"), InvalidInput("bad size")])
def test_rejected_or_invalid_falls_back_and_is_recorded(tmp_path: Path, error: Exception) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, ["alt"])}, shots=1)
    rig.providers["cloud"].fail["veo"] = [error]
    out = rig.run()
    result = out.results["s1/generate"]
    assert result.state == JobStateName.SUCCEEDED and result.model == "alt"
    assert rig.sleep.delays == []  # no retry: retrying will not help
    fallbacks = rig.journal.events(kind="fallback")
    assert len(fallbacks) == 1 and type(error).__name__ in fallbacks[0].message
    row = rig.journal.job(result.key)
    assert row is not None and row.model == "alt" and row.provider == "backup"


def test_quota_error_makes_provider_unusable_for_the_run(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, ["alt"])}, shots=3)
    rig.providers["cloud"].fail["veo"] = [QuotaError("out of credits")]
    out = rig.run()
    assert out.ok
    assert rig.providers["cloud"].submissions == []
    assert len(rig.providers["backup"].submissions) == 3
    assert len(rig.journal.events(kind="provider_unusable")) == 1


def test_every_model_failing_fails_the_job_and_skips_downstream(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, ["alt"]), Stage.UPSCALE: (UP, [])}, shots=1)
    rig.providers["cloud"].fail["veo"] = [Rejected("no")]
    rig.providers["backup"].fail["alt"] = [Rejected("no")]
    out = rig.run()
    gen = out.results["s1/generate/t1"]
    assert gen.state == JobStateName.FAILED and "every model failed" in gen.message
    assert out.results["s1/upscale"].state == JobStateName.SKIPPED
    assert rig.providers["cloud"].remote == {}


def test_budget_is_never_exceeded_even_with_failures_and_fallbacks(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, ["alt"])}, shots=5, budget=2.5)
    rig.providers["cloud"].fail["veo"] = [Rejected("no"), TransientError("x")]
    out = rig.run()
    succeeded = [
        r
        for r in out.results.values()
        if r.step == "generate" and r.state == JobStateName.SUCCEEDED
    ]
    skipped = [r for r in out.results.values() if r.state == JobStateName.SKIPPED]
    assert len(succeeded) == 2
    assert rig.journal.spent_usd() <= 2.5
    assert rig.submitted() == 2
    assert skipped and all("budget" in r.message for r in skipped if r.step == "generate")
    assert rig.journal.events(kind="skipped")


def test_actual_cost_over_estimate_is_recorded(tmp_path: Path) -> None:
    rig = Rig(
        tmp_path,
        {Stage.GENERATE: (VEO, [])},
        shots=1,
        providers={"cloud": FakeProvider("cloud", cost=1.7)},
    )
    rig.run()
    assert rig.journal.costs() == (0.0, 1.7)
    assert rig.journal.events(kind="over_estimate")


@pytest.mark.parametrize("damage", ["corrupt", "truncate"])
def test_damaged_artifact_is_detected_and_its_job_reruns(tmp_path: Path, damage: str) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, []), Stage.UPSCALE: (UP, [])}, shots=1)
    first = rig.run()
    art = first.results["s1/generate/t1"].artifact
    assert art is not None
    path = rig.store.get(art)
    data = path.read_bytes()
    path.write_bytes(data[::-1] if damage == "corrupt" else data[:5])
    second = rig.run()
    assert second.ok
    assert rig.journal.events(kind="integrity")
    assert rig.providers["cloud"].submissions.count(first.results["s1/generate/t1"].key) == 2
    assert second.results["s1/upscale"].cached  # its own artifact was intact
    assert rig.store.verify(art).hash == art


def test_concurrency_limit_per_model_is_respected(tmp_path: Path) -> None:
    narrow = model("veo", "cloud", GEN, usd=0.0, concurrency=2)
    rig = Rig(tmp_path, {Stage.GENERATE: (narrow, [])}, shots=6, models=[narrow])
    rig.providers["cloud"].running_polls = 12
    assert rig.run().ok
    assert rig.providers["cloud"].max_in_flight == 2


def test_account_wide_limit_spans_the_providers_models(tmp_path: Path) -> None:
    wide = model("veo", "cloud", GEN, usd=0.0, concurrency=4)
    up = model("up", "cloud", [Task.UPSCALE], usd=0.0, concurrency=4)
    rig = Rig(
        tmp_path, {Stage.GENERATE: (wide, []), Stage.UPSCALE: (up, [])}, shots=4, models=[wide, up]
    )
    rig.providers["cloud"].running_polls = 6
    rig.providers["cloud"].concurrency = 1  # type: ignore[attr-defined]
    assert rig.run().ok
    assert rig.providers["cloud"].max_in_flight == 1


def test_takes_get_distinct_seeds_and_the_first_success_is_chosen(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, []), Stage.UPSCALE: (UP, [])}, shots=1, takes=3)
    out = rig.run()
    seeds = {r.seed for r in rig.providers["cloud"].remote.values() if r.stage == Stage.GENERATE}
    assert len(seeds) == 3
    chosen = out.results["s1/generate"]
    assert chosen.take == 1
    upscale_req = next(
        r for r in rig.providers["cloud"].remote.values() if r.stage == Stage.UPSCALE
    )
    assert upscale_req.inputs["video"] == rig.store.get(chosen.artifact or "")


def test_pick_overrides_scorer_and_reruns_only_downstream(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, []), Stage.UPSCALE: (UP, [])}, shots=1, takes=2)
    first = rig.run()
    before = rig.submitted()
    rig.journal.set_pick("s1", 2)
    second = rig.run()
    assert second.results["s1/generate"].take == 2
    assert second.results["s1/generate"].key == first.results["s1/generate/t2"].key
    assert rig.submitted() == before + 1  # only the upscale of take 2
    assert second.results["s1/upscale"].key != first.results["s1/upscale"].key


def test_scorer_hook_chooses_the_take(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, [])}, shots=1, takes=3)
    out = rig.run(scorer=lambda shot, takes: takes[-1].take)
    assert out.results["s1/generate"].take == 3


def test_handoff_gives_previous_final_last_frame_as_first_frame(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, [])}, shots=2)
    rig.project = rig.project.model_copy(
        update={
            "shots": [
                rig.project.shots[0],
                rig.project.shots[1].model_copy(update={"continues_previous": True}),
            ]
        }
    )
    out = rig.run()
    assert out.results["s2/handoff"].state == JobStateName.SUCCEEDED
    s2 = next(r for r in rig.providers["cloud"].remote.values() if r.shot_id == "s2")
    assert s2.inputs["first_frame"].read_text().startswith("last frame of ")

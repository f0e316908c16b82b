"""The public API: animatic, structure gate, relay, cut, manifest, redo, pick, status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shotrelay.errors import SpecError
from shotrelay.relay.actions import approve, pick, redo, status
from shotrelay.relay.run import run
from shotrelay.spec.vocabulary import Stage, Task
from shotrelay.testing import LOCAL_MODELS, FakeCutter, FakeProvider, hooks, model

CLOUD = [model("veo", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.95)]
PROJECT = """name: ad
takes: {takes}
shots:
  - {{id: a, duration: 2, subject: a cat, role: hero}}
  - {{id: b, duration: 3, subject: a dog, role: hero}}
  - {{id: c, duration: 2, subject: a bird, role: hero, continues_previous: true}}
"""


class Catalog:
    def __init__(self, cloud: bool = True) -> None:
        self.models = LOCAL_MODELS + (CLOUD if cloud else [])


class Setup:
    def __init__(self, tmp: Path, *, takes: int = 1, cloud: bool = True) -> None:
        self.file = tmp / "ad.yaml"
        self.file.write_text(PROJECT.format(takes=takes))
        self.cutter = FakeCutter()
        self.local = FakeProvider("local")
        self.cloud = FakeProvider("cloud")
        self.providers = {"local": self.local}
        if cloud:
            self.providers["cloud"] = self.cloud
        self.catalog = Catalog(cloud)

    def run(self, **kw: object):  # type: ignore[no-untyped-def]
        return run(
            self.file,
            providers=self.providers,
            catalog=self.catalog,
            hooks=hooks(self.cutter),
            **kw,
        )  # type: ignore[arg-type]


def test_paid_plan_stops_at_the_gate_after_the_animatic(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    result = s.run()
    assert result.status == "awaiting_approval"
    assert "shotrelay approve" in result.message
    assert result.animatic is not None and result.animatic.is_file()
    assert s.cloud.submissions == []
    # Keyframe + clip for a and b; c continues b from its last frame, so a clip only.
    assert len(s.local.submissions) == 5
    assert [c.shot_id for c in s.cutter.calls[0]] == ["a", "b", "c"]


def test_approve_then_run_makes_final_cut_and_manifest(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.run()
    assert "approved" in approve(s.file)
    result = s.run()
    assert result.status == "done", result.failures
    assert result.final is not None and result.final.is_file()
    assert len(s.cloud.submissions) == 3
    manifest = json.loads(Path(str(result.manifest)).read_text())
    assert [sh["id"] for sh in manifest["shots"]] == ["a", "b", "c"]
    gen = next(st for st in manifest["shots"][0]["stages"] if st["stage"] == "generate")
    assert gen["model"] == "veo" and gen["provider"] == "cloud" and gen["chosen"]
    assert gen["estimate_usd"] == 1.0 and gen["actual_usd"] == 1.0 and gen["artifact"]
    assert gen["prompt"].startswith("[plain:veo]") and gen["seed"] is not None
    handoff = [st for st in manifest["shots"][2]["stages"] if st["stage"] == "handoff"]
    assert handoff and handoff[0]["state"] == "succeeded"
    assert manifest["cost"]["actual_usd"] == 3.0


def test_approval_lapses_when_structure_changes(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    approve(s.file)
    s.file.write_text(s.file.read_text().replace("duration: 3", "duration: 4"))
    assert s.run().status == "awaiting_approval"


def test_auto_approve_goes_straight_through(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    assert s.run(auto_approve=True).status == "done"
    assert status(s.file).approved


def test_local_only_plan_passes_the_gate_and_notes_it(tmp_path: Path) -> None:
    s = Setup(tmp_path, cloud=False)
    assert s.run().status == "done"
    report = status(s.file, last=50)
    assert any("informational" in e.message for e in report.events)


def test_noop_rerun_submits_nothing_and_does_not_recut(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.run(auto_approve=True)
    before = (len(s.local.submissions), len(s.cloud.submissions), len(s.cutter.calls))
    again = s.run()
    assert again.status == "done" and again.ran == 0
    assert (len(s.local.submissions), len(s.cloud.submissions), len(s.cutter.calls)) == before


def test_editing_one_shot_reruns_only_it_its_successor_and_the_cut(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.run(auto_approve=True)
    cloud_before = list(s.cloud.submissions)
    cuts = len(s.cutter.calls)
    s.file.write_text(s.file.read_text().replace("a dog", "a wolf"))
    assert s.run().status == "done"
    new = s.cloud.submissions[len(cloud_before) :]
    shots = [
        s.cloud.remote[f"cloud-{i}"].shot_id
        for i in range(len(cloud_before) + 1, len(s.cloud.submissions) + 1)
    ]
    assert sorted(shots) == ["b", "c"]  # c starts from b's last frame
    assert len(new) == 2
    assert len(s.cutter.calls) == cuts + 2  # the animatic and the final cut


def test_pick_changes_what_the_cut_uses(tmp_path: Path) -> None:
    s = Setup(tmp_path, takes=2)
    first = s.run(auto_approve=True)
    assert first.status == "done"
    cut_before = json.loads(Path(str(first.final)).read_text())
    pick(s.file, "a", 2)
    second = s.run()
    cut_after = json.loads(Path(str(second.final)).read_text())
    assert cut_before[0] != cut_after[0] and cut_before[1:] == cut_after[1:]
    seed_take2 = [r.seed for r in s.cloud.remote.values() if r.shot_id == "a"][1]
    assert json.loads(cut_after[0][1])["seed"] == seed_take2


def test_pick_refuses_a_take_that_was_never_made(tmp_path: Path) -> None:
    s = Setup(tmp_path, takes=2)
    with pytest.raises(SpecError, match="finished takes: none yet"):
        pick(s.file, "a", 1)
    s.run(auto_approve=True)
    with pytest.raises(SpecError, match=r"no finished take 3 \(finished takes: 1, 2\)"):
        pick(s.file, "a", 3)
    assert "take 2 picked" in pick(s.file, "a", 2)


def test_redo_reruns_that_stage_and_downstream_only(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.run(auto_approve=True)
    n = len(s.cloud.submissions)
    local_n = len(s.local.submissions)
    result = redo(
        s.file, "a", "generate", providers=s.providers, catalog=s.catalog, hooks=hooks(s.cutter)
    )
    assert result.status == "done"
    assert [s.cloud.remote[f"cloud-{i}"].shot_id for i in range(n + 1, n + 2)] == ["a"]
    assert len(s.cloud.submissions) == n + 1
    assert len(s.local.submissions) == local_n  # the keyframe upstream was kept


def test_redo_and_pick_refuse_unknown_shots(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    with pytest.raises(SpecError, match="no shot"):
        pick(s.file, "zz", 1)
    with pytest.raises(SpecError, match="unknown stage"):
        redo(s.file, "a", "polish")


def test_status_reports_jobs_costs_and_outputs(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.run(auto_approve=True)
    report = status(s.file)
    assert report.jobs.get("succeeded", 0) >= 9
    assert report.actual_usd == 3.0 and report.reserved_usd == 0.0
    assert report.outputs["final.mp4"] is not None
    assert report.events


def test_a_bad_account_limit_stops_the_run_before_any_work(tmp_path: Path) -> None:
    from shotrelay.errors import EngineError

    s = Setup(tmp_path)
    s.cloud.concurrency = "many"  # type: ignore[attr-defined]
    with pytest.raises(EngineError, match="concurrency 'many'"):
        s.run(auto_approve=True)
    assert s.local.submissions == [] and s.cloud.submissions == []


def test_a_native_voice_shot_runs_without_tts_or_lip_sync(tmp_path: Path) -> None:
    speaker = model("veo", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.95)
    speaker = speaker.model_copy(
        update={"inputs": speaker.inputs.model_copy(update={"native_audio": True})}
    )

    class Native:
        def __init__(self) -> None:
            self.models = [*LOCAL_MODELS, speaker]

    file = tmp_path / "talk.yaml"
    file.write_text(
        "name: talk\ncharacters: [{name: Ana}]\nshots:\n"
        "  - {id: a, duration: 2, role: dialogue, voice: native,\n"
        "     dialogue: [{speaker: Ana, line: We made it.}]}\n"
    )
    local, cloud = FakeProvider("local"), FakeProvider("cloud")
    result = run(
        file,
        providers={"local": local, "cloud": cloud},
        catalog=Native(),  # type: ignore[arg-type]
        hooks=hooks(FakeCutter()),
        auto_approve=True,
    )
    assert result.status == "done"
    stages = {r.stage for r in [*local.remote.values(), *cloud.remote.values()]}
    assert stages == {Stage.KEYFRAME, Stage.GENERATE}
    assert [r.model.id for r in cloud.remote.values()] == ["veo"]

"""The relay cuts the best judged take, shows every take's score, keeps a pick without
--takes, and stops a shot for a person when every take fails hard QC."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from tests.judge.clips import DEFECTS, FPS, Frame, clean
from typer.testing import CliRunner

from shotrelay.edit import CutItem
from shotrelay.engine.jobs import derive_seed
from shotrelay.media import write_video
from shotrelay.providers.base import Handle, JobRequest, ProviderResult
from shotrelay.relay.actions import pick, status
from shotrelay.relay.run import RunResult, run
from shotrelay.spec.models import Format
from shotrelay.spec.vocabulary import Stage, Task
from shotrelay.testing import LOCAL_MODELS, FakeCutter, FakeProvider, hooks, model

PROJECT = """name: takes
format: {resolution: 360p, fps: 12}
shots:
  - {id: s1, duration: 2, subject: a kite, camera: pan-right, role: hero}
"""
CLOUD = [model("veo", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.95)]


class Cutter(FakeCutter):
    """Records the cut's clips by content hash (the clips are real MP4s, not text)."""

    def __call__(self, clips: list[CutItem], out: Path, fmt: Format, music: Path | None) -> Path:
        self.calls.append(clips)
        out.write_text(json.dumps([hashlib.sha256(c.path.read_bytes()).hexdigest() for c in clips]))
        return out


class Catalog:
    models = LOCAL_MODELS + CLOUD


class Takes(FakeProvider):
    """Writes a real clip per take: ``clips[n]`` makes take n's frames."""

    def __init__(self, name: str, clips: dict[int, Callable[[], list[Frame]]]) -> None:
        super().__init__(name)
        self.clips = clips

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        if request.stage != Stage.GENERATE:
            return await super().fetch(handle, request, dest)
        self.in_flight -= 1
        take = next(
            t for t in range(1, 9) if derive_seed("takes", request.shot_id, t) == request.seed
        )
        path = write_video(dest / "out.mp4", self.clips[take](), fps=FPS)
        return ProviderResult(path=path, media_type="video/mp4", cost_usd=1.0)


def go(tmp: Path, clips: dict[int, Callable[[], list[Frame]]], takes: int | None) -> RunResult:
    file = tmp / "takes.yaml"
    file.write_text(PROJECT)
    providers = {"local": FakeProvider("local"), "cloud": Takes("cloud", clips)}
    return run(
        file,
        providers=providers,
        catalog=Catalog(),
        hooks=hooks(Cutter()),
        auto_approve=True,
        takes=takes,
    )


THREE = {1: DEFECTS["black"], 2: DEFECTS["flicker"], 3: clean}


def test_three_takes_cut_the_clean_one_and_show_every_score(tmp_path: Path) -> None:
    result = go(tmp_path, THREE, takes=3)
    assert result.status == "done", result.failures
    assert result.manifest is not None
    manifest = json.loads(result.manifest.read_text())
    (shot,) = manifest["shots"]
    chosen = [s["take"] for s in shot["stages"] if s["chosen"]]
    assert chosen == [3]
    takes = {t["take"]: t for t in shot["takes"]}
    assert set(takes) == {1, 2, 3}
    assert takes[1]["defective"] and any("black" in f for f in takes[1]["failed"])
    assert any("flicker" in f for f in takes[2]["failed"])
    assert takes[3]["chosen"] and "take 3 judged best" in takes[3]["why"]
    assert "runner-up take 2" in takes[3]["why"] and "flicker" in takes[3]["why"]
    assert takes[3]["score"] > takes[2]["score"] > takes[1]["score"]

    from shotrelay.cli import app

    out = CliRunner().invoke(app, ["status", str(tmp_path / "takes.yaml"), "--json"])
    assert out.exit_code == 0, out.output
    scores = json.loads(out.output)["scores"]["s1"]
    assert sorted(t["take"] for t in scores) == [1, 2, 3]
    assert [t["take"] for t in scores if t["chosen"]] == [3]


def test_a_pick_holds_on_a_later_run_without_takes(tmp_path: Path) -> None:
    assert go(tmp_path, THREE, takes=3).status == "done"
    pick(tmp_path / "takes.yaml", "s1", 2)
    again = go(tmp_path, THREE, takes=None)
    assert again.status == "done", again.failures
    assert again.ran == 0  # every take was cached: the pick cost nothing
    assert again.manifest is not None
    (shot,) = json.loads(again.manifest.read_text())["shots"]
    assert [s["take"] for s in shot["stages"] if s["chosen"]] == [2]


def test_the_judged_choice_holds_on_a_later_run_without_takes(tmp_path: Path) -> None:
    assert go(tmp_path, THREE, takes=3).status == "done"
    again = go(tmp_path, THREE, takes=None)
    assert again.status == "done" and again.ran == 0
    assert again.manifest is not None
    (shot,) = json.loads(again.manifest.read_text())["shots"]
    assert [s["take"] for s in shot["stages"] if s["chosen"]] == [3]


def test_when_every_take_fails_hard_qc_the_shot_waits_for_a_person(tmp_path: Path) -> None:
    bad = {1: DEFECTS["black"], 2: DEFECTS["frozen"]}
    result = go(tmp_path, bad, takes=2)
    assert result.status == "incomplete"
    assert result.final is None
    (missing,) = result.missing
    why = " ".join(missing.why)
    assert "every take failed hard QC" in why and "shotrelay pick" in why
    assert "takes_rejected" in [e.kind for e in status(tmp_path / "takes.yaml", last=50).events]
    pick(tmp_path / "takes.yaml", "s1", 2)  # a person may still cut one
    assert go(tmp_path, bad, takes=None).status == "done"


class Retakes(Takes):
    """Black takes at revision 0, clean ones after a re-take."""

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        if request.stage == Stage.GENERATE and request.seed in {
            derive_seed("takes", request.shot_id, t, 1) for t in range(1, 9)
        }:
            self.in_flight -= 1
            path = write_video(dest / "out.mp4", clean(), fps=FPS)
            return ProviderResult(path=path, media_type="video/mp4", cost_usd=1.0)
        return await super().fetch(handle, request, dest)


def test_by_policy_a_defective_shot_is_re_taken_within_the_run(tmp_path: Path) -> None:
    file = tmp_path / "takes.yaml"
    file.write_text(PROJECT)
    black = {1: DEFECTS["black"], 2: DEFECTS["black"]}
    cloud = Retakes("cloud", black)
    result = run(
        file,
        providers={"local": FakeProvider("local"), "cloud": cloud},
        catalog=Catalog(),
        hooks=hooks(Cutter(), retakes=1),
        auto_approve=True,
        takes=2,
    )
    assert result.status == "done", result.failures
    assert len([s for s in cloud.submissions]) == 4  # two defective takes, two new ones
    kinds = [e.kind for e in status(file, last=100).events]
    assert "takes_rejected" in kinds and "retake" in kinds

"""The relay's judge feeds learning and sees more: VLM rubric axes and learned scorers
become outcomes, each take is held against the previous shot's chosen take, the checks run
off the event loop, and the re-take policy is a project field."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from tests.judge.clips import FPS, Frame, clean, pan
from tests.judge.test_relay_takes import Catalog, Cutter, Retakes
from tests.judge.tiny_clip import export

from shotrelay.engine.events import EngineEvent
from shotrelay.engine.jobs import derive_seed
from shotrelay.learn import OutcomeStore
from shotrelay.media import write_video
from shotrelay.providers.base import Handle, JobRequest, ProviderResult
from shotrelay.relay import RunResult, judging, run
from shotrelay.relay.actions import status
from shotrelay.spec.models import Shot
from shotrelay.spec.vocabulary import Stage
from shotrelay.testing import FakeProvider, hooks

PROJECT = """name: takes
format: {resolution: 360p, fps: 12}
shots:
  - {id: s0, duration: 2, subject: a kite, camera: pan-right, role: establishing}
  - {id: s1, duration: 2, subject: a kite, camera: pan-right, role: hero}
"""


def redder() -> list[Frame]:
    """The clean pan, red-tinted: another palette."""
    return [np.clip(f.astype(int) * [1.6, 0.5, 0.5], 0, 255).astype(np.uint8) for f in clean()]


class Shots(FakeProvider):
    """A real clip per (shot, take); a shot in ``after`` waits until ``gate`` is set."""

    def __init__(self, clips: dict[tuple[str, int], Callable[[], list[Frame]]]) -> None:
        super().__init__("cloud")
        self.clips = clips
        self.gates: dict[str, threading.Event] = {}

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        if request.stage != Stage.GENERATE:
            return await super().fetch(handle, request, dest)
        if (gate := self.gates.get(request.shot_id)) is not None:
            assert await asyncio.to_thread(gate.wait, 30), "the gate was never opened"
        self.in_flight -= 1
        take = next(
            t for t in range(1, 9) if derive_seed("takes", request.shot_id, t) == request.seed
        )
        path = write_video(dest / "out.mp4", self.clips[(request.shot_id, take)](), fps=FPS)
        return ProviderResult(path=path, media_type="video/mp4", cost_usd=1.0)


def go(tmp: Path, cloud: FakeProvider, takes: int, **kw: Any) -> RunResult:
    file = tmp / "takes.yaml"
    if not file.exists():
        file.write_text(PROJECT)
    providers = {"local": FakeProvider("local"), "cloud": cloud}
    return run(
        file, providers=providers, catalog=Catalog(), hooks=hooks(Cutter()), auto_approve=True,
        takes=takes, **kw,
    )  # fmt: skip


EVERY = {(s, t): clean for s in ("s0", "s1") for t in (1, 2)}


def test_vlm_rubric_axes_become_outcomes_of_their_own_kind(tmp_path: Path) -> None:
    def vlm(
        shot: Shot, before: Shot | None, after: Shot | None, frames: list[NDArray[np.uint8]]
    ) -> Mapping[str, tuple[float, str]]:
        return {"intent": (0.9, "a kite"), "aesthetics": (0.3, "flat"), "motion": (0.8, "pans")}

    assert go(tmp_path, Shots(EVERY), 1, vlm=vlm).status == "done"
    seen = {(o.shot_class, o.axis): o.value for o in OutcomeStore().read() if o.kind == "vlm"}
    assert seen == {
        ("establishing", "control"): 0.9,
        ("establishing", "aesthetics"): 0.3,
        ("establishing", "motion"): 0.8,
        ("hero", "control"): 0.9,
        ("hero", "aesthetics"): 0.3,
        ("hero", "motion"): 0.8,
    }
    judged = {o.axis for o in OutcomeStore().read() if o.kind == "judged"}
    assert {"aesthetics", "motion"} <= judged


def test_learned_scorers_named_in_the_environment_judge_every_take(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOTRELAY_CLIP_MODEL", str(export(tmp_path / "clip")))
    result = go(tmp_path, Shots(EVERY), 1)
    assert result.status == "done", result.failures
    rows = status(tmp_path / "takes.yaml").scores
    assert all("clip_alignment" in take["checks"] for takes in rows.values() for take in takes)
    assert "control" in {o.axis for o in OutcomeStore().read() if o.kind == "judged"}


def test_a_bad_clip_model_path_stops_the_run_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shotrelay.errors import SpecError

    monkeypatch.setenv("SHOTRELAY_CLIP_MODEL", str(tmp_path / "nowhere"))
    cloud = Shots(EVERY)
    with pytest.raises(SpecError, match="does not exist"):
        go(tmp_path, cloud, 1)
    assert cloud.submissions == []


def test_each_take_is_held_against_the_previous_shots_chosen_take(tmp_path: Path) -> None:
    clips = {**EVERY, ("s1", 1): redder, ("s1", 2): lambda: pan(24, 8.0)}
    cloud = Shots(clips)
    cloud.gates["s1"] = chosen = threading.Event()

    phase = {"relay": False}  # the animatic's takes are chosen unjudged

    def on_event(e: EngineEvent) -> None:  # s1 is made once s0's take is chosen
        phase["relay"] |= e.kind == "phase" and e.message == "relay"
        if phase["relay"] and e.kind == "take" and e.shot_id == "s0":
            chosen.set()

    result = go(tmp_path, cloud, 2, on_event=on_event)
    assert result.status == "done", result.failures
    rows = status(tmp_path / "takes.yaml").scores
    assert all("continuity" not in t["checks"] for t in rows["s0"])  # the first shot
    s1 = {t["take"]: t for t in rows["s1"]}
    assert not s1[1]["checks"]["continuity"]["passed"]
    assert s1[2]["checks"]["continuity"]["passed"]
    assert s1[2]["chosen"] and "continuity" in s1[2]["why"]


def test_judging_runs_off_the_event_loop_while_another_shot_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    judging_started, s1_made = threading.Event(), threading.Event()
    progressed: list[bool] = []
    real = judging.judge_clip

    def judge_clip(path: Path, *args: Any, **kw: Any) -> Any:
        if not judging_started.is_set():  # the first take judged waits for s1 to be made
            judging_started.set()
            progressed.append(s1_made.wait(30))
        return real(path, *args, **kw)

    monkeypatch.setattr(judging, "judge_clip", judge_clip)
    cloud = Shots(EVERY)
    cloud.gates["s1"] = judging_started

    phase = {"relay": False}  # the animatic makes s1 too, on the local previs

    def on_event(e: EngineEvent) -> None:
        phase["relay"] |= e.kind == "phase" and e.message == "relay"
        made = e.shot_id == "s1" and e.stage == "generate" and e.state == "succeeded"
        if phase["relay"] and made:
            s1_made.set()

    assert go(tmp_path, cloud, 1, on_event=on_event).status == "done"
    # had the judge held the event loop, s1's generation could not have finished meanwhile
    assert progressed == [True]


def test_the_project_file_sets_the_re_take_policy(tmp_path: Path) -> None:
    from tests.judge.clips import DEFECTS

    file = tmp_path / "takes.yaml"
    file.write_text(
        "name: takes\nformat: {resolution: 360p, fps: 12}\nretakes: 1\nshots:\n"
        "  - {id: s1, duration: 2, subject: a kite, camera: pan-right, role: hero}\n"
    )
    cloud = Retakes("cloud", {1: DEFECTS["black"]})
    result = go(tmp_path, cloud, 1)
    assert result.status == "done", result.failures
    assert len(cloud.submissions) == 2  # the black take, then one new take
    assert "retake" in [e.kind for e in status(file, last=100).events]


@pytest.mark.parametrize(("option", "code", "made"), [([], 1, 1), (["--retakes", "1"], 0, 2)])
def test_run_retakes_on_the_command_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    option: list[str],
    code: int,
    made: int,
) -> None:
    from tests.judge.clips import DEFECTS
    from typer.testing import CliRunner

    from shotrelay import relay
    from shotrelay.cli import app

    file = tmp_path / "takes.yaml"
    file.write_text(
        "name: takes\nformat: {resolution: 360p, fps: 12}\nshots:\n"
        "  - {id: s1, duration: 2, subject: a kite, camera: pan-right, role: hero}\n"
    )
    cloud = Retakes("cloud", {1: DEFECTS["black"]})
    real = relay.run

    def offline(path: Path, **kw: Any) -> RunResult:  # the CLI's run, on fake providers
        given = kw.pop("hooks", None)
        retakes = {"retakes": given.retakes} if given is not None else {}
        kw |= {"providers": {"local": FakeProvider("local"), "cloud": cloud}, "catalog": Catalog()}
        return real(path, **kw, hooks=hooks(Cutter(), **retakes))

    monkeypatch.setattr(relay, "run", offline)  # api.run_project looks relay.run up per call
    out = CliRunner().invoke(app, ["run", str(file), "--auto-approve", "-q", *option])
    assert out.exit_code == code, out.output
    assert len(cloud.submissions) == made

"""A run with a missing shot writes no final.mp4: a named partial cut, and says why (issue 10/8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shotrelay.errors import InvalidInput
from shotrelay.providers.base import Handle, JobRequest
from shotrelay.relay import RunResult, run
from shotrelay.relay.actions import redo, status
from shotrelay.spec.vocabulary import Stage, Task
from shotrelay.testing import LOCAL_MODELS, FakeCutter, FakeProvider, hooks, model

CLOUD = [model("veo", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.95)]
PROJECT = """name: ad
shots:
  - {id: a, duration: 2, subject: a cat, role: hero}
  - {id: b, duration: 3, subject: a dog, role: hero}
  - {id: c, duration: 2, subject: a bird, role: hero}
"""
ADVICE = (
    "the submission went out and no answer came back: check the provider's dashboard, then "
    "run again with --resubmit-unknown to submit it again"
)


class Picky(FakeProvider):
    """Fails every generate of the shots in ``refuse`` (a set shared by every provider)."""

    def __init__(self, name: str, refuse: set[str]) -> None:
        super().__init__(name)
        self.refuse = refuse

    async def submit(self, request: JobRequest) -> Handle:
        if request.shot_id in self.refuse and request.stage == Stage.GENERATE:
            raise InvalidInput(f"shot {request.shot_id}: {ADVICE}")
        return await super().submit(request)


class Catalog:
    models = LOCAL_MODELS + CLOUD


class Setup:
    def __init__(self, tmp: Path) -> None:
        self.file = tmp / "ad.yaml"
        self.file.write_text(PROJECT)
        self.cutter = FakeCutter()
        self.refuse: set[str] = set()
        self.providers = {
            "local": Picky("local", self.refuse),
            "cloud": Picky("cloud", self.refuse),
        }

    def kw(self) -> dict[str, object]:
        return {
            "providers": self.providers,
            "catalog": Catalog(),
            "hooks": hooks(self.cutter),
            "auto_approve": True,
        }

    def run(self) -> RunResult:
        return run(self.file, **self.kw())  # type: ignore[arg-type]


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


def test_a_missing_shot_writes_a_partial_cut_not_final(setup: Setup) -> None:
    setup.refuse.add("b")
    result = setup.run()
    assert result.status == "incomplete"
    out = result.workspace / "out"
    assert result.final is None and not (out / "final.mp4").exists()
    assert result.partial == out / "partial.mp4" and result.partial.is_file()
    assert [c.shot_id for c in setup.cutter.calls[-1]] == ["a", "c"]
    assert [m.shot_id for m in result.missing] == ["b"]
    assert any(ADVICE in why for why in result.missing[0].why)
    assert "shot b" in result.message and ADVICE in result.message  # in full, not a count
    assert "partial.mp4" in result.message and "no final.mp4" in result.message


def test_an_earlier_final_is_not_left_standing_for_a_cut_that_lost_a_shot(setup: Setup) -> None:
    done = setup.run()
    assert done.status == "done" and done.final is not None and done.final.is_file()
    setup.refuse.add("b")
    again = redo(setup.file, "b", Stage.GENERATE, **setup.kw())  # type: ignore[arg-type]
    assert again.status == "incomplete"
    assert not done.final.exists()  # never a final.mp4 that is not this plan's complete cut
    assert again.partial is not None and again.partial.is_file()
    setup.refuse.clear()
    fixed = setup.run()
    assert fixed.status == "done" and fixed.final is not None and fixed.final.is_file()
    assert fixed.partial is None and not again.partial.exists()  # the stale partial goes
    assert status(setup.file).outputs["partial.mp4"] is None


def test_the_manifest_marks_the_cut_partial(setup: Setup) -> None:
    setup.refuse.add("b")
    result = setup.run()
    data = json.loads(Path(str(result.manifest)).read_text())
    assert data["final"] is None
    assert data["cut"]["complete"] is False
    assert data["cut"]["file"] == str(result.partial)
    assert [m["shot_id"] for m in data["cut"]["missing"]] == ["b"]
    assert ADVICE in " ".join(data["cut"]["missing"][0]["why"])
    setup.refuse.clear()
    whole = json.loads(Path(str(setup.run().manifest)).read_text())
    assert whole["cut"] == {"complete": True, "file": whole["final"], "missing": []}


def test_cli_names_the_missing_shot_and_exits_1(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shotrelay.relay as engine
    from shotrelay.cli import app

    setup.refuse.add("b")
    real = engine.run
    monkeypatch.setattr(engine, "run", lambda path, **kw: real(path, **{**kw, **setup.kw()}))
    result = CliRunner().invoke(app, ["run", str(setup.file), "--auto-approve", "-q"])
    assert result.exit_code == 1, result.output
    assert "shot b" in result.output and ADVICE in result.output.replace("\n", " ")
    assert "partial:" in result.output and "final:" not in result.output

"""Issue 10 from the command line, as a user runs it: providers configured only through the
environment (base URL and a fake key), faults injected by the provider server, counts from its
ledger."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from shotrelay.cli import app
from shotrelay.relay import EngineHooks, RunResult, run

from .protocols import PROTOCOLS
from .provider_server import ProviderServer, drop_after_read, truncate
from .rig import SECRET

KEY_ENV = {"luma": "LUMAAI_API_KEY", "runway": "RUNWAYML_API_SECRET"}
OTHER_KEYS = (
    "OPENAI_API_KEY", "FAL_KEY", "REPLICATE_API_TOKEN", "GEMINI_API_KEY", "ELEVENLABS_API_KEY",
    "ANTHROPIC_API_KEY", "SYNC_API_KEY", "LUMAAI_API_KEY", "RUNWAYML_API_SECRET",
)  # fmt: skip
MODELS = {"luma": "luma-ray-2", "runway": "runway-gen4-turbo"}


def project_yaml(model: str, shots: int) -> str:
    """Shots whose keyframe is local and whose clip is on ``model``."""
    lines = [
        "name: faults",
        "brief: A kite over a grey sea.",
        'format: {aspect: "16:9", resolution: 360p, fps: 12}',
        "shots:",
    ]
    for i in range(1, shots + 1):
        lines += [
            f"  - id: s{i}",
            "    duration: 2",
            "    role: b-roll",
            f"    subject: a red kite number {i}",
            "    setting: a grey sea",
            f"    models: {{keyframe: local-previs, generate: {model}}}",
        ]
    return "\n".join(lines) + "\n"


class Cloud:
    """One provider server configured through the environment, and a project that uses it."""

    def __init__(self, provider: str, folder: Path, media: dict[str, bytes], shots: int) -> None:
        protocol = PROTOCOLS[provider]()
        protocol.media = media[protocol.media_type]
        self.server = ProviderServer(protocol).start()
        self.env = {
            f"SHOTRELAY_{provider.upper()}_BASE_URL": self.server.url,
            KEY_ENV[provider]: SECRET,
        }
        folder.mkdir(parents=True, exist_ok=True)
        self.project = folder / "project.yaml"
        self.project.write_text(project_yaml(MODELS[provider], shots))
        Image.new("RGB", (32, 18)).save(folder / "unused.png")

    def finals(self) -> list[Path]:
        return sorted(self.project.parent.rglob("final*.mp4"))


MakeCloud = Callable[..., Cloud]


@pytest.fixture
def cloud(
    tmp_path: Path, media: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> Iterator[MakeCloud]:
    made: list[Cloud] = []

    def make(provider: str, shots: int = 1) -> Cloud:
        c = Cloud(provider, tmp_path / "film", media, shots)
        for name in OTHER_KEYS:
            monkeypatch.delenv(name, raising=False)
        for name, value in c.env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(tmp_path)
        made.append(c)
        return c

    yield make
    for c in made:
        c.server.stop()


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_cli_lost_submission_answer_ends_unknown_with_one_submission(cloud: MakeCloud) -> None:
    c = cloud("runway")  # Runway has no listing to ask
    c.server.fault("submit", 1, drop_after_read())
    _, out = invoke("run", str(c.project), "--auto-approve")
    assert len(c.server.ledger.accepted) == 1 and c.server.ledger.calls("submit") == 1, out
    assert "unknown" in out and "--resubmit-unknown" in out, out
    assert c.finals() == [] or all("partial" in p.name for p in c.finals()), out
    assert SECRET not in out


def test_cli_truncated_download_ends_with_a_cut_and_one_submission(cloud: MakeCloud) -> None:
    c = cloud("luma")
    c.server.fault("media", 1, truncate(64))
    code, out = invoke("run", str(c.project), "--auto-approve")
    assert code == 0, out
    assert len(c.server.ledger.accepted) == 1 and c.server.ledger.calls("submit") == 1, out
    assert [p.name for p in c.finals()] == ["final.mp4"], out


def test_cli_refusal_is_never_resubmitted_to_the_refusing_model(cloud: MakeCloud) -> None:
    c = cloud("luma")
    c.server.fail_as("moderation")  # "failed to moderate image": no keyword in it
    _, out = invoke("run", str(c.project), "--auto-approve")
    assert c.server.ledger.calls("submit") == 1, out
    assert "Rejected" in out or "refus" in out.lower(), out


def test_a_second_concurrent_run_pays_nothing_twice(cloud: MakeCloud) -> None:
    c = cloud("luma", shots=3)
    c.server.hold.set()  # the first run's jobs stay running until released

    async def no_wait(_s: float) -> None:
        import asyncio

        await asyncio.sleep(0.01)

    first: list[RunResult] = []
    thread = threading.Thread(
        target=lambda: first.append(
            run(c.project, auto_approve=True, hooks=EngineHooks(sleep=no_wait))
        ),
        daemon=True,
    )
    thread.start()
    started = threading.Event()
    for _ in range(500):  # the first run has a paid job in flight (ledger, not the clock)
        if c.server.ledger.accepted:
            started.set()
            break
        started.wait(0.02)
    assert started.is_set(), "the first run never submitted"
    env = {**os.environ, **c.env}
    second = subprocess.run(
        [str(Path(sys.executable).parent / "shotrelay"), "run", str(c.project), "--auto-approve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    c.server.hold.clear()
    thread.join(timeout=120)
    ids = [j.body.get("prompt") for j in c.server.ledger.accepted]
    assert len(ids) == len(set(ids)) <= 3, f"paid twice: {ids}\n{second.stdout}{second.stderr}"
    said = second.stdout + second.stderr
    assert second.returncode != 0 and "--wait" in said, said  # refused, saying how to wait
    assert first and first[0].status == "done", first

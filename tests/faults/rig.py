"""The real engine (Executor) and one real cloud adapter against a fault server, on a one-shot
graph whose model chain ends in a free fake local model."""

from __future__ import annotations

import asyncio
import inspect
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shotrelay.catalog.profile import Latency, ModelProfile, Pricing, PricingRule
from shotrelay.engine.events import EngineEvent
from shotrelay.engine.executor import Executor, NodeResult, Outcome
from shotrelay.engine.graph import JobGraph
from shotrelay.engine.journal import JobRow, JobStateName, Journal
from shotrelay.engine.settings import ExecutorHooks, ExecutorSettings
from shotrelay.engine.store import ArtifactStore
from shotrelay.providers.elevenlabs import ElevenLabsProvider
from shotrelay.providers.fal import FalProvider
from shotrelay.providers.http import HttpProvider, SyncHttpProvider
from shotrelay.providers.luma import LumaProvider
from shotrelay.providers.openai import OpenAIImagesProvider
from shotrelay.providers.replicate import ReplicateProvider
from shotrelay.providers.runway import RunwayProvider
from shotrelay.providers.sora import SoraProvider
from shotrelay.providers.sync_so import SyncSoProvider
from shotrelay.providers.veo import VeoProvider
from shotrelay.relay.compile import build_graph
from shotrelay.spec.models import Character, DialogueLine, Project, Shot
from shotrelay.spec.vocabulary import Stage, Task
from shotrelay.testing import FakeProvider, NoSleep, Packet, compile_plain, last_frame_fake
from shotrelay.testing import model as fake_model

from .protocols import PROTOCOLS
from .provider_server import ProviderServer

#: A key distinctive enough that a leak is caught.
SECRET = "sk-FAULTS-leakcheck-51c2e0"
PRICE = 1.0
TIMEOUT = 0.3


class Crash(BaseException):
    """Stands for the process dying: nothing in the engine may catch it."""


@dataclass(frozen=True)
class Adapter:
    """One cloud adapter as the matrix drives it."""

    name: str
    make: type[HttpProvider]
    api_model: str
    task: Task
    stage: Stage

    @property
    def synchronous(self) -> bool:
        return issubclass(self.make, SyncHttpProvider)

    @property
    def has_listing(self) -> bool:
        """Whether the adapter can ask the provider's listing (spool adoption is not one)."""
        return not self.synchronous and self.make.find_call is not HttpProvider.find_call

    @property
    def proves_absence(self) -> bool:
        """Whether its listing can say "never arrived" at once (fal lists a request only once
        it has ended, so absence proves nothing until ``settle_s`` has passed)."""
        return self.has_listing and not getattr(self.make, "settle_s", 0)


ADAPTERS = {
    a.name: a
    for a in (
        Adapter(
            "fal", FalProvider, "fal-ai/wan/v2.2/text-to-video", Task.TEXT_TO_VIDEO, Stage.GENERATE
        ),
        Adapter("runway", RunwayProvider, "gen4.5", Task.TEXT_TO_VIDEO, Stage.GENERATE),
        Adapter("luma", LumaProvider, "ray-2", Task.TEXT_TO_VIDEO, Stage.GENERATE),
        Adapter(
            "replicate", ReplicateProvider, "minimax/video-01", Task.TEXT_TO_VIDEO, Stage.GENERATE
        ),
        Adapter(
            "veo", VeoProvider, "veo-3.1-fast-generate-preview", Task.TEXT_TO_VIDEO, Stage.GENERATE
        ),
        Adapter("sync", SyncSoProvider, "lipsync-2", Task.LIPSYNC, Stage.LIPSYNC),
        Adapter("sora", SoraProvider, "sora-2", Task.TEXT_TO_VIDEO, Stage.GENERATE),
        Adapter("elevenlabs", ElevenLabsProvider, "eleven_multilingual_v2", Task.TTS, Stage.TTS),
        Adapter(
            "openai", OpenAIImagesProvider, "gpt-image-1.5", Task.TEXT_TO_IMAGE, Stage.KEYFRAME
        ),
    )
}

LOCAL = {
    Stage.GENERATE: fake_model(
        "local-gen", "local", [Task.TEXT_TO_VIDEO, Task.IMAGE_TO_VIDEO], local=True
    ),
    Stage.LIPSYNC: fake_model("local-dub", "local", [Task.LIPSYNC], local=True),
    Stage.TTS: fake_model("local-tts", "local", [Task.TTS], local=True),
    Stage.KEYFRAME: fake_model("local-previs", "local", [Task.TEXT_TO_IMAGE], local=True),
}


def cloud_row(adapter: Adapter, *, bills_failed: bool, concurrency: int = 4) -> ModelProfile:
    """The catalog row of the adapter's model: $1 a clip."""
    return ModelProfile(
        id=f"{adapter.name}-model",
        provider=adapter.make.name,
        name=adapter.name,
        api_model=adapter.api_model,
        tasks=[adapter.task],
        pricing=Pricing(rule=PricingRule.PER_CLIP, usd=PRICE),
        latency=Latency(base_s=1.0),
        concurrency=concurrency,
        resolutions=["720p", "1080p"],
        inputs={"seed": True},
        bills_failed=bills_failed,
    )


def closed_port_url() -> str:
    """A loopback URL nothing listens on (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def route_plan(project: Project, stages: list[tuple[Stage, ModelProfile, list[str]]]) -> Any:
    """The same route for every shot (shotrelay.testing.plan with an ordered stage list)."""
    from shotrelay.testing import plan

    return plan(project, {stage: (m, fb) for stage, m, fb in stages})


class Rig:
    """One adapter, its fault server, the real Executor, journal and store in ``tmp``."""

    def __init__(
        self,
        tmp: Path,
        adapter: Adapter,
        media: dict[str, bytes],
        *,
        shots: int = 1,
        bills_failed: bool = False,
        fallback: bool = True,
        base_url: str | None = None,
        concurrency: int = 4,
        budget: float | None = None,
    ) -> None:
        self.tmp, self.adapter = tmp, adapter
        protocol = PROTOCOLS[adapter.name]()
        protocol.media = media[protocol.media_type]
        self.server = ProviderServer(protocol).start()
        kw: dict[str, Any] = {"spool_dir": tmp / "spool"} if adapter.synchronous else {}
        if "platform_url" in inspect.signature(adapter.make.__init__).parameters:
            # fal's listing is on its platform API, another host
            kw["platform_url"] = f"{base_url or self.server.url}/v1"
        self.provider = adapter.make(
            base_url=base_url or self.server.url, api_key=SECRET, timeout=TIMEOUT, **kw
        )
        self.local = FakeProvider("local")
        self.row = cloud_row(adapter, bills_failed=bills_failed, concurrency=concurrency)
        local = LOCAL[adapter.stage]
        self.budget = budget if budget is not None else PRICE * shots + PRICE / 2
        self.project = Project(
            name="faults",
            budget_usd=self.budget,
            characters=[Character(name="Ana")],
            shots=[
                Shot(
                    duration=4,
                    subject=f"a red kite {i}",
                    characters=["Ana"],
                    dialogue=[DialogueLine(speaker="Ana", line="Hello there.")],
                )
                for i in range(1, shots + 1)
            ],
        )
        stages = [(adapter.stage, self.row, [local.id] if fallback else [])]
        if adapter.stage is Stage.LIPSYNC:  # lip sync needs a clip and a voice upstream
            stages = [
                (Stage.GENERATE, LOCAL[Stage.GENERATE], []),
                (Stage.TTS, LOCAL[Stage.TTS], []),
                *stages,
            ]
        elif adapter.stage is not Stage.GENERATE:  # every shot has a clip
            stages = [*stages, (Stage.GENERATE, LOCAL[Stage.GENERATE], [])]
        self.models = {m.id: m for m in (self.row, *LOCAL.values())}
        self.plan = route_plan(self.project, stages)
        self.sleep = NoSleep()
        self.store = ArtifactStore(tmp / "store")
        self.journal = Journal(tmp / "journal.sqlite")
        self.events: list[EngineEvent] = []
        self.crash_on: Callable[[EngineEvent], bool] | None = None

    @property
    def providers(self) -> dict[str, Any]:
        return {self.adapter.make.name: self.provider, "local": self.local}

    def graph(self) -> JobGraph:
        return build_graph(
            self.project,
            self.plan,
            self.models,
            store=self.store,
            compile=compile_plain,
            packets=lambda s: Packet(),
        )

    def _on_event(self, event: EngineEvent) -> None:
        self.events.append(event)
        if self.crash_on is not None and self.crash_on(event):
            self.crash_on = None
            raise Crash(f"died at {event.kind} {event.state}")

    def run(self, **kw: Any) -> Outcome:
        """One run of the graph by a new Executor on the same journal and store."""
        ex = Executor(
            self.journal,
            self.store,
            self.providers,
            self.models,
            ExecutorSettings(budget_usd=self.budget, sleep=self.sleep, rand=lambda: 0.5, **kw),
            ExecutorHooks(on_event=self._on_event, extract_last_frame=last_frame_fake),
            scratch=self.tmp / "scratch",
        )
        return asyncio.run(ex.run(self.graph()))

    # -- what the assertions read ---------------------------------------------------------------

    def node(self, outcome: Outcome, shot: int = 1) -> NodeResult:
        """The result of the adapter's stage for shot ``shot`` (its chosen take)."""
        return outcome.results[f"s{shot}/{self.adapter.stage.value}"]

    def row_of(self, outcome: Outcome, shot: int = 1) -> JobRow:
        """The journal row of that stage's job."""
        rows = [
            r for r in self.journal.jobs(shot_id=f"s{shot}") if r.stage == self.adapter.stage.value
        ]
        assert rows, f"no journal row for s{shot}/{self.adapter.stage.value}"
        return rows[0]

    @property
    def accepted(self) -> int:
        return len(self.server.ledger.accepted)

    def submits(self) -> int:
        """Submission requests that reached the server (accepted or not)."""
        return self.server.ledger.calls("submit")

    def billed_usd(self) -> float:
        """What the provider charges: accepted jobs, failed ones only if it bills them."""
        billed = [
            j for j in self.server.ledger.accepted if j.failure is None or self.row.bills_failed
        ]
        return PRICE * len(billed)

    def events_of(self, kind: str) -> list[str]:
        """Journal event messages of ``kind`` (retry, fallback, attempt_failed, ...)."""
        return [e.message for e in self.journal.events(kind=kind)]

    def story(self) -> str:
        """The journal's events and the server's requests, for assertion messages."""
        events = [f"{e.kind}: {e.message[:160]}" for e in self.journal.events()]
        seen = [f"{r.phase} {r.method} {r.path}" for r in self.server.ledger.requests]
        return "\n".join(["events:", *events, "requests:", *seen])

    def check_invariants(self) -> None:
        """At most one live paid job per engine job; the budget holds; nothing leaked."""
        live = [j for j in self.server.ledger.accepted if j.failure is None]
        assert len(live) <= len(self.project.shots), f"paid twice: {[j.id for j in live]}"
        assert self.billed_usd() <= self.budget + 1e-9, (self.billed_usd(), self.budget)
        for e in self.journal.events():
            assert SECRET not in e.message

    def close(self) -> None:
        self.server.stop()
        self.journal.close()


JobState = JobStateName

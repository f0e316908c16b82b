"""The comfyui adapter against a loopback ComfyUI: what it sends, how it reads every state,
and how it stays money- and crash-safe (one prompt per job, found again by its prompt_id)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import av
import pytest

from shotrelay.errors import InvalidInput
from shotrelay.providers.base import Handle, JobState, JobStatus
from shotrelay.providers.comfyui import ComfyUIProvider
from shotrelay.providers.comfyui.protocol import prompt_id
from shotrelay.providers.credentials import Credentials

from .conftest import request_for
from .fakecomfy import Failure, FakeComfy


async def until_done(provider: ComfyUIProvider, handle: Handle, polls: int = 20) -> JobStatus:
    for _ in range(polls):
        status = await provider.poll(handle)
        if status.state in (JobState.SUCCEEDED, JobState.FAILED):
            return status
    raise AssertionError("the job never ended")


def frames_of(path: Path) -> tuple[int, int, int, float]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        count = sum(1 for _ in container.decode(stream))
        return (
            count,
            stream.codec_context.width,
            stream.codec_context.height,
            float(stream.average_rate or 0),
        )


def test_image_to_video_sends_the_bound_workflow_and_downloads_a_real_clip(
    provider: ComfyUIProvider, comfy: FakeComfy, frame: Path, tmp_path: Path
) -> None:
    request = request_for("comfyui-wan2.2-i2v", inputs={"first_frame": frame}, seed=7)

    async def scenario() -> tuple[Handle, JobStatus, Path]:
        handle = await provider.submit(request)
        status = await until_done(provider, handle)
        result = await provider.fetch(handle, request, tmp_path / "out")
        return handle, status, result.path

    handle, status, path = asyncio.run(scenario())
    assert status.state is JobState.SUCCEEDED
    (sent,) = comfy.prompts
    assert sent["prompt_id"] == handle.remote_id == prompt_id("job-a", 0)
    assert sent["client_id"] == provider.client_id
    graph = sent["prompt"]
    assert graph["7"]["inputs"]["text"] == "a red kite over a grey sea"
    assert graph["11"]["inputs"]["noise_seed"] == 7
    assert (graph["10"]["inputs"]["width"], graph["10"]["inputs"]["height"]) == (1280, 720)
    assert graph["10"]["inputs"]["length"] == 49  # 3 s at Wan's native 16 fps, as 4k+1
    assert graph["14"]["inputs"]["fps"] == 16.0
    uploaded = graph["9"]["inputs"]["image"]
    assert comfy.uploads[uploaded] == frame.read_bytes()
    assert uploaded.startswith("shotrelay/")
    assert graph["8"]["inputs"]["text"].startswith("blurry")  # the template's own negative
    assert frames_of(path) == (49, 320, 180, 16.0)


def test_text_to_video_writes_fps_into_every_bound_input(
    provider: ComfyUIProvider, comfy: FakeComfy, tmp_path: Path
) -> None:
    params = {"width": 1000, "height": 560, "fps": 24, "clip_seconds": 4.0}
    request = request_for("comfyui-ltxv-t2v", negative_prompt="no text", params=params)

    async def scenario() -> None:
        handle = await provider.submit(request)
        assert (await until_done(provider, handle)).state is JobState.SUCCEEDED
        await provider.fetch(handle, request, tmp_path)

    asyncio.run(scenario())
    graph = comfy.prompts[0]["prompt"]
    assert graph["5"]["inputs"]["frame_rate"] == 24.0 and graph["11"]["inputs"]["fps"] == 24.0
    assert graph["6"]["inputs"]["length"] == 97  # 4 s at 24 fps, as 8k+1
    assert (graph["6"]["inputs"]["width"], graph["6"]["inputs"]["height"]) == (992, 576)
    assert graph["4"]["inputs"]["text"] == "no text"


def test_seed_without_one_is_derived_from_the_job(
    provider: ComfyUIProvider, comfy: FakeComfy
) -> None:
    async def send(job: str) -> None:
        await provider.submit(request_for("comfyui-sdxl-keyframe", job_id=job))

    asyncio.run(send("job-x"))
    asyncio.run(send("job-y"))
    seeds = [p["prompt"]["5"]["inputs"]["seed"] for p in comfy.prompts]
    assert seeds[0] != seeds[1] and all(isinstance(s, int) for s in seeds)


@pytest.mark.parametrize("key", ["gifs", "videos", "images"])
def test_outputs_are_read_under_any_key(
    comfy: FakeComfy, provider: ComfyUIProvider, tmp_path: Path, key: str
) -> None:
    comfy.video_key = key
    request = request_for("comfyui-ltxv-t2v")

    async def scenario() -> Path:
        handle = await provider.submit(request)
        await until_done(provider, handle)
        return (await provider.fetch(handle, request, tmp_path)).path

    path = asyncio.run(scenario())
    assert path.suffix == ".mp4" and frames_of(path)[0] == 73


def test_keyframe_fetches_the_picture(provider: ComfyUIProvider, tmp_path: Path) -> None:
    request = request_for("comfyui-sdxl-keyframe")

    async def scenario() -> tuple[str, Path]:
        handle = await provider.submit(request)
        await until_done(provider, handle)
        result = await provider.fetch(handle, request, tmp_path)
        return result.media_type, result.path

    media_type, path = asyncio.run(scenario())
    assert media_type == "image/png"
    from PIL import Image

    assert Image.open(path).size == (1280, 720)


def test_a_validation_error_names_the_node_and_the_problem(
    comfy: FakeComfy, tmp_path: Path
) -> None:
    folder = tmp_path / "flows"
    folder.mkdir()
    from shotrelay.providers.comfyui.workflows import SHIPPED

    text = (SHIPPED / "sdxl-keyframe.json").read_text().replace('"cfg": 7.0,', "")
    (folder / "sdxl-keyframe.json").write_text(text)
    (folder / "sdxl-keyframe.bindings.yaml").write_text(
        (SHIPPED / "sdxl-keyframe.bindings.yaml").read_text()
    )
    provider = ComfyUIProvider(
        base_url=comfy.url, credentials=Credentials(env={}), workflow_dirs=[SHIPPED, folder]
    )
    with pytest.raises(InvalidInput) as caught:
        asyncio.run(provider.submit(request_for("comfyui-sdxl-keyframe")))
    message = str(caught.value)
    assert "Prompt outputs failed validation" in message
    assert "node 5 (KSampler): required_input_missing: cfg" in message
    assert "sdxl-keyframe" in message
    assert comfy.calls("POST", "/prompt") == 1 and not comfy.pending


def test_an_unknown_node_class_is_refused_by_the_server(comfy: FakeComfy, tmp_path: Path) -> None:
    folder = tmp_path / "flows"
    folder.mkdir()
    from shotrelay.providers.comfyui.workflows import SHIPPED

    text = (SHIPPED / "sdxl-keyframe.json").read_text().replace('"KSampler"', '"KSamplerTurbo"')
    (folder / "sdxl-keyframe.json").write_text(text)
    (folder / "sdxl-keyframe.bindings.yaml").write_text(
        (SHIPPED / "sdxl-keyframe.bindings.yaml").read_text()
    )
    provider = ComfyUIProvider(
        base_url=comfy.url, credentials=Credentials(env={}), workflow_dirs=[folder]
    )
    with pytest.raises(InvalidInput, match="node KSamplerTurbo does not exist"):
        asyncio.run(provider.submit(request_for("comfyui-sdxl-keyframe")))


def test_a_job_failing_in_a_node_reports_the_node_and_its_error(
    comfy: FakeComfy, provider: ComfyUIProvider
) -> None:
    comfy.failures.append(
        Failure("SamplerCustom", "CUDA out of memory. Tried to allocate 2.00 GiB")
    )

    async def scenario() -> JobStatus:
        return await until_done(provider, await provider.submit(request_for("comfyui-ltxv-t2v")))

    status = asyncio.run(scenario())
    assert status.state is JobState.FAILED
    assert "node 9 (SamplerCustom) failed" in status.message
    assert "CUDA out of memory" in status.message


def test_a_failed_job_sent_again_takes_the_next_prompt_id(
    comfy: FakeComfy, provider: ComfyUIProvider
) -> None:
    comfy.failures.append(Failure("SamplerCustom", "boom"))
    request = request_for("comfyui-ltxv-t2v")

    async def scenario() -> list[JobStatus]:
        first = await provider.submit(request)
        one = await until_done(provider, first)
        second = await provider.submit(request)
        return [one, await until_done(provider, second)]

    states = [s.state for s in asyncio.run(scenario())]
    assert states == [JobState.FAILED, JobState.SUCCEEDED]
    assert [p["prompt_id"] for p in comfy.prompts] == [prompt_id("job-a", 0), prompt_id("job-a", 1)]


def test_a_restart_that_forgets_the_job_is_a_failure_and_the_same_id_is_reused(
    comfy: FakeComfy, provider: ComfyUIProvider
) -> None:
    comfy.hold.set()
    request = request_for("comfyui-ltxv-t2v")

    async def scenario() -> tuple[JobStatus, JobStatus, JobStatus]:
        handle = await provider.submit(request)
        running = await provider.poll(handle)
        comfy.restart()
        lost = await provider.poll(handle)
        comfy.hold.clear()
        again = await provider.submit(request)
        return running, lost, await until_done(provider, again)

    running, lost, done = asyncio.run(scenario())
    assert running.state is JobState.RUNNING
    assert lost.state is JobState.FAILED
    assert "no longer knows prompt" in lost.message and "restarted" in lost.message
    assert done.state is JobState.SUCCEEDED
    assert [p["prompt_id"] for p in comfy.prompts] == [prompt_id("job-a", 0)] * 2


def test_find_adopts_a_queued_or_finished_prompt_and_says_absent_otherwise(
    comfy: FakeComfy, provider: ComfyUIProvider
) -> None:
    request = request_for("comfyui-ltxv-t2v")
    comfy.hold.set()

    async def scenario() -> list[Handle | None]:
        before = await provider.find(request, since=0.0)
        handle = await provider.submit(request)
        queued = await provider.find(request, since=handle.data["submitted_at"] - 5)
        later = await provider.find(request, since=handle.data["submitted_at"] + 60)
        comfy.hold.clear()
        await until_done(provider, handle)
        done = await provider.find(request, since=None)
        return [before, queued, later, done]

    before, queued, later, done = asyncio.run(scenario())
    assert before is None
    assert queued is not None and queued.remote_id == prompt_id("job-a", 0)
    assert later is None  # sent before this submission started: an earlier attempt's
    assert done is not None and done.remote_id == prompt_id("job-a", 0)
    assert comfy.calls("POST", "/prompt") == 1


def test_cancel_deletes_a_pending_prompt_and_interrupts_a_running_one(
    comfy: FakeComfy, provider: ComfyUIProvider
) -> None:
    comfy.hold.set()

    async def scenario() -> None:
        first = await provider.submit(request_for("comfyui-ltxv-t2v", job_id="one"))
        second = await provider.submit(request_for("comfyui-ltxv-t2v", job_id="two"))
        assert (await provider.poll(first)).state is JobState.RUNNING
        assert (await provider.poll(second)).state is JobState.QUEUED
        await provider.cancel(second)
        await provider.cancel(first)
        assert "interrupted" in (await provider.poll(first)).message

    asyncio.run(scenario())
    assert comfy.calls("POST", "/queue") == 1 and comfy.calls("POST", "/interrupt") == 1
    assert comfy.interrupted == [prompt_id("one", 0)] and not comfy.pending


def test_progress_comes_from_the_websocket(comfy: FakeComfy, provider: ComfyUIProvider) -> None:
    comfy.run_steps = 4
    request = request_for("comfyui-ltxv-t2v")

    async def scenario() -> list[float | None]:
        handle = await provider.submit(request)
        for _ in range(500):  # the socket connects in the background
            if provider.client_id in comfy.sockets:
                break
            await asyncio.sleep(0.01)
        seen = []
        for _ in range(3):
            status = await provider.poll(handle)
            for _ in range(100):  # the frame the server just sent arrives
                await asyncio.sleep(0.005)
                if provider._feed is not None and provider._feed.get(handle.remote_id) is not None:
                    break
            seen.append(status.progress)
        return seen

    seen = asyncio.run(scenario())
    assert seen[-1] is not None and 0 < seen[-1] <= 1


def test_a_job_over_the_time_limit_is_cancelled(comfy: FakeComfy) -> None:
    now = [1000.0]
    provider = ComfyUIProvider(
        base_url=comfy.url,
        credentials=Credentials(env={"SHOTRELAY_COMFYUI_MAX_WAIT_S": "600"}),
        clock=lambda: now[0],
    )
    comfy.hold.set()

    async def scenario() -> JobStatus:
        handle = await provider.submit(request_for("comfyui-ltxv-t2v"))
        await provider.poll(handle)
        now[0] += 601
        return await provider.poll(handle)

    status = asyncio.run(scenario())
    assert status.state is JobState.FAILED and "SHOTRELAY_COMFYUI_MAX_WAIT_S" in status.message
    assert comfy.calls("POST", "/interrupt") == 1


def test_availability_needs_a_url_and_an_answering_server(comfy: FakeComfy) -> None:
    unset = ComfyUIProvider(credentials=Credentials(env={}))
    assert unset.available() == (
        False,
        "set SHOTRELAY_COMFYUI_URL to your ComfyUI server, e.g. http://127.0.0.1:8188",
    )
    live = ComfyUIProvider(credentials=Credentials(env={"SHOTRELAY_COMFYUI_URL": comfy.url}))
    ok, why = live.available()
    assert ok and "RTX 4090" in why and "24.0 GB" in why
    assert comfy.calls("GET", "/system_stats") == 1
    dead = ComfyUIProvider(base_url="http://127.0.0.1:9", credentials=Credentials(env={}))
    ok, why = dead.available()
    assert not ok and "does not answer /system_stats" in why


def test_concurrency_is_one_job_per_server_unless_set() -> None:
    assert ComfyUIProvider(credentials=Credentials(env={})).concurrency == 1
    two = ComfyUIProvider(credentials=Credentials(env={"SHOTRELAY_COMFYUI_CONCURRENCY": "2"}))
    assert two.concurrency == 2


def test_gpu_time_is_priced_only_when_a_rate_is_set(comfy: FakeComfy, tmp_path: Path) -> None:
    env = {"SHOTRELAY_COMFYUI_USD_PER_GPU_S": "0.001"}
    provider = ComfyUIProvider(base_url=comfy.url, credentials=Credentials(env=env))
    request = request_for("comfyui-sdxl-keyframe")

    async def scenario() -> tuple[float | None, object]:
        handle = await provider.submit(request)
        await until_done(provider, handle)
        result = await provider.fetch(handle, request, tmp_path)
        return result.cost_usd, result.metadata["gpu_seconds"]

    cost, gpu = asyncio.run(scenario())
    assert gpu == 42.5 and cost == pytest.approx(0.0425)


def test_a_missing_first_frame_is_invalid_input(
    provider: ComfyUIProvider, comfy: FakeComfy
) -> None:
    with pytest.raises(InvalidInput, match="needs a first_frame"):
        asyncio.run(provider.submit(request_for("comfyui-wan2.2-i2v")))
    assert comfy.prompts == []


def test_a_users_workflow_and_catalog_row_need_no_code(
    comfy: FakeComfy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frame: Path
) -> None:
    from shotrelay.catalog.loader import load_catalog
    from shotrelay.providers.comfyui.workflows import SHIPPED

    flows = tmp_path / "flows"
    flows.mkdir()
    graph = (SHIPPED / "wan2.2-i2v.json").read_text().replace("wan2.2_i2v_high", "hunyuan_high")
    (flows / "my-i2v.json").write_text(graph)
    (flows / "my-i2v.bindings.yaml").write_text((SHIPPED / "wan2.2-i2v.bindings.yaml").read_text())
    (flows / "catalog.yaml").write_text(
        "models:\n"
        "  - {id: my-i2v, provider: comfyui, name: Mine, api_model: my-i2v,\n"
        "     tasks: [image_to_video], min_duration: 1, max_duration: 5, fps: 24,\n"
        "     inputs: {first_frame: true, seed: true}, pricing: {rule: free},\n"
        "     latency: {base_s: 30}, env: [SHOTRELAY_COMFYUI_URL]}\n"
    )
    monkeypatch.setenv("SHOTRELAY_COMFYUI_WORKFLOWS", str(flows))
    row = load_catalog([flows / "catalog.yaml"], use_env=False).get("my-i2v")
    provider = ComfyUIProvider(base_url=comfy.url, credentials=Credentials(env={}))
    base = request_for("comfyui-wan2.2-i2v", inputs={"first_frame": frame})
    request = base.model_copy(update={"model": row})

    async def scenario() -> JobStatus:
        return await until_done(provider, await provider.submit(request))

    assert asyncio.run(scenario()).state is JobState.SUCCEEDED
    graph_sent = comfy.prompts[0]["prompt"]
    assert graph_sent["1"]["inputs"]["unet_name"].startswith("hunyuan_high")
    assert graph_sent["10"]["inputs"]["length"] == 73  # 3 s at the row's 24 fps, 4k+1

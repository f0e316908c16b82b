"""``shotrelay doctor`` lists a configured ComfyUI server, its GPU, and the shipped and user
workflows it can run (node classes from its ``/object_info``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shotrelay.cli import app
from shotrelay.doctor import check_engines
from shotrelay.providers.comfyui.workflows import SHIPPED

from .fakecomfy import FakeComfy


def test_doctor_lists_the_server_its_gpu_and_what_it_can_run(
    comfy: FakeComfy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    graph = json.loads((SHIPPED / "sdxl-keyframe.json").read_text())
    graph["5"]["class_type"] = "HunyuanVideoSampler"
    (flows / "hunyuan.json").write_text(json.dumps(graph))
    (flows / "hunyuan.bindings.yaml").write_text(
        "bind:\n  prompt: {node: Positive Prompt, input: text}\n"
    )
    monkeypatch.setenv("SHOTRELAY_COMFYUI_URL", comfy.url)
    monkeypatch.setenv("SHOTRELAY_COMFYUI_WORKFLOWS", str(flows))
    monkeypatch.chdir(tmp_path)
    engines = {e.name: e for e in check_engines()}
    assert engines["comfyui"].present
    assert "NVIDIA GeForce RTX 4090" in engines["comfyui"].detail
    assert "24.0 GB" in engines["comfyui"].detail and "0.3.66" in engines["comfyui"].detail
    for name in ("wan2.2-i2v", "ltxv-t2v", "sdxl-keyframe"):
        assert engines[f"comfyui: {name}"].present, engines[f"comfyui: {name}"]
    assert not engines["comfyui: hunyuan"].present
    assert engines["comfyui: hunyuan"].detail == "missing nodes: HunyuanVideoSampler"
    assert comfy.calls("GET", "/object_info") == 1

    result = CliRunner().invoke(app, ["doctor", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    (row,) = [p for p in found["providers"] if p["name"] == "comfyui"]
    assert row["usable"] and "RTX 4090" in row["reason"] and "1 jobs in flight" in row["reason"]
    assert sorted(row["models"]) == [
        "comfyui-ltxv-t2v", "comfyui-sdxl-keyframe", "comfyui-wan2.2-i2v",
    ]  # fmt: skip


def test_doctor_without_a_url_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHOTRELAY_COMFYUI_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert not [e for e in check_engines() if e.name.startswith("comfyui")]
    result = CliRunner().invoke(app, ["doctor", "--json"])
    (row,) = [p for p in json.loads(result.stdout)["providers"] if p["name"] == "comfyui"]
    assert not row["usable"] and row["missing_env"] == ["SHOTRELAY_COMFYUI_URL"]


def test_a_server_that_does_not_answer_is_reported_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOTRELAY_COMFYUI_URL", "http://127.0.0.1:9")
    monkeypatch.chdir(tmp_path)
    engines = {e.name: e for e in check_engines()}
    assert not engines["comfyui"].present
    assert "does not answer /system_stats" in engines["comfyui"].detail

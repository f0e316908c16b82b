"""Workflows as data: the shipped ones load, and a bad binding is refused at load time with
the file, the binding and the fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shotrelay.catalog.loader import load_catalog
from shotrelay.providers.comfyui.fill import fill
from shotrelay.providers.comfyui.workflows import (
    SHIPPED,
    Frames,
    WorkflowError,
    find_workflow,
    load_workflow,
    load_workflows,
    workflow_dirs,
)

from .conftest import request_for
from .fakecomfy import NODES

GOOD_BINDINGS = """\
output: Save Image
bind:
  prompt: {node: Positive Prompt, input: text}
  seed: {node: Sampler, input: seed}
"""


def user_flow(folder: Path, bindings: str, *, graph: str | None = None, name: str = "mine") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(graph if graph is not None else (SHIPPED / "sdxl-keyframe.json").read_text())
    (folder / f"{name}.bindings.yaml").write_text(bindings)
    return path


def test_every_shipped_workflow_loads_and_uses_only_real_comfyui_nodes() -> None:
    flows = load_workflows([SHIPPED])
    assert sorted(flows) == ["ltxv-t2v", "sdxl-keyframe", "wan2.2-i2v"]
    for flow in flows.values():
        assert flow.classes <= set(NODES), flow.name
        assert flow.output_node is not None
        assert {"prompt", "seed"} <= set(flow.bindings)
    assert flows["wan2.2-i2v"].binds("first_frame")
    assert flows["wan2.2-i2v"].frames.step == 4 and flows["ltxv-t2v"].frames.step == 8


def test_every_comfyui_catalog_row_names_a_shipped_workflow_that_binds_its_inputs() -> None:
    rows = [m for m in load_catalog(use_env=False).models if m.provider == "comfyui"]
    assert len(rows) == 3
    for row in rows:
        flow = find_workflow(row.api_model, [SHIPPED])
        assert row.inputs.first_frame == flow.binds("first_frame"), row.id
        assert row.inputs.seed and row.inputs.negative_prompt and flow.binds("negative_prompt")
        assert row.bills_failed is False and row.concurrency == 1


def test_a_missing_node_title_names_file_binding_and_the_titles_there(tmp_path: Path) -> None:
    path = user_flow(
        tmp_path,
        GOOD_BINDINGS.replace(
            "input: seed", "input: seed}\n  width: {node: Empty Latent, input: width"
        ),
    )
    with pytest.raises(WorkflowError) as caught:
        load_workflow(path)
    text = str(caught.value)
    assert "mine.bindings.yaml: bind.width: no node titled 'Empty Latent' in mine.json" in text
    assert "'Latent Image'" in text and "retitle the node" in text


def test_a_missing_input_names_the_node_class_and_its_inputs(tmp_path: Path) -> None:
    path = user_flow(tmp_path, GOOD_BINDINGS.replace("input: seed", "input: noise_seed"))
    with pytest.raises(
        WorkflowError,
        match=r"bind.seed: node 'Sampler' \(KSampler\) has no input 'noise_seed'; it has .*seed",
    ):
        load_workflow(path)


def test_a_binding_onto_a_link_is_refused(tmp_path: Path) -> None:
    path = user_flow(
        tmp_path,
        GOOD_BINDINGS.replace("{node: Sampler, input: seed}", "{node: Sampler, input: model}"),
    )
    with pytest.raises(WorkflowError, match="is a link to another node"):
        load_workflow(path)


def test_an_unknown_job_field_lists_the_fields(tmp_path: Path) -> None:
    path = user_flow(tmp_path, GOOD_BINDINGS + "  steps: {node: Sampler, input: steps}\n")
    with pytest.raises(
        WorkflowError, match=r"bind.steps: unknown job field; use one of prompt, negative_prompt"
    ):
        load_workflow(path)


def test_a_bad_output_title_and_a_malformed_binding_are_named(tmp_path: Path) -> None:
    path = user_flow(tmp_path, GOOD_BINDINGS.replace("Save Image", "Save Video"))
    with pytest.raises(WorkflowError, match="output: no node titled 'Save Video'"):
        load_workflow(path)
    path = user_flow(tmp_path, "bind:\n  prompt: {node: Positive Prompt}\n")
    with pytest.raises(WorkflowError, match=r"bind.prompt.*input.*a binding is \{node"):
        load_workflow(path)


def test_no_bindings_file_and_the_ui_format_are_explained(tmp_path: Path) -> None:
    lone = tmp_path / "lone.json"
    lone.write_text((SHIPPED / "sdxl-keyframe.json").read_text())
    with pytest.raises(WorkflowError, match=r"no bindings file; write lone\.bindings\.yaml"):
        load_workflow(lone)
    ui = user_flow(tmp_path, GOOD_BINDINGS, graph=json.dumps({"nodes": [], "links": []}), name="ui")
    with pytest.raises(WorkflowError, match=r"UI format; in ComfyUI use Workflow > Export \(API\)"):
        load_workflow(ui)


def test_duplicate_titles_are_refused(tmp_path: Path) -> None:
    graph = json.loads((SHIPPED / "sdxl-keyframe.json").read_text())
    graph["3"]["_meta"]["title"] = "Positive Prompt"
    path = user_flow(tmp_path, GOOD_BINDINGS, graph=json.dumps(graph))
    with pytest.raises(WorkflowError, match="both titled 'Positive Prompt'"):
        load_workflow(path)


def test_a_user_folder_adds_workflows_and_replaces_shipped_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_flow(tmp_path / "flows", GOOD_BINDINGS, name="mine")
    user_flow(tmp_path / "flows", GOOD_BINDINGS, name="sdxl-keyframe")
    monkeypatch.setenv("SHOTRELAY_COMFYUI_WORKFLOWS", str(tmp_path / "flows"))
    assert workflow_dirs() == [SHIPPED, tmp_path / "flows"]
    flows = load_workflows()
    assert "mine" in flows and flows["sdxl-keyframe"].path.parent == tmp_path / "flows"
    assert find_workflow("sdxl-keyframe").path.parent == tmp_path / "flows"
    monkeypatch.setenv("SHOTRELAY_COMFYUI_WORKFLOWS", str(tmp_path / "nowhere"))
    with pytest.raises(WorkflowError, match="is not a folder"):
        load_workflows()


def test_an_unknown_workflow_name_says_where_to_put_it() -> None:
    with pytest.raises(
        WorkflowError, match=r"no ComfyUI workflow named 'hunyuan'.*SHOTRELAY_COMFYUI_WORKFLOWS"
    ):
        find_workflow("hunyuan", [SHIPPED])


@pytest.mark.parametrize(
    ("step", "seconds", "fps", "frames"),
    [(4, 5.0, 16, 81), (4, 3.0, 16, 49), (8, 4.0, 24, 97), (8, 0.1, 24, 9), (1, 2.0, 12, 24)],
)
def test_frame_counts_snap_to_what_the_model_takes(
    step: int, seconds: float, fps: int, frames: int
) -> None:
    assert Frames(step=step).count(seconds, fps) == frames


def test_fill_keeps_each_input_in_its_template_type() -> None:
    flow = find_workflow("ltxv-t2v", [SHIPPED])
    graph = fill(request_for("comfyui-ltxv-t2v"), flow, {})
    assert isinstance(graph["5"]["inputs"]["frame_rate"], float)
    assert isinstance(graph["6"]["inputs"]["width"], int)
    assert graph["9"]["inputs"]["add_noise"] is True
    assert flow.graph["3"]["inputs"]["text"] == "a cinematic shot"  # the template is untouched

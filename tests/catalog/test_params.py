"""CallParams: the typed parameters of one model call."""

from __future__ import annotations

import hashlib
import json

import pytest
from pydantic import ValidationError

from shotrelay.catalog.params import CallParams
from shotrelay.engine.jobs import Job
from shotrelay.route.plan import StageRoute
from shotrelay.spec.vocabulary import Stage, Task
from shotrelay.testing import free


def test_an_unknown_parameter_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="clip_secs"):
        CallParams.model_validate({"clip_secs": 5})


def test_fixed_holds_only_what_was_set_and_but_revalidates() -> None:
    p = CallParams(clip_seconds=5.0, width=1280, height=720)
    assert p.fixed() == {"clip_seconds": 5.0, "width": 1280, "height": 720}
    assert p.but(resolution="720p").resolution == "720p" and p.resolution is None
    with pytest.raises(ValidationError):
        p.but(first_frame="sideways")


def test_length_is_the_clip_else_the_shot() -> None:
    assert CallParams(seconds=3.0, clip_seconds=5.0).length == 5.0
    assert CallParams(seconds=3.0).length == 3.0 and CallParams().length == 0.0


def test_the_cache_key_is_the_one_the_params_dict_gave() -> None:
    """Typing the params must not change a job's key: cached (paid) outputs stay found."""
    raw = {
        "seconds": 4.0,
        "clip_seconds": 5.0,
        "width": 1280,
        "height": 720,
        "fps": 24,
        "aspect": "16:9",
        "camera": "static",
        "lines": [{"speaker": "Maya", "line": "Hi."}],
    }
    job = Job(
        node="s1/generate/t1",
        shot_id="s1",
        step="generate",
        model="m",
        api_model="m",
        task=Task.IMAGE_TO_VIDEO,
        params=CallParams.model_validate(raw),
        seed=7,
    )
    body = {
        "model": ["m", "m"],
        "step": "generate",
        "task": "image_to_video",
        "prompt": "",
        "negative": "",
        "params": raw,
        "seed": 7,
        "inputs": [],
        "revision": 0,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    assert job.key == hashlib.sha256(text.encode()).hexdigest()


def test_a_route_file_with_takes_among_the_params_still_loads() -> None:
    old = {
        "stage": "generate",
        "task": "image_to_video",
        "model": "m",
        "provider": "p",
        "cost": free().model_dump(),
        "seconds": 1.0,
        "score": 1.0,
        "quality": 1.0,
        "params": {"clip_seconds": 5.0, "takes": 3},
    }
    st = StageRoute.model_validate(old)
    assert (
        st.stage is Stage.GENERATE and st.takes == 3 and st.params.fixed() == {"clip_seconds": 5.0}
    )

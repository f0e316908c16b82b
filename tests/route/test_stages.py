"""Which stages a shot gets: keyframe unless handed off, tts+lipsync for dialogue, finishing."""

from __future__ import annotations

from route_models import MakeModel, MakeProject

from shotrelay.catalog.profile import ModelProfile
from shotrelay.route import route_project
from shotrelay.route.stages import base_stages, finishing_stages
from shotrelay.spec.models import Format, Shot
from shotrelay.spec.vocabulary import Stage


def stages_of(plan_shot: object) -> list[Stage]:
    return [s.stage for s in plan_shot.stages]  # type: ignore[attr-defined]


def test_plain_shot_gets_keyframe_then_generate() -> None:
    assert base_stages(Shot(duration=3), None) == [Stage.KEYFRAME, Stage.GENERATE]


def test_edit_text_adds_an_edit_stage() -> None:
    stages = base_stages(Shot(duration=3, edit="remove the logo"), None)
    assert stages == [Stage.KEYFRAME, Stage.GENERATE, Stage.EDIT]


def test_continues_previous_drops_keyframe_only_when_there_is_a_previous_shot() -> None:
    shot = Shot(duration=3, continues_previous=True)
    assert base_stages(shot, Shot(duration=2)) == [Stage.GENERATE]
    assert base_stages(shot, None) == [Stage.KEYFRAME, Stage.GENERATE]


def test_finishing_follows_the_generate_models_limits(mk: MakeModel) -> None:
    fmt = Format(resolution="1080p", fps=30)
    assert finishing_stages(mk("hd", fps=30), fmt) == []
    assert finishing_stages(mk("sd", resolutions=["720p"], fps=24), fmt) == [
        Stage.UPSCALE,
        Stage.INTERPOLATE,
    ]
    assert finishing_stages(mk("any", resolutions=[]), fmt) == []


def test_dialogue_shot_gets_tts_and_lipsync_in_order(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    p = project([{"duration": 4, "dialogue": [{"speaker": "Ana", "line": "Hi, Ben."}]}])
    plan = route_project(p, [mk("gen"), *support])
    assert stages_of(plan.shots[0]) == [Stage.KEYFRAME, Stage.GENERATE, Stage.TTS, Stage.LIPSYNC]
    tts = plan.shots[0].stage(Stage.TTS)
    assert tts is not None and tts.model == "voice" and tts.params.chars == len("Hi, Ben.")


def test_continued_shot_is_generated_from_the_previous_last_frame(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    models = [
        mk("t2v", tasks=["text_to_video"], scores={"aesthetics": 1.0}),
        mk("i2v", scores={"aesthetics": 0.2}),
        *support,
    ]
    p = project([{"duration": 4}, {"duration": 4, "continues_previous": True}])
    plan = route_project(p, models, explain=True)
    second = plan.shots[1]
    assert stages_of(second) == [Stage.GENERATE]
    gen = second.stages[0]
    assert gen.model == "i2v" and gen.params.first_frame == "previous"
    assert [(e.model, e.constraint) for e in gen.excluded if e.model == "t2v"] == [
        ("t2v", "first_frame")
    ]


def test_low_resolution_model_brings_an_upscale_stage(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    models = [mk("sd", resolutions=["720p"], usd=0.01), *support]
    plan = route_project(project([{"duration": 4}]), models)
    shot = plan.shots[0]
    assert stages_of(shot) == [Stage.KEYFRAME, Stage.GENERATE, Stage.UPSCALE]
    gen, up = shot.stage(Stage.GENERATE), shot.stage(Stage.UPSCALE)
    assert gen is not None and gen.params.resolution == "720p" and gen.params.height == 720
    assert up is not None and up.model == "up"
    assert up.params.resolution == "1080p" and up.params.from_resolution == "720p"
    assert any("upscale" in r for r in gen.reasons)


def test_low_frame_rate_model_brings_interpolation(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    p = project([{"duration": 4}], format={"fps": 30})
    plan = route_project(p, [mk("slow", fps=24), *support])
    interp = plan.shots[0].stage(Stage.INTERPOLATE)
    assert interp is not None and interp.params.fps == 30 and interp.params.from_fps == 24

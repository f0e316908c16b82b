"""The cut record: one model written by the relay and read by export and report, keyed by
content, and readable from journals that kept clips as positional lists."""

from __future__ import annotations

from shotrelay.edit.record import CutEntry, CutRecord
from shotrelay.spec.models import Format
from shotrelay.spec.vocabulary import Transition


def _record(**kw: object) -> CutRecord:
    clips = [
        CutEntry(shot_id="a", clip="h1", duration=2.0),
        CutEntry(shot_id="b", clip="h2", duration=3.0, transition=Transition.CROSSFADE,
                 transition_seconds=0.5, audio="h3"),
    ]  # fmt: skip
    return CutRecord.model_validate({"kind": "final", "format": Format(), "clips": clips, **kw})


def test_the_key_follows_the_content() -> None:
    assert _record().key() == _record().key()
    assert _record().key() != _record(kind="animatic").key()
    changed = _record().model_copy(
        update={"clips": [_record().clips[0].model_copy(update={"clip": "other"})]}
    )
    assert changed.key() != _record().key()


def test_a_record_survives_the_journal_round_trip() -> None:
    detail = _record().model_dump(mode="json")
    assert CutRecord.from_detail(detail) == _record()
    assert CutRecord.from_detail(detail).clip_hashes() == {"a": "h1", "b": "h2"}


def test_journals_with_positional_clips_still_read() -> None:
    legacy = {
        "kind": "final",
        "format": Format().model_dump(mode="json"),
        "music": None,
        "clips": [["a", "h1", 2.0, "cut", 0.0, None], ["b", "h2", 3.0, "crossfade", 0.5, "h3"]],
    }
    assert CutRecord.from_detail(legacy) == _record()

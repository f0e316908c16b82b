"""Judging takes: technical QC on the CPU (black, frozen, flicker, sharpness, format, audio,
camera motion by optical flow), continuity with the previous shot, face similarity against
the character references, learned scorers (CLIP alignment, an aesthetic head; the
``judge-models`` extra), and the choice of a take.

Every check carries its value, its threshold and a one-line reason (see docs/judging.md).
"""

from shotrelay.judge.checks import Asked, Check, Judgement
from shotrelay.judge.choose import Choice, asked_for, choose
from shotrelay.judge.clip import ClipData, read_clip
from shotrelay.judge.continuity import palette_distance
from shotrelay.judge.faces import FACE_LIMIT, check_faces, face_similarity, find_faces
from shotrelay.judge.learned import CLIP_ENV, LearnedScorers
from shotrelay.judge.motion import Motion, measure_motion
from shotrelay.judge.qc import THRESHOLDS, judge_clip, technical_checks
from shotrelay.judge.vlm import VisualJudge, sample_frames, vlm_checks

__all__ = [
    "CLIP_ENV",
    "FACE_LIMIT",
    "THRESHOLDS",
    "Asked",
    "Check",
    "Choice",
    "ClipData",
    "Judgement",
    "LearnedScorers",
    "Motion",
    "VisualJudge",
    "asked_for",
    "check_faces",
    "choose",
    "face_similarity",
    "find_faces",
    "judge_clip",
    "measure_motion",
    "palette_distance",
    "read_clip",
    "sample_frames",
    "technical_checks",
    "vlm_checks",
]

"""fal's own error codes (https://docs.fal.ai/model-apis/errors) onto ``shotrelay.errors``."""

from __future__ import annotations

from typing import Any

from shotrelay.errors import InvalidInput, ProviderError, Rejected

__all__ = ["detail_types", "fal_error_kind"]

#: fal's model error ``type`` for a refusal (https://docs.fal.ai/model-apis/errors).
_REFUSAL = "content_policy_violation"
#: fal model error types that mean the inputs were refused (same page): fix the input or
#: fall back; sending them again fails the same way.
_INPUT_TYPES = frozenset({
    "image_too_small", "image_too_large", "image_load_error", "file_download_error",
    "face_detection_error", "file_too_large", "greater_than", "greater_than_equal",
    "less_than", "less_than_equal", "multiple_of", "sequence_too_short", "sequence_too_long",
    "one_of", "feature_not_supported", "invalid_archive", "archive_file_count_below_minimum",
    "archive_file_count_exceeds_maximum", "audio_duration_too_long",
    "audio_duration_too_short", "unsupported_audio_format", "unsupported_image_format",
    "unsupported_video_format", "video_duration_too_long", "video_duration_too_short",
    "no_media_generated", "missing", "string_type", "value_error",
})  # fmt: skip


def detail_types(body: Any) -> list[str]:
    detail = body.get("detail") if isinstance(body, dict) else None
    items = detail if isinstance(detail, list) else []
    return [str(item.get("type") or "") for item in items if isinstance(item, dict)]


def fal_error_kind(error_type: str, detail_types: list[str]) -> type[ProviderError] | None:
    """The class for fal's own error codes: a ``content_policy_violation`` anywhere is a
    refusal; a model validation type is invalid input; None when no code says."""
    types = [t for t in (error_type, *detail_types) if t]
    if _REFUSAL in types:
        return Rejected
    if any(t in _INPUT_TYPES for t in types):
        return InvalidInput
    return None

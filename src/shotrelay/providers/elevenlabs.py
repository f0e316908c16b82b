"""ElevenLabs text-to-speech: ``POST /v1/text-to-speech/{voice_id}`` answers with the audio
bytes, so this is a synchronous adapter (the audio is spooled at submit).

The text is ``params["text"]`` (the dialogue line), else the prompt; the voice is
``params["voice_id"]``, else a premade default voice.
"""

from __future__ import annotations

from typing import Any, ClassVar

from shotrelay.errors import InvalidInput, ProviderError, Rejected, TransientError
from shotrelay.providers.base import JobRequest
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http import HttpCall, RemoteOutput, SyncHttpProvider

__all__ = ["DEFAULT_VOICE", "ElevenLabsProvider"]

DEFAULT_VOICE = "21m00Tcm4TlvDq8ikWAM"  # a premade library voice
OUTPUT_FORMAT = "mp3_44100_128"
_REFUSALS = ("bad_prompt",)


class ElevenLabsProvider(SyncHttpProvider):
    """Speech for dialogue lines and voice-over."""

    name: ClassVar[str] = "elevenlabs"
    key_env: ClassVar[str] = "ELEVENLABS_API_KEY"
    default_base_url: ClassVar[str] = "https://api.elevenlabs.io"

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"xi-api-key": key.reveal()}

    def build_submit(self, request: JobRequest) -> HttpCall:
        params = request.params
        text = str(params.get("text") or request.prompt).strip()
        if not text:
            raise self._error(
                InvalidInput, "nothing to say: params.text is empty", request.model.id
            )
        body: dict[str, Any] = {"text": text, "model_id": request.model.endpoint(request.task)}
        if params.get("voice_settings"):
            body["voice_settings"] = params["voice_settings"]
        if params.get("language"):
            body["language_code"] = params["language"]
        if request.seed is not None:
            body["seed"] = request.seed
        voice = params.get("voice_id") or DEFAULT_VOICE
        return HttpCall(
            url=f"/v1/text-to-speech/{voice}",
            params={"output_format": OUTPUT_FORMAT},
            headers={"Accept": "audio/mpeg"},
            body=body,
            expect="bytes",
        )

    def classify_error(self, status: int, body: Any, detail: str) -> type[ProviderError] | None:
        """``detail.status`` ``bad_prompt`` / a Terms of Service refusal is moderation."""
        inner = body.get("detail") if isinstance(body, dict) else None
        code = str(inner.get("status") or "") if isinstance(inner, dict) else ""
        if status in (400, 422) and (code in _REFUSALS or "terms of service" in detail.lower()):
            return Rejected
        return super().classify_error(status, body, detail)

    def parse_result(self, body: Any, request: JobRequest) -> RemoteOutput:
        if not isinstance(body, bytes) or not body:
            raise self._error(TransientError, "answer holds no audio", request.model.id)
        if body.lstrip()[:1] in (b"<", b"{", b"["):  # an error page or JSON, not MP3 frames
            snippet = " ".join(body[:80].decode("utf-8", "replace").split())
            raise self._error(
                TransientError, f"answer is not audio ({snippet!r})", request.model.id
            )
        return RemoteOutput(data=body, media_type="audio/mpeg")

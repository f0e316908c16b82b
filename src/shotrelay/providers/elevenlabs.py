"""ElevenLabs text-to-speech: ``POST /v1/text-to-speech/{voice_id}`` answers with the audio
bytes, so this is a synchronous adapter (the audio is spooled at submit).

The text is ``params["text"]`` (the dialogue line), else the prompt; the voice is
``params["voice_id"]``, else a premade default voice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from shotrelay.errors import (
    InvalidInput,
    ProviderError,
    QuotaError,
    RateLimited,
    Rejected,
    TransientError,
)
from shotrelay.providers.base import Handle, JobRequest
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http import HttpCall, RemoteOutput, SyncHttpProvider
from shotrelay.providers.reconcile import SKEW_S, Candidate, Page, pick, scan

__all__ = ["DEFAULT_VOICE", "ElevenLabsProvider"]

DEFAULT_VOICE = "21m00Tcm4TlvDq8ikWAM"  # a premade library voice
OUTPUT_FORMAT = "mp3_44100_128"
#: ``detail.status`` codes (ElevenLabs help center, "API Error Code 400 or 401"; the SDK's
#: ``quota_exceeded`` message type): quota_exceeded arrives as a 401 but is out of credits.
_CODES: dict[str, type[ProviderError]] = {
    "bad_prompt": Rejected,
    "quota_exceeded": QuotaError,
    "payment_required": QuotaError,
    "too_many_concurrent_requests": RateLimited,
    "system_busy": RateLimited,
    "voice_not_found": InvalidInput,
    "max_character_limit_exceeded": InvalidInput,
    "text_too_long": InvalidInput,
}


class ElevenLabsProvider(SyncHttpProvider):
    """Speech for dialogue lines and voice-over."""

    name: ClassVar[str] = "elevenlabs"
    key_env: ClassVar[str] = "ELEVENLABS_API_KEY"
    default_base_url: ClassVar[str] = "https://api.elevenlabs.io"

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"xi-api-key": key.reveal()}

    def build_submit(self, request: JobRequest) -> HttpCall:
        params = request.params
        text = str(params.text or request.prompt).strip()
        if not text:
            raise self._error(
                InvalidInput, "nothing to say: params.text is empty", request.model.id
            )
        body: dict[str, Any] = {"text": text, "model_id": request.model.endpoint(request.task)}
        if params.voice_settings:
            body["voice_settings"] = params.voice_settings
        if params.language:
            body["language_code"] = params.language
        if request.seed is not None:
            body["seed"] = request.seed
        voice = params.voice_id or DEFAULT_VOICE
        return HttpCall(
            url=f"/v1/text-to-speech/{voice}",
            params={"output_format": OUTPUT_FORMAT},
            headers={"Accept": "audio/mpeg"},
            body=body,
            expect="bytes",
        )

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """By ``detail.status`` (or ``detail.code``); a Terms of Service text is a refusal."""
        inner = body.get("detail") if isinstance(body, dict) else None
        code = (
            str(inner.get("status") or inner.get("code") or "") if isinstance(inner, dict) else ""
        )
        if code in _CODES:
            return _CODES[code]
        if status in (400, 422) and "terms of service" in detail.lower():  # no code: text
            return Rejected
        return super().classify_error(status, body, detail, headers)

    def parse_result(self, body: Any, request: JobRequest) -> RemoteOutput:
        if not isinstance(body, bytes) or not body:
            raise self._error(TransientError, "answer holds no audio", request.model.id)
        if body.lstrip()[:1] in (b"<", b"{", b"["):  # an error page or JSON, not MP3 frames
            snippet = " ".join(body[:80].decode("utf-8", "replace").split())
            raise self._error(
                TransientError, f"answer is not audio ({snippet!r})", request.model.id
            )
        return RemoteOutput(data=body, media_type="audio/mpeg")

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """A spooled output left by a crash; else the speech history item with this text,
        voice and model made since ``since``, its audio downloaded into the spool (the call
        was made and billed; only the answer was lost). None when history has neither.

        History holds only calls made with logging on (the default; not zero retention).
        """
        spooled = await super().find(request, since=since)
        if spooled is not None:
            return spooled
        model = request.model.id

        async def send(call: HttpCall) -> Any:
            return await self.send(call, model=model)

        found = await scan(
            send,
            self.history_call(request, since),
            lambda body, call: self.history_page(body, request, call),
            request,
            since,
            provider=self.name,
            server_filtered=since is not None,
        )
        item = pick(found, request, provider=self.name)
        if item is None:
            return None
        audio = await send(HttpCall(method="GET", url=f"/v1/history/{item}/audio", expect="bytes"))
        out = self.parse_result(audio, request)
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        path = self.spool_dir / f"{request.job_id}.mp3"
        part = path.with_suffix(".mp3.part")
        part.write_bytes(out.data or b"")
        part.replace(path)
        return self._handle(request, path, "audio/mpeg", None)

    def history_call(self, request: JobRequest, since: float | None) -> HttpCall:
        """``GET /v1/history`` for this voice and model, newest first, since ``since``."""
        said = _said(self.build_submit(request))
        params = {"voice_id": said["voice_id"], "model_id": said["model_id"],
                  "page_size": "100", "sort_direction": "desc"}  # fmt: skip
        if since is not None:
            params["date_after_unix"] = str(int(since - SKEW_S))
        return HttpCall(method="GET", url="/v1/history", params=params)

    def history_page(self, body: Any, request: JobRequest, call: HttpCall) -> Page:
        """History items with this exact text, voice and model; the next page by
        ``start_after_history_item_id`` while ``has_more``."""
        said = _said(self.build_submit(request))
        items = body.get("history") if isinstance(body, dict) else None
        items = [i for i in items or [] if isinstance(i, dict)]
        found = [
            Candidate(str(i["history_item_id"]), _unix(i.get("date_unix")))
            for i in items
            if i.get("history_item_id") and all(i.get(k) == v for k, v in said.items())
        ]
        last = body.get("last_history_item_id") if isinstance(body, dict) else None
        more = isinstance(body, dict) and bool(body.get("has_more")) and bool(last)
        params = {**call.params, "start_after_history_item_id": str(last)}
        times = [t for t in (_unix(i.get("date_unix")) for i in items) if t is not None]
        nxt = call.model_copy(update={"params": params}) if more else None
        return Page(found, min(times, default=None), nxt)


def _said(call: HttpCall) -> dict[str, str]:
    """What a TTS call says, as history records it: text, voice_id, model_id."""
    body = call.body or {}
    return {
        "text": str(body.get("text", "")),
        "voice_id": call.url.rstrip("/").rsplit("/", 1)[-1],
        "model_id": str(body.get("model_id", "")),
    }


def _unix(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

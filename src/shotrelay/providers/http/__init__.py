"""The one HTTP submit/poll/download mechanism every cloud adapter uses.

An adapter subclasses :class:`HttpProvider` (or :class:`SyncHttpProvider` for APIs that answer
with the output itself) and only maps fields and errors: how to build the submit call, read the
handle, read a status, locate the output and, where the provider has them, cancel and list.
The package does the rest: auth headers built at request time, explicit timeouts,
classification of failures onto ``shotrelay.errors``, and streamed, capped, verified downloads.

Retries are the engine's job (it retries ``TransientError`` honouring ``retry_after``); calls
here are single-shot, except idempotent GET polls, which retry once on a connection error.

A body that is not JSON (or not the documented shape) raises ``TransientError``: a gateway
error page or a cut-off body is usually passing, and the engine's bounded retries turn a
persistent one into a fallback.
"""

from shotrelay.providers.http.classify import (
    classify_status,
    error_detail,
    looks_like_moderation,
    parse_retry_after,
)
from shotrelay.providers.http.media import data_uri, file_base64
from shotrelay.providers.http.provider import (
    DEFAULT_MAX_DOWNLOAD,
    DEFAULT_TIMEOUT,
    HttpCall,
    HttpProvider,
    RemoteOutput,
)
from shotrelay.providers.http.resume import Partial, save_resumable
from shotrelay.providers.http.sync import SyncHttpProvider

__all__ = [
    "DEFAULT_MAX_DOWNLOAD",
    "DEFAULT_TIMEOUT",
    "HttpCall",
    "HttpProvider",
    "Partial",
    "RemoteOutput",
    "SyncHttpProvider",
    "classify_status",
    "data_uri",
    "error_detail",
    "file_base64",
    "looks_like_moderation",
    "parse_retry_after",
    "save_resumable",
]

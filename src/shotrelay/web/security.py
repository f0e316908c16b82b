"""Safe by default: loopback unless told, a token for anything else, no cross-origin writes.

Every request that changes state (any method but GET and HEAD) must carry the studio's token
in the ``X-Shotrelay-Token`` header and come from the studio's own origin (``Origin`` and
``Sec-Fetch-Site`` are checked when the browser sends them). On a non-loopback address reads
need the token too: the address printed at start carries it once (``?token=``), and the
server then keeps it in an HttpOnly, SameSite=Strict cookie.
"""

from __future__ import annotations

import ipaddress
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shotrelay.errors import ShotrelayError

__all__ = ["COOKIE", "HEADER", "Guard", "is_loopback", "new_token", "studio_token"]

HEADER = "x-shotrelay-token"
COOKIE = "shotrelay_token"
_SAFE = {"GET", "HEAD"}


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback name or address (127.0.0.0/8, ::1, localhost)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A fresh random token (URL-safe, 32 bytes of entropy)."""
    return secrets.token_urlsafe(32)


def studio_token(host: str, token: str | None) -> str:
    """The token a studio bound to ``host`` uses: the one given, or, on loopback, a new one.

    A non-loopback address without a token is refused: pass ``--token`` (the CLI generates
    one and prints it).
    """
    if token is not None:
        if len(token) < 16:
            raise ShotrelayError(
                "the studio token is too short: option --token: use at least 16 characters "
                "(or leave it out and one is generated)"
            )
        return token
    if not is_loopback(host):
        raise ShotrelayError(
            f"option --host: {host} is not a loopback address, so the studio needs a token: "
            "pass --token (or leave --host at 127.0.0.1)"
        )
    return new_token()


def _same(given: str | None, token: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), token.encode())


class Guard:
    """ASGI middleware enforcing the token and same-origin rules of this module."""

    def __init__(self, app: ASGIApp, *, token: str, reads_need_token: bool) -> None:
        self.app = app
        self.token = token
        self.reads_need_token = reads_need_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        method = scope["method"]
        if method not in _SAFE:
            refusal = self._write_refusal(scope, headers)
            if refusal:
                await PlainTextResponse(refusal, status_code=403)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        if not self.reads_need_token:
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        from_query = (query.get("token") or [None])[0]
        cookie = SimpleCookie(headers.get("cookie", ""))
        from_cookie = cookie[COOKIE].value if COOKIE in cookie else None
        if _same(from_query, self.token):
            await self.app(scope, receive, self._setting_cookie(send))
        elif _same(from_cookie, self.token) or _same(headers.get(HEADER), self.token):
            await self.app(scope, receive, send)
        else:
            text = "this studio needs its token: open the address `shotrelay serve` printed"
            await PlainTextResponse(text, status_code=401)(scope, receive, send)

    def _write_refusal(self, scope: Scope, headers: Headers) -> str:
        site = headers.get("sec-fetch-site")
        if site is not None and site not in {"same-origin", "none"}:
            return f"refused: a {site} request may not change the studio"
        origin = headers.get("origin")
        if origin is not None and origin != _own_origin(scope, headers):
            return f"refused: requests from {origin} may not change the studio"
        if not _same(headers.get(HEADER), self.token):
            return "refused: a request that changes the studio must carry its token"
        return ""

    def _setting_cookie(self, send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                value = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
                message["headers"] = [*message["headers"], (b"set-cookie", value.encode())]
            await send(message)

        return sending


def _own_origin(scope: Scope, headers: Headers) -> str:
    return f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"

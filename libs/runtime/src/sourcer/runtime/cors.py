"""CORS for the browser extension: exact configured origins only, no cookies.

The extension calls the API from its own origin (`chrome-extension://<id>`) with a bearer token,
so the browser asks first (a preflight without the token) and reads an answer, an error too,
only if it carries `Access-Control-Allow-Origin`. The middleware therefore sits outside the
authentication and overload refusals: their 401/429/503 problems get CORS headers as well.

An origin that is not configured gets no CORS header at all; its preflight goes on to the app,
which answers it like any other OPTIONS (405 problem).
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sourcer.runtime.problems import problem_response
from sourcer.runtime.texts import negotiate

ALLOWED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# What the API reads from a request: the token, JSON bodies, the language of its texts, the
# version a change is based on, where an event stream resumes, and a client's request id.
ALLOWED_HEADERS = (
    "Authorization",
    "Content-Type",
    "Accept-Language",
    "If-Match",
    "Last-Event-ID",
    "X-Request-Id",
)
# What a client needs to read from an answer beyond the CORS-safelisted ones.
EXPOSED_HEADERS = (
    "Retry-After",
    "Location",
    "ETag",
    "X-Request-Id",
    "WWW-Authenticate",
    "Content-Language",
)
ORIGIN_SCHEMES = frozenset({"chrome-extension", "moz-extension", "https", "http"})
PREFLIGHT_MAX_AGE = 600


def check_origin(origin: str) -> str:
    """`origin` if it is one exact origin as a browser sends it, else ValueError saying why."""
    parts = urlsplit(origin)
    if origin == "*" or "*" in origin:
        raise ValueError("CORS origins are exact origins; wildcards are not accepted")
    if parts.scheme not in ORIGIN_SCHEMES or not parts.netloc:
        raise ValueError(f"not an origin: {origin!r} (e.g. chrome-extension://<extension id>)")
    if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError(f"an origin has no path, query or user: {origin!r}")
    if origin != origin.lower():
        raise ValueError(f"browsers send origins in lower case: {origin!r}")
    return origin


class ExactOriginCorsMiddleware(CORSMiddleware):
    def __init__(self, app: ASGIApp, *, origins: Collection[str]) -> None:
        super().__init__(
            app,
            allow_origins=[check_origin(o) for o in origins],
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            allow_credentials=False,
            max_age=PREFLIGHT_MAX_AGE,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            origin = Headers(scope=scope).get("origin")
            if origin is not None and not self.is_allowed_origin(origin):
                await self.app(scope, receive, _vary_on_origin(send))
                return
        await super().__call__(scope, receive, send)

    def preflight_response(self, request_headers: Headers) -> Response:
        """An allowed origin asking for a method or header the API does not take: a problem."""
        response = super().preflight_response(request_headers)
        if response.status_code == 200:
            return response
        kept = {
            k.decode("latin-1"): v.decode("latin-1")
            for k, v in response.raw_headers
            if k.lower().startswith(b"access-control-") or k.lower() == b"vary"
        }
        language = negotiate(request_headers.get("accept-language", ""))
        return problem_response(
            400,
            "bad_request",
            "The preflight asks for a method or header the API does not accept.",
            headers=kept,
            language=language,
        )


def _vary_on_origin(send: Send) -> Send:
    """The answer depends on the origin even when it has no CORS header: caches must know."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers.add_vary_header("Origin")
        await send(message)

    return sending

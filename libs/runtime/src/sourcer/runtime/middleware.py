"""ASGI middleware: authentication before any body is read, a body size limit, a bound on
requests in flight, and request context bound into every log line.

Each answers a refusal itself, as problem+json, without reading the request body: a client
without credentials, or with a body over the limit, costs us its headers and nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sourcer.runtime.auth import AuthError, TokenVerifier, bearer_token
from sourcer.runtime.problems import problem_response, retry_after_header
from sourcer.runtime.texts import negotiate

# Paths a verifying app still answers without a token: its API description and the ops routes
# (probes and Prometheus do not authenticate; the internal listener is not public).
OPEN_PATHS = frozenset(
    {"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", "/healthz", "/readyz", "/metrics"}
)


async def _send_problem(
    scope: Scope,
    send: Send,
    status: int,
    code: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
) -> None:
    accept = dict(scope.get("headers", [])).get(b"accept-language", b"").decode("latin-1")
    response = problem_response(status, code, detail, headers=headers, language=negotiate(accept))
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": response.raw_headers,
        }
    )
    await send({"type": "http.response.body", "body": response.body})


class BodyLimitMiddleware:
    """Refuses bodies over `max_bytes` with 413 before any route reads them.

    A declared Content-Length is checked up front; a chunked body is read up to the limit
    and then replayed to the app, so a client cannot stream an unbounded body.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        detail = f"The request body is larger than {self.max_bytes} bytes."
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_problem(scope, send, 400, "bad_request", "Invalid Content-Length.")
                    return
                if declared > self.max_bytes:
                    await _send_problem(scope, send, 413, "body_too_large", detail)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _send_problem(scope, send, 413, "body_too_large", detail)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class AuthenticateFirstMiddleware:
    """Verifies the bearer token before the route runs, so before FastAPI reads the body.

    Every path but `open_paths` needs a valid token; CORS preflights (OPTIONS) carry none and
    pass. The verified caller goes into the request state, where `CallerDep` takes it.
    """

    def __init__(
        self, app: ASGIApp, *, verifier: TokenVerifier, open_paths: Collection[str] = OPEN_PATHS
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.open_paths = frozenset(open_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] == "OPTIONS"
            or scope["path"] in self.open_paths
        ):
            await self.app(scope, receive, send)
            return
        authorization = None
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                authorization = value.decode("latin-1")
                break
        try:
            caller = await self.verifier.verify_async(bearer_token(authorization))
        except AuthError as exc:
            challenge = {"WWW-Authenticate": "Bearer"}
            await _send_problem(scope, send, 401, exc.code, exc.message, headers=challenge)
            return
        scope.setdefault("state", {})["caller"] = caller
        await self.app(scope, receive, send)


class InFlightLimitMiddleware:
    """At most `limit` requests being worked on; the next ones get 503 with Retry-After at once.

    A slot is held until the answer starts (an SSE stream frees it with its headers), so the
    bound is on work, not on open streams. Refusing early keeps every connection answered under
    overload, where queueing without bound would end in timeouts and dropped connections.
    """

    def __init__(self, app: ASGIApp, *, limit: int, retry_after: float = 1.0) -> None:
        self.app = app
        self.limit = limit
        self.retry_after = retry_after_header(retry_after)
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await _send_problem(
                scope,
                send,
                503,
                "overloaded",
                "The service is busy; try again in a moment.",
                headers={"Retry-After": self.retry_after},
            )
            return
        self.in_flight += 1
        held = True

        def release() -> None:
            nonlocal held
            if held:
                held = False
                self.in_flight -= 1

        async def send_releasing(message: Message) -> None:
            if message["type"] == "http.response.start":
                release()
            await send(message)

        try:
            await self.app(scope, receive, send_releasing)
        finally:
            release()


class LogContextMiddleware:
    """Binds an HTTP request id (from X-Request-Id or new) and echoes it in the answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        http_id = incoming[:64] if incoming.isprintable() and incoming else uuid.uuid4().hex

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", http_id.encode()),
                ]
            await send(message)

        with structlog.contextvars.bound_contextvars(
            http_request_id=http_id, method=scope["method"], path=scope["path"]
        ):
            await self.app(scope, receive, send_with_id)

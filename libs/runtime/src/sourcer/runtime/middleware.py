"""ASGI middleware: a body size limit, and request context bound into every log line."""

from __future__ import annotations

import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sourcer.runtime.problems import problem_response


async def _send_problem(send: Send, status: int, code: str, detail: str) -> None:
    response = problem_response(status, code, detail)
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
                    await _send_problem(send, 400, "bad_request", "Invalid Content-Length.")
                    return
                if declared > self.max_bytes:
                    await _send_problem(send, 413, "body_too_large", detail)
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
                await _send_problem(send, 413, "body_too_large", detail)
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

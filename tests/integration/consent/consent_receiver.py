"""A real HTTP receiver on 127.0.0.1 that checks signatures with the integrators' helper."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sourcer.consent.webhook_verify import WebhookVerificationError, verify


@dataclass
class Received:
    verified: bool
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Receiver:
    url: str = ""
    secret: str = ""
    now: Callable[[], float] | None = None
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        try:
            verify(
                secret=self.secret,
                headers=dict(request.headers),
                body=raw,
                now=self.now() if self.now else None,
            )
            verified = True
        except WebhookVerificationError:
            verified = False
        self.received.append(Received(verified, json.loads(raw), dict(request.headers)))
        if not verified:
            return Response(status_code=400)
        status, headers = self.script.pop(0) if self.script else (204, {})
        return Response(status_code=status, headers=headers)


class _Quiet(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def running_receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False)
    server = _Quiet(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task

"""Ops endpoints every process serves: /healthz (alive), /readyz (dependencies answer), /metrics.

Workers have no API of their own, so `serve_ops` runs this small app next to the consumers in
the same event loop; the gateway mounts the same routes in its FastAPI app.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator, Mapping

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ReadinessCheck = Callable[[], Awaitable[bool]]


def ops_routes(checks: Mapping[str, ReadinessCheck]) -> list[Route]:
    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        results: dict[str, bool] = {}
        for name, check in checks.items():
            try:
                results[name] = await asyncio.wait_for(check(), timeout=3.0)
            except Exception:
                results[name] = False
        ready = all(results.values())
        return JSONResponse(
            {"status": "ready" if ready else "not_ready", "checks": results},
            status_code=200 if ready else 503,
        )

    async def metrics(_: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/healthz", healthz, include_in_schema=False),
        Route("/readyz", readyz, include_in_schema=False),
        Route("/metrics", metrics, include_in_schema=False),
    ]


def ops_app(checks: Mapping[str, ReadinessCheck]) -> Starlette:
    return Starlette(routes=ops_routes(checks))


class _EmbeddedServer(uvicorn.Server):
    """Leaves signal handling to the process, which drains its consumers on SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve_ops(
    checks: Mapping[str, ReadinessCheck], *, host: str, port: int
) -> uvicorn.Server:
    """Start the ops endpoints in the running loop; returns the server to stop it later."""
    config = uvicorn.Config(
        ops_app(checks), host=host, port=port, log_config=None, access_log=False, lifespan="off"
    )
    server = _EmbeddedServer(config)
    asyncio.get_running_loop().create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    return server

"""Ops endpoints every process serves: /healthz (alive), /readyz (dependencies answer), /metrics,
and the one embedded HTTP server the runtime runs a service's listeners with.

Every process has an internal listener: its internal API (if any) with the ops routes added, or
a small app of just those. A service with public routes (the gateway's API, the consent landing
page) has a public listener too, which answers /healthz (so a load balancer can check the port
it routes to) and nothing else of ops: readiness details and metrics stay internal. The servers
run in the service's event loop, next to its consumers.
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
from starlette.types import ASGIApp

from sourcer.runtime.middleware import BodyLimitMiddleware

ReadinessCheck = Callable[[], Awaitable[bool]]

# The ops routes take no body; anything posted to them is refused unread.
OPS_MAX_BODY_BYTES = 1024


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


def ops_routes(checks: Mapping[str, ReadinessCheck]) -> list[Route]:
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


def ops_app(checks: Mapping[str, ReadinessCheck]) -> ASGIApp:
    return BodyLimitMiddleware(Starlette(routes=ops_routes(checks)), max_bytes=OPS_MAX_BODY_BYTES)


class _EmbeddedServer(uvicorn.Server):
    """Leaves signal handling to the runtime, which drains the whole service in order."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _add_routes(app: ASGIApp, routes: list[Route]) -> ASGIApp:
    router = getattr(app, "router", None)
    if router is None:
        raise TypeError("a service API must be a Starlette or FastAPI app")
    router.routes.extend(routes)
    return app


def with_ops_routes(app: ASGIApp | None, checks: Mapping[str, ReadinessCheck]) -> ASGIApp:
    """The internal listener's app: `app` with the ops routes added, or an app of just those."""
    if app is None:
        return ops_app(checks)
    return _add_routes(app, ops_routes(checks))


def with_liveness(app: ASGIApp) -> ASGIApp:
    """The public listener's app: `app` with /healthz, which says nothing but "alive"."""
    return _add_routes(app, [Route("/healthz", healthz, include_in_schema=False)])


class Listener:
    """A running HTTP server; `port` is the bound one (useful when asked for port 0)."""

    def __init__(self, server: uvicorn.Server, task: asyncio.Task[None]) -> None:
        self._server = server
        self._task = task

    @property
    def port(self) -> int:
        sockets = self._server.servers[0].sockets if self._server.servers else []
        return int(sockets[0].getsockname()[1]) if sockets else 0

    async def stop(self) -> None:
        """Stop accepting, let requests in flight finish (bounded by the graceful timeout)."""
        self._server.should_exit = True
        await asyncio.gather(self._task, return_exceptions=True)


async def serve(
    app: ASGIApp, *, host: str, port: int, graceful_seconds: float, keep_alive_seconds: float
) -> Listener:
    """Start serving `app` in the running loop; fails when the server cannot start (a port in
    use, say) instead of leaving a process that looks alive and answers nothing.

    `keep_alive_seconds` must outlast the idle timeout of the clients in front: when the
    server closes an idle connection at the moment a client reuses it, the client's request
    meets a closed socket (httpx.ReadError) and was never answered."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="off",
        proxy_headers=True,
        timeout_keep_alive=max(1, int(keep_alive_seconds)),
        timeout_graceful_shutdown=max(1, int(graceful_seconds)),
    )
    server = _EmbeddedServer(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises the start-up error
            raise RuntimeError(f"HTTP server on {host}:{port} stopped during start-up")
        await asyncio.sleep(0.01)
    return Listener(server, task)

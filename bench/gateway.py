"""POST /v1/sourcing-requests on one gateway worker against a bare FastAPI endpoint.

Both servers run as one uvicorn worker each, in the same run, behind the same token check
(`sourcer.runtime.auth`) and the same body model. The gateway additionally canonicalizes the
URL, rate-limits, inserts the request in MongoDB and publishes `sourcing.requested` with a
broker confirm. Rounds alternate between the two so machine noise hits both; the best round of
each counts. Goal: gateway throughput at least 0.6 of the bare endpoint. A request that gets no
answer (the server reset or closed the connection) is counted, not retried; the run fails if any.

    AMQP_URL=... MONGODB_URL=... uv run python bench/gateway.py [--requests 3000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import uvicorn
from fastapi import Depends, FastAPI, Request

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support import delete_topology, observe, service_queue_names

from sourcer.gateway.schemas import SourcingRequestCreate
from sourcer.proto.envelope import Envelope, Role
from sourcer.proto.events import SourcingRequested
from sourcer.runtime.auth import AuthSettings, Caller, TokenVerifier, bearer_token, mint_token
from sourcer.runtime.bus import Bus
from sourcer.runtime.settings import ServiceSettings

SECRET = "bench-secret-" + "0123456789abcdef" * 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def caller(request: Request) -> Caller:
    verifier: TokenVerifier = request.app.state.verifier
    return await verifier.verify_async(bearer_token(request.headers.get("authorization")))


def bare_app() -> FastAPI:
    """The baseline: authentication and body validation, nothing else."""
    app = FastAPI()
    app.state.verifier = TokenVerifier(AuthSettings(mode="development", jwt_secret=SECRET))

    @app.post("/v1/sourcing-requests", status_code=202)
    async def create(
        body: SourcingRequestCreate, who: Annotated[Caller, Depends(caller)]
    ) -> dict[str, Any]:
        return {"id": f"req_{uuid.uuid4().hex[:24]}", "status": "queued", "url": body.url}

    return app


@contextlib.contextmanager
def server(args: list[str], env: dict[str, str], port: int) -> Iterator[None]:
    process = subprocess.Popen(
        [sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
                break
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


async def load(
    url: str, token: str, *, requests: int, concurrency: int
) -> tuple[float, float, int]:
    """Requests per second, p99 latency (ms) and requests left unanswered (connection reset or
    closed) of `requests` POSTs with unique profile URLs."""
    latencies: list[float] = []
    unanswered = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(n)
    run = uuid.uuid4().hex[:8]
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=url, limits=limits, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as client:

        async def worker() -> None:
            while not queue.empty():
                n = queue.get_nowait()
                body = {"url": f"https://www.linkedin.com/in/bench-{run}-{n}/"}
                start = time.perf_counter()
                try:
                    response = await client.post("/v1/sourcing-requests", json=body)
                except httpx.TransportError as exc:
                    nonlocal unanswered
                    unanswered += 1
                    print(f"  no answer: {type(exc).__name__}", file=sys.stderr)
                    continue
                latencies.append(time.perf_counter() - start)
                if response.status_code not in (200, 202):
                    raise RuntimeError(f"{response.status_code}: {response.text[:200]}")

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return requests / elapsed, latencies[int(len(latencies) * 0.99) - 1] * 1000, unanswered


async def bind_extractor_queue(amqp_url: str, namespace: str) -> set[str]:
    """The gateway refuses a request that no queue would take (a mandatory publish), so a
    queue stands in for the extractor's; it only collects the commands."""

    async def ignore(_: Envelope[Any]) -> None:
        return None

    bus = Bus(url=amqp_url, namespace=namespace, name="bench")
    await bus.connect()
    await observe(bus, "bench.extractor", [SourcingRequested], ignore)
    queues = set(bus.declared_queues())
    await bus.close()
    return queues


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve-bare", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        uvicorn.run(
            bare_app(),
            host="127.0.0.1",
            port=args.serve_bare,
            log_level="warning",
            access_log=False,
            # The same keep-alive as Sourcer's listeners, so both sides are served alike.
            timeout_keep_alive=int(ServiceSettings().keep_alive_seconds),
        )
        return 0
    gateway_port, bare_port = free_port(), free_port()
    run = uuid.uuid4().hex[:8]
    env = {
        **os.environ,
        "MONGODB_DB": f"bench_gateway_{run}",
        "SOURCER_BUS_NAMESPACE": f"bench.{run}.",
        "SOURCER_AUTH_MODE": "development",
        "SOURCER_AUTH_JWT_SECRET": SECRET,
        "SOURCER_GATEWAY_HTTP_PORT": str(gateway_port),
        "SOURCER_GATEWAY_INTERNAL_PORT": str(free_port()),
        "SOURCER_GATEWAY_RATE_LIMIT_PER_MINUTE": "100000000",
        "SOURCER_GATEWAY_RATE_LIMIT_BURST": "100000000",
        "SOURCER_LOG_LEVEL": "WARNING",
    }
    amqp_url = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    queues = asyncio.run(bind_extractor_queue(amqp_url, env["SOURCER_BUS_NAMESPACE"]))
    token = mint_token(secret=SECRET, sub="bench", tenant="bench", role=Role.RECRUITER)
    best = {"gateway": (0.0, 0.0), "bare": (0.0, 0.0)}
    unanswered = {"gateway": 0, "bare": 0}
    try:
        with (
            server(["-m", "sourcer.gateway.cli", "serve"], env, gateway_port),
            server([__file__, "--serve-bare", str(bare_port)], env, bare_port),
        ):
            urls = {
                "gateway": f"http://127.0.0.1:{gateway_port}",
                "bare": f"http://127.0.0.1:{bare_port}",
            }
            asyncio.run(load(urls["gateway"], token, requests=200, concurrency=8))  # warm up
            asyncio.run(load(urls["bare"], token, requests=200, concurrency=8))
            for _ in range(args.rounds):
                for name, url in urls.items():
                    rps, p99, lost = asyncio.run(
                        load(url, token, requests=args.requests, concurrency=args.concurrency)
                    )
                    unanswered[name] += lost
                    print(f"{name:8s} {rps:8.0f} req/s  p99 {p99:7.1f} ms")
                    if rps > best[name][0]:
                        best[name] = (rps, p99)
    finally:
        # Also after a failed run: quorum queues left behind slow the broker down.
        _cleanup(env)
        namespace = env["SOURCER_BUS_NAMESPACE"]
        asyncio.run(delete_topology(amqp_url, namespace, queues | service_queue_names(namespace)))
    ratio = best["gateway"][0] / best["bare"][0]
    print(f"gateway: {best['gateway'][0]:.0f} req/s, p99 {best['gateway'][1]:.1f} ms")
    print(f"bare:    {best['bare'][0]:.0f} req/s, p99 {best['bare'][1]:.1f} ms")
    print(f"throughput ratio gateway/bare = {ratio:.2f} (goal >= 0.6)")
    print(f"unanswered requests: gateway {unanswered['gateway']}, bare {unanswered['bare']}")
    return 1 if any(unanswered.values()) else 0


def _cleanup(env: dict[str, str]) -> None:
    from pymongo import MongoClient

    url = env.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
    client: MongoClient[dict[str, Any]]
    with MongoClient(url) as client:
        client.drop_database(env["MONGODB_DB"])


if __name__ == "__main__":
    sys.exit(main())

"""Time from POST /v1/sourcing-requests to a ready preview, minus the extractor's own time.

Gateway and talent service run as processes; this script plays an infinitely fast extractor:
it answers each `sourcing.requested` with `profile.extracted` at once, so everything measured is
Sourcer's own overhead (HTTP, three event hops: to the extractor, to the talent service and
back to the gateway; matching and diffing, the status updates, status polls). Baseline in the
same run: three bare publish→consume hops on the same broker, the least this event-driven design
pays. Goal: p50 overhead at most 50 ms.

    AMQP_URL=... MONGODB_URL=... uv run python bench/e2e.py [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support import delete_topology, observe, service_queue_names

from sourcer.proto.envelope import Actor, ActorKind, Envelope, Role
from sourcer.proto.events import ProfileExtracted, SourcingRequested
from sourcer.proto.records import Platform, Profile, ProfileSource
from sourcer.runtime.auth import mint_token
from sourcer.runtime.bus import Bus
from sourcer.runtime.logging import configure_logging

SECRET = "bench-secret-" + "0123456789abcdef" * 3
EXTRACTOR = Actor(kind=ActorKind.SERVICE, id="extractor")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], ready_url: str) -> Iterator[None]:
    proc = subprocess.Popen(
        [sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(ready_url, timeout=1).status_code < 500:
                    break
            time.sleep(0.1)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def profile(slug: str) -> Profile:
    return Profile(
        first_name="Bench",
        last_name=slug,
        emails=[f"{slug}@example.org"],
        skills=["Python"],
        source=ProfileSource(
            platform=Platform.LINKEDIN,
            profile_id=slug,
            profile_url=f"https://www.linkedin.com/in/{slug}/",
        ),
    )


async def play_extractor(bus: Bus) -> None:
    """An infinitely fast extractor: answers each `sourcing.requested` at once."""

    async def extract(envelope: Envelope[Any]) -> None:
        request = envelope.payload
        await bus.emit(
            ProfileExtracted(request_id=request.request_id, profile=profile(request.profile_id)),
            tenant_id=envelope.tenant_id,
            correlation_id=envelope.correlation_id,
            actor=EXTRACTOR,
            causation_id=envelope.event_id,
        )

    await observe(bus, "bench.extractor", [SourcingRequested], extract, concurrency=4)


async def overhead(gateway: str, tenant: str, requests: int) -> list[float]:
    token = mint_token(secret=SECRET, sub="bench", tenant=tenant, role=Role.RECRUITER)
    samples = []
    async with httpx.AsyncClient(
        base_url=gateway, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        for n in range(requests):
            slug = f"bench-{uuid.uuid4().hex[:8]}-{n}"
            start = time.perf_counter()
            response = await client.post(
                "/v1/sourcing-requests", json={"url": f"https://www.linkedin.com/in/{slug}/"}
            )
            assert response.status_code == 202, response.text
            request_id = response.json()["id"]
            while (await client.get(f"/v1/sourcing-requests/{request_id}")).json()[
                "status"
            ] != "ready":
                await asyncio.sleep(0.002)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


async def bare_hops(bus: Bus, tenant: str, requests: int) -> list[float]:
    """Three publish→consume hops per sample (to the extractor, to the talent service, back
    to the gateway), nothing else."""
    arrived: asyncio.Queue[float] = asyncio.Queue()

    async def handler(_: Envelope[Any]) -> None:
        arrived.put_nowait(time.perf_counter())

    await observe(bus, "bench.baseline", [ProfileExtracted], handler)
    samples = []
    for n in range(requests):
        start = time.perf_counter()
        for _ in range(3):
            await bus.emit(
                ProfileExtracted(request_id=f"b{n}", profile=profile(f"b{n}")),
                tenant_id=tenant,
                correlation_id=f"b{n}",
                actor=EXTRACTOR,
            )
            await arrived.get()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


async def run(args: argparse.Namespace, env: dict[str, str], gateway: str) -> None:
    configure_logging(fmt="console", level="WARNING")
    bus = Bus(url=env["AMQP_URL"], namespace=env["SOURCER_BUS_NAMESPACE"], name="bench")
    # The baseline's events go through an exchange of their own, which no service consumes.
    bare_bus = Bus(
        url=env["AMQP_URL"], namespace=env["SOURCER_BUS_NAMESPACE"] + "bare.", name="bare"
    )
    await bus.connect()
    await bare_bus.connect()
    try:
        await play_extractor(bus)
        await overhead(gateway, "warmup", 10)
        sourcer = await overhead(gateway, "bench", args.requests)
        bare = await bare_hops(bare_bus, "bench", args.requests)
    finally:
        for b in (bus, bare_bus):
            await b.close()
        await delete_topology(env["AMQP_URL"], bare_bus.namespace, bare_bus.declared_queues())
        # The gateway's and talent service's queues too: they ran as processes.
        namespace = env["SOURCER_BUS_NAMESPACE"]
        queues = bus.declared_queues() | service_queue_names(namespace)
        await delete_topology(env["AMQP_URL"], namespace, queues)
    print(
        f"POST → preview ready (extractor time 0): p50 {statistics.median(sourcer):.1f} ms, "
        f"p99 {p(sourcer, 0.99):.1f} ms"
    )
    print(
        f"baseline, three bare bus hops:         p50 {statistics.median(bare):.1f} ms, "
        f"p99 {p(bare, 0.99):.1f} ms"
    )
    print(
        f"ratio sourcer/baseline p50 = {statistics.median(sourcer) / statistics.median(bare):.2f}"
    )
    print(f"p50 overhead {statistics.median(sourcer):.1f} ms (goal <= 50 ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    run_id = uuid.uuid4().hex[:8]
    gateway_port, gateway_internal, talent_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "AMQP_URL": os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
        "MONGODB_DB": f"bench_e2e_{run_id}",
        "SOURCER_BUS_NAMESPACE": f"bench.{run_id}.",
        "SOURCER_AUTH_MODE": "development",
        "SOURCER_AUTH_JWT_SECRET": SECRET,
        "SOURCER_TALENT_SUPPRESSION_KEY": "bench",
        "SOURCER_TALENT_INTERNAL_PORT": str(talent_port),
        "SOURCER_GATEWAY_HTTP_PORT": str(gateway_port),
        "SOURCER_GATEWAY_INTERNAL_PORT": str(gateway_internal),
        "SOURCER_GATEWAY_TALENT_API_URL": f"http://127.0.0.1:{talent_port}",
        "SOURCER_GATEWAY_RATE_LIMIT_PER_MINUTE": "100000000",
        "SOURCER_GATEWAY_RATE_LIMIT_BURST": "100000000",
        "SOURCER_LOG_LEVEL": "WARNING",
    }
    gateway = f"http://127.0.0.1:{gateway_port}"
    with (
        process(
            ["-m", "sourcer.talent.cli", "worker"], env, f"http://127.0.0.1:{talent_port}/docs"
        ),
        process(
            ["-m", "sourcer.gateway.cli", "serve"],
            env,
            f"http://127.0.0.1:{gateway_internal}/readyz",
        ),
    ):
        asyncio.run(run(args, env, gateway))
    from pymongo import MongoClient

    client: MongoClient[dict[str, Any]]
    with MongoClient(env.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")) as client:
        client.drop_database(env["MONGODB_DB"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fairness between tenants: one tenant's backlog must not hold up another tenant's request.

Tenant A queues `--backlog` requests with one session (paced: it rests between profiles);
right after, tenant B sources one profile with its own idle session. B's time to its extracted
profile is measured with A's backlog in the queue, and without it (the baseline, in the same
run, same extractor). The jobs of a tenant whose sessions are all busy are deferred off the
queue, so they must not occupy the extractor's prefetch: the ratio should stay near 1, and B's
latency within B's own pacing (none: its session is idle) plus a small margin.

    AMQP_URL=... MONGODB_URL=... uv run python bench/fairness.py [--backlog 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from extractor_harness import (
    extractor_settings,
    import_simulator_account,
    serve_app,
    start_extractor,
)
from support import delete_topology, observe

from sourcer.proto.envelope import Actor, ActorKind, Envelope, Role
from sourcer.proto.events import ProfileExtracted, ProfileExtractionFailed, SourcingRequested
from sourcer.proto.records import Platform
from sourcer.runtime.bus import Bus
from sourcer.runtime.logging import configure_logging
from sourcer.runtime.store import connect_store
from sourcer.simulator.app import create_app
from sourcer.simulator.catalog import ProfileCatalog

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
PACE_SECONDS = 2.0


class Outcomes:
    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.failed: dict[str, str] = {}
        self.arrived = asyncio.Event()

    async def handle(self, envelope: Envelope[Any]) -> None:
        request_id = envelope.payload.request_id
        self.at[request_id] = time.perf_counter()
        if envelope.type == "profile.extraction_failed":
            self.failed[request_id] = envelope.payload.code.value
        self.arrived.set()

    async def wait_for(self, request_id: str, timeout: float = 120.0) -> float:
        deadline = time.perf_counter() + timeout
        while request_id not in self.at:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{request_id} never ended")
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), timeout=deadline - time.perf_counter())
        return self.at[request_id]


async def source(bus: Bus, *, tenant: str, user: str, slug: str) -> str:
    request_id = f"{tenant}-{uuid.uuid4().hex[:8]}"
    await bus.emit(
        SourcingRequested(
            request_id=request_id,
            url=f"https://www.linkedin.com/in/{slug}/",
            platform=Platform.LINKEDIN,
            profile_id=slug,
        ),
        tenant_id=tenant,
        correlation_id=request_id,
        actor=Actor(kind=ActorKind.USER, id=user, role=Role.RECRUITER),
    )
    return request_id


async def b_latency(bus: Bus, outcomes: Outcomes, slug: str) -> float:
    started = time.perf_counter()
    request_id = await source(bus, tenant="globex", user="bob", slug=slug)
    ended = await outcomes.wait_for(request_id)
    assert request_id not in outcomes.failed, outcomes.failed[request_id]
    return ended - started


async def run(backlog: int) -> None:
    catalog = ProfileCatalog.builtin()
    slugs = [m.slug for m in catalog if m.platform is Platform.LINKEDIN and not m.private]
    namespace = f"bench.fair.{uuid.uuid4().hex[:6]}."
    db_name = f"bench_fair_{uuid.uuid4().hex[:8]}"
    async with serve_app(create_app(profiles=catalog, render_delay_ms=0)) as base_url:
        settings = extractor_settings(
            amqp_url=AMQP_URL, mongodb_url=MONGODB_URL, db_name=db_name, namespace=namespace,
            base_url=base_url, tmp=Path(tempfile.mkdtemp()),
        ).model_copy(
            update={"pace_min_seconds": PACE_SECONDS, "pace_max_seconds": PACE_SECONDS,
                    "no_account_retry_delay": 2.0, "session_wait_seconds": 3600.0}
        )  # fmt: skip
        store = await connect_store(MONGODB_URL, db_name)
        bus = Bus(url=AMQP_URL, namespace=namespace, name="bench")
        await bus.connect()
        for tenant, user in (("acme", "alice"), ("globex", "bob")):
            await import_simulator_account(
                settings=settings, store=store, base_url=base_url, account=f"{user}-seat",
                platform=Platform.LINKEDIN, tenant=tenant, owner=user,
            )  # fmt: skip
        outcomes = Outcomes()
        await observe(bus, "bench.outcomes", [ProfileExtracted, ProfileExtractionFailed],
                      outcomes.handle, concurrency=8)  # fmt: skip
        drain = await start_extractor(settings, bus, store)
        try:
            await b_latency(bus, outcomes, slugs[0])  # untimed: opens B's context and tab
            await asyncio.sleep(PACE_SECONDS)  # B's session rested again
            alone = await b_latency(bus, outcomes, slugs[1])
            await asyncio.sleep(PACE_SECONDS)
            for n in range(backlog):
                await source(bus, tenant="acme", user="alice", slug=slugs[n % len(slugs)])
            behind = await b_latency(bus, outcomes, slugs[2])
        finally:
            queues = bus.declared_queues()
            await bus.close()
            await drain()
            await store.client.drop_database(db_name)
            await store.close()
            await delete_topology(AMQP_URL, namespace, queues)
    print(f"tenant A: {backlog} requests queued on one session paced {PACE_SECONDS:g} s")
    print(f"tenant B alone:            {alone * 1000:.0f} ms to its extracted profile")
    print(f"tenant B behind A's queue: {behind * 1000:.0f} ms")
    print(f"ratio behind/alone = {behind / alone:.2f} (B's own pacing: 0 s, its session idle)")
    print(f"margin over alone = {(behind - alone) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backlog", type=int, default=50)
    args = parser.parse_args()
    configure_logging(fmt="console", level="WARNING")
    asyncio.run(run(args.backlog))


if __name__ == "__main__":
    main()

"""Small builders and waiting helpers shared by the test tiers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika

from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.proto.records import Platform

TEST_ACTOR = Actor(kind=ActorKind.SERVICE, id="tests")


def sourcing_requested(n: int = 0, *, tenant: str = "acme") -> Envelope[Any]:
    return Envelope[Any](
        type="sourcing.requested",
        tenant_id=tenant,
        correlation_id=f"req-{n}",
        actor=TEST_ACTOR,
        payload=SourcingRequested(
            request_id=f"req-{n}",
            url=f"https://www.linkedin.com/in/person-{n}/",
            platform=Platform.LINKEDIN,
            profile_id=f"person-{n}",
        ),
    )


async def eventually(
    check: Callable[[], Awaitable[bool]], *, timeout: float = 20.0, interval: float = 0.05
) -> None:
    """Wait until `check` holds; fail the test with a clear message when it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


async def delete_topology(amqp_url: str, namespace: str, queues: set[str]) -> None:
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        for name in queues:
            await channel.queue_delete(name)
        await channel.exchange_delete(f"{namespace}sourcer.events")
    finally:
        await connection.close()


# Every consumer the services declare queues for, with every retry delay they use (the
# extractor's as configured by the tests and benchmarks too). Deleting a queue that does
# not exist is not an error.
SERVICE_CONSUMERS = (
    "extractor",
    "gateway.request_status",
    "talent.previews",
    "talent.submits",
    "talent.consent",
    "consent.webhooks",
)
RETRY_DELAYS_MS = (200, 500, 1000, 5000, 10000, 30000, 60000, 120000, 300000, 600000)


async def delete_service_topology(amqp_url: str, namespace: str) -> None:
    """Delete the queues and exchange of services run under `namespace` as processes, whose
    declared queues the caller cannot ask for, so that runs leave nothing behind."""
    connection = await aio_pika.connect(amqp_url)
    try:
        for consumer in SERVICE_CONSUMERS:
            base = f"{namespace}{consumer}"
            for name in [base, f"{base}.parked", *(f"{base}.delay.{d}" for d in RETRY_DELAYS_MS)]:
                channel = await connection.channel()
                with contextlib.suppress(Exception):
                    await channel.queue_delete(name)
                with contextlib.suppress(Exception):
                    await channel.close()
        channel = await connection.channel()
        with contextlib.suppress(Exception):
            await channel.exchange_delete(f"{namespace}sourcer.events")
    finally:
        await connection.close()

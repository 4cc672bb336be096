"""Small builders and waiting helpers shared by the test tiers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika

from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.proto.records import Platform
from sourcer.runtime.consumer import delay_queue_name, parked_queue_name

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


# The retry delays the services' consumers use (the extractor's as the tests and benchmarks
# configure it too); deleting a queue that does not exist is not an error.
RETRY_DELAYS_MS = (200, 300, 500, 1000, 5000, 10000, 30000, 60000, 120000, 300000, 600000)


def service_queue_names(namespace: str) -> set[str]:
    """The queues the services declare under `namespace`, for runs that start them as
    processes and so cannot ask their buses."""
    from sourcer.consent.entrypoints import WEBHOOKS_CONSUMER
    from sourcer.extractor.bootstrap import CONSUMER as EXTRACTOR_CONSUMER
    from sourcer.gateway.consumers import CONSUMER as GATEWAY_CONSUMER
    from sourcer.talent.consent_mirror import CONSUMER as CONSENT_MIRROR_CONSUMER
    from sourcer.talent.consumers import PREVIEWS_CONSUMER, SUBMITS_CONSUMER

    consumers = (
        EXTRACTOR_CONSUMER,
        GATEWAY_CONSUMER,
        PREVIEWS_CONSUMER,
        SUBMITS_CONSUMER,
        CONSENT_MIRROR_CONSUMER,
        WEBHOOKS_CONSUMER,
    )
    names: set[str] = set()
    for consumer in consumers:
        base = f"{namespace}{consumer}"
        delays = {delay_queue_name(base, ms) for ms in RETRY_DELAYS_MS}
        names |= {base, parked_queue_name(base), *delays}
    return names

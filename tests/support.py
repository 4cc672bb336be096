"""Small builders and waiting helpers shared by the test tiers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import aio_pika
from pydantic import BaseModel

from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.proto.records import Platform
from sourcer.proto.talent_record import TalentRecord
from sourcer.runtime.bus import Bus
from sourcer.runtime.consumer import Consumer
from sourcer.runtime.consumer_spec import (
    ConsumerSpec,
    On,
    RetryPolicy,
    dead_letter_exchange_name,
    queue_names,
)
from sourcer.runtime.idempotency import ProcessedEvents
from sourcer.runtime.registry import installed_services

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
            # A consumer's own exchange is named after its queue; deleting one that does not
            # exist (named after a delay queue) is no error.
            await channel.exchange_delete(dead_letter_exchange_name(name))
        await channel.exchange_delete(f"{namespace}sourcer.events")
    finally:
        await connection.close()


def service_queue_names(namespace: str, *, extractor_retry: RetryPolicy | None = None) -> set[str]:
    """The queues the installed services declare under `namespace`, from their consumer specs,
    for runs that start them as processes and so cannot ask their buses. `extractor_retry` is
    the policy the run gave the extractor through its settings, when not the default."""
    specs: list[ConsumerSpec[Any]] = []
    for service in installed_services():
        for spec in service.consumers:
            if service.name == "extractor" and extractor_retry is not None:
                spec = spec.with_retry(extractor_retry)
            specs.append(spec)
    return queue_names(specs, namespace)


ParkedHandler = Callable[[Envelope[Any], str, str], Awaitable[None]]


def observer(
    name: str,
    payloads: Sequence[type[BaseModel]],
    handler: Callable[[Envelope[Any]], Awaitable[None]],
    *,
    on_parked: ParkedHandler | None = None,
    retry: RetryPolicy | None = None,
) -> ConsumerSpec[None]:
    """A consumer that hands every event of the given types to `handler` (tests watch the bus)."""

    async def route(_: None, envelope: Envelope[Any]) -> None:
        await handler(envelope)

    async def parked(_: None, envelope: Envelope[Any], kind: str, error: str) -> None:
        assert on_parked is not None
        await on_parked(envelope, kind, error)

    return ConsumerSpec(
        name=name,
        description="test observer",
        routes=tuple(On(payload, route) for payload in payloads),
        retry=retry or RetryPolicy(),
        on_parked=parked if on_parked is not None else None,
    )


async def observe(
    bus: Bus,
    name: str,
    payloads: Sequence[type[BaseModel]],
    handler: Callable[[Envelope[Any]], Awaitable[None]],
    *,
    retry: RetryPolicy | None = None,
    concurrency: int = 1,
    processed: ProcessedEvents | None = None,
    on_parked: ParkedHandler | None = None,
) -> Consumer:
    spec = observer(name, payloads, handler, on_parked=on_parked, retry=retry)
    return await bus.consume(spec, context=None, concurrency=concurrency, processed=processed)


def talent_document(
    talent_id: str,
    *,
    tenant: str = "acme",
    first: str = "Jana",
    last: str = "Novakova",
    email: str | None = "jana.novakova@example.org",
    language: str | None = "de",
    platform: Platform = Platform.LINKEDIN,
    slug: str = "jana-novakova-4711",
) -> dict[str, Any]:
    """A talent as the talent service stores it, built through its contract model, so a field
    the talent service renames breaks the tests of every service that reads talents."""
    url = (
        f"https://www.linkedin.com/in/{slug}/"
        if platform is Platform.LINKEDIN
        else f"https://www.xing.com/profile/{slug}"
    )
    now = datetime.now(UTC)
    record = TalentRecord.model_validate(
        {
            "_id": talent_id,
            "tenant_id": tenant,
            "version": 1,
            "first_name": first,
            "last_name": last,
            "emails": [email] if email else [],
            "headline": f"{first} {last}, Backend Engineer",
            "sources": [{"platform": platform, "profile_url": url, "profile_id": slug}],
            "profile_keys": [f"{platform.value}:{slug}"],
            "profile_urls": [url],
            "email_keys": [email.lower()] if email else [],
            "preferred_language": language,
            "applied_requests": [f"req_{talent_id}"],
            "status": "new",
            "created_at": now,
            "updated_at": now,
            "created_by": "alice",
        }
    )
    return record.to_document()


def declared_collections() -> set[str]:
    """Every collection some installed service owns (or the runtime itself)."""
    from sourcer.runtime.idempotency import RUNTIME_CATALOG

    owned = {spec.name for spec in RUNTIME_CATALOG.owns}
    for service in installed_services():
        owned |= {spec.name for spec in service.catalog.owns}
    return owned

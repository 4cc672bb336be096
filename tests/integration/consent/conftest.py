"""Fixtures: the consent service on the test's store and bus; a signature-checking receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from consent_receiver import Receiver, running_receiver
from consent_system import ConsentSystem, SmtpServer, asgi_client, build

from sourcer.consent.entrypoints import CONSUMERS
from sourcer.runtime.bus import Bus
from sourcer.runtime.idempotency import MongoProcessedEvents
from sourcer.runtime.store import Store


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
async def consent(store: Store, bus: Bus, smtp: SmtpServer) -> AsyncIterator[ConsentSystem]:
    container, clock = await build(store=store, publisher=bus, smtp=smtp)
    async with asgi_client(container) as client:
        yield ConsentSystem(container=container, client=client, store=store, clock=clock, smtp=smtp)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as r:
        yield r


@pytest.fixture
async def hooked(store: Store, bus: Bus) -> AsyncIterator[ConsentSystem]:
    """The consent service with its consumers on the bus; the test ticks the dispatcher."""
    container, clock = await build(store=store, publisher=bus)
    # No jitter, so the test can name the exact retry times.
    container.dispatcher.rand = lambda: 0.5
    for consumer in CONSUMERS:
        await bus.consume(
            consumer,
            context=container,
            concurrency=container.settings.consumer_concurrency,
            processed=MongoProcessedEvents(store),
        )
    async with asgi_client(container) as client:
        yield ConsentSystem(container=container, client=client, store=store, clock=clock)

"""Fixtures: the consent service on the test's store and bus."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from consent_system import ConsentSystem, SmtpServer, asgi_client, build

from sourcer.runtime.bus import Bus
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

"""Fixtures: the gateway and the talent service against real RabbitMQ and Mongo, wired by their
own bootstraps and run by the runtime, as in production (without listening on ports)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sourcing_system import SUPPRESSION_KEY, System, auth_settings, gateway_settings
from support import delete_topology, observe

from sourcer.gateway.bootstrap import SERVICE as GATEWAY
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.runtime.bus import Bus
from sourcer.runtime.service import Infra, running
from sourcer.runtime.store import Store
from sourcer.talent.bootstrap import SERVICE as TALENT
from sourcer.talent.settings import TalentSettings


@pytest.fixture
async def talent_service(
    amqp_url: str, mongodb_url: str, db_name: str, namespace: str, store: Store
) -> AsyncIterator[httpx.ASGITransport]:
    settings = TalentSettings(
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        mongodb_db=db_name,
        bus_namespace=namespace,
        suppression_key=SUPPRESSION_KEY,
    )
    bus = Bus(url=amqp_url, namespace=namespace, name="talent")
    await bus.connect()
    infra = Infra(settings=settings, bus=bus, store=store)
    async with running(TALENT, settings, infra=infra, listen=False, auth=auth_settings()) as talent:
        yield httpx.ASGITransport(app=talent.parts.internal_api)
    queues = bus.declared_queues()
    await bus.close(timeout=10.0)
    await delete_topology(amqp_url, namespace, queues)


@pytest.fixture
async def system(
    amqp_url: str,
    mongodb_url: str,
    db_name: str,
    namespace: str,
    store: Store,
    bus: Bus,
    talent_service: httpx.ASGITransport,
) -> AsyncIterator[System]:
    async def extractor_stand_in(envelope: Envelope[Any]) -> None:
        """Takes the sourcing requests; the tests publish what the extractor would answer."""

    await observe(bus, "extractor", [SourcingRequested], extractor_stand_in)
    settings = gateway_settings(
        amqp_url=amqp_url, mongodb_url=mongodb_url, db_name=db_name, namespace=namespace
    )
    async with running(
        GATEWAY, settings, listen=False, auth=auth_settings(), talent_transport=talent_service
    ) as gateway:
        queues = gateway.infra.bus.declared_queues()
        transport = httpx.ASGITransport(app=gateway.parts.api)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield System(client=client, bus=bus, store=store)
    await delete_topology(amqp_url, namespace, queues)

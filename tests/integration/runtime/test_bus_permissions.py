"""A service's own broker user, with the permissions derived from its declarations, on the real
broker: it publishes and consumes its own routing keys and the broker refuses anything else."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aio_pika
import pytest
from aiormq.exceptions import ChannelAccessRefused
from support import TEST_ACTOR, delete_topology, service_queue_names

from sourcer.gateway.bootstrap import SERVICE as GATEWAY
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import ConsentDenied, TalentCreated
from sourcer.runtime import bus_admin
from sourcer.runtime.bus import Bus
from sourcer.runtime.bus_permissions import permissions_for
from sourcer.runtime.topology import ensure_events_exchange
from sourcer.talent.bootstrap import SERVICE as TALENT

pytestmark = pytest.mark.integration

CTL = bus_admin.Rabbitmqctl()


@pytest.fixture
def talent_user(amqp_url: str, namespace: str) -> Iterator[str]:
    """The talent service's user for this test's namespace, created like `sourcer-bus
    permissions --apply` does, and deleted afterwards (it is this test's own)."""
    permissions = permissions_for(
        TALENT, namespace=namespace, user_prefix=f"test-{uuid.uuid4().hex[:8]}-"
    )
    password = uuid.uuid4().hex
    done = bus_admin.apply(
        permissions, ctl=CTL, vhost=bus_admin.vhost_of(amqp_url), password=password
    )
    assert done[0] == f"created user {permissions.user}"
    yield bus_admin.url_for(amqp_url, user=permissions.user, password=password)
    CTL.delete_user(permissions.user)


@pytest.fixture
async def topology(amqp_url: str, namespace: str) -> AsyncIterator[None]:
    """The events exchange (ops create it) and the gateway's queue, declared as admin."""
    connection = await aio_pika.connect(amqp_url)
    await ensure_events_exchange(connection, f"{namespace}sourcer.events")
    channel = await connection.channel()
    await channel.declare_queue(f"{namespace}gateway.request_status", durable=True)
    await connection.close()
    yield
    await delete_topology(amqp_url, namespace, service_queue_names(namespace))


def _envelope(payload: Any, event_type: str) -> Envelope[Any]:
    return Envelope[Any](
        type=event_type, tenant_id="acme", correlation_id="c-1", actor=TEST_ACTOR, payload=payload
    )


async def test_a_service_user_publishes_and_consumes_only_its_own_routing_keys(
    talent_user: str, namespace: str, topology: None
) -> None:
    bus = Bus(url=talent_user, namespace=namespace, name="talent")
    await bus.connect()
    try:
        # Its own consumers: queues, delay and parking queues, its own exchanges, bindings.
        for spec in TALENT.consumers:
            await bus.consume(spec, context=None)
        # Its own events.
        await bus.publish(_envelope(TalentCreated(talent_id="tal_1"), "talent.created"))
    finally:
        await bus.close(timeout=5.0)

    forged = _envelope(
        ConsentDenied.model_validate(
            {"consent_id": "c1", "talent_id": "t1", "channel": "link", "decided_at": "2026-01-01"}
        ),
        "consent.denied",
    )
    connection = await aio_pika.connect(talent_user)
    try:
        # Another service's routing key on the events exchange.
        channel = await connection.channel(publisher_confirms=True)
        events = await channel.get_exchange(f"{namespace}sourcer.events")
        with pytest.raises(ChannelAccessRefused):
            await events.publish(
                aio_pika.Message(forged.model_dump_json().encode()), routing_key="consent.denied"
            )
        # Straight into another service's queue through the default exchange.
        channel = await connection.channel(publisher_confirms=True)
        with pytest.raises(ChannelAccessRefused):
            await channel.default_exchange.publish(
                aio_pika.Message(forged.model_dump_json().encode()),
                routing_key=f"{namespace}gateway.request_status",
            )
        # Binding its own queue to a key it does not consume.
        channel = await connection.channel()
        queue = await channel.declare_queue(f"{namespace}talent.previews", passive=True)
        with pytest.raises(ChannelAccessRefused):
            await queue.bind(f"{namespace}sourcer.events", routing_key="sourcing.requested")
        # Reading another service's queue.
        channel = await connection.channel()
        theirs = await channel.declare_queue(f"{namespace}gateway.request_status", passive=True)
        with pytest.raises(ChannelAccessRefused):
            await theirs.get(fail=False)
        # Deleting the shared exchange.
        channel = await connection.channel()
        with pytest.raises(ChannelAccessRefused):
            await channel.exchange_delete(f"{namespace}sourcer.events")
    finally:
        await connection.close()


def test_an_existing_user_not_created_by_these_tools_is_left_alone() -> None:
    """Never change guest or any user someone else made: the broker's default user is refused
    before anything is set."""
    permissions = permissions_for(GATEWAY)
    guest = bus_admin.BrokerPermissions(**{**permissions.as_dict(), "user": "guest"})
    with pytest.raises(bus_admin.BrokerAdminError, match="left alone"):
        bus_admin.apply(guest, ctl=CTL, vhost="/", password="whatever")

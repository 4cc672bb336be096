"""Parking queues are bounded, survive their own older declarations, and hold no input values."""

from __future__ import annotations

import json
from typing import Any

import aio_pika
import pytest
from pydantic import BaseModel
from structlog.testing import capture_logs
from support import eventually, observe, sourcing_requested

from sourcer.proto.envelope import Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.runtime.bus import Bus
from sourcer.runtime.consumer_spec import RetryPolicy, parked_queue_name
from sourcer.runtime.errors import FinalError
from sourcer.runtime.parking import ParkingLot

pytestmark = pytest.mark.integration

SECRET = "Jana Novakova, jana.novakova@private.example"


async def _always_final(envelope: Envelope[Any]) -> None:
    raise FinalError("cannot be handled")


async def test_parked_messages_expire_after_the_parking_ttl(bus: Bus, amqp_url: str) -> None:
    told: list[str] = []

    async def parked(envelope: Envelope[Any], kind: str, error: str) -> None:
        told.append(kind)

    consumer = await observe(
        bus, "expiring", [SourcingRequested], _always_final, on_parked=parked,
        retry=RetryPolicy(parked_ttl=1.0),
    )  # fmt: skip
    await bus.publish(sourcing_requested(1))
    lot = ParkingLot(url=amqp_url, queue_name=consumer.queue_name)

    async def told_once() -> bool:
        return told == ["final"]

    await eventually(told_once)

    async def gone() -> bool:
        return await lot.list() == []

    await eventually(gone)


async def test_a_full_parking_queue_drops_its_oldest_message(bus: Bus, amqp_url: str) -> None:
    told: list[str] = []

    async def parked(envelope: Envelope[Any], kind: str, error: str) -> None:
        told.append(envelope.event_id)

    consumer = await observe(
        bus, "capped", [SourcingRequested], _always_final, on_parked=parked,
        retry=RetryPolicy(parked_max_length=2),
    )  # fmt: skip
    events = [sourcing_requested(n) for n in (1, 2, 3)]
    for event in events:
        await bus.publish(event)

    async def all_parked() -> bool:
        return len(told) == 3 and consumer.in_flight == 0

    await eventually(all_parked)
    kept = [
        m.message_id for m in await ParkingLot(url=amqp_url, queue_name=consumer.queue_name).list()
    ]
    assert kept == told[1:]


async def test_queues_declared_by_an_earlier_release_are_used_with_a_warning(
    bus: Bus, amqp_url: str
) -> None:
    """Queue arguments cannot change in place: an unbounded parking queue and a main queue
    dead-lettering through the default exchange, as earlier releases declared them, make the
    consumer warn and keep working instead of failing to start."""
    queue = bus.queue_name("legacy")
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    await channel.declare_queue(
        parked_queue_name(queue), durable=True, arguments={"x-queue-type": "quorum"}
    )
    await channel.declare_queue(
        queue,
        durable=True,
        arguments={
            "x-queue-type": "quorum",
            "x-delivery-limit": 10,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": parked_queue_name(queue),
        },
    )
    await connection.close()

    with capture_logs() as logs:
        consumer = await observe(bus, "legacy", [SourcingRequested], _always_final)
    differ = [e["queue"] for e in logs if e["event"] == "queue.arguments_differ"]
    assert sorted(differ) == sorted([queue, parked_queue_name(queue)])
    assert all(
        "docs/operations.md" in e["hint"] for e in logs if e["event"] == "queue.arguments_differ"
    )

    event = sourcing_requested(4)
    await bus.publish(event)
    lot = ParkingLot(url=amqp_url, queue_name=consumer.queue_name)

    async def parked() -> bool:
        return [m.message_id for m in await lot.list()] == [event.event_id]

    await eventually(parked)


class Contact(BaseModel):
    age: int


async def test_parked_errors_and_log_lines_carry_no_input_values(bus: Bus, amqp_url: str) -> None:
    """A handler failing on a pydantic error, and a message whose payload does not validate:
    the parking headers and the log lines say where and why, never the values."""

    async def handler(envelope: Envelope[Any]) -> None:
        Contact.model_validate({"age": SECRET})

    consumer = await observe(
        bus, "private", [SourcingRequested], handler, retry=RetryPolicy((0.05,))
    )
    bad = sourcing_requested(5).model_dump(mode="json")
    bad["payload"]["platform"] = SECRET
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(bus.exchange_name)
    lot = ParkingLot(url=amqp_url, queue_name=consumer.queue_name)
    with capture_logs() as logs:
        await bus.publish(sourcing_requested(6))
        await exchange.publish(
            aio_pika.Message(json.dumps(bad).encode(), message_id="invalid"),
            routing_key="sourcing.requested",
        )

        async def both_parked() -> bool:
            return len(await lot.list()) == 2

        await eventually(both_parked)
    await connection.close()

    by_kind = {m.error_kind: m.error or "" for m in await lot.list()}
    assert by_kind.keys() == {"exhausted", "invalid_envelope"}
    assert "age: Input should be a valid integer" in by_kind["exhausted"]
    assert "SourcingRequested; platform: Input should be" in by_kind["invalid_envelope"]
    raw = await _raw_parked_headers(amqp_url, parked_queue_name(consumer.queue_name))
    logged = json.dumps([{k: str(v) for k, v in entry.items()} for entry in logs])
    for text in (*by_kind.values(), raw, logged):
        assert "Novakova" not in text
        assert "input_value" not in text


async def _raw_parked_headers(amqp_url: str, parked: str) -> str:
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        queue = await channel.declare_queue(parked, passive=True)
        headers: list[str] = []
        while (message := await queue.get(no_ack=False, fail=False)) is not None:
            headers.append(repr(message.headers))
        return "\n".join(headers)
    finally:
        await connection.close()

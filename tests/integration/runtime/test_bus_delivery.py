"""Retries, parking, replay, duplicates and invalid envelopes on a real broker."""

from __future__ import annotations

import time
from typing import Any

import aio_pika
import pytest
from structlog.testing import capture_logs
from support import eventually, observe, sourcing_requested

from sourcer.proto.envelope import Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.runtime.bus import Bus
from sourcer.runtime.consumer import current_delivery
from sourcer.runtime.consumer_spec import RetryPolicy
from sourcer.runtime.errors import FinalError, PublishError, RetryableError
from sourcer.runtime.idempotency import MongoProcessedEvents
from sourcer.runtime.parking import ParkingLot
from sourcer.runtime.store import Store

pytestmark = pytest.mark.integration


async def test_retryable_error_is_retried_after_the_delay_then_succeeds(bus: Bus) -> None:
    attempts: list[float] = []

    async def handler(envelope: Envelope[Any]) -> None:
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            raise RetryableError("dependency busy")

    await observe(bus, "retry", [SourcingRequested], handler, retry=RetryPolicy((0.5,)))
    await bus.publish(sourcing_requested(1))

    async def handled_twice() -> bool:
        return len(attempts) == 2

    await eventually(handled_twice)
    assert attempts[1] - attempts[0] >= 0.5


async def test_final_error_parks_with_the_error_and_replay_brings_it_back(
    bus: Bus, amqp_url: str
) -> None:
    handled: list[str] = []
    broken = True

    async def handler(envelope: Envelope[Any]) -> None:
        if broken:
            raise FinalError("talent record is malformed")
        handled.append(envelope.event_id)

    consumer = await observe(bus, "final", [SourcingRequested], handler)
    event = sourcing_requested(2)
    await bus.publish(event)
    lot = ParkingLot(url=amqp_url, queue_name=consumer.queue_name)

    async def parked() -> bool:
        return len(await lot.list()) == 1

    await eventually(parked)
    [message] = await lot.list()
    assert message.message_id == event.event_id
    assert message.error_kind == "final"
    assert message.error == "FinalError: talent record is malformed"

    broken = False
    assert await lot.replay() == 1

    async def replayed() -> bool:
        return handled == [event.event_id]

    await eventually(replayed)
    assert await lot.list() == []


async def test_exhausted_retries_land_in_the_parking_queue(bus: Bus, amqp_url: str) -> None:
    calls = 0

    async def handler(envelope: Envelope[Any]) -> None:
        nonlocal calls
        calls += 1
        raise RetryableError("still failing")

    consumer = await observe(
        bus, "exhaust", [SourcingRequested], handler, retry=RetryPolicy((0.1, 0.1))
    )
    await bus.publish(sourcing_requested(3))
    lot = ParkingLot(url=amqp_url, queue_name=consumer.queue_name)

    async def parked() -> bool:
        return len(await lot.list()) == 1

    await eventually(parked)
    [message] = await lot.list()
    assert calls == 3
    assert message.error_kind == "exhausted"
    assert message.attempts == 3
    assert message.error == "RetryableError: still failing"


async def test_the_same_event_delivered_twice_has_one_effect(bus: Bus, store: Store) -> None:
    effects: list[str] = []

    async def handler(envelope: Envelope[Any]) -> None:
        effects.append(envelope.event_id)

    consumer = await observe(
        bus, "dedupe", [SourcingRequested], handler, processed=MongoProcessedEvents(store)
    )
    event = sourcing_requested(4)
    await bus.publish(event)
    await bus.publish(event)
    await bus.publish(sourcing_requested(5))

    async def both_seen() -> bool:
        return len(effects) == 2 and consumer.in_flight == 0

    await eventually(both_seen)
    assert effects.count(event.event_id) == 1


INVALID_BODIES = {
    "not json": b"\x00\xffthis is not json",
    "wrong type": b"[1, 2, 3]",
    "missing fields": b'{"type": "sourcing.requested", "payload": {}}',
    "unknown event": (
        b'{"type": "nobody.knows", "tenant_id": "t", "correlation_id": "c",'
        b' "actor": {"kind": "service", "id": "x"}, "payload": {}}'
    ),
    "10 MB of garbage": b"\x8a" * (10 * 1024 * 1024),
}


async def test_invalid_envelopes_are_parked_and_do_not_block_the_queue(
    bus: Bus, amqp_url: str
) -> None:
    handled: list[str] = []

    async def handler(envelope: Envelope[Any]) -> None:
        handled.append(envelope.event_id)

    consumer = await observe(bus, "garbage", [SourcingRequested], handler)
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(bus.exchange_name)
    with capture_logs() as logs:
        for label, body in INVALID_BODIES.items():
            await exchange.publish(
                aio_pika.Message(body, message_id=label), routing_key="sourcing.requested"
            )
        valid = sourcing_requested(6)
        await bus.publish(valid)

        async def valid_handled() -> bool:
            return handled == [valid.event_id]

        await eventually(valid_handled, timeout=60)
    await connection.close()

    parked = await ParkingLot(url=amqp_url, queue_name=consumer.queue_name).list()
    assert sorted(m.message_id or "" for m in parked) == sorted(INVALID_BODIES)
    assert {m.error_kind for m in parked} == {"invalid_envelope"}
    by_id = {m.message_id: m for m in parked}
    assert "Invalid JSON" in (by_id["not json"].error or "")
    assert "Field required" in (by_id["missing fields"].error or "")
    assert "unknown event type 'nobody.knows'" in (by_id["unknown event"].error or "")
    assert by_id["10 MB of garbage"].size == 10 * 1024 * 1024
    invalid_logged = [entry for entry in logs if entry["event"] == "event.invalid_envelope"]
    assert len(invalid_logged) == len(INVALID_BODIES)


async def test_publish_on_a_closed_bus_raises(amqp_url: str, namespace: str) -> None:
    bus = Bus(url=amqp_url, namespace=namespace)
    await bus.connect()
    await bus.close()
    with pytest.raises(PublishError):
        await bus.publish(sourcing_requested(7))


async def test_deferrals_do_not_use_up_attempts_and_handlers_see_their_attempt(bus: Bus) -> None:
    seen: list[tuple[int, bool]] = []

    async def handler(envelope: Envelope[Any]) -> None:
        delivery = current_delivery.get()
        seen.append((delivery.attempt, delivery.is_last_attempt))
        if len(seen) <= 4:
            raise RetryableError("no free account yet", delay=0.05, defer=True)
        if len(seen) == 5:
            raise RetryableError("flaky")

    await observe(bus, "defer", [SourcingRequested], handler, retry=RetryPolicy((0.05,)))
    await bus.publish(sourcing_requested(8))

    async def done() -> bool:
        return len(seen) == 6

    await eventually(done)
    assert seen == [(1, False)] * 5 + [(2, True)]


async def test_a_command_nobody_consumes_fails_to_publish_instead_of_vanishing(bus: Bus) -> None:
    with pytest.raises(PublishError):
        await bus.publish(sourcing_requested(9))


async def test_the_owner_is_told_before_a_message_is_parked(bus: Bus) -> None:
    """Exhausted retries and exhausted deferrals both reach the consumer's parked hook, with
    the event, so a request the message stood for can still end."""
    told: list[tuple[str, str]] = []

    async def parked(envelope: Envelope[Any], kind: str, error: str) -> None:
        told.append((envelope.payload.request_id, kind))

    async def handler(envelope: Envelope[Any]) -> None:
        if envelope.payload.request_id == "req-20":
            raise RetryableError("always busy")
        raise RetryableError("no free session", delay=0.05, defer=True)

    await observe(
        bus, "told", [SourcingRequested], handler, on_parked=parked,
        retry=RetryPolicy((0.05,), max_defers=2),
    )  # fmt: skip
    await bus.publish(sourcing_requested(20))
    await bus.publish(sourcing_requested(21))

    async def both_told() -> bool:
        return len(told) == 2

    await eventually(both_told)
    assert sorted(told) == [("req-20", "exhausted"), ("req-21", "deferrals_exhausted")]

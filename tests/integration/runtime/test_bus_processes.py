"""Crashes, shutdown and broker restarts, with consumers in separate processes."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from bus_worker import CONSUMER
from support import delete_topology, eventually, observer, sourcing_requested

from sourcer.proto.envelope import Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.runtime.bus import Bus
from sourcer.runtime.consumer_spec import RetryPolicy
from sourcer.runtime.errors import PublishError
from sourcer.runtime.parking import ParkingLot
from sourcer.runtime.store import Store
from sourcer.runtime.topology import main_queue_arguments

pytestmark = pytest.mark.integration

WORKER = Path(__file__).with_name("bus_worker.py")
RESTART_BROKER = os.environ.get(
    "SOURCER_TEST_BROKER_RESTART", "rabbitmqctl -q stop_app && rabbitmqctl -q start_app"
)


class WorkerProcess:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(
        cls,
        *,
        amqp_url: str,
        mongodb_url: str,
        db: str,
        namespace: str,
        mode: str,
        delivery_limit: int | None = None,
    ) -> WorkerProcess:
        limit = [f"--delivery-limit={delivery_limit}"] if delivery_limit is not None else []
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(WORKER),
            f"--amqp-url={amqp_url}",
            f"--mongodb-url={mongodb_url}",
            f"--db={db}",
            f"--namespace={namespace}",
            f"--mode={mode}",
            *limit,
            stdout=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        assert line.strip() == b"ready", line
        return cls(process)

    async def stop(self, sig: int) -> int:
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await asyncio.wait_for(self.process.wait(), timeout=60)


@pytest.fixture
async def queues(amqp_url: str, namespace: str) -> AsyncIterator[str]:
    """The worker's queue name; deleted after the test."""
    spec = observer(CONSUMER, [SourcingRequested], _unused)
    yield spec.queue(namespace)
    await delete_topology(amqp_url, namespace, spec.queue_names(namespace))


async def _unused(envelope: Envelope[Any]) -> None:
    raise AssertionError("the worker process handles these")


async def _queue_depth(amqp_url: str, name: str) -> int:
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        queue = await channel.declare_queue(name, passive=True)
        assert queue.declaration_result is not None
        return int(queue.declaration_result.message_count or 0)
    finally:
        await connection.close()


async def test_a_consumer_killed_mid_handling_gets_the_message_again_and_effects_once(
    amqp_url: str,
    mongodb_url: str,
    db_name: str,
    namespace: str,
    store: Store,
    bus: Bus,
    queues: str,
) -> None:
    args = dict(amqp_url=amqp_url, mongodb_url=mongodb_url, db=db_name, namespace=namespace)
    doomed = await WorkerProcess.start(**args, mode="effect-then-hang")
    event = sourcing_requested(10)
    await bus.publish(event)

    async def effect_applied() -> bool:
        return await store.db["effects"].count_documents({"events": event.event_id}) == 1

    await eventually(effect_applied)
    assert await doomed.stop(signal.SIGKILL) == -signal.SIGKILL

    survivor = await WorkerProcess.start(**args, mode="effect")

    async def finished() -> bool:
        return await store.db["marks"].count_documents({"what": "finished"}) == 1

    await eventually(finished)
    assert await survivor.stop(signal.SIGTERM) == 0
    effects = await store.db["effects"].find_one({"_id": "effects"})
    assert effects is not None
    assert effects["n"] == 1
    assert effects["events"] == [event.event_id]
    started = await store.db["marks"].count_documents({"what": "started"})
    assert started == 2  # handled by the killed process and again by the survivor
    assert await _queue_depth(amqp_url, queues) == 0


async def test_a_message_that_keeps_killing_its_consumer_is_parked_and_its_owner_told(
    bus: Bus,
    store: Store,
    amqp_url: str,
    mongodb_url: str,
    db_name: str,
    namespace: str,
) -> None:
    """A poison message: the broker would drop it into the parking queue unseen; the consumer
    parks it itself on its last delivery, telling its owner first (e.g. to end a request)."""
    spec = observer(CONSUMER, [SourcingRequested], _unused, retry=RetryPolicy(delivery_limit=1))
    args = dict(amqp_url=amqp_url, mongodb_url=mongodb_url, db=db_name, namespace=namespace)
    try:
        doomed = await WorkerProcess.start(**args, mode="effect-then-hang", delivery_limit=1)
        event = sourcing_requested(12)
        await bus.publish(event)

        async def started() -> bool:
            return await store.db["marks"].count_documents({"what": "started"}) == 1

        await eventually(started)
        assert await doomed.stop(signal.SIGKILL) == -signal.SIGKILL
        second = await WorkerProcess.start(**args, mode="effect-then-hang", delivery_limit=1)

        async def parked() -> bool:
            return await store.db["marks"].count_documents({"what": "parked"}) == 1

        await eventually(parked)
        assert await second.stop(signal.SIGTERM) == 0
        mark = await store.db["marks"].find_one({"what": "parked"})
        assert mark is not None and mark["kind"] == "delivery_limit"
        assert mark["event_id"] == event.event_id
        lot = ParkingLot(url=amqp_url, queue_name=spec.queue(namespace))
        assert [m.error_kind for m in await lot.list()] == ["delivery_limit"]
    finally:
        await delete_topology(amqp_url, namespace, spec.queue_names(namespace))


async def test_sigterm_finishes_in_flight_work_takes_nothing_new_and_exits_zero(
    amqp_url: str,
    mongodb_url: str,
    db_name: str,
    namespace: str,
    store: Store,
    bus: Bus,
    queues: str,
) -> None:
    worker = await WorkerProcess.start(
        amqp_url=amqp_url, mongodb_url=mongodb_url, db=db_name, namespace=namespace, mode="slow"
    )
    first, second = sourcing_requested(11), sourcing_requested(12)
    await bus.publish(first)
    await bus.publish(second)

    async def first_started() -> bool:
        return await store.db["marks"].count_documents({"what": "started"}) == 1

    await eventually(first_started)
    assert await worker.stop(signal.SIGTERM) == 0

    finished = await store.db["marks"].distinct("event_id", {"what": "finished"})
    started = await store.db["marks"].distinct("event_id", {"what": "started"})
    assert finished == [first.event_id]
    assert started == [first.event_id]
    assert await _queue_depth(amqp_url, queues) == 1  # the second waits for the next worker


async def _restart_broker() -> None:
    process = await asyncio.create_subprocess_shell(
        RESTART_BROKER, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    _, err = await process.communicate()
    if process.returncode != 0:
        pytest.fail(
            f"could not restart the broker with {shlex.quote(RESTART_BROKER)}: {err.decode()}"
            " (set SOURCER_TEST_BROKER_RESTART to a command that restarts yours)"
        )


@pytest.mark.timeout(300)
async def test_restarting_the_broker_loses_no_confirmed_publish(
    amqp_url: str, namespace: str
) -> None:
    queue_name = f"{namespace}restart"
    bus = Bus(url=amqp_url, namespace=namespace, publish_timeout=5.0, name="restart-test")
    await bus.connect()
    setup = await aio_pika.connect(amqp_url)
    channel = await setup.channel()
    queue = await channel.declare_queue(
        queue_name, durable=True, arguments=main_queue_arguments(queue_name, RetryPolicy())
    )
    await queue.bind(bus.exchange_name, routing_key="sourcing.requested")
    await setup.close()

    confirmed: set[str] = set()
    failed: list[str] = []
    restart: asyncio.Task[None] | None = None
    for n in range(1000):
        if n == 300:
            restart = asyncio.create_task(_restart_broker())
        event = sourcing_requested(n)
        try:
            await bus.publish(event)
        except PublishError:
            failed.append(event.event_id)
            await bus.wait_ready(timeout=120)
        else:
            confirmed.add(event.event_id)
        await asyncio.sleep(0.005)  # spread the stream over the restart
    assert restart is not None
    await restart

    assert len(confirmed) + len(failed) == 1000
    assert failed, "the restart happened outside the stream of publishes"

    received: set[str] = set()
    connection = await aio_pika.connect_robust(amqp_url)
    channel = await connection.channel()
    queue = await channel.declare_queue(queue_name, passive=True)

    async def all_confirmed_received() -> bool:
        while message := await queue.get(no_ack=True, fail=False):
            received.add(message.message_id or "")
        return confirmed <= received

    await eventually(all_confirmed_received, timeout=60)
    await channel.queue_delete(queue_name)
    await connection.close()
    await bus.close()
    assert confirmed - received == set()

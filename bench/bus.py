"""Events through publish → consume → MongoDB upsert: the runtime against a bare loop.

Both sides do the same work in the same run: publish N persistent messages with publisher
confirms (at most WINDOW unconfirmed at a time), consume them from a quorum queue with the
same prefetch, upsert one document per event, ack. The runtime side goes through Bus.publish,
envelope validation, logging context and metrics; the bare side uses aio-pika and PyMongo
directly. Rounds alternate so drift on a noisy machine hits both; the best round of each counts.

    AMQP_URL=... MONGODB_URL=... uv run python bench/bus.py [--events 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
from pymongo import AsyncMongoClient

from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.proto.records import Platform
from sourcer.runtime.bus import Bus
from sourcer.runtime.consumer_spec import ConsumerSpec, On, RetryPolicy
from sourcer.runtime.logging import configure_logging
from sourcer.runtime.topology import main_queue_arguments

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
CONCURRENCY = 32
WINDOW = 200


def envelope(n: int) -> Envelope[Any]:
    return Envelope[Any](
        type="sourcing.requested",
        tenant_id="bench",
        correlation_id=f"req-{n}",
        actor=Actor(kind=ActorKind.SERVICE, id="bench"),
        payload=SourcingRequested(
            request_id=f"req-{n}",
            url=f"https://www.linkedin.com/in/person-{n}/",
            platform=Platform.LINKEDIN,
            profile_id=f"person-{n}",
        ),
    )


async def publish_all(count: int, publish: Callable[[int], Awaitable[None]]) -> None:
    window = asyncio.Semaphore(WINDOW)

    async def one(n: int) -> None:
        async with window:
            await publish(n)

    await asyncio.gather(*(one(n) for n in range(count)))


async def run_runtime(count: int, collection: Any) -> float:
    namespace = f"bench.{uuid.uuid4().hex[:6]}."
    bus = Bus(url=AMQP_URL, namespace=namespace, name="bench-runtime")
    await bus.connect()
    done = asyncio.Event()
    handled = 0

    async def handler(_: None, event: Envelope[SourcingRequested]) -> None:
        nonlocal handled
        payload = event.payload
        await collection.update_one(
            {"_id": event.event_id},
            {"$set": {"url": payload.url, "tenant": event.tenant_id}, "$inc": {"seen": 1}},
            upsert=True,
        )
        handled += 1
        if handled == count:
            done.set()

    spec: ConsumerSpec[None] = ConsumerSpec(
        name="bench", description="benchmark", routes=(On(SourcingRequested, handler),)
    )
    consumer = await bus.consume(spec, context=None, concurrency=CONCURRENCY)
    events = [envelope(n) for n in range(count)]
    started = time.perf_counter()
    await publish_all(count, lambda n: bus.publish(events[n]))
    await done.wait()
    elapsed = time.perf_counter() - started
    queues = consumer.queue_names
    await bus.close()
    await delete_queues(queues, f"{namespace}sourcer.events")
    return count / elapsed


async def run_bare(count: int, collection: Any) -> float:
    name = f"bench.bare.{uuid.uuid4().hex[:6]}"
    connection = await aio_pika.connect_robust(AMQP_URL)
    publish_channel = await connection.channel(publisher_confirms=True)
    exchange = await publish_channel.declare_exchange(
        f"{name}.exchange", aio_pika.ExchangeType.TOPIC, durable=True
    )
    consume_channel = await connection.channel()
    await consume_channel.set_qos(prefetch_count=CONCURRENCY)
    await consume_channel.declare_queue(
        f"{name}.parked", durable=True, arguments={"x-queue-type": "quorum"}
    )
    queue = await consume_channel.declare_queue(
        name, durable=True, arguments=main_queue_arguments(name, RetryPolicy())
    )
    await queue.bind(exchange, routing_key="sourcing.requested")
    done = asyncio.Event()
    handled = 0

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        nonlocal handled
        body = json.loads(message.body)
        await collection.update_one(
            {"_id": body["event_id"]},
            {
                "$set": {"url": body["payload"]["url"], "tenant": body["tenant_id"]},
                "$inc": {"seen": 1},
            },
            upsert=True,
        )
        await message.ack()
        handled += 1
        if handled == count:
            done.set()

    await queue.consume(on_message)
    bodies = [envelope(n).model_dump_json().encode() for n in range(count)]

    async def publish(n: int) -> None:
        await exchange.publish(
            aio_pika.Message(bodies[n], delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key="sourcing.requested",
        )

    started = time.perf_counter()
    await publish_all(count, publish)
    await done.wait()
    elapsed = time.perf_counter() - started
    await connection.close()
    await delete_queues({name, f"{name}.parked"}, f"{name}.exchange")
    return count / elapsed


async def delete_queues(queues: set[str], exchange: str) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    channel = await connection.channel()
    for queue in queues:
        await channel.queue_delete(queue)
    await channel.exchange_delete(exchange)
    await connection.close()


async def main(count: int, rounds: int) -> None:
    configure_logging(fmt="json", level="WARNING")
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(MONGODB_URL)
    db = client[f"bench_{uuid.uuid4().hex[:8]}"]
    await run_bare(min(500, count), db["warmup"])
    await run_runtime(min(500, count), db["warmup"])
    bare: list[float] = []
    runtime: list[float] = []
    for n in range(rounds):
        bare.append(await run_bare(count, db[f"bare{n}"]))
        runtime.append(await run_runtime(count, db[f"runtime{n}"]))
        print(f"round {n + 1}: bare {bare[-1]:8.0f} events/s   runtime {runtime[-1]:8.0f} events/s")
    await client.drop_database(db.name)
    await client.close()
    ratio = max(runtime) / max(bare)
    print(f"events: {count}, consumer concurrency {CONCURRENCY}, publish window {WINDOW}")
    print(f"bare aio-pika + PyMongo: {max(bare):8.0f} events/s (best of {rounds})")
    print(f"sourcer.runtime:         {max(runtime):8.0f} events/s (best of {rounds})")
    print(f"ratio runtime/bare: {ratio:.2f} (goal >= 0.70)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.events, args.rounds))

"""A consumer process for the crash and shutdown tests, run as a separate process.

Modes:
- effect-then-hang: applies the effect, then hangs before the ack (killed with SIGKILL);
- effect: applies the effect and returns;
- slow: records that it started, works for a while, records that it finished.
The effect is a conditional update of one document, so a redelivery cannot apply it twice.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymongo.errors import DuplicateKeyError

# Run as a script: the shared test helpers are two folders up.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from support import observe

from sourcer.proto.envelope import Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.runtime.bus import Bus
from sourcer.runtime.consumer_spec import RetryPolicy
from sourcer.runtime.idempotency import MongoProcessedEvents
from sourcer.runtime.logging import configure_logging
from sourcer.runtime.store import connect_store

CONSUMER = "crashy"


async def main(args: argparse.Namespace) -> int:
    configure_logging(fmt="json", level="INFO", service="bus-worker")
    store = await connect_store(args.mongodb_url, args.db)
    bus = Bus(url=args.amqp_url, namespace=args.namespace, name="bus-worker")
    await bus.connect()
    marks = store.db["marks"]

    async def apply_effect(envelope: Envelope[Any]) -> None:
        # A DuplicateKeyError means the document exists and already holds this event.
        with contextlib.suppress(DuplicateKeyError):
            await store.db["effects"].update_one(
                {"_id": "effects", "events": {"$ne": envelope.event_id}},
                {"$inc": {"n": 1}, "$push": {"events": envelope.event_id}},
                upsert=True,
            )

    async def handler(envelope: Envelope[Any]) -> None:
        now = datetime.now(UTC)
        await marks.insert_one({"event_id": envelope.event_id, "what": "started", "at": now})
        if args.mode == "slow":
            await asyncio.sleep(args.work_seconds)
        await apply_effect(envelope)
        if args.mode == "effect-then-hang":
            await asyncio.sleep(3600)
        await marks.insert_one({"event_id": envelope.event_id, "what": "finished"})

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)

    async def parked(envelope: Envelope[Any], kind: str, error: str) -> None:
        await marks.insert_one({"event_id": envelope.event_id, "what": "parked", "kind": kind})

    await observe(
        bus,
        CONSUMER,
        [SourcingRequested],
        handler,
        processed=MongoProcessedEvents(store),
        retry=RetryPolicy(delivery_limit=args.delivery_limit),
        on_parked=parked,
    )
    print("ready", flush=True)
    await stop.wait()
    await bus.close(timeout=30)
    await store.close()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for name in ("--amqp-url", "--mongodb-url", "--db", "--namespace", "--mode"):
        parser.add_argument(name, required=True)
    parser.add_argument("--work-seconds", type=float, default=2.0)
    parser.add_argument("--delivery-limit", type=int, default=RetryPolicy().delivery_limit)
    sys.exit(asyncio.run(main(parser.parse_args())))

"""Webhook deliveries per second from one worker, against a bare httpx loop, in the same run.

Both sides post the same bodies to the same local receiver (a separate uvicorn process, so it
does not share the event loop) with the same concurrency. The worker side is the real
delivery path: claim due deliveries from MongoDB, sign each (Standard Webhooks), check the
target against the SSRF rules, post, and record the attempt. The bare side only posts.
Rounds alternate so drift on a noisy machine hits both; the best round of each counts.

    MONGODB_URL=... uv run python bench/webhooks.py [--deliveries 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sourcer.consent.webhook_rules import TargetPolicy
from sourcer.consent.webhook_sender import HttpxSender
from sourcer.consent.webhook_store import INDEXES, MongoWebhookStore, Outcome, delivery_id
from sourcer.consent.webhook_verify import generate_secret
from sourcer.consent.webhooks import WebhookDispatcher
from sourcer.runtime.crypto import Sealer, new_key
from sourcer.runtime.logging import configure_logging
from sourcer.runtime.store import connect_store

MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
CONCURRENCY = 32
# The receiver is plain http on a random local port: the development rules.
LOCAL = TargetPolicy(https_only=False, ports=None, allow_loopback=True)


async def receive(request: Request) -> Response:
    await request.body()
    return Response(status_code=204)


receiver_app = Starlette(routes=[Route("/hook", receive, methods=["POST"])])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_receiver(port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "uvicorn", "webhooks:receiver_app", "--host", "127.0.0.1",
        "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    cwd = os.path.dirname(os.path.abspath(__file__))
    process = subprocess.Popen(command, cwd=cwd)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("receiver did not start")


def body(n: int) -> str:
    document = {
        "type": "consent.granted",
        "timestamp": "2026-11-25T10:00:00Z",
        "data": {
            "tenant_id": "bench",
            "event_id": f"evt_{n}",
            "consent_id": f"con_{n:08d}",
            "talent_id": f"tal_{n:08d}",
            "channel": "link",
            "decided_at": "2026-11-25T10:00:00Z",
            "text_version": "2026-11",
            "language": "en",
        },
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True)


async def run_worker(store: Any, url: str, count: int) -> float:
    hooks = MongoWebhookStore(store, sealer=Sealer(new_key()))
    endpoint_id = "whe_" + uuid.uuid4().hex[:12]
    endpoint = {
        "_id": endpoint_id,
        "tenant_id": "bench",
        "url": url,
        "events": ["consent.granted"],
        "secret": generate_secret(),
        "enabled": True,
    }
    await hooks.add_endpoint(endpoint)
    now = datetime.now(UTC)
    await store.db["webhook_deliveries"].insert_many(
        [
            {
                "_id": delivery_id(event_id=f"{endpoint_id}:{n}", endpoint_id=endpoint_id),
                "tenant_id": "bench",
                "endpoint_id": endpoint_id,
                "event_id": f"evt_{n}",
                "event_type": "consent.granted",
                "body": body(n),
                "status": "pending",
                "attempt_count": 0,
                "series_attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for n in range(count)
        ]
    )
    sender = HttpxSender(timeout=10.0, policy=LOCAL, max_connections=CONCURRENCY)
    dispatcher = WebhookDispatcher(
        store=hooks, sender=sender, clock=lambda: datetime.now(UTC), concurrency=CONCURRENCY
    )
    started = time.perf_counter()
    delivered = await dispatcher.tick()
    elapsed = time.perf_counter() - started
    await sender.close()
    ok = await store.db["webhook_deliveries"].count_documents(
        {"endpoint_id": endpoint_id, "status": "delivered"}
    )
    assert delivered == count and ok == count, (delivered, ok)
    # Each round starts from the same collection size: on FerretDB a claim scans it all.
    await store.db["webhook_deliveries"].delete_many({"endpoint_id": endpoint_id})
    await store.db["webhook_delivery_attempts"].delete_many({"tenant_id": "bench"})
    return count / elapsed


class MemoryStore:
    """The WebhookStore Protocol in memory: the delivery path without the database, to show
    what the worker itself costs apart from the store's write latency."""

    def __init__(self, endpoint: dict[str, Any], deliveries: list[dict[str, Any]]) -> None:
        self.endpoint_doc = endpoint
        self.docs = {d["_id"]: d for d in deliveries}
        self.held: set[str] = set()

    async def endpoints_by_id(self, endpoint_ids: list[str]) -> dict[str, dict[str, Any]]:
        return {self.endpoint_doc["_id"]: self.endpoint_doc}

    async def claim_due(
        self, *, now: datetime, lease_until: datetime, limit: int
    ) -> list[dict[str, Any]]:
        due = [
            d
            for d in self.docs.values()
            if d["status"] == "pending"
            and d["next_attempt_at"] <= now
            and d["_id"] not in self.held
        ][:limit]
        self.held.update(d["_id"] for d in due)
        return [dict(d) for d in due]

    async def record_many(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            doc = self.docs[outcome.delivery_id]
            doc.update(outcome.state)
            self.held.discard(outcome.delivery_id)
            if outcome.attempt is not None:
                doc["attempt_count"] = outcome.attempts_before + 1
                doc.setdefault("attempts", []).append(outcome.attempt)

    async def disable_endpoint(self, *, endpoint_id: str, reason: str, now: datetime) -> None:
        self.endpoint_doc["enabled"] = False


async def run_worker_in_memory(url: str, count: int) -> float:
    endpoint = {"_id": "whe_mem", "url": url, "secret": generate_secret(), "enabled": True}
    now = datetime.now(UTC)
    store = MemoryStore(
        endpoint,
        [
            {
                "_id": f"msg_{n}",
                "tenant_id": "bench",
                "endpoint_id": "whe_mem",
                "body": body(n),
                "status": "pending",
                "series_attempts": 0,
                "next_attempt_at": now,
            }
            for n in range(count)
        ],
    )
    sender = HttpxSender(timeout=10.0, policy=LOCAL, max_connections=CONCURRENCY)
    dispatcher = WebhookDispatcher(
        store=store,  # type: ignore[arg-type]  # the subset of WebhookStore the worker uses
        sender=sender,
        clock=lambda: datetime.now(UTC),
        concurrency=CONCURRENCY,
    )
    started = time.perf_counter()
    delivered = await dispatcher.tick()
    elapsed = time.perf_counter() - started
    await sender.close()
    assert delivered == count
    assert all(d["status"] == "delivered" for d in store.docs.values())
    return count / elapsed


async def run_bare(url: str, count: int) -> float:
    bodies = [body(n).encode() for n in range(count)]
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=100)
    async with httpx.AsyncClient(limits=limits, timeout=10.0) as client:
        semaphore = asyncio.Semaphore(CONCURRENCY)

        async def one(n: int) -> None:
            async with semaphore:
                response = await client.post(
                    url, content=bodies[n], headers={"content-type": "application/json"}
                )
                assert response.status_code == 204

        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(count)))
        return count / (time.perf_counter() - started)


async def main(count: int, rounds: int) -> None:
    configure_logging(fmt="json", level="WARNING")
    port = free_port()
    receiver = start_receiver(port)
    url = f"http://127.0.0.1:{port}/hook"
    store = await connect_store(MONGODB_URL, f"bench_webhooks_{uuid.uuid4().hex[:8]}")
    try:
        await store.ensure_indexes(INDEXES)
        await run_bare(url, min(300, count))
        await run_worker(store, url, min(300, count))
        bare: list[float] = []
        worker: list[float] = []
        memory: list[float] = []
        for n in range(rounds):
            bare.append(await run_bare(url, count))
            worker.append(await run_worker(store, url, count))
            memory.append(await run_worker_in_memory(url, count))
            print(
                f"round {n + 1}: bare {bare[-1]:7.0f}/s   worker {worker[-1]:7.0f}/s   "
                f"worker, store in memory {memory[-1]:7.0f}/s"
            )
    finally:
        await store.client.drop_database(store.db.name)
        await store.close()
        receiver.terminate()
        receiver.wait(timeout=10)
    print(f"deliveries: {count}, concurrency {CONCURRENCY}, receiver: uvicorn on 127.0.0.1")
    print(f"bare httpx loop:         {max(bare):7.0f} posts/s (best of {rounds})")
    print(f"webhook worker:          {max(worker):7.0f} deliveries/s (best of {rounds})")
    print(f"worker, store in memory: {max(memory):7.0f} deliveries/s (best of {rounds})")
    print(f"ratio worker/bare: {max(worker) / max(bare):.2f} (goal >= 0.70)")
    print(f"ratio worker with the store in memory/bare: {max(memory) / max(bare):.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deliveries", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.deliveries, args.rounds))

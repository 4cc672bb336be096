"""Webhook endpoints per tenant, fan-out of consent outcomes, and the delivery loop.

Payloads follow the Standard Webhooks shape `{"type", "timestamp", "data"}` and carry ids and
states only, never a talent's personal data. Each delivery is signed at send time with the
endpoint's secret; the schedule and Retry-After come from `webhook_rules`.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sourcer.consent.ports import Clock
from sourcer.consent.webhook_rules import next_attempt_delay, parse_retry_after
from sourcer.consent.webhook_sender import Resolver, Sender, safe_target
from sourcer.consent.webhook_store import Doc, WebhookStore, delivery_id
from sourcer.consent.webhook_verify import generate_secret, sign
from sourcer.proto.consent_api import CONSENT_OUTCOME_EVENTS
from sourcer.proto.envelope import Envelope
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

LEASE = timedelta(seconds=60)


def webhook_body(envelope: Envelope[Any]) -> str:
    data = {"tenant_id": envelope.tenant_id, "event_id": envelope.event_id}
    data.update(envelope.payload.model_dump(mode="json"))
    document = {
        "type": envelope.type,
        "timestamp": envelope.occurred_at.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True)


class WebhookService:
    def __init__(
        self,
        *,
        store: WebhookStore,
        clock: Clock,
        resolver: Resolver,
        allow_loopback: bool,
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.resolver = resolver
        self.allow_loopback = allow_loopback
        self._wake = wake

    async def create(
        self, *, tenant_id: str, actor: str, url: str, description: str | None, events: list[str]
    ) -> Doc:
        """Raises UnsafeTargetError for a URL that is not a public http(s) target."""
        await safe_target(url, resolver=self.resolver, allow_loopback=self.allow_loopback)
        unknown = sorted(set(events) - set(CONSENT_OUTCOME_EVENTS))
        if unknown or not events:
            raise ValueError(f"unknown event types: {', '.join(unknown) or 'none given'}")
        doc: Doc = {
            "_id": "whe_" + secrets.token_hex(12),
            "tenant_id": tenant_id,
            "url": url,
            "description": description,
            "events": sorted(set(events)),
            "secret": generate_secret(),
            "enabled": True,
            "disabled_reason": None,
            "created_at": self.clock(),
            "created_by": actor,
        }
        await self.store.add_endpoint(doc)
        return doc

    async def fan_out(self, envelope: Envelope[Any]) -> int:
        """One delivery per subscribed, enabled endpoint; idempotent per event."""
        created = 0
        body = webhook_body(envelope)
        for endpoint in await self.store.endpoints(tenant_id=envelope.tenant_id):
            if not endpoint["enabled"] or envelope.type not in endpoint["events"]:
                continue
            added = await self.store.add_delivery(
                {
                    "_id": delivery_id(event_id=envelope.event_id, endpoint_id=endpoint["_id"]),
                    "tenant_id": envelope.tenant_id,
                    "endpoint_id": endpoint["_id"],
                    "event_id": envelope.event_id,
                    "event_type": envelope.type,
                    "body": body,
                    "status": "pending",
                    "attempts": [],
                    "series_attempts": 0,
                    "next_attempt_at": self.clock(),
                    "created_at": envelope.occurred_at,
                }
            )
            created += int(added)
        if created:
            self._wake()
        return created


class WebhookDispatcher:
    def __init__(
        self,
        *,
        store: WebhookStore,
        sender: Sender,
        clock: Clock,
        concurrency: int = 32,
        write_concurrency: int = 1,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        self.concurrency = concurrency
        self.rand = rand
        self._endpoints: dict[str, Doc] = {}
        self._writes = asyncio.Semaphore(write_concurrency)
        self._unrecorded: list[tuple[str, Doc]] = []

    async def tick(self) -> int:
        """Deliver everything due now; returns how many attempts were made."""
        total = 0
        semaphore = asyncio.Semaphore(self.concurrency)

        async def one(delivery: Doc) -> None:
            async with semaphore:
                update = await self._attempt(delivery)
            await self._record(delivery["_id"], update)

        while True:
            now = self.clock()
            batch = await self.store.claim_due(
                now=now, lease_until=now + LEASE, limit=self.concurrency * 4
            )
            if not batch:
                return total
            # Read once per batch: endpoints may have been disabled or deleted since the last.
            self._endpoints = await self.store.endpoints_by_id(
                sorted({d["endpoint_id"] for d in batch})
            )
            await asyncio.gather(*(one(d) for d in batch))
            total += len(batch)

    async def _record(self, delivery_id: str, update: Doc) -> None:
        """Group commit: outcomes that finish while a write is in flight are stored together
        by the next writer. At most `write_concurrency` writers (1 for SQLite-backed FerretDB,
        which refuses concurrent writes)."""
        self._unrecorded.append((delivery_id, update))
        async with self._writes:
            if not self._unrecorded:
                return  # stored by the writer before us, together with its own
            updates, self._unrecorded = self._unrecorded, []
            await self._store_outcomes(updates)

    async def _store_outcomes(self, updates: list[tuple[str, Doc]]) -> None:
        """Retried on transient errors; if all tries fail, the leases run out and the
        deliveries are tried again with the same webhook-id (receivers deduplicate on it)."""
        for attempt in range(5):
            try:
                await self.store.record_many(updates)
                return
            except Exception as exc:
                log.warning(
                    "webhooks.record_failed",
                    deliveries=len(updates),
                    first_delivery_id=updates[0][0],
                    error=repr(exc),
                )
                await asyncio.sleep(0.05 * 2**attempt)

    async def _attempt(self, delivery: Doc) -> Doc:
        endpoint = self._endpoints.get(delivery["endpoint_id"])
        if endpoint is None or not endpoint["enabled"]:
            reason = "endpoint_deleted" if endpoint is None else "endpoint_disabled"
            return {"$set": {"status": "cancelled", "cancel_reason": reason}}
        now = self.clock()
        timestamp = int(now.timestamp())
        body = delivery["body"].encode()
        headers = {
            "webhook-id": delivery["_id"],
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(
                secret=endpoint["secret"], msg_id=delivery["_id"], timestamp=timestamp, body=body
            ),
        }
        result = await self.sender.send(url=endpoint["url"], body=body, headers=headers)
        attempt = {
            "at": now,
            "status_code": result.status_code,
            "error": result.error,
            "duration_ms": result.duration_ms,
        }
        made = delivery.get("series_attempts", 0) + 1
        update: dict[str, Any] = {"series_attempts": made}
        if result.status_code is not None and 200 <= result.status_code < 300:
            update.update(status="delivered", next_attempt_at=None, delivered_at=now)
        elif result.status_code == 410:
            update.update(status="failed", next_attempt_at=None, cancel_reason="endpoint_gone")
            await self.store.disable_endpoint(
                endpoint_id=endpoint["_id"], reason="The receiver answered 410 Gone.", now=now
            )
            self._endpoints[endpoint["_id"]] = {**endpoint, "enabled": False}
        else:
            retry_after = parse_retry_after(result.retry_after, now=now)
            delay = next_attempt_delay(made, retry_after=retry_after, rand=self.rand)
            if delay is None:
                update.update(status="failed", next_attempt_at=None)
            else:
                update.update(status="pending", next_attempt_at=now + delay)
        return {"$set": update, "$push": {"attempts": attempt}}

    async def run(self, *, interval: float, stop: asyncio.Event, wake: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.tick()
            except Exception as exc:
                log.error("webhooks.dispatch_failed", error=repr(exc))
            wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
            await asyncio.wait(waiters, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

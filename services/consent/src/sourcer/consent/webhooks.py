"""Webhook endpoints per tenant, fan-out of consent outcomes and talent events, and the
delivery loop.

Payloads follow the Standard Webhooks shape `{"type", "timestamp", "data"}`. Consent outcomes
carry ids and states only; what a talent event carries depends on the talent's consent
(`talent_payloads`). Each endpoint receives the event types it chose, the consent outcomes by
default. Each delivery is signed at send time with the endpoint's secret; the schedule and
Retry-After come from `webhook_rules`.
"""

from __future__ import annotations

import asyncio
import random
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sourcer.consent.ports import Clock
from sourcer.consent.webhook_events import (
    TalentBody,
    checked_event_types,
    event_types_of,
    webhook_body,
)
from sourcer.consent.webhook_rules import TargetPolicy, next_attempt_delay, parse_retry_after
from sourcer.consent.webhook_sender import (
    DELIVERY_ERROR,
    HTTP_STATUS,
    Resolver,
    Sender,
    SendResult,
    check_target,
)
from sourcer.consent.webhook_store import Doc, Outcome, WebhookStore, delivery_id
from sourcer.consent.webhook_verify import generate_secret, sign
from sourcer.proto.consent_api import CONSENT_OUTCOME_EVENTS
from sourcer.proto.envelope import Envelope
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

# A claimed batch holds this many rounds of `concurrency` posts: fewer, larger claims, as each
# reads through the deliveries collection on a server that does not use the `due` index.
ROUNDS_PER_BATCH = 8
# The next batch is claimed once fewer than this many rounds wait to be posted, so that the
# posts do not run dry while the claim is made.
CLAIM_AHEAD_ROUNDS = 2


class WebhookService:
    def __init__(
        self,
        *,
        store: WebhookStore,
        clock: Clock,
        resolver: Resolver,
        policy: TargetPolicy,
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.resolver = resolver
        self.policy = policy
        self._wake = wake

    async def create(
        self,
        *,
        tenant_id: str,
        actor: str,
        url: str,
        description: str | None,
        event_types: list[str] | None,
    ) -> Doc:
        """Raises UnsafeTargetError for a URL the target rules refuse (`webhook_rules`), and
        DomainError `webhook_events_invalid` for an unknown or empty choice of event types."""
        await check_target(url, resolver=self.resolver, policy=self.policy)
        chosen = checked_event_types(
            list(CONSENT_OUTCOME_EVENTS) if event_types is None else event_types
        )
        doc: Doc = {
            "_id": "whe_" + secrets.token_hex(12),
            "tenant_id": tenant_id,
            "url": url,
            "description": description,
            "events": chosen,
            "secret": generate_secret(),
            "enabled": True,
            "disabled_reason": None,
            "created_at": self.clock(),
            "created_by": actor,
        }
        await self.store.add_endpoint(doc)
        return doc

    async def choose_event_types(
        self, *, tenant_id: str, endpoint_id: str, event_types: list[str]
    ) -> Doc | None:
        """The endpoint with its new choice (None when the tenant has no such endpoint); events
        fanned out from now on follow it, deliveries already made stay."""
        chosen = checked_event_types(event_types)
        return await self.store.set_event_types(
            tenant_id=tenant_id, endpoint_id=endpoint_id, event_types=chosen
        )

    async def fan_out(self, envelope: Envelope[Any], talent: TalentBody | None = None) -> int:
        """One delivery per enabled endpoint that chose the event's type; idempotent per event.
        `talent` gives a talent event's body; a consent outcome sends its payload."""
        created = 0
        body = webhook_body(envelope, talent.data if talent else None)
        extra: Doc = {}
        if talent is not None:
            extra["talent_id"] = talent.talent_id
            if talent.redacted is not None:
                extra["redacted_body"] = webhook_body(envelope, talent.redacted)
        for endpoint in await self.store.endpoints(tenant_id=envelope.tenant_id):
            if not endpoint["enabled"] or envelope.type not in event_types_of(endpoint):
                continue
            added = await self.store.add_delivery(
                {
                    "_id": delivery_id(event_id=envelope.event_id, endpoint_id=endpoint["_id"]),
                    "tenant_id": envelope.tenant_id,
                    "endpoint_id": endpoint["_id"],
                    "event_id": envelope.event_id,
                    "event_type": envelope.type,
                    "body": body,
                    **extra,
                    "status": "pending",
                    "attempt_count": 0,
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
        send_timeout: float = 10.0,
        write_concurrency: int = 1,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        self.concurrency = concurrency
        self.rand = rand
        # A claim must outlast the slowest turn of a delivery it covers: waiting behind the rest
        # of its batch and those claimed ahead of it, its own post, and the write of its outcome.
        rounds = ROUNDS_PER_BATCH + CLAIM_AHEAD_ROUNDS + 1
        self.lease = timedelta(seconds=send_timeout * rounds + 30)
        self._disabled: set[str] = set()
        self._writes = asyncio.Semaphore(write_concurrency)
        self._unrecorded: list[Outcome] = []

    async def tick(self) -> int:
        """Deliver everything due now; returns how many attempts were made.

        The next batch is claimed while the current one is still being posted, so posting never
        waits for the store (the claims of those still in hand keep them out of it).
        """
        total = 0
        posting = asyncio.Semaphore(self.concurrency)
        holding: dict[str, asyncio.Task[None]] = {}
        waiting = 0  # claimed, not yet posting
        few_waiting = asyncio.Event()

        async def one(delivery: Doc, endpoints: dict[str, Doc]) -> None:
            nonlocal waiting
            try:
                async with posting:
                    waiting -= 1
                    if waiting < CLAIM_AHEAD_ROUNDS * self.concurrency:
                        few_waiting.set()
                    outcome = await self._attempt(delivery, endpoints)
                await self._record(outcome)
            except Exception as exc:
                # Its claim runs out and the delivery is tried again, with the same webhook-id.
                log.error("webhooks.attempt_failed", delivery_id=delivery["_id"], error=repr(exc))
            finally:
                del holding[delivery["_id"]]

        self._disabled = set()
        try:
            while True:
                now = self.clock()
                batch = await self.store.claim_due(
                    now=now,
                    lease_until=now + self.lease,
                    limit=self.concurrency * ROUNDS_PER_BATCH,
                )
                if not batch:
                    break
                # Read once per batch: endpoints may have been disabled or deleted since the last.
                endpoints = await self.store.endpoints_by_id(
                    sorted({d["endpoint_id"] for d in batch})
                )
                waiting += len(batch)
                for delivery in batch:
                    holding[delivery["_id"]] = asyncio.create_task(one(delivery, endpoints))
                total += len(batch)
                few_waiting.clear()
                if waiting >= CLAIM_AHEAD_ROUNDS * self.concurrency:
                    await few_waiting.wait()
        finally:
            # Also on an error or cancellation: every claimed delivery gets its turn recorded.
            await asyncio.gather(*holding.values(), return_exceptions=True)
        return total

    async def _record(self, outcome: Outcome) -> None:
        """Group commit: outcomes that finish while a write is in flight are stored together
        by the next writer. At most `write_concurrency` writers (1 for SQLite-backed FerretDB,
        which refuses concurrent writes)."""
        self._unrecorded.append(outcome)
        async with self._writes:
            if not self._unrecorded:
                return  # stored by the writer before us, together with its own
            outcomes, self._unrecorded = self._unrecorded, []
            await self._store_outcomes(outcomes)

    async def _store_outcomes(self, outcomes: list[Outcome]) -> None:
        """Retried on transient errors; if all tries fail, the leases run out and the
        deliveries are tried again with the same webhook-id (receivers deduplicate on it)."""
        for attempt in range(5):
            try:
                await self.store.record_many(outcomes)
                return
            except Exception as exc:
                log.warning(
                    "webhooks.record_failed",
                    deliveries=len(outcomes),
                    first_delivery_id=outcomes[0].delivery_id,
                    error=repr(exc),
                )
                await asyncio.sleep(0.05 * 2**attempt)

    async def _attempt(self, delivery: Doc, endpoints: dict[str, Doc]) -> Outcome:
        endpoint = endpoints.get(delivery["endpoint_id"])
        outcome = Outcome(
            delivery_id=delivery["_id"],
            tenant_id=delivery["tenant_id"],
            attempts_before=delivery.get("attempt_count", 0),
            state={},
        )
        if endpoint is None or not endpoint["enabled"] or endpoint["_id"] in self._disabled:
            reason = "endpoint_deleted" if endpoint is None else "endpoint_disabled"
            return replace(outcome, state={"status": "cancelled", "cancel_reason": reason})
        now = self.clock()
        result = await self._post(delivery, endpoint, now)
        if result.error is not None and result.error != HTTP_STATUS:
            # The exact error and timing for operators; the tenant's log gets the category.
            log.info(
                "webhooks.attempt_error",
                delivery_id=delivery["_id"],
                tenant_id=delivery["tenant_id"],
                endpoint_id=endpoint["_id"],
                error=result.error,
                detail=result.detail,
                duration_ms=result.duration_ms,
            )
        attempt = {"at": now, "status_code": result.status_code, "error": result.error}
        made = delivery.get("series_attempts", 0) + 1
        update: dict[str, Any] = {"series_attempts": made}
        if result.status_code is not None and 200 <= result.status_code < 300:
            update.update(status="delivered", next_attempt_at=None)
        elif result.status_code == 410:
            update.update(status="failed", next_attempt_at=None, cancel_reason="endpoint_gone")
            await self.store.disable_endpoint(
                endpoint_id=endpoint["_id"], reason="The receiver answered 410 Gone.", now=now
            )
            self._disabled.add(endpoint["_id"])
        else:
            retry_after = parse_retry_after(result.retry_after, now=now)
            delay = next_attempt_delay(made, retry_after=retry_after, rand=self.rand)
            if delay is None:
                update.update(status="failed", next_attempt_at=None)
            else:
                update.update(status="pending", next_attempt_at=now + delay)
        return replace(outcome, state=update, attempt=attempt)

    async def _post(self, delivery: Doc, endpoint: Doc, now: datetime) -> SendResult:
        """One signed POST. Whatever fails in it is a failed attempt, counted against the
        schedule like any other, so no delivery is taken up again forever."""
        try:
            timestamp = int(now.timestamp())
            body = delivery["body"].encode()
            signature = sign(
                secret=endpoint["secret"], msg_id=delivery["_id"], timestamp=timestamp, body=body
            )
            headers = {
                "webhook-id": delivery["_id"],
                "webhook-timestamp": str(timestamp),
                "webhook-signature": signature,
            }
            return await self.sender.send(url=endpoint["url"], body=body, headers=headers)
        except Exception as exc:
            return SendResult(None, None, DELIVERY_ERROR, 0, repr(exc)[:500])

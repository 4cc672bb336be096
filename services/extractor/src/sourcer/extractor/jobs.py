"""Handling one `sourcing.requested`: the requester's session, render, publish; a request ends.

Outcomes: `profile.extracted`, or `profile.extraction_failed` with a stable code once the
failure is final (or its retries are used up). While no session the request may use is free,
the job is deferred (not failed, not holding the consumer's prefetch) and the gateway hears
`sourcing.queued` with the time the next session is expected free; past the wait bound it
fails `no_session_available`. A recruiter with no session at all fails at once. A cancelled
request is skipped, or abandoned before its outcome is published.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel

from sourcer.extractor.cancellations import Cancellations
from sourcer.extractor.parsing import Failure, failure_for_code
from sourcer.extractor.rendering import JobFailedError, ProfileRenderer
from sourcer.extractor.session_store import MongoSessionRepository, Released
from sourcer.extractor.sessions import (
    NEEDS_PERSON,
    Lease,
    NoSession,
    Requester,
    UseOutcome,
    Waiting,
    session_failure,
)
from sourcer.extractor.targets import checked_profile
from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import (
    ExtractionErrorCode,
    ExtractionQueued,
    ExtractionStarted,
    ProfileExtracted,
    ProfileExtractionFailed,
    QueueReason,
    SessionStateChanged,
    SourcingRequested,
)
from sourcer.proto.profile_urls import UrlRejectedError
from sourcer.runtime.consumer import current_delivery
from sourcer.runtime.errors import RetryableError
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

ACTOR = Actor(kind=ActorKind.SERVICE, id="extractor")
# Failures of the session, not of the profile.
SESSION_FAILURES = {ExtractionErrorCode.SESSION_EXPIRED, ExtractionErrorCode.CHECKPOINT}
# Seconds before a job whose shared session failed is tried again with another session.
ACCOUNT_RETRY_DELAY = 1.0
# Shortest wait before looking for a free session again.
MIN_SESSION_WAIT = 1.0
# A waiting request is announced when it starts waiting and again every so many looks, so a
# backlog of waiting jobs costs the bus little (and other tenants' jobs little delay).
ANNOUNCE_EVERY = 10
# How long a tenant's shared-pool setting is taken as read; a change applies within this.
POLICY_SECONDS = 5.0


class Publisher(Protocol):
    async def emit(
        self,
        payload: BaseModel,
        *,
        tenant_id: str,
        correlation_id: str,
        actor: Actor,
        causation_id: str | None = None,
    ) -> Envelope[Any]: ...


@dataclass(frozen=True)
class JobSettings:
    no_account_retry_delay: float
    session_wait_seconds: float
    holder: str


class ExtractionJobs:
    def __init__(
        self,
        *,
        publisher: Publisher,
        sessions: MongoSessionRepository,
        renderer: ProfileRenderer,
        cancellations: Cancellations,
        settings: JobSettings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._publisher = publisher
        self._sessions = sessions
        self._renderer = renderer
        self._cancellations = cancellations
        self._settings = settings
        self._clock = clock
        self._policies: dict[str, tuple[float, bool]] = {}

    async def handle(self, envelope: Envelope[SourcingRequested]) -> None:
        request = envelope.payload
        if await self._cancelled(envelope):
            log.info("extraction.skipped_cancelled")
            return
        try:  # the allowlist again, before a session is leased for it
            checked_profile(request)
        except UrlRejectedError as exc:
            log.warning("extraction.url_refused", code=exc.code)
            await self._fail(envelope, failure_for_code(ExtractionErrorCode.UNSUPPORTED_URL))
            return
        requester = Requester(
            tenant_id=envelope.tenant_id,
            user=envelope.actor.id,
            shared_pool=await self._shared_pool(envelope.tenant_id),
        )
        got = await self._sessions.lease(
            platform=request.platform,
            requester=requester,
            holder=self._settings.holder,
            now=self._clock(),
        )
        if isinstance(got, Waiting):
            await self._wait(envelope, got)
            return
        await self._render(envelope, got)

    async def _render(self, envelope: Envelope[SourcingRequested], lease: Lease) -> None:
        request = envelope.payload
        delivery = current_delivery.get(None)
        attempt = delivery.attempt if delivery else 1
        log.info("session.leased", session_id=lease.session_id, holder=self._settings.holder)
        # Announced only now: until a session is leased the request is queued, not extracting.
        await self._emit(
            envelope, ExtractionStarted(request_id=request.request_id, attempt=attempt)
        )
        started = time.perf_counter()
        outcome, counted = UseOutcome.OK, True
        try:
            profile = await self._renderer.render(request, lease, tenant_id=envelope.tenant_id)
        except JobFailedError as failed:
            outcome = failed.outcome
            counted = failed.failure.code is not ExtractionErrorCode.BROWSER_CRASHED
            await self._release(envelope, lease, outcome, counted)
            await self._failed(envelope, lease, failed.failure)
            return
        except BaseException:
            await self._release(envelope, lease, outcome, counted)
            raise
        await self._release(envelope, lease, outcome, counted)
        if await self._cancelled(envelope):
            log.info("extraction.abandoned_cancelled")
            return
        elapsed_ms = int((time.perf_counter() - started) * 1000)
        log.info("extraction.succeeded", ms=elapsed_ms, experience=len(profile.experience))
        await self._emit(
            envelope,
            ProfileExtracted(
                request_id=request.request_id, profile=profile, extraction_ms=elapsed_ms
            ),
        )

    async def _failed(
        self, envelope: Envelope[SourcingRequested], lease: Lease, failure: Failure
    ) -> None:
        """Retry what may pass; a recruiter's own session that failed needs them, so the
        request ends telling them what to do; an expired shared one is retried with another
        (a checkpoint stops: a person must look)."""
        delivery = current_delivery.get(None)
        last = delivery is None or delivery.is_last_attempt
        if failure.code in SESSION_FAILURES and lease.owner is not None:
            await self._fail(envelope, session_failure(failure.code, lease.platform))
            return
        if failure.code is ExtractionErrorCode.SESSION_EXPIRED and not last:
            raise RetryableError(failure.code.value, delay=ACCOUNT_RETRY_DELAY)
        if failure.retryable and not last:
            raise RetryableError(failure.code.value)
        if await self._cancelled(envelope):
            return
        await self._fail(envelope, failure)

    async def _wait(self, envelope: Envelope[SourcingRequested], waiting: Waiting) -> None:
        platform = envelope.payload.platform
        if waiting.reason is NoSession.NONE_CONNECTED:
            code = ExtractionErrorCode.NO_SESSION_CONNECTED
            await self._fail(envelope, session_failure(code, platform))
            return
        if waiting.reason is NoSession.EXPIRED:
            code = ExtractionErrorCode.SESSION_EXPIRED
            await self._fail(envelope, session_failure(code, platform))
            return
        now = self._clock()
        if (now - envelope.occurred_at).total_seconds() > self._settings.session_wait_seconds:
            code = ExtractionErrorCode.NO_SESSION_AVAILABLE
            await self._fail(envelope, session_failure(code, platform))
            return
        delivery = current_delivery.get(None)
        if delivery is None or delivery.defers % ANNOUNCE_EVERY == 0:
            await self._emit(
                envelope,
                ExtractionQueued(
                    request_id=envelope.payload.request_id,
                    reason=QueueReason.WAITING_FOR_SESSION,
                    next_slot_at=waiting.next_free_at,
                ),
            )
        until = (waiting.next_free_at - now).total_seconds() if waiting.next_free_at else 0.0
        wait = min(max(until, MIN_SESSION_WAIT), self._settings.no_account_retry_delay)
        raise RetryableError(f"no {platform.value} session free", delay=wait, defer=True)

    async def _release(
        self, envelope: Envelope[Any], lease: Lease, outcome: UseOutcome, counted: bool
    ) -> None:
        storage_state = await self._renderer.storage_state(lease.session_id)
        # Logged while the lease is still held, so log order shows who held it when.
        log.info(
            "session.releasing",
            session_id=lease.session_id,
            holder=self._settings.holder,
            outcome=outcome.value,
        )
        released = await self._sessions.release(
            lease=lease,
            now=self._clock(),
            outcome=outcome,
            storage_state=storage_state,
            counted=counted,
        )
        await announce(self._publisher, envelope, lease, released)

    async def _shared_pool(self, tenant_id: str) -> bool:
        now = time.monotonic()
        cached = self._policies.get(tenant_id)
        if cached is None or now - cached[0] > POLICY_SECONDS:
            cached = (now, await self._sessions.shared_pool(tenant_id=tenant_id))
            self._policies[tenant_id] = cached
        return cached[1]

    async def _cancelled(self, envelope: Envelope[SourcingRequested]) -> bool:
        return await self._cancellations.cancelled(
            tenant_id=envelope.tenant_id, request_id=envelope.payload.request_id
        )

    async def _fail(self, envelope: Envelope[SourcingRequested], failure: Failure) -> None:
        log.warning("extraction.failed", code=failure.code.value)
        await self._emit(
            envelope,
            ProfileExtractionFailed(
                request_id=envelope.payload.request_id,
                code=failure.code,
                retryable=failure.retryable,
                message=failure.message,
            ),
        )

    async def fail_parked(self, envelope: Envelope[SourcingRequested], kind: str) -> None:
        """The bus gave up on this job (a limit, a crash loop): its request still ends."""
        if kind == "deferrals_exhausted":
            failure = session_failure(
                ExtractionErrorCode.NO_SESSION_AVAILABLE, envelope.payload.platform
            )
        else:
            failure = failure_for_code(ExtractionErrorCode.EXTRACTION_LOST)
        await self._fail(envelope, failure)

    async def _emit(self, cause: Envelope[Any], payload: BaseModel) -> None:
        await self._publisher.emit(
            payload,
            tenant_id=cause.tenant_id,
            correlation_id=cause.correlation_id,
            actor=ACTOR,
            causation_id=cause.event_id,
        )


async def announce(
    publisher: Publisher, cause: Envelope[Any], lease: Lease, released: Released
) -> None:
    """A session that changed state is news for its owner and for ops' alerts."""
    if not released.changed:
        return
    log.warning(
        "session.state_changed",
        session_id=lease.session_id,
        platform=lease.platform.value,
        previous=released.previous.value if released.previous else None,
        state=released.state.value,
        needs_person=released.state in NEEDS_PERSON,
    )
    await publisher.emit(
        SessionStateChanged(
            session_id=lease.session_id,
            platform=lease.platform,
            owner=lease.owner,
            previous=released.previous.value if released.previous else None,
            state=released.state.value,
            needs_person=released.state in NEEDS_PERSON,
        ),
        tenant_id=cause.tenant_id,
        correlation_id=cause.correlation_id,
        actor=ACTOR,
        causation_id=cause.event_id,
    )

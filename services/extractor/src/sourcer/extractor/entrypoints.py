"""The extractor's consumers: sourcing requests, session checks, cancellations, erasure."""

from __future__ import annotations

import asyncio
from typing import Any

from sourcer.extractor.container import Container
from sourcer.extractor.jobs import ACCOUNT_RETRY_DELAY, announce
from sourcer.extractor.settings import ExtractorSettings
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import (
    SessionValidate,
    SourcingCancelled,
    SourcingRequested,
    TalentErased,
)
from sourcer.runtime.consumer_spec import ConsumerSpec, On, RetryPolicy
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

# Waits while no session is free: the job looks again when the next one is expected free
# (rounded up to one of these), at most `no_account_retry_delay` later.
SESSION_WAITS = (1.0, 2.0, 5.0, 10.0, 30.0)


async def on_sourcing_requested(c: Container, event: Envelope[SourcingRequested]) -> None:
    await c.jobs.handle(event)


async def on_extraction_parked(c: Container, event: Envelope[Any], kind: str, error: str) -> None:
    """Whatever parks a job also ends its request, so no request waits for a job gone."""
    await c.jobs.fail_parked(event, kind)


async def on_session_validate(c: Container, event: Envelope[SessionValidate]) -> None:
    checked = await c.checker.check(event.payload.session_id)
    if checked is not None:
        lease, released = checked
        await announce(c.publisher, event, lease, released)


async def on_sourcing_cancelled(c: Container, event: Envelope[SourcingCancelled]) -> None:
    await c.cancellations.cancel(
        tenant_id=event.tenant_id, request_id=event.payload.request_id, at=event.occurred_at
    )


async def on_talent_erased(c: Container, event: Envelope[TalentErased]) -> None:
    """Saved pages of the erased person go too: of the requests that brought them in, and any
    other page showing one of their profiles (person keys are bound to the event's tenant)."""
    erased = await asyncio.to_thread(
        c.snapshots.erase,
        request_ids=event.payload.request_ids,
        person_keys=event.payload.person_keys,
    )
    log.info("snapshots.erased", pages=erased)


EXTRACTION: ConsumerSpec[Container] = ConsumerSpec(
    name="extractor",
    description="Renders a requested LinkedIn or Xing profile with the requester's session "
    "and publishes the extracted profile or a classified failure.",
    routes=(On(SourcingRequested, on_sourcing_requested),),
    # The defaults of ExtractorSettings.retry_delays.
    retry=RetryPolicy(
        delays=(30.0, 120.0, 600.0), extra_delays=(ACCOUNT_RETRY_DELAY, *SESSION_WAITS)
    ),
    on_parked=on_extraction_parked,
)
SESSIONS: ConsumerSpec[Container] = ConsumerSpec(
    name="extractor.sessions",
    description="Loads one page with a newly connected platform session: connected or not.",
    routes=(On(SessionValidate, on_session_validate),),
    retry=RetryPolicy((5.0, 30.0, 120.0)),
)
CANCELLATIONS: ConsumerSpec[Container] = ConsumerSpec(
    name="extractor.cancellations",
    description="Remembers cancelled sourcing requests so their jobs are skipped.",
    routes=(On(SourcingCancelled, on_sourcing_cancelled),),
    retry=RetryPolicy((1.0, 10.0, 60.0)),
)


def extraction(settings: ExtractorSettings) -> ConsumerSpec[Container]:
    """The extraction consumer with the retry waits the settings give."""
    waits = tuple(w for w in SESSION_WAITS if w < settings.no_account_retry_delay)
    return EXTRACTION.with_retry(
        RetryPolicy(
            delays=settings.retry_delays,
            extra_delays=(ACCOUNT_RETRY_DELAY, *waits, settings.no_account_retry_delay),
        )
    )


ERASURE: ConsumerSpec[Container] = ConsumerSpec(
    name="extractor.erasure",
    description="Deletes the saved pages (HTML and screenshot) that show an erased talent.",
    routes=(On(TalentErased, on_talent_erased),),
    retry=RetryPolicy((1.0, 10.0, 60.0)),
)


CONSUMERS = (EXTRACTION, SESSIONS, CANCELLATIONS, ERASURE)

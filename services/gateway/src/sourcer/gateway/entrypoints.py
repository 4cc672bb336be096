"""Status events that move sourcing requests along: thin entrypoints over conditional updates.

Each transition names the states it may leave, so late, duplicated or reordered events never
move a request backwards (an `extraction_started` after the preview changes nothing).
"""

from __future__ import annotations

from pydantic import BaseModel

from sourcer.gateway.container import Container
from sourcer.gateway.schemas import IN_FLIGHT, RequestStatus
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import (
    ExtractionQueued,
    ExtractionStarted,
    Preview,
    ProfileExtractionFailed,
    SourcingCancelled,
    SourcingPreviewReady,
    SourcingRequested,
    TalentCreated,
    TalentErased,
    TalentUpdated,
)
from sourcer.proto.person_keys import person_keys, talent_person_key
from sourcer.runtime.catalog import TalentRef
from sourcer.runtime.consumer_spec import ConsumerSpec, On, RetryPolicy


async def on_extraction_started(c: Container, event: Envelope[ExtractionStarted]) -> None:
    await c.requests.transition(
        tenant_id=event.tenant_id,
        request_id=event.payload.request_id,
        from_statuses=(RequestStatus.QUEUED,),
        to_status=RequestStatus.EXTRACTING,
        fields={"attempt": event.payload.attempt, "queue_reason": None, "next_slot_at": None},
    )


async def on_extraction_queued(c: Container, event: Envelope[ExtractionQueued]) -> None:
    """Waiting for a session: the recruiter sees why and until when (only changes stream)."""
    queued = event.payload
    await c.requests.queue(
        tenant_id=event.tenant_id,
        request_id=queued.request_id,
        reason=queued.reason.value,
        next_slot_at=queued.next_slot_at,
    )


async def on_extraction_failed(c: Container, event: Envelope[ProfileExtractionFailed]) -> None:
    failed = event.payload
    await c.requests.transition(
        tenant_id=event.tenant_id,
        request_id=failed.request_id,
        from_statuses=IN_FLIGHT,
        to_status=RequestStatus.FAILED,
        fields={
            "error": {
                "code": failed.code.value,
                "message": failed.message,
                "retryable": failed.retryable,
            }
        },
        end_inflight=True,
    )


def preview_keys(tenant_id: str, preview: Preview) -> list[str]:
    """The person keys of what a preview shows: the profile, its emails, the matched talent."""
    profile = preview.profile
    return person_keys(
        tenant_id=tenant_id,
        profiles=[(profile.source.platform.value, profile.source.profile_id)] if profile else [],
        emails=profile.emails if profile else [],
        talent_ids=[preview.talent_id],
    )


async def on_preview_ready(c: Container, event: Envelope[SourcingPreviewReady]) -> None:
    await c.requests.transition(
        tenant_id=event.tenant_id,
        request_id=event.payload.request_id,
        from_statuses=IN_FLIGHT,
        to_status=RequestStatus.READY,
        fields={"preview": event.payload.preview.model_dump(mode="json")},
        end_inflight=True,
        person_keys=preview_keys(event.tenant_id, event.payload.preview),
    )


async def on_talent_saved(c: Container, event: Envelope[TalentCreated | TalentUpdated]) -> None:
    if not event.payload.request_id:
        return
    await c.requests.transition(
        tenant_id=event.tenant_id,
        request_id=event.payload.request_id,
        from_statuses=(RequestStatus.READY, RequestStatus.SUBMITTING),
        to_status=RequestStatus.SUBMITTED,
        fields={"talent_id": event.payload.talent_id},
        person_keys=[
            talent_person_key(tenant_id=event.tenant_id, talent_id=event.payload.talent_id)
        ],
    )


async def on_talent_erased(c: Container, event: Envelope[TalentErased]) -> None:
    """A request's preview holds the person's data: erasure reaches every request that shows
    the person (by request id and by person key), submitted or not."""
    erased = event.payload
    await c.store.erase_talent(
        TalentRef(
            tenant_id=event.tenant_id,
            talent_id=erased.talent_id,
            request_ids=tuple(erased.request_ids),
            person_keys=tuple(erased.person_keys),
        )
    )


REQUEST_STATUS: ConsumerSpec[Container] = ConsumerSpec(
    name="gateway.request_status",
    description="Moves sourcing requests along as extraction, preview and submit progress; "
    "deletes every request that shows an erased talent.",
    routes=(
        On(ExtractionQueued, on_extraction_queued),
        On(ExtractionStarted, on_extraction_started),
        On(ProfileExtractionFailed, on_extraction_failed),
        On(SourcingPreviewReady, on_preview_ready),
        On(TalentCreated, on_talent_saved),
        On(TalentUpdated, on_talent_saved),
        On(TalentErased, on_talent_erased),
    ),
    retry=RetryPolicy((1.0, 5.0, 30.0)),
)

CONSUMERS = (REQUEST_STATUS,)


PUBLISHES: tuple[type[BaseModel], ...] = (
    SourcingRequested,
    SourcingCancelled,
)
"""Events this service publishes: its broker user may publish these routing keys only."""

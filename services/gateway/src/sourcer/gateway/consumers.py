"""Status events that move sourcing requests along; thin entrypoints over conditional updates.

Each transition names the states it may leave, so late, duplicated or reordered events never
move a request backwards (an `extraction_started` after the preview changes nothing).
"""

from __future__ import annotations

from typing import Any

from sourcer.gateway.repository import SourcingRequests
from sourcer.gateway.schemas import IN_FLIGHT, RequestStatus
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import (
    ExtractionStarted,
    ProfileExtractionFailed,
    SourcingPreviewReady,
    TalentCreated,
    TalentErased,
    TalentUpdated,
)
from sourcer.runtime.bus import Bus
from sourcer.runtime.consumer import RetryPolicy
from sourcer.runtime.idempotency import ProcessedEvents
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

CONSUMER = "gateway.request_status"
KEYS = [
    "sourcing.extraction_started",
    "profile.extraction_failed",
    "sourcing.preview_ready",
    "talent.created",
    "talent.updated",
    "talent.erased",
]


class StatusHandlers:
    def __init__(self, *, requests: SourcingRequests) -> None:
        self.requests = requests

    async def handle(self, envelope: Envelope[Any]) -> None:
        payload = envelope.payload
        tenant = envelope.tenant_id
        if isinstance(payload, ExtractionStarted):
            await self.requests.transition(
                tenant_id=tenant,
                request_id=payload.request_id,
                from_statuses=(RequestStatus.QUEUED,),
                to_status=RequestStatus.EXTRACTING,
                fields={"attempt": payload.attempt},
            )
        elif isinstance(payload, ProfileExtractionFailed):
            await self.requests.transition(
                tenant_id=tenant,
                request_id=payload.request_id,
                from_statuses=IN_FLIGHT,
                to_status=RequestStatus.FAILED,
                fields={
                    "error": {
                        "code": payload.code.value,
                        "message": payload.message,
                        "retryable": payload.retryable,
                    }
                },
                end_inflight=True,
            )
        elif isinstance(payload, SourcingPreviewReady):
            await self.requests.transition(
                tenant_id=tenant,
                request_id=payload.request_id,
                from_statuses=IN_FLIGHT,
                to_status=RequestStatus.READY,
                fields={"preview": payload.preview.model_dump(mode="json")},
                end_inflight=True,
            )
        elif isinstance(payload, TalentErased):
            # The request's preview holds the person's data: erasure deletes the request too.
            for request_id in payload.request_ids:
                await self.requests.delete(tenant_id=tenant, request_id=request_id)
            log.info("sourcing.requests_erased", count=len(payload.request_ids))
        elif isinstance(payload, TalentCreated | TalentUpdated) and payload.request_id:
            await self.requests.transition(
                tenant_id=tenant,
                request_id=payload.request_id,
                from_statuses=(RequestStatus.READY, RequestStatus.SUBMITTING),
                to_status=RequestStatus.SUBMITTED,
                fields={"talent_id": payload.talent_id},
            )


async def start_consumers(
    *, bus: Bus, handlers: StatusHandlers, processed: ProcessedEvents, concurrency: int
) -> None:
    await bus.consume(
        name=CONSUMER,
        keys=KEYS,
        handler=handlers.handle,
        concurrency=concurrency,
        retry=RetryPolicy((1.0, 5.0, 30.0)),
        processed=processed,
    )

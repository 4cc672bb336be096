"""Sourcing requests: start one, follow it, submit its preview.

Dependencies come in as Protocols (the repository, the publisher, the talent service's API), so
the rules here are unit-tested with fakes. Refusals are `DomainError`s with stable codes; the
edge (`app.ERROR_STATUSES`) says which HTTP status each answers with.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from pydantic import BaseModel

from sourcer.gateway.internal_api import InternalApi, relay
from sourcer.gateway.repository import SourcingRequests, inflight_key
from sourcer.gateway.schemas import IN_FLIGHT, RequestStatus, SubmitCreate
from sourcer.proto.envelope import Actor
from sourcer.proto.events import PreviewKind, SourcingCancelled, SourcingRequested
from sourcer.proto.profile_urls import CanonicalProfileUrl
from sourcer.runtime.auth import Caller
from sourcer.runtime.errors import DomainError, PublishError
from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import Document, KeyChurnError

log = get_logger(__name__)


class Publisher(Protocol):
    async def emit(
        self,
        payload: BaseModel,
        *,
        tenant_id: str,
        correlation_id: str,
        actor: Actor,
        causation_id: str | None = None,
    ) -> Any: ...


LOST = {
    "code": "extraction_lost",
    "retryable": True,
    "message": "Sourcer lost track of this extraction; source the profile again.",
}


def new_request_id() -> str:
    return f"req_{uuid.uuid4().hex[:24]}"


class SourcingService:
    def __init__(
        self, *, requests: SourcingRequests, publisher: Publisher, talents: InternalApi
    ) -> None:
        self.requests = requests
        self.publisher = publisher
        self.talents = talents

    async def start(self, *, caller: Caller, target: CanonicalProfileUrl) -> tuple[Document, bool]:
        """The new request and True, or the one already in flight for this URL and False."""
        now = datetime.now(UTC)
        doc: Document = {
            "_id": new_request_id(),
            "tenant_id": caller.tenant,
            "created_by": caller.sub,
            "url": target.url,
            "platform": target.platform.value,
            "profile_id": target.profile_id,
            "status": RequestStatus.QUEUED.value,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "inflight_key": inflight_key(tenant_id=caller.tenant, url=target.url),
        }
        try:
            existing = await self.requests.add(doc=doc)
        except KeyChurnError as exc:
            raise DomainError("conflict", "Try again: a request for this URL just ended.") from exc
        if existing is not None:
            return existing, False
        payload = SourcingRequested(
            request_id=doc["_id"],
            url=target.url,
            platform=target.platform,
            profile_id=target.profile_id,
        )
        try:
            await self.publisher.emit(
                payload, tenant_id=caller.tenant, correlation_id=doc["_id"], actor=caller.actor()
            )
        except PublishError as exc:
            log.error("sourcing.publish_failed", request_id=doc["_id"], error=str(exc))
            await self.requests.transition(
                tenant_id=caller.tenant,
                request_id=doc["_id"],
                from_statuses=IN_FLIGHT,
                to_status=RequestStatus.FAILED,
                fields={
                    "error": {
                        "code": "unavailable",
                        "retryable": True,
                        "message": "Sourcer could not queue the request; try again.",
                    }
                },
                end_inflight=True,
            )
            raise DomainError(
                "unavailable", "Sourcer could not queue the request; try again.", retry_after=5
            ) from exc
        log.info(
            "sourcing.requested",
            correlation_id=doc["_id"],
            tenant_id=caller.tenant,
            platform=target.platform.value,
        )
        return doc, True

    async def get(self, *, caller: Caller, request_id: str) -> Document:
        doc = await self.requests.get(tenant_id=caller.tenant, request_id=request_id)
        if doc is None:
            raise DomainError("not_found", "No such sourcing request.")
        return doc

    async def submit(
        self, *, caller: Caller, token: str, request_id: str, body: SubmitCreate
    ) -> Document:
        """Create or update the talent; a repeated submit answers the same, once done."""
        doc = await self.get(caller=caller, request_id=request_id)
        status = RequestStatus(doc["status"])
        if status is RequestStatus.SUBMITTED:
            return doc
        if status not in (RequestStatus.READY, RequestStatus.SUBMITTING):
            raise DomainError("not_ready", f"The request is {status.value}, not ready.")
        if (doc.get("preview") or {}).get("kind") == PreviewKind.SUPPRESSED.value:
            raise DomainError(
                "talent_suppressed", "This person declined to be in your talent pool."
            )
        marked = await self.requests.transition(
            tenant_id=caller.tenant,
            request_id=request_id,
            from_statuses=(RequestStatus.READY, RequestStatus.SUBMITTING),
            to_status=RequestStatus.SUBMITTING,
            fields={"submitted_by": caller.sub},
        )
        if marked is None:  # a concurrent submit finished first
            return await self.get(caller=caller, request_id=request_id)
        reply = await self.talents.call(
            "POST",
            "/internal/v1/submissions",
            token=token,
            correlation_id=request_id,
            json={"request_id": request_id, **body.model_dump(mode="json")},
        )
        if not reply.ok:
            await self.requests.transition(
                tenant_id=caller.tenant,
                request_id=request_id,
                from_statuses=(RequestStatus.SUBMITTING,),
                to_status=RequestStatus.READY,
            )
            relay(reply, service="talent")
        talent_id = str(reply.body["talent_id"])
        done = await self.requests.transition(
            tenant_id=caller.tenant,
            request_id=request_id,
            from_statuses=(RequestStatus.SUBMITTING, RequestStatus.READY),
            to_status=RequestStatus.SUBMITTED,
            fields={"talent_id": talent_id},
        )
        return done or await self.get(caller=caller, request_id=request_id)

    async def cancel(self, *, caller: Caller, request_id: str) -> Document:
        """End a queued or extracting request; its URL is free again, and the extractor skips or
        abandons its job. Cancelling an ended request answers it as it stands."""
        doc = await self.get(caller=caller, request_id=request_id)
        if RequestStatus(doc["status"]) not in IN_FLIGHT:
            if RequestStatus(doc["status"]) is RequestStatus.CANCELLED:
                return doc
            raise DomainError(
                "not_cancellable", f"The request is {doc['status']}; only one in flight can be "
                "cancelled.",
            )  # fmt: skip
        done = await self.requests.transition(
            tenant_id=caller.tenant,
            request_id=request_id,
            from_statuses=IN_FLIGHT,
            to_status=RequestStatus.CANCELLED,
            fields={"cancelled_by": caller.sub, "queue_reason": None, "next_slot_at": None},
            end_inflight=True,
        )
        if done is None:  # it ended meanwhile
            return await self.get(caller=caller, request_id=request_id)
        try:
            await self.publisher.emit(
                SourcingCancelled(request_id=request_id),
                tenant_id=caller.tenant,
                correlation_id=request_id,
                actor=caller.actor(),
            )
        except PublishError:
            # The request has ended for the recruiter either way; a job still running would
            # publish an outcome the gateway no longer applies to a cancelled request.
            log.warning("sourcing.cancel_unannounced", request_id=request_id)
        return done

    async def end_lost(self, *, in_flight_for: timedelta, now: datetime, limit: int = 200) -> int:
        """Fail requests in flight whose extraction has not moved for far longer than any job
        may take: no request waits forever for a job that is gone."""
        ended = 0
        for doc in await self.requests.stale(updated_before=now - in_flight_for, limit=limit):
            done = await self.requests.transition(
                tenant_id=doc["tenant_id"],
                request_id=doc["_id"],
                from_statuses=IN_FLIGHT,
                to_status=RequestStatus.FAILED,
                fields={"error": LOST},
                end_inflight=True,
            )
            ended += done is not None
        if ended:
            log.warning("sourcing.requests_lost", count=ended)
        return ended

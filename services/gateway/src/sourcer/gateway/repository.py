"""The `sourcing_requests` collection, owned by the gateway.

"One request in flight per URL and tenant" holds across gateway replicas without transactions:
a request in flight carries `inflight_key` (tenant + canonical URL) under a unique sparse index,
so storing a new request is also the check, in one write. The update that ends the request
removes the key in the same write, so no claim outlives its request. (FerretDB ignores
`sparse`; its SQLite unique indexes let any number of documents lack the field all the same.)
Every status change bumps the request's `version`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from sourcer.gateway.schemas import IN_FLIGHT, RequestStatus
from sourcer.runtime.catalog import Catalog, CollectionSpec, TalentRef
from sourcer.runtime.store import Document, IndexSpec, Store, insert_or_holder

COLLECTION = "sourcing_requests"


async def erase_requests(collection: AsyncCollection[Document], talent: TalentRef) -> int:
    """A request's preview holds the extracted profile: every request that shows the person
    goes, whoever sourced them and whether or not it was submitted. A request carries the
    person keys of the profile it asks for, of its preview (profile and emails, the talent it
    matched) and of the talent it was submitted into, under an index; no cap on how many."""
    deleted = 0
    if talent.request_ids:
        result = await collection.delete_many(
            {"tenant_id": talent.tenant_id, "_id": {"$in": list(talent.request_ids)}}
        )
        deleted += result.deleted_count
    if talent.person_keys:
        result = await collection.delete_many(
            {"tenant_id": talent.tenant_id, "person_keys": {"$in": list(talent.person_keys)}}
        )
        deleted += result.deleted_count
    return deleted


CATALOG = Catalog(
    service="gateway",
    owns=(
        CollectionSpec(
            COLLECTION,
            "Sourcing requests with their status and, once ready, the preview of the person.",
            erase=erase_requests,
            indexes=(
                IndexSpec(
                    COLLECTION, [("tenant_id", 1), ("created_at", -1)], name="tenant_created"
                ),
                # The job that ends requests whose extraction was lost looks them up by age.
                IndexSpec(COLLECTION, [("status", 1), ("updated_at", 1)], name="in_flight_by_age"),
                # Erasure finds every request showing a person by these keys.
                IndexSpec(
                    COLLECTION, [("tenant_id", 1), ("person_keys", 1)], name="requests_by_person"
                ),
                IndexSpec(
                    COLLECTION,
                    [("inflight_key", 1)],
                    unique=True,
                    name="one_in_flight_per_url",
                    options={"sparse": True},
                ),
            ),
        ),
    ),
    # Served read-only; the talent service writes them (contract: sourcer.proto.talent_record).
    reads=("talents", "pools", "tenant_settings"),
)


def inflight_key(*, tenant_id: str, url: str) -> str:
    return f"{tenant_id}\x1f{url}"


class SourcingRequests(Protocol):
    async def add(self, *, doc: Document) -> Document | None:
        """Store a new request holding its `inflight_key`: None when stored; otherwise the
        request in flight that holds the key already, and `doc` is not stored. Raises
        KeyChurnError when that cannot be settled in a few tries."""
        ...

    async def delete(self, *, tenant_id: str, request_id: str) -> None: ...

    async def queue(
        self, *, tenant_id: str, request_id: str, reason: str, next_slot_at: datetime | None
    ) -> Document | None:
        """Mark an in-flight request queued for `reason`; None when it is not in flight or
        already says so (nothing new to stream)."""
        ...

    async def stale(self, *, updated_before: datetime, limit: int) -> list[Document]:
        """Requests in flight that have not moved since `updated_before`."""
        ...

    async def get(self, *, tenant_id: str, request_id: str) -> Document | None: ...

    async def transition(
        self,
        *,
        tenant_id: str,
        request_id: str,
        from_statuses: Sequence[RequestStatus],
        to_status: RequestStatus,
        fields: dict[str, Any] | None = None,
        end_inflight: bool = False,
        person_keys: Sequence[str] = (),
    ) -> Document | None:
        """Move the request to `to_status` only from one of `from_statuses`, adding
        `person_keys` to the ones it carries; None when it is in none of them."""
        ...


class MongoSourcingRequests:
    def __init__(self, store: Store) -> None:
        self._collection = store.collection(COLLECTION)

    async def add(self, *, doc: Document) -> Document | None:
        holder = {"tenant_id": doc["tenant_id"], "inflight_key": doc["inflight_key"]}
        return await insert_or_holder(self._collection, doc, holder=holder)

    async def delete(self, *, tenant_id: str, request_id: str) -> None:
        await self._collection.delete_one({"_id": request_id, "tenant_id": tenant_id})

    async def get(self, *, tenant_id: str, request_id: str) -> Document | None:
        return await self._collection.find_one({"_id": request_id, "tenant_id": tenant_id})

    async def queue(
        self, *, tenant_id: str, request_id: str, reason: str, next_slot_at: datetime | None
    ) -> Document | None:
        return await self._collection.find_one_and_update(
            {
                "_id": request_id,
                "tenant_id": tenant_id,
                "status": {"$in": [s.value for s in IN_FLIGHT]},
                "$or": [{"queue_reason": {"$ne": reason}}, {"next_slot_at": {"$ne": next_slot_at}}],
            },
            {
                "$set": {
                    "status": RequestStatus.QUEUED.value,
                    "queue_reason": reason,
                    "next_slot_at": next_slot_at,
                    "updated_at": datetime.now(UTC),
                },
                "$inc": {"version": 1},
            },
            return_document=ReturnDocument.AFTER,
        )

    async def stale(self, *, updated_before: datetime, limit: int) -> list[Document]:
        cursor = self._collection.find(
            {
                "status": {"$in": [s.value for s in IN_FLIGHT]},
                "updated_at": {"$lt": updated_before},
            }
        ).limit(limit)
        return [doc async for doc in cursor]

    async def transition(
        self,
        *,
        tenant_id: str,
        request_id: str,
        from_statuses: Sequence[RequestStatus],
        to_status: RequestStatus,
        fields: dict[str, Any] | None = None,
        end_inflight: bool = False,
        person_keys: Sequence[str] = (),
    ) -> Document | None:
        now = datetime.now(UTC)
        update: dict[str, Any] = {
            "$set": {**(fields or {}), "status": to_status.value, "updated_at": now},
            "$inc": {"version": 1},
        }
        if person_keys:
            update["$addToSet"] = {"person_keys": {"$each": list(person_keys)}}
        if end_inflight:
            update["$unset"] = {"inflight_key": ""}
        return await self._collection.find_one_and_update(
            {
                "_id": request_id,
                "tenant_id": tenant_id,
                "status": {"$in": [s.value for s in from_statuses]},
            },
            update,
            return_document=ReturnDocument.AFTER,
        )

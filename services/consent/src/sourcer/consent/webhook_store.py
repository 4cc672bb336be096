"""Storage of webhook endpoints and deliveries (collections owned by the consent service).

A delivery's `_id` is derived from the event and the endpoint, so handling the same event twice
creates it once. A worker claims a due delivery by inserting a claim document with the same
`_id`: the unique key lets one worker in, whatever the server's isolation of read-modify-write
operations, and costs one cheap insert per batch. A worker that dies mid-delivery leaves claims
that run out, and those deliveries are tried again. Outcomes are recorded as unordered bulk
writes of single-document updates: no transactions, because each update stands alone.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Protocol

from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from sourcer.runtime.store import IndexSpec, Store

ENDPOINTS = "webhook_endpoints"
DELIVERIES = "webhook_deliveries"
CLAIMS = "webhook_delivery_claims"

INDEXES = [
    IndexSpec(ENDPOINTS, [("tenant_id", ASCENDING)], name="by_tenant"),
    IndexSpec(DELIVERIES, [("status", ASCENDING), ("next_attempt_at", ASCENDING)], name="due"),
    IndexSpec(
        DELIVERIES,
        [("tenant_id", ASCENDING), ("endpoint_id", ASCENDING), ("created_at", DESCENDING)],
        name="by_endpoint",
    ),
    # Expired claims are cleared before every batch is claimed.
    IndexSpec(CLAIMS, [("until", ASCENDING)], name="by_expiry"),
]

Doc = dict[str, Any]

# Updates per bulk write. FerretDB 1.24 (SQLite) stops answering an update command that
# carries 100 statements or more; 50 keeps well clear of that and still saves most round trips.
RECORD_CHUNK = 50
DUPLICATE_KEY = 11000


def delivery_id(*, event_id: str, endpoint_id: str) -> str:
    return "msg_" + hashlib.sha256(f"{event_id}:{endpoint_id}".encode()).hexdigest()[:32]


class WebhookStore(Protocol):
    async def add_endpoint(self, doc: Doc) -> None: ...
    async def endpoints(self, *, tenant_id: str) -> list[Doc]: ...
    async def endpoint(self, *, tenant_id: str, endpoint_id: str) -> Doc | None: ...
    async def delete_endpoint(self, *, tenant_id: str, endpoint_id: str) -> bool: ...
    async def disable_endpoint(self, *, endpoint_id: str, reason: str, now: datetime) -> None: ...
    async def add_delivery(self, doc: Doc) -> bool: ...
    async def claim_due(self, *, now: datetime, lease_until: datetime, limit: int) -> list[Doc]: ...
    async def endpoints_by_id(self, endpoint_ids: list[str]) -> dict[str, Doc]: ...
    async def record_many(self, updates: list[tuple[str, Doc]]) -> None: ...
    async def deliveries(self, *, tenant_id: str, endpoint_id: str, limit: int) -> list[Doc]: ...
    async def delivery(self, *, tenant_id: str, delivery_id: str) -> Doc | None: ...
    async def redeliver(self, *, tenant_id: str, delivery_id: str, now: datetime) -> bool: ...


class MongoWebhookStore:
    def __init__(self, store: Store) -> None:
        self._e = store.db[ENDPOINTS]
        self._d = store.db[DELIVERIES]
        self._claims = store.db[CLAIMS]

    async def add_endpoint(self, doc: Doc) -> None:
        await self._e.insert_one(doc)

    async def endpoints(self, *, tenant_id: str) -> list[Doc]:
        cursor = self._e.find({"tenant_id": tenant_id}).sort("created_at", ASCENDING)
        return [doc async for doc in cursor]

    async def endpoint(self, *, tenant_id: str, endpoint_id: str) -> Doc | None:
        return await self._e.find_one({"_id": endpoint_id, "tenant_id": tenant_id})

    async def endpoints_by_id(self, endpoint_ids: list[str]) -> dict[str, Doc]:
        """The endpoints of a batch of deliveries, in one query (the worker is not tenant-bound)."""
        cursor = self._e.find({"_id": {"$in": endpoint_ids}})
        return {doc["_id"]: doc async for doc in cursor}

    async def delete_endpoint(self, *, tenant_id: str, endpoint_id: str) -> bool:
        result = await self._e.delete_one({"_id": endpoint_id, "tenant_id": tenant_id})
        if result.deleted_count:
            await self._cancel_pending(endpoint_id, "endpoint_deleted")
        return result.deleted_count == 1

    async def disable_endpoint(self, *, endpoint_id: str, reason: str, now: datetime) -> None:
        await self._e.update_one(
            {"_id": endpoint_id},
            {"$set": {"enabled": False, "disabled_reason": reason, "disabled_at": now}},
        )
        await self._cancel_pending(endpoint_id, reason)

    async def _cancel_pending(self, endpoint_id: str, reason: str) -> None:
        await self._d.update_many(
            {"endpoint_id": endpoint_id, "status": "pending"},
            {"$set": {"status": "cancelled", "cancel_reason": reason, "next_attempt_at": None}},
        )

    async def add_delivery(self, doc: Doc) -> bool:
        try:
            await self._d.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    async def claim_due(self, *, now: datetime, lease_until: datetime, limit: int) -> list[Doc]:
        """Take a batch of due deliveries for one attempt each.

        Returns only those this call claimed: deliveries another worker holds are skipped.
        """
        await self._claims.delete_many({"until": {"$lte": now}})  # left by workers that died
        due = {"status": "pending", "next_attempt_at": {"$lte": now}}
        docs = [doc async for doc in self._d.find(due).limit(limit)]
        if not docs:
            return []
        claims = [{"_id": doc["_id"], "until": lease_until} for doc in docs]
        try:
            await self._claims.insert_many(claims, ordered=False)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(error.get("code") != DUPLICATE_KEY for error in errors):
                raise
            held = {error["index"] for error in errors}
            return [doc for n, doc in enumerate(docs) if n not in held]
        return docs

    async def record_many(self, updates: list[tuple[str, Doc]]) -> None:
        """Store attempt outcomes; each update is independent, so unordered bulk writes."""
        for start in range(0, len(updates), RECORD_CHUNK):
            chunk = updates[start : start + RECORD_CHUNK]
            await self._d.bulk_write(
                [UpdateOne({"_id": delivery_id}, update) for delivery_id, update in chunk],
                ordered=False,
            )
        await self._claims.delete_many(
            {"_id": {"$in": [delivery_id for delivery_id, _ in updates]}}
        )

    async def deliveries(self, *, tenant_id: str, endpoint_id: str, limit: int) -> list[Doc]:
        cursor = (
            self._d.find({"tenant_id": tenant_id, "endpoint_id": endpoint_id})
            .sort("created_at", DESCENDING)
            .limit(limit)
        )
        return [doc async for doc in cursor]

    async def delivery(self, *, tenant_id: str, delivery_id: str) -> Doc | None:
        return await self._d.find_one({"_id": delivery_id, "tenant_id": tenant_id})

    async def redeliver(self, *, tenant_id: str, delivery_id: str, now: datetime) -> bool:
        result = await self._d.update_one(
            {"_id": delivery_id, "tenant_id": tenant_id, "status": {"$ne": "pending"}},
            {"$set": {"status": "pending", "series_attempts": 0, "next_attempt_at": now}},
        )
        return result.modified_count == 1

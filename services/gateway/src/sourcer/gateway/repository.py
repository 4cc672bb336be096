"""The `sourcing_requests` collection and its in-flight claims, owned by the gateway.

"One request in flight per URL and tenant" holds across gateway replicas without transactions:
a claim document in `sourcing_inflight` whose `_id` is tenant + canonical URL names the request
holding it, and is released when that request reaches a terminal state. Keying the claim by
`_id` makes the check one primary-key lookup on every MongoDB-compatible server. Every status
change bumps the request's `version`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from sourcer.gateway.schemas import RequestStatus
from sourcer.runtime.store import Document, IndexSpec, Store

COLLECTION = "sourcing_requests"
CLAIMS = "sourcing_inflight"

INDEXES = [
    IndexSpec(COLLECTION, [("tenant_id", 1), ("created_at", -1)], name="tenant_created"),
]


def inflight_key(*, tenant_id: str, url: str) -> str:
    return f"{tenant_id}\x1f{url}"


class SourcingRequests(Protocol):
    async def insert(self, *, doc: Document) -> None: ...

    async def delete(self, *, tenant_id: str, request_id: str) -> None: ...

    async def get(self, *, tenant_id: str, request_id: str) -> Document | None: ...

    async def claim(self, *, key: str, request_id: str) -> str | None:
        """None when `request_id` now holds `key`; otherwise the id of the request holding it."""
        ...

    async def release(self, *, key: str, request_id: str) -> None: ...

    async def transition(
        self,
        *,
        tenant_id: str,
        request_id: str,
        from_statuses: Sequence[RequestStatus],
        to_status: RequestStatus,
        fields: dict[str, Any] | None = None,
        end_inflight: bool = False,
    ) -> Document | None: ...


class MongoSourcingRequests:
    def __init__(self, store: Store) -> None:
        self._collection = store.db[COLLECTION]
        self._claims = store.db[CLAIMS]

    async def insert(self, *, doc: Document) -> None:
        await self._collection.insert_one(doc)

    async def delete(self, *, tenant_id: str, request_id: str) -> None:
        await self._collection.delete_one({"_id": request_id, "tenant_id": tenant_id})

    async def get(self, *, tenant_id: str, request_id: str) -> Document | None:
        return await self._collection.find_one({"_id": request_id, "tenant_id": tenant_id})

    async def claim(self, *, key: str, request_id: str) -> str | None:
        try:
            await self._claims.insert_one(
                {"_id": key, "request_id": request_id, "at": datetime.now(UTC)}
            )
        except DuplicateKeyError:
            holder = await self._claims.find_one({"_id": key})
            return str(holder["request_id"]) if holder else ""
        return None

    async def release(self, *, key: str, request_id: str) -> None:
        await self._claims.delete_one({"_id": key, "request_id": request_id})

    async def transition(
        self,
        *,
        tenant_id: str,
        request_id: str,
        from_statuses: Sequence[RequestStatus],
        to_status: RequestStatus,
        fields: dict[str, Any] | None = None,
        end_inflight: bool = False,
    ) -> Document | None:
        """Move the request to `to_status` only from one of `from_statuses`; None otherwise."""
        now = datetime.now(UTC)
        update: dict[str, Any] = {
            "$set": {**(fields or {}), "status": to_status.value, "updated_at": now},
            "$inc": {"version": 1},
        }
        doc = await self._collection.find_one_and_update(
            {
                "_id": request_id,
                "tenant_id": tenant_id,
                "status": {"$in": [s.value for s in from_statuses]},
            },
            update,
            return_document=ReturnDocument.AFTER,
        )
        if doc is not None and end_inflight:
            key = inflight_key(tenant_id=tenant_id, url=doc["url"])
            await self.release(key=key, request_id=request_id)
        return doc

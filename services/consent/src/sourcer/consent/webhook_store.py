"""Storage of webhook endpoints and deliveries (collections owned by the consent service).

A delivery's `_id` is derived from the event and the endpoint, so handling the same event twice
creates it once. A worker claims a due delivery by inserting a claim document with the same
`_id`: the unique key lets one worker in, whatever the server's isolation of read-modify-write
operations, and costs one cheap insert per batch. A worker that dies mid-delivery leaves claims
that run out, and those deliveries are tried again.

Each HTTP attempt is its own document in the attempts collection, its `_id` the delivery's id and
the attempt's number, so the delivery document does not grow with retries and deliveries that
reach the same state are updated together, in one statement. No transactions: recording an
outcome is safe to repeat (see `record_many`).

An endpoint's signing secret is stored sealed (`secret_sealed`, AES-GCM bound to the tenant and
the endpoint id, `sourcer.runtime.crypto`) and opened only for the delivery worker. A secret
stored in clear by an older version is sealed the first time the worker reads it, or by
`sourcer-consent webhooks reseal`, which also moves every secret to the current key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from pymongo import ASCENDING, DESCENDING, UpdateMany
from pymongo.errors import BulkWriteError, DuplicateKeyError

from sourcer.runtime.catalog import TalentRef
from sourcer.runtime.crypto import Sealer
from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import IndexSpec, Store

log = get_logger(__name__)

ENDPOINTS = "webhook_endpoints"
DELIVERIES = "webhook_deliveries"
CLAIMS = "webhook_delivery_claims"
ATTEMPTS = "webhook_delivery_attempts"

INDEXES = [
    IndexSpec(ENDPOINTS, [("tenant_id", ASCENDING)], name="by_tenant"),
    IndexSpec(DELIVERIES, [("status", ASCENDING), ("next_attempt_at", ASCENDING)], name="due"),
    IndexSpec(
        DELIVERIES,
        [("tenant_id", ASCENDING), ("endpoint_id", ASCENDING), ("created_at", DESCENDING)],
        name="by_endpoint",
    ),
    # A talent's deliveries, redacted when the talent is erased.
    IndexSpec(DELIVERIES, [("tenant_id", ASCENDING), ("talent_id", ASCENDING)], name="by_talent"),
    # Expired claims are cleared before every batch is claimed.
    IndexSpec(CLAIMS, [("until", ASCENDING)], name="by_expiry"),
]

Doc = dict[str, Any]
# Reads for the API and the fan-out leave the secret in the database.
NO_SECRET = {"secret": 0, "secret_sealed": 0}

# Statements per bulk write. FerretDB 1.24 (SQLite) stops answering an update command that
# carries 100 statements or more; 50 keeps well clear of that and still saves most round trips.
RECORD_CHUNK = 50
# Ids per `$in` list, so one statement or query stays a modest size on any server.
IDS_PER_STATEMENT = 100
DUPLICATE_KEY = 11000
# Reads of the due deliveries per claim when other workers keep taking what was read.
CLAIM_TRIES = 3


def delivery_id(*, event_id: str, endpoint_id: str) -> str:
    return "msg_" + hashlib.sha256(f"{event_id}:{endpoint_id}".encode()).hexdigest()[:32]


async def redact_talent_deliveries(collection: Any, talent: TalentRef) -> int:
    """Eraser of `webhook_deliveries`: a delivery of a talent event that carries the talent's
    data gets the body stored with it for this moment (ids, states and changed field names
    only); a redelivery then sends that. Returns how many were redacted."""
    redacted = 0
    query = {
        "tenant_id": talent.tenant_id,
        "talent_id": talent.talent_id,
        "redacted_body": {"$exists": True},
    }
    async for doc in collection.find(query, {"redacted_body": 1}):
        await collection.update_one(
            {"_id": doc["_id"]},
            {"$set": {"body": doc["redacted_body"]}, "$unset": {"redacted_body": ""}},
        )
        redacted += 1
    return redacted


def attempt_id(delivery_id: str, number: int) -> str:
    return f"{delivery_id}.{number}"


@dataclass(frozen=True)
class Outcome:
    """What one turn of the delivery loop did to a claimed delivery."""

    delivery_id: str
    tenant_id: str
    # The delivery's `attempt_count` when it was claimed: numbers the attempt, and guards the
    # state update against being applied twice.
    attempts_before: int
    # The fields of the delivery to set (status, next_attempt_at, series_attempts, ...).
    state: Doc
    # The HTTP attempt for the log (at, status_code, error category); None when no request
    # was made, as for a delivery whose endpoint was disabled or deleted meanwhile.
    attempt: Doc | None = None


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


class WebhookStore(Protocol):
    async def add_endpoint(self, doc: Doc) -> None: ...
    async def endpoints(self, *, tenant_id: str) -> list[Doc]: ...
    async def endpoint(self, *, tenant_id: str, endpoint_id: str) -> Doc | None: ...
    async def set_event_types(
        self, *, tenant_id: str, endpoint_id: str, event_types: list[str]
    ) -> Doc | None: ...
    async def delete_endpoint(self, *, tenant_id: str, endpoint_id: str) -> bool: ...
    async def disable_endpoint(self, *, endpoint_id: str, reason: str, now: datetime) -> None: ...
    async def add_delivery(self, doc: Doc) -> bool: ...
    async def claim_due(self, *, now: datetime, lease_until: datetime, limit: int) -> list[Doc]: ...
    async def endpoints_by_id(self, endpoint_ids: list[str]) -> dict[str, Doc]: ...
    async def record_many(self, outcomes: list[Outcome]) -> None: ...
    async def deliveries(self, *, tenant_id: str, endpoint_id: str, limit: int) -> list[Doc]: ...
    async def delivery(self, *, tenant_id: str, delivery_id: str) -> Doc | None: ...
    async def redeliver(self, *, tenant_id: str, delivery_id: str, now: datetime) -> bool: ...


def secret_context(doc: Doc) -> str:
    return f"webhook_endpoint:{doc['tenant_id']}:{doc['_id']}"


class MongoWebhookStore:
    def __init__(self, store: Store, *, sealer: Sealer) -> None:
        self._sealer = sealer
        self._e = store.collection(ENDPOINTS)
        self._d = store.collection(DELIVERIES)
        self._claims = store.collection(CLAIMS)
        self._attempts = store.collection(ATTEMPTS)

    async def add_endpoint(self, doc: Doc) -> None:
        """`doc["secret"]` is stored sealed, never in clear."""
        stored = {k: v for k, v in doc.items() if k != "secret"}
        stored["secret_sealed"] = self._seal(doc)
        await self._e.insert_one(stored)

    def _seal(self, doc: Doc) -> bytes:
        return self._sealer.seal(doc["secret"].encode(), context=secret_context(doc))

    async def _open(self, doc: Doc) -> None:
        """Puts the clear secret into `doc` (for signing, in memory only); seals one stored in
        clear by an older version. Leaves it out when no configured key opens it: deliveries
        to that endpoint then fail, the others go on."""
        if "secret_sealed" in doc:
            try:
                plain = self._sealer.open(doc["secret_sealed"], context=secret_context(doc))
            except InvalidTag:
                log.error("webhooks.secret_unreadable", endpoint_id=doc["_id"])
                return
            doc["secret"] = plain.decode()
        elif "secret" in doc:
            await self._e.update_one(
                {"_id": doc["_id"], "secret": doc["secret"]},
                {"$set": {"secret_sealed": self._seal(doc)}, "$unset": {"secret": ""}},
            )

    async def reseal(self) -> int:
        """Seal every endpoint's secret under the current key (those in clear included);
        returns how many were written."""
        count = 0
        async for doc in self._e.find({}, {"tenant_id": 1, "secret": 1, "secret_sealed": 1}):
            old: Doc = {k: doc[k] for k in ("secret", "secret_sealed") if k in doc}
            await self._open(doc)
            if "secret" not in doc:
                continue  # unreadable: logged, left as it is
            await self._e.update_one(
                {"_id": doc["_id"], **old},
                {"$set": {"secret_sealed": self._seal(doc)}, "$unset": {"secret": ""}},
            )
            count += 1
        return count

    async def endpoints(self, *, tenant_id: str) -> list[Doc]:
        cursor = self._e.find({"tenant_id": tenant_id}, NO_SECRET).sort("created_at", ASCENDING)
        return [doc async for doc in cursor]

    async def endpoint(self, *, tenant_id: str, endpoint_id: str) -> Doc | None:
        return await self._e.find_one({"_id": endpoint_id, "tenant_id": tenant_id}, NO_SECRET)

    async def endpoints_by_id(self, endpoint_ids: list[str]) -> dict[str, Doc]:
        """The endpoints of a batch of deliveries, in one query (the worker is not tenant-bound)."""
        cursor = self._e.find({"_id": {"$in": endpoint_ids}})
        docs = {doc["_id"]: doc async for doc in cursor}
        for doc in docs.values():
            await self._open(doc)
        return docs

    async def set_event_types(
        self, *, tenant_id: str, endpoint_id: str, event_types: list[str]
    ) -> Doc | None:
        query = {"_id": endpoint_id, "tenant_id": tenant_id}
        result = await self._e.update_one(query, {"$set": {"events": event_types}})
        if not result.matched_count:
            return None
        return await self.endpoint(tenant_id=tenant_id, endpoint_id=endpoint_id)

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

        Deliveries held by a claim, this worker's or another's, are left out. Returns only those
        this call claimed; an empty list means nothing is due that is not held already.
        """
        await self._claims.delete_many({"until": {"$lte": now}})  # left by workers that died
        for _ in range(CLAIM_TRIES):
            held = [claim["_id"] async for claim in self._claims.find({}, {"_id": 1})]
            due = {"status": "pending", "next_attempt_at": {"$lte": now}, "_id": {"$nin": held}}
            docs = [doc async for doc in self._d.find(due).limit(limit)]
            if not docs:
                return []
            claimed = await self._claim(docs, lease_until)
            if claimed:
                return claimed
            # Another worker claimed all of these between our read and our claim: read again.
        return []

    async def _claim(self, docs: list[Doc], lease_until: datetime) -> list[Doc]:
        claims = [{"_id": doc["_id"], "until": lease_until} for doc in docs]
        taken = await self._insert_new(self._claims, claims)
        return [doc for n, doc in enumerate(docs) if n not in taken]

    async def record_many(self, outcomes: list[Outcome]) -> None:
        """Store outcomes: the attempts into the log, then each delivery's new state.

        Safe to repeat after an error part-way: an attempt's id is fixed by its delivery and
        number, and a state update applies only to a delivery still at the attempt count it was
        claimed with. Deliveries that reach the same state are updated by one statement.
        """
        attempts = [
            {
                "_id": attempt_id(o.delivery_id, o.attempts_before + 1),
                "tenant_id": o.tenant_id,
                "delivery_id": o.delivery_id,
                "number": o.attempts_before + 1,
                **o.attempt,
            }
            for o in outcomes
            if o.attempt is not None
        ]
        if attempts:
            await self._insert_new(self._attempts, attempts)

        same_state: dict[tuple[Any, ...], list[str]] = {}
        for o in outcomes:
            key = (o.attempts_before, o.attempt is not None, *sorted(o.state.items()))
            same_state.setdefault(key, []).append(o.delivery_id)
        writes = []
        for (before, attempted, *state), ids in same_state.items():
            update = {"$set": {**dict(state), "attempt_count": before + int(attempted)}}
            writes += [
                UpdateMany({"_id": {"$in": part}, "attempt_count": before}, update)
                for part in chunks(ids, IDS_PER_STATEMENT)
            ]
        for part in chunks(writes, RECORD_CHUNK):
            await self._d.bulk_write(part, ordered=False)

        claimed = [o.delivery_id for o in outcomes]
        for part in chunks(claimed, IDS_PER_STATEMENT):
            await self._claims.delete_many({"_id": {"$in": part}})

    async def _insert_new(self, collection: Any, docs: list[Doc]) -> set[int]:
        """Insert those of `docs` whose `_id` is not there yet; returns the positions of the
        others (claimed by another worker, or stored by an earlier try)."""
        try:
            await collection.insert_many(docs, ordered=False)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(error.get("code") != DUPLICATE_KEY for error in errors):
                raise
            return {error["index"] for error in errors}
        return set()

    async def deliveries(self, *, tenant_id: str, endpoint_id: str, limit: int) -> list[Doc]:
        """The endpoint's newest deliveries, each with its `attempts` in order."""
        cursor = (
            self._d.find({"tenant_id": tenant_id, "endpoint_id": endpoint_id})
            .sort("created_at", DESCENDING)
            .limit(limit)
        )
        docs = [doc async for doc in cursor]
        ids = [
            attempt_id(doc["_id"], number)
            for doc in docs
            for number in range(1, doc.get("attempt_count", 0) + 1)
        ]
        attempts: dict[str, list[Doc]] = {}
        for part in chunks(ids, IDS_PER_STATEMENT):
            found = self._attempts.find({"_id": {"$in": part}, "tenant_id": tenant_id})
            async for attempt in found:
                attempts.setdefault(attempt["delivery_id"], []).append(attempt)
        for doc in docs:
            doc["attempts"] = sorted(attempts.get(doc["_id"], []), key=lambda a: a["number"])
        return docs

    async def delivery(self, *, tenant_id: str, delivery_id: str) -> Doc | None:
        return await self._d.find_one({"_id": delivery_id, "tenant_id": tenant_id})

    async def redeliver(self, *, tenant_id: str, delivery_id: str, now: datetime) -> bool:
        result = await self._d.update_one(
            {"_id": delivery_id, "tenant_id": tenant_id, "status": {"$ne": "pending"}},
            {"$set": {"status": "pending", "series_attempts": 0, "next_attempt_at": now}},
        )
        return result.modified_count == 1

"""Remembering which events a consumer has already handled.

Marked only after the handler's effect is stored, so a crash between effect and mark leads to
a redelivery: handlers therefore also keep their effects idempotent (upserts keyed by natural
ids, conditional updates); this record spares them the repeated work in the common case.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Protocol

from pymongo.errors import DuplicateKeyError

from sourcer.runtime.catalog import Catalog, CollectionSpec
from sourcer.runtime.store import Store

COLLECTION = "processed_events"

# Every service records the events its consumers handled here, keyed by consumer name.
RUNTIME_CATALOG = Catalog(
    service="runtime",
    owns=(
        CollectionSpec(
            COLLECTION,
            "Event ids each consumer has handled, for deduplication.",
            exempt="consumer names and event ids only",
        ),
    ),
)


class ProcessedEvents(Protocol):
    async def seen(self, *, consumer: str, event_id: str) -> bool: ...

    async def mark(self, *, consumer: str, event_id: str) -> None: ...


class MongoProcessedEvents:
    """Keyed by `consumer:event_id` in `_id`, so uniqueness needs no extra index."""

    def __init__(self, store: Store) -> None:
        self._collection = store.collection(COLLECTION)

    async def seen(self, *, consumer: str, event_id: str) -> bool:
        doc = await self._collection.find_one({"_id": f"{consumer}:{event_id}"}, {"_id": 1})
        return doc is not None

    async def mark(self, *, consumer: str, event_id: str) -> None:
        with contextlib.suppress(DuplicateKeyError):  # marked by a concurrent redelivery
            await self._collection.insert_one(
                {
                    "_id": f"{consumer}:{event_id}",
                    "consumer": consumer,
                    "processed_at": datetime.now(UTC),
                }
            )


class InMemoryProcessedEvents:
    """For unit tests."""

    def __init__(self) -> None:
        self.keys: set[tuple[str, str]] = set()

    async def seen(self, *, consumer: str, event_id: str) -> bool:
        return (consumer, event_id) in self.keys

    async def mark(self, *, consumer: str, event_id: str) -> None:
        self.keys.add((consumer, event_id))

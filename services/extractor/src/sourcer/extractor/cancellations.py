"""Requests their recruiter cancelled: remembered for a day, so their jobs are skipped, or
abandoned before their outcome is published."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Protocol

from pymongo.errors import DuplicateKeyError

from sourcer.extractor.session_store import CANCELLATIONS
from sourcer.runtime.store import Store

# Long enough to outlive any job of the request (waits, retries); the retention job purges.
KEEP_DAYS = 1


def _key(tenant_id: str, request_id: str) -> str:
    return f"{tenant_id}:{request_id}"


class Cancellations(Protocol):
    async def cancel(self, *, tenant_id: str, request_id: str, at: datetime) -> None: ...

    async def cancelled(self, *, tenant_id: str, request_id: str) -> bool: ...


class MongoCancellations:
    def __init__(self, store: Store) -> None:
        self._c = store.collection(CANCELLATIONS)

    async def cancel(self, *, tenant_id: str, request_id: str, at: datetime) -> None:
        with contextlib.suppress(DuplicateKeyError):  # cancelled twice: once is enough
            await self._c.insert_one({"_id": _key(tenant_id, request_id), "created_at": at})

    async def cancelled(self, *, tenant_id: str, request_id: str) -> bool:
        return await self._c.find_one({"_id": _key(tenant_id, request_id)}, {"_id": 1}) is not None

"""Small MongoDB adapters: the per-tenant rate limit and the per-tenant controller details."""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo import ReturnDocument

from sourcer.consent.texts import Controller
from sourcer.runtime.store import Store

RATE_LIMITS = "consent_rate_limits"
CONTROLLERS = "consent_controllers"


class MongoRateLimiter:
    """Fixed windows counted with one atomic upsert per use."""

    def __init__(self, store: Store) -> None:
        self._c = store.collection(RATE_LIMITS)

    async def hit(self, *, key: str, limit: int, window_seconds: int, now: datetime) -> bool:
        start = int(now.timestamp()) // window_seconds * window_seconds
        doc = await self._c.find_one_and_update(
            {"_id": f"{key}:{start}"},
            {"$inc": {"count": 1}, "$set": {"key": key, "window_start": start}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        count = int(doc["count"]) if doc else 1
        if count == 1:  # first use in a new window: forget windows older than a day
            old = int((now - timedelta(days=1)).timestamp())
            await self._c.delete_many({"key": key, "window_start": {"$lt": old}})
        return count <= limit


class MongoControllers:
    """Controller details a tenant set; else the deployment's, when one is configured."""

    def __init__(self, store: Store, *, default: Controller | None) -> None:
        self._c = store.collection(CONTROLLERS)
        self.default = default

    async def controller(self, *, tenant_id: str) -> Controller | None:
        doc = await self._c.find_one({"_id": tenant_id})
        if not doc:
            return self.default
        # The tenant's own details only: another company's address or officer next to its
        # name would misinform the talent.
        return Controller(
            name=doc["name"],
            contact=doc["contact"],
            address=doc.get("address") or "",
            dpo=doc.get("dpo") or "",
        )

    async def set(self, *, tenant_id: str, controller: Controller) -> None:
        await self._c.replace_one(
            {"_id": tenant_id},
            {
                "name": controller.name,
                "contact": controller.contact,
                "address": controller.address,
                "dpo": controller.dpo,
            },
            upsert=True,
        )

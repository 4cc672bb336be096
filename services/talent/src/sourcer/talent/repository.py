"""Storage of the talent service: talents, previews, pools, tenant settings, suppressions.

Every write is one document: a talent changes with a conditional update on its `version`,
creation is keyed by an id derived from the sourcing request, so a repeated submit finds the
talent it already created instead of creating a second one. Before a talent is created, the
profile it comes from is claimed in `talent_identities` under a hash of tenant and profile key:
the unique `_id` lets one talent per profile in, even when two submits race.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from sourcer.runtime.store import Document, IndexSpec, Store, insert_or_holder
from sourcer.talent.suppression import COLLECTION as SUPPRESSIONS
from sourcer.talent.tenant_settings import TenantSettings

TALENTS, PREVIEWS, POOLS, SETTINGS = "talents", "previews", "pools", "tenant_settings"
IDENTITIES = "talent_identities"

INDEXES = [
    IndexSpec(TALENTS, [("tenant_id", 1), ("profile_keys", 1)], name="talent_profile_keys"),
    IndexSpec(TALENTS, [("tenant_id", 1), ("profile_urls", 1)], name="talent_profile_urls"),
    IndexSpec(TALENTS, [("tenant_id", 1), ("email_keys", 1)], name="talent_email_keys"),
    IndexSpec(TALENTS, [("tenant_id", 1), ("name_company_key", 1)], name="talent_name_company"),
    IndexSpec(POOLS, [("tenant_id", 1), ("name_key", 1)], unique=True, name="pool_name_unique"),
    IndexSpec(PREVIEWS, [("tenant_id", 1), ("created_at", -1)], name="preview_tenant"),
    # Erasure removes the claims of the talent it erases.
    IndexSpec(IDENTITIES, [("tenant_id", 1), ("talent_id", 1)], name="identity_talent"),
]


class AlreadyExistsError(Exception):
    pass


def identity_id(*, tenant_id: str, profile_key: str) -> str:
    """Hashed, so the collection holds no readable identifier of the person."""
    return "idn_" + hashlib.sha256(f"{tenant_id}\x1f{profile_key}".encode()).hexdigest()[:40]


class TalentRepository(Protocol):
    async def find_talents(
        self, *, tenant_id: str, query: dict[str, Any], limit: int
    ) -> list[Document]: ...

    async def get_talent(self, *, tenant_id: str, talent_id: str) -> Document | None: ...

    async def insert_talent(self, *, doc: Document) -> None: ...

    async def replace_talent(self, *, doc: Document, expected_version: int) -> bool: ...

    async def update_talent(
        self, *, tenant_id: str, talent_id: str, version: int | None, update: dict[str, Any]
    ) -> Document | None: ...

    async def get_preview(self, *, tenant_id: str, request_id: str) -> Document | None: ...

    async def save_preview(self, *, doc: Document) -> None: ...

    async def mark_preview(self, *, tenant_id: str, request_id: str, fields: Document) -> None: ...

    async def suppressed(self, *, ids: Iterable[str]) -> bool: ...

    async def existing_pools(self, *, tenant_id: str, pool_ids: list[str]) -> set[str]: ...

    async def tenant_settings(self, *, tenant_id: str) -> TenantSettings: ...

    async def claim_identity(
        self, *, tenant_id: str, profile_key: str, talent_id: str, now: datetime
    ) -> Document | None:
        """None when `talent_id` holds the profile now (or held it already); otherwise the
        claim of the talent that holds it. Raises KeyChurnError when that cannot be settled."""
        ...

    async def take_over_identity(self, *, claim: Document, talent_id: str, now: datetime) -> bool:
        """Move a claim whose talent never came to be; False when it changed meanwhile."""
        ...


class MongoTalentRepository:
    def __init__(self, store: Store) -> None:
        self.db = store.db

    async def find_talents(
        self, *, tenant_id: str, query: dict[str, Any], limit: int
    ) -> list[Document]:
        cursor = self.db[TALENTS].find({"tenant_id": tenant_id, **query}).limit(limit)
        return [doc async for doc in cursor]

    async def get_talent(self, *, tenant_id: str, talent_id: str) -> Document | None:
        return await self.db[TALENTS].find_one({"_id": talent_id, "tenant_id": tenant_id})

    async def insert_talent(self, *, doc: Document) -> None:
        try:
            await self.db[TALENTS].insert_one(doc)
        except DuplicateKeyError as exc:
            raise AlreadyExistsError(doc["_id"]) from exc

    async def replace_talent(self, *, doc: Document, expected_version: int) -> bool:
        result = await self.db[TALENTS].replace_one(
            {"_id": doc["_id"], "tenant_id": doc["tenant_id"], "version": expected_version}, doc
        )
        return result.matched_count == 1

    async def update_talent(
        self, *, tenant_id: str, talent_id: str, version: int | None, update: dict[str, Any]
    ) -> Document | None:
        query: dict[str, Any] = {"_id": talent_id, "tenant_id": tenant_id}
        if version is not None:
            query["version"] = version
        return await self.db[TALENTS].find_one_and_update(
            query, update, return_document=ReturnDocument.AFTER
        )

    async def get_preview(self, *, tenant_id: str, request_id: str) -> Document | None:
        return await self.db[PREVIEWS].find_one({"_id": request_id, "tenant_id": tenant_id})

    async def save_preview(self, *, doc: Document) -> None:
        # Keyed by request id: a redelivered extraction replaces the preview, never duplicates it,
        # and never undoes a submit already recorded on it.
        try:
            await self.db[PREVIEWS].insert_one(doc)
        except DuplicateKeyError:
            await self.db[PREVIEWS].replace_one(
                {"_id": doc["_id"], "tenant_id": doc["tenant_id"], "submitted": {"$exists": False}},
                doc,
            )

    async def mark_preview(self, *, tenant_id: str, request_id: str, fields: Document) -> None:
        await self.db[PREVIEWS].update_one(
            {"_id": request_id, "tenant_id": tenant_id}, {"$set": fields}
        )

    async def suppressed(self, *, ids: Iterable[str]) -> bool:
        wanted = list(ids)
        return (
            bool(wanted)
            and await self.db[SUPPRESSIONS].find_one({"_id": {"$in": wanted}}, {"_id": 1})
            is not None
        )

    async def existing_pools(self, *, tenant_id: str, pool_ids: list[str]) -> set[str]:
        cursor = self.db[POOLS].find({"tenant_id": tenant_id, "_id": {"$in": pool_ids}}, {"_id": 1})
        return {doc["_id"] async for doc in cursor}

    async def tenant_settings(self, *, tenant_id: str) -> TenantSettings:
        doc = await self.db[SETTINGS].find_one({"_id": tenant_id})
        if doc is None:
            return TenantSettings()
        return TenantSettings.model_validate({k: v for k, v in doc.items() if k != "_id"})

    async def claim_identity(
        self, *, tenant_id: str, profile_key: str, talent_id: str, now: datetime
    ) -> Document | None:
        claim = {
            "_id": identity_id(tenant_id=tenant_id, profile_key=profile_key),
            "tenant_id": tenant_id,
            "talent_id": talent_id,
            "at": now,
        }
        held = await insert_or_holder(self.db[IDENTITIES], claim, holder={"_id": claim["_id"]})
        return None if held is None or held["talent_id"] == talent_id else held

    async def take_over_identity(self, *, claim: Document, talent_id: str, now: datetime) -> bool:
        result = await self.db[IDENTITIES].update_one(
            {"_id": claim["_id"], "talent_id": claim["talent_id"], "at": claim["at"]},
            {"$set": {"talent_id": talent_id, "at": now}},
        )
        return result.modified_count == 1

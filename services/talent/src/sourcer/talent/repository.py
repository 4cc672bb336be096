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
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from sourcer.proto.consent_record import CONSENTS
from sourcer.proto.talent_record import TalentRecord
from sourcer.proto.tenant_settings import TenantSettings
from sourcer.runtime.catalog import Catalog, CollectionSpec, TalentRef, erase_by_talent_id
from sourcer.runtime.store import Document, IndexSpec, Store, insert_or_holder

TALENTS, PREVIEWS, POOLS, SETTINGS = "talents", "previews", "pools", "tenant_settings"
IDENTITIES, SUPPRESSIONS, ERASURES = "talent_identities", "suppressions", "talent_erasures"


async def erase_previews(collection: AsyncCollection[Document], talent: TalentRef) -> int:
    """Previews copy the extracted profile: delete every one that shows this person, whoever
    asked for it. By person key (platform profile, email, matched talent; indexed), then by what
    a preview stored before it carried keys shows (its request, talent, URL or an email)."""
    deleted = 0
    if talent.person_keys:
        result = await collection.delete_many(
            {"tenant_id": talent.tenant_id, "person_keys": {"$in": list(talent.person_keys)}}
        )
        deleted += result.deleted_count
    result = await collection.delete_many(
        {
            "tenant_id": talent.tenant_id,
            "$or": [
                {"_id": {"$in": list(talent.request_ids)}},
                {"talent_id": talent.talent_id},
                {"submitted.talent_id": talent.talent_id},
                {"profile.source.profile_url": {"$in": list(talent.profile_urls)}},
                {"profile.emails": {"$in": list(talent.emails)}},
            ],
        }
    )
    return deleted + result.deleted_count


async def erase_talent_document(collection: AsyncCollection[Document], talent: TalentRef) -> int:
    result = await collection.delete_one({"_id": talent.talent_id, "tenant_id": talent.tenant_id})
    return result.deleted_count


# The gateway's talent browsing: a page in either order of either time, and, newest change
# first, behind each equality filter it offers (sourcer.gateway.browse).
BROWSE_FILTERS = (
    "pools",
    "status",
    "consent.state",
    "sources.platform",
    "created_by",
    "search_keys",
    "erasure_scheduled.reason",
)
BROWSE_INDEXES = tuple(
    IndexSpec(TALENTS, [("tenant_id", 1), (at, -1), ("_id", -1)], name=f"talent_by_{at}")
    for at in ("updated_at", "created_at")
) + tuple(
    IndexSpec(
        TALENTS,
        [("tenant_id", 1), (key, 1), ("updated_at", -1), ("_id", -1)],
        name=f"talent_browse_{key.replace('.', '_')}",
    )
    for key in BROWSE_FILTERS
)

CATALOG = Catalog(
    service="talent",
    owns=(
        CollectionSpec(
            PREVIEWS,
            "What a recruiter saw before submitting: the extracted profile and what is new.",
            erase=erase_previews,
            indexes=(
                IndexSpec(PREVIEWS, [("tenant_id", 1), ("created_at", -1)], name="preview_tenant"),
                IndexSpec(
                    PREVIEWS, [("tenant_id", 1), ("person_keys", 1)], name="previews_by_person"
                ),
            ),
        ),
        CollectionSpec(
            IDENTITIES,
            "Claims of a profile by the talent created from it (hashed ids), one per profile.",
            erase=erase_by_talent_id,
            # Erasure removes the claims of the talent it erases.
            indexes=(
                IndexSpec(IDENTITIES, [("tenant_id", 1), ("talent_id", 1)], name="identity_talent"),
            ),
        ),
        # Last: an erasure interrupted before it reads the talent again on redelivery.
        CollectionSpec(
            TALENTS,
            "The talents of each tenant (contract: sourcer.proto.talent_record.TalentRecord).",
            erase=erase_talent_document,
            indexes=(
                *(
                    IndexSpec(TALENTS, [("tenant_id", 1), (key, 1)], name=name)
                    for key, name in (
                        ("profile_keys", "talent_profile_keys"),
                        ("profile_urls", "talent_profile_urls"),
                        ("email_keys", "talent_email_keys"),
                        ("name_company_key", "talent_name_company"),
                    )
                ),
                # The retention job looks for talents by their last change, across tenants.
                IndexSpec(TALENTS, [("updated_at", 1)], name="talent_last_change"),
                # Talents never asked for consent, by age; scheduled erasures, by due date.
                IndexSpec(
                    TALENTS, [("consent.state", 1), ("created_at", 1)], name="talent_never_asked"
                ),
                IndexSpec(
                    TALENTS,
                    [("erasure_scheduled.reason", 1), ("erasure_scheduled.erase_after", 1)],
                    name="talent_erasure_scheduled",
                ),
                *BROWSE_INDEXES,
            ),
        ),
        CollectionSpec(
            POOLS,
            "Named pools of talents.",
            exempt="pool names and ids only; a talent's membership is kept on the talent",
            indexes=(
                IndexSpec(
                    POOLS, [("tenant_id", 1), ("name_key", 1)], unique=True, name="pool_name_unique"
                ),
            ),
        ),
        CollectionSpec(
            SETTINGS,
            "Per-tenant statuses, default status and languages.",
            exempt="tenant configuration, nothing of any talent",
        ),
        CollectionSpec(
            SUPPRESSIONS,
            "Who declined, as keyed hashes of their identifiers.",
            exempt="kept on purpose after erasure so a declined person is not sourced again; "
            "keyed hashes only, nothing readable of the person (GDPR Art. 17(3), 21)",
        ),
        CollectionSpec(
            ERASURES,
            "Tombstones: that a talent was erased, why, and by which consent decision.",
            exempt="ids, reason and time only; evidence that the erasure happened",
            indexes=(IndexSpec(ERASURES, [("tenant_id", 1)], name="erasures_by_tenant"),),
        ),
    ),
    # Checked before erasing: the record, not an event, says whether consent has ended.
    reads=(CONSENTS,),
)


class AlreadyExistsError(Exception):
    pass


def stored(doc: Document) -> Document:
    """A talent document as the contract defines it; a field the contract lacks fails here."""
    return TalentRecord.model_validate(doc).to_document()


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

    async def discard_created_talent(self, *, tenant_id: str, talent_id: str) -> None:
        """Undo a talent creation that must not stand: the talent and its profile claims."""
        ...

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
        self.store = store

    async def find_talents(
        self, *, tenant_id: str, query: dict[str, Any], limit: int
    ) -> list[Document]:
        cursor = self.store.collection(TALENTS).find({"tenant_id": tenant_id, **query}).limit(limit)
        return [doc async for doc in cursor]

    async def get_talent(self, *, tenant_id: str, talent_id: str) -> Document | None:
        return await self.store.collection(TALENTS).find_one(
            {"_id": talent_id, "tenant_id": tenant_id}
        )

    async def insert_talent(self, *, doc: Document) -> None:
        try:
            await self.store.collection(TALENTS).insert_one(stored(doc))
        except DuplicateKeyError as exc:
            raise AlreadyExistsError(doc["_id"]) from exc

    async def replace_talent(self, *, doc: Document, expected_version: int) -> bool:
        result = await self.store.collection(TALENTS).replace_one(
            {"_id": doc["_id"], "tenant_id": doc["tenant_id"], "version": expected_version},
            stored(doc),
        )
        return result.matched_count == 1

    async def update_talent(
        self, *, tenant_id: str, talent_id: str, version: int | None, update: dict[str, Any]
    ) -> Document | None:
        query: dict[str, Any] = {"_id": talent_id, "tenant_id": tenant_id}
        if version is not None:
            query["version"] = version
        return await self.store.collection(TALENTS).find_one_and_update(
            query, update, return_document=ReturnDocument.AFTER
        )

    async def get_preview(self, *, tenant_id: str, request_id: str) -> Document | None:
        return await self.store.collection(PREVIEWS).find_one(
            {"_id": request_id, "tenant_id": tenant_id}
        )

    async def save_preview(self, *, doc: Document) -> None:
        # Keyed by request id: a redelivered extraction replaces the preview, never duplicates it,
        # and never undoes a submit already recorded on it.
        try:
            await self.store.collection(PREVIEWS).insert_one(doc)
        except DuplicateKeyError:
            await self.store.collection(PREVIEWS).replace_one(
                {"_id": doc["_id"], "tenant_id": doc["tenant_id"], "submitted": {"$exists": False}},
                doc,
            )

    async def mark_preview(self, *, tenant_id: str, request_id: str, fields: Document) -> None:
        await self.store.collection(PREVIEWS).update_one(
            {"_id": request_id, "tenant_id": tenant_id}, {"$set": fields}
        )

    async def suppressed(self, *, ids: Iterable[str]) -> bool:
        wanted = list(ids)
        return (
            bool(wanted)
            and await self.store.collection(SUPPRESSIONS).find_one(
                {"_id": {"$in": wanted}}, {"_id": 1}
            )
            is not None
        )

    async def discard_created_talent(self, *, tenant_id: str, talent_id: str) -> None:
        await self.store.collection(TALENTS).delete_one({"_id": talent_id, "tenant_id": tenant_id})
        await self.store.collection(IDENTITIES).delete_many(
            {"tenant_id": tenant_id, "talent_id": talent_id}
        )

    async def existing_pools(self, *, tenant_id: str, pool_ids: list[str]) -> set[str]:
        cursor = self.store.collection(POOLS).find(
            {"tenant_id": tenant_id, "_id": {"$in": pool_ids}}, {"_id": 1}
        )
        return {doc["_id"] async for doc in cursor}

    async def tenant_settings(self, *, tenant_id: str) -> TenantSettings:
        doc = await self.store.collection(SETTINGS).find_one({"_id": tenant_id})
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
        held = await insert_or_holder(
            self.store.collection(IDENTITIES), claim, holder={"_id": claim["_id"]}
        )
        return None if held is None or held["talent_id"] == talent_id else held

    async def take_over_identity(self, *, claim: Document, talent_id: str, now: datetime) -> bool:
        result = await self.store.collection(IDENTITIES).update_one(
            {"_id": claim["_id"], "talent_id": claim["talent_id"], "at": claim["at"]},
            {"$set": {"talent_id": talent_id, "at": now}},
        )
        return result.modified_count == 1

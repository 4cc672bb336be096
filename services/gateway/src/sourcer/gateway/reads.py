"""Reads of the talent service's `talents` and `pools`, always filtered by the caller's tenant.

The gateway only reads these, through the talent service's contract models; every change goes
through the talent service.
"""

from __future__ import annotations

from typing import Any

from sourcer.gateway.schemas import PoolRead, TalentRead
from sourcer.proto.talent_record import PoolRecord, TalentRecord
from sourcer.runtime.errors import DomainError
from sourcer.runtime.store import Store

TALENTS = "talents"
POOLS = "pools"


def etag(version: int) -> str:
    return f'"{version}"'


def talent_read(record: TalentRecord, *, crm_url_template: str) -> TalentRead:
    stored = record.model_dump(mode="json")
    fields: dict[str, Any] = {
        name: stored[name] for name in TalentRead.model_fields if name in stored
    }
    fields["provenance"] = {
        name: origin.model_dump(mode="json", exclude_none=True)
        for name, origin in record.provenance.items()
    }
    return TalentRead.model_validate(
        {**fields, "crm_url": crm_url_template.format(talent_id=record.id)}
    )


def pool_read(record: PoolRecord) -> PoolRead:
    return PoolRead.model_validate(record.model_dump())


async def get_talent(*, store: Store, tenant_id: str, talent_id: str) -> TalentRecord:
    doc = await store.collection(TALENTS).find_one({"_id": talent_id, "tenant_id": tenant_id})
    if doc is None:
        raise DomainError("not_found", "No such talent.")
    return TalentRecord.from_document(doc)


async def find_talents(
    *, store: Store, tenant_id: str, email: str | None, profile_url: str | None
) -> list[TalentRecord]:
    query: dict[str, Any] = {"tenant_id": tenant_id}
    if email is not None:
        query[TalentRecord.field("email_keys")] = email.strip().lower()
    if profile_url is not None:
        query[TalentRecord.field("profile_urls")] = profile_url
    cursor = store.collection(TALENTS).find(query).limit(50)
    return [TalentRecord.from_document(doc) async for doc in cursor]


async def list_pools(*, store: Store, tenant_id: str) -> list[PoolRecord]:
    cursor = store.collection(POOLS).find({"tenant_id": tenant_id}).sort("name", 1).limit(1000)
    return [PoolRecord.from_document(doc) async for doc in cursor]


async def get_pool(*, store: Store, tenant_id: str, pool_id: str) -> PoolRecord:
    doc = await store.collection(POOLS).find_one({"_id": pool_id, "tenant_id": tenant_id})
    if doc is None:
        raise DomainError("not_found", "No such pool.")
    return PoolRecord.from_document(doc)

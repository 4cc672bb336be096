"""Reads of the talent service's `talents` and `pools`, always filtered by the caller's tenant.

The gateway only reads these, through the talent service's contract models; every change goes
through the talent service.
"""

from __future__ import annotations

from typing import Any

from sourcer.gateway.browse import Cursor, TalentFilters, TalentSort, page_query, sort_spec
from sourcer.gateway.schemas import PoolRead, TalentRead
from sourcer.proto.envelope import Role
from sourcer.proto.restrictions import (
    BY_ACTION,
    CONSENT_REQUIRED,
    LIFTING_STATES,
    Action,
    Who,
    allowed,
    refusal_detail,
)
from sourcer.proto.talent_record import PoolRecord, TalentRecord
from sourcer.proto.tenant_settings import TenantSettings
from sourcer.runtime.auth import Caller
from sourcer.runtime.errors import DomainError
from sourcer.runtime.store import Store

TALENTS = "talents"
POOLS = "pools"
TENANT_SETTINGS = "tenant_settings"


def etag(version: int) -> str:
    return f'"{version}"'


def talent_read(record: TalentRecord, *, tenant: TenantSettings) -> TalentRead:
    stored = record.model_dump(mode="json")
    fields: dict[str, Any] = {
        name: stored[name] for name in TalentRead.model_fields if name in stored
    }
    fields["provenance"] = {
        name: origin.model_dump(mode="json", exclude_none=True)
        for name, origin in record.provenance.items()
    }
    return TalentRead.model_validate(
        {**fields, "deleting_soon": record.deleting_soon, "crm_url": tenant.crm_url(record.id)}
    )


def pool_read(record: PoolRecord) -> PoolRead:
    return PoolRead.model_validate(record.model_dump())


async def get_talent(*, store: Store, tenant_id: str, talent_id: str) -> TalentRecord:
    doc = await store.collection(TALENTS).find_one({"_id": talent_id, "tenant_id": tenant_id})
    if doc is None:
        raise DomainError("not_found", "No such talent.")
    return TalentRecord.from_document(doc)


def require(action: Action, *, record: TalentRecord, caller: Caller) -> None:
    """Refuse (403 `consent_required`) what the talent's consent state does not allow yet."""
    if not allowed(
        action,
        consent_state=record.consent.state if record.consent else None,
        caller=caller.sub,
        role=caller.role,
        sourced_by=record.created_by,
    ):
        raise DomainError(CONSENT_REQUIRED, refusal_detail(action))


def visible_to(caller: Caller) -> dict[str, Any]:
    """The browse filter that leaves out the restricted talents `caller` may not see."""
    before = BY_ACTION[Action.BROWSE].before
    if before is Who.TENANT or (before is Who.SOURCER_AND_ADMINS and caller.role == Role.ADMIN):
        return {}
    unrestricted = {f"{TalentRecord.field('consent')}.state": {"$in": sorted(LIFTING_STATES)}}
    if before is Who.NOBODY:
        return unrestricted
    return {"$or": [unrestricted, {TalentRecord.field("created_by"): caller.sub}]}


async def tenant_settings(*, store: Store, tenant_id: str) -> TenantSettings:
    """The tenant's settings as the talent service stored them; defaults until an admin sets any."""
    doc = await store.collection(TENANT_SETTINGS).find_one({"_id": tenant_id})
    if doc is None:
        return TenantSettings()
    return TenantSettings.model_validate({k: v for k, v in doc.items() if k != "_id"})


async def browse_talents(
    *,
    store: Store,
    tenant_id: str,
    caller: Caller,
    filters: TalentFilters,
    sort: TalentSort,
    cursor: str | None,
    limit: int,
) -> tuple[list[TalentRecord], str | None]:
    """One page of the tenant's talents and the cursor of the next, if there is one."""
    fingerprint = filters.fingerprint(sort)
    after = Cursor.decode(cursor, fingerprint=fingerprint) if cursor else None
    query = page_query(
        {**filters.query(tenant_id=tenant_id), **visible_to(caller)}, sort=sort, cursor=after
    )
    found = store.collection(TALENTS).find(query).sort(sort_spec(sort)).limit(limit + 1)
    records = [TalentRecord.from_document(doc) async for doc in found]
    if len(records) <= limit:
        return records, None
    last = records[limit - 1]
    next_cursor = Cursor(getattr(last, sort.field), last.id, fingerprint).encode()
    return records[:limit], next_cursor


async def list_pools(*, store: Store, tenant_id: str) -> list[PoolRecord]:
    cursor = store.collection(POOLS).find({"tenant_id": tenant_id}).sort("name", 1).limit(1000)
    return [PoolRecord.from_document(doc) async for doc in cursor]


async def get_pool(*, store: Store, tenant_id: str, pool_id: str) -> PoolRecord:
    doc = await store.collection(POOLS).find_one({"_id": pool_id, "tenant_id": tenant_id})
    if doc is None:
        raise DomainError("not_found", "No such pool.")
    return PoolRecord.from_document(doc)

"""Reads of talent-service collections (`talents`, `pools`), always filtered by the tenant.

The gateway only reads these; every change goes through the talent service.
"""

from __future__ import annotations

from typing import Any

from sourcer.gateway.problems import ProblemError
from sourcer.gateway.schemas import PoolRead, TalentRead
from sourcer.runtime.store import Document, Store

TALENTS = "talents"
POOLS = "pools"


def etag(version: int) -> str:
    return f'"{version}"'


def talent_read(doc: Document, *, crm_url_template: str) -> TalentRead:
    fields: dict[str, Any] = {k: v for k, v in doc.items() if k in TalentRead.model_fields}
    return TalentRead.model_validate(
        {
            **fields,
            "id": doc["_id"],
            "crm_url": crm_url_template.format(talent_id=doc["_id"]),
        }
    )


def pool_read(doc: Document) -> PoolRead:
    return PoolRead.model_validate({**doc, "id": doc["_id"]})


async def get_talent(*, store: Store, tenant_id: str, talent_id: str) -> Document:
    doc = await store.db[TALENTS].find_one({"_id": talent_id, "tenant_id": tenant_id})
    if doc is None:
        raise ProblemError(404, "not_found", "No such talent.")
    return doc


async def find_talents(
    *, store: Store, tenant_id: str, email: str | None, profile_url: str | None
) -> list[Document]:
    query: dict[str, Any] = {"tenant_id": tenant_id}
    if email is not None:
        query["email_keys"] = email.strip().lower()
    if profile_url is not None:
        query["profile_urls"] = profile_url
    return [doc async for doc in store.db[TALENTS].find(query).limit(50)]


async def list_pools(*, store: Store, tenant_id: str) -> list[Document]:
    cursor = store.db[POOLS].find({"tenant_id": tenant_id}).sort("name", 1).limit(1000)
    return [doc async for doc in cursor]


async def get_pool(*, store: Store, tenant_id: str, pool_id: str) -> Document:
    doc = await store.db[POOLS].find_one({"_id": pool_id, "tenant_id": tenant_id})
    if doc is None:
        raise ProblemError(404, "not_found", "No such pool.")
    return doc

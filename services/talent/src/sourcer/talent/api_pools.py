"""Internal commands on pools and tenant settings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from sourcer.proto.tenant_settings import TenantSettings
from sourcer.runtime.edge import PoolsDeleterDep, SettingsManagerDep
from sourcer.runtime.problems import ProblemError
from sourcer.runtime.store import Document
from sourcer.talent.api import CallerDep, ContextDep, etag_headers, parse_if_match
from sourcer.talent.repository import POOLS, SETTINGS, TALENTS

router = APIRouter(prefix="/internal/v1")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PoolBody(Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class PoolPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class SettingsPatch(Strict):
    statuses: list[str] | None = Field(default=None, min_length=1, max_length=50)
    default_status: str | None = Field(default=None, max_length=64)
    languages: list[str] | None = Field(default=None, min_length=1, max_length=50)
    crm_url_template: str | None = Field(default=None, max_length=500)


def pool_json(doc: Document) -> JSONResponse:
    body = {k: v for k, v in doc.items() if k not in {"_id", "tenant_id", "name_key"}}
    return JSONResponse(
        jsonable_encoder({**body, "id": doc["_id"]}), headers=etag_headers(doc["version"])
    )


def name_key(name: str) -> str:
    return " ".join(name.lower().split())


@router.post("/pools", status_code=201)
async def create_pool(body: PoolBody, who: CallerDep, ctx: ContextDep) -> JSONResponse:
    doc: Document = {
        "_id": f"pool_{uuid.uuid4().hex[:16]}",
        "tenant_id": who.tenant,
        "name": body.name.strip(),
        "name_key": name_key(body.name),
        "description": body.description,
        "version": 1,
        "created_at": datetime.now(UTC),
        "created_by": who.sub,
    }
    try:
        await ctx.store.collection(POOLS).insert_one(doc)
    except DuplicateKeyError as exc:
        raise ProblemError(409, "pool_exists", "A pool with this name exists.") from exc
    response = pool_json(doc)
    response.status_code = 201
    return response


@router.patch("/pools/{pool_id}")
async def update_pool(
    pool_id: str,
    body: PoolPatch,
    who: CallerDep,
    ctx: ContextDep,
    if_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    sets: Document = body.model_dump(exclude_unset=True)
    if sets.get("name") is not None:
        sets["name"] = sets["name"].strip()
        sets["name_key"] = name_key(sets["name"])
    elif "name" in sets:
        del sets["name"]
    query: Document = {"_id": pool_id, "tenant_id": who.tenant}
    version = parse_if_match(if_match)
    if version is not None:
        query["version"] = version
    try:
        doc = await ctx.store.collection(POOLS).find_one_and_update(
            query, {"$set": sets, "$inc": {"version": 1}}, return_document=ReturnDocument.AFTER
        )
    except DuplicateKeyError as exc:
        raise ProblemError(409, "pool_exists", "A pool with this name exists.") from exc
    if doc is None:
        exists = await ctx.store.collection(POOLS).find_one(
            {"_id": pool_id, "tenant_id": who.tenant}
        )
        if exists is None:
            raise ProblemError(404, "not_found", "No such pool.")
        raise ProblemError(412, "version_mismatch", "The pool changed since you read it.")
    return pool_json(doc)


@router.delete("/pools/{pool_id}", status_code=204)
async def delete_pool(pool_id: str, who: PoolsDeleterDep, ctx: ContextDep) -> Response:
    in_use = await ctx.store.collection(TALENTS).find_one(
        {"tenant_id": who.tenant, "pools": pool_id}, {"_id": 1}
    )
    if in_use is not None:
        raise ProblemError(409, "pool_in_use", "Remove the pool's talents first.")
    result = await ctx.store.collection(POOLS).delete_one({"_id": pool_id, "tenant_id": who.tenant})
    if result.deleted_count == 0:
        raise ProblemError(404, "not_found", "No such pool.")
    return Response(status_code=204)


def _changed(body: SettingsPatch) -> dict[str, object]:
    """The fields sent; null clears the CRM link, and leaves every other field as it is."""
    sent = body.model_dump(exclude_unset=True)
    return {k: v for k, v in sent.items() if v is not None or k == "crm_url_template"}


@router.get("/settings")
async def get_settings(who: CallerDep, ctx: ContextDep) -> JSONResponse:
    settings = await ctx.repo.tenant_settings(tenant_id=who.tenant)
    return JSONResponse(settings.model_dump())


@router.patch("/settings")
async def update_settings(
    body: SettingsPatch, who: SettingsManagerDep, ctx: ContextDep
) -> JSONResponse:
    current = await ctx.repo.tenant_settings(tenant_id=who.tenant)
    try:
        merged = TenantSettings.model_validate(
            {
                **current.model_dump(),
                **_changed(body),
                "version": current.version + 1,
            }
        )
    except ValidationError as exc:
        raise ProblemError(422, "invalid_settings", str(exc.errors()[0]["msg"])) from exc
    fields = merged.model_dump(exclude={"version"})
    query: Document = {"_id": who.tenant, "version": current.version}
    if current.version == 0:
        query = {"_id": who.tenant}
    result = await ctx.store.collection(SETTINGS).update_one(
        query, {"$set": {**fields, "version": merged.version}}, upsert=current.version == 0
    )
    if result.matched_count == 0 and result.upserted_id is None:
        raise ProblemError(409, "concurrent_update", "Settings changed meanwhile; retry.")
    return JSONResponse(merged.model_dump())

"""Internal talent commands: submit a preview, status and language, pools, notes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sourcer.proto.events import TalentSubmit, TalentUpdated
from sourcer.proto.restrictions import Action
from sourcer.proto.talent_record import FieldOrigin, TalentRecord
from sourcer.runtime.auth import Caller
from sourcer.runtime.capabilities import Capability
from sourcer.runtime.problems import ProblemError
from sourcer.runtime.store import Document
from sourcer.talent.api import (
    CallerDep,
    ContextDep,
    etag_headers,
    parse_if_match,
    talent_json,
)
from sourcer.talent.container import Container
from sourcer.talent.restrictions import check
from sourcer.talent.submission import new_note

router = APIRouter(prefix="/internal/v1")

IfMatch = Annotated[str | None, Header()]
CorrelationId = Annotated[str | None, Header(alias="X-Correlation-Id")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TalentPatch(Strict):
    status: str | None = Field(default=None, max_length=64)
    preferred_language: str | None = Field(default=None, max_length=16)


class PoolRef(Strict):
    pool_id: str = Field(min_length=1, max_length=64)


class NoteText(Strict):
    text: str = Field(min_length=1, max_length=5000)


@router.post("/submissions")
async def submit(body: TalentSubmit, who: CallerDep, ctx: ContextDep) -> JSONResponse:
    result = await ctx.submit.submit(tenant_id=who.tenant, command=body, actor=who.actor())
    return JSONResponse(
        {"talent_id": result.talent_id, "created": result.created, "version": result.version}
    )


async def _restricted(ctx: Container, who: Caller, talent_id: str, action: Action) -> Document:
    """The talent, if the caller may do `action` to it in its consent state (else 403)."""
    talent = await ctx.repo.get_talent(tenant_id=who.tenant, talent_id=talent_id)
    if talent is None:
        raise ProblemError(404, "not_found", "No such talent.")
    # Checked on the talent as read: a state that tightens later (denied, withdrawn, expired)
    # erases the talent, so a change that slips in between is erased with it.
    check(action, talent=talent, caller=who.sub, role=who.role)
    return talent


async def _mutate(
    ctx: Container,
    who: Caller,
    talent_id: str,
    version: int | None,
    update: dict[str, Any],
    fields: list[str],
    correlation_id: str | None,
) -> JSONResponse:
    now = datetime.now(UTC)
    update = {**update, "$inc": {"version": 1}}
    sets = update.setdefault("$set", {})
    sets["updated_at"] = now
    for field in fields:  # who changed what, and when
        origin = FieldOrigin(edited_by=who.sub, at=now)
        sets[f"provenance.{field}"] = origin.model_dump(exclude_none=True)
    doc = await ctx.repo.update_talent(
        tenant_id=who.tenant, talent_id=talent_id, version=version, update=update
    )
    if doc is None:
        if await ctx.repo.get_talent(tenant_id=who.tenant, talent_id=talent_id) is None:
            raise ProblemError(404, "not_found", "No such talent.")
        raise ProblemError(
            412, "version_mismatch", "The talent changed since you read it; reload and retry."
        )
    await ctx.publisher.emit(
        TalentUpdated(talent_id=talent_id, fields=fields),
        tenant_id=who.tenant,
        correlation_id=correlation_id or f"api_{uuid.uuid4().hex[:20]}",
        actor=who.actor(),
    )
    return JSONResponse(talent_json(doc), headers=etag_headers(doc["version"]))


@router.patch("/talents/{talent_id}")
async def patch_talent(
    talent_id: str,
    body: TalentPatch,
    who: CallerDep,
    ctx: ContextDep,
    if_match: IfMatch = None,
    correlation_id: CorrelationId = None,
) -> JSONResponse:
    if if_match is None:
        raise ProblemError(428, "if_match_required", "Send If-Match with the talent's ETag.")
    await _restricted(ctx, who, talent_id, Action.CHANGE_STATUS_LANGUAGE)
    settings = await ctx.repo.tenant_settings(tenant_id=who.tenant)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if "status" in changes and changes["status"] not in settings.statuses:
        raise ProblemError(422, "unknown_status", "This status is not configured.")
    if "preferred_language" in changes and changes["preferred_language"] not in settings.languages:
        raise ProblemError(422, "unknown_language", "This language is not configured.")
    return await _mutate(
        ctx,
        who,
        talent_id,
        parse_if_match(if_match),
        {"$set": TalentRecord.set_fields(**changes)},
        sorted(changes),
        correlation_id,
    )


@router.post("/talents/{talent_id}/pools")
async def add_pool(
    talent_id: str,
    body: PoolRef,
    who: CallerDep,
    ctx: ContextDep,
    if_match: IfMatch = None,
    correlation_id: CorrelationId = None,
) -> JSONResponse:
    await _restricted(ctx, who, talent_id, Action.CHANGE_POOLS)
    if not await ctx.repo.existing_pools(tenant_id=who.tenant, pool_ids=[body.pool_id]):
        raise ProblemError(422, "unknown_pool", "The pool does not exist in your tenant.")
    return await _mutate(
        ctx,
        who,
        talent_id,
        parse_if_match(if_match),
        {"$addToSet": {"pools": body.pool_id}},
        ["pools"],
        correlation_id,
    )


@router.delete("/talents/{talent_id}/pools/{pool_id}")
async def remove_pool(
    talent_id: str,
    pool_id: str,
    who: CallerDep,
    ctx: ContextDep,
    if_match: IfMatch = None,
    correlation_id: CorrelationId = None,
) -> JSONResponse:
    await _restricted(ctx, who, talent_id, Action.CHANGE_POOLS)
    return await _mutate(
        ctx,
        who,
        talent_id,
        parse_if_match(if_match),
        {"$pull": {"pools": pool_id}},
        ["pools"],
        correlation_id,
    )


@router.post("/talents/{talent_id}/notes")
async def add_note(
    talent_id: str,
    body: NoteText,
    who: CallerDep,
    ctx: ContextDep,
    if_match: IfMatch = None,
    correlation_id: CorrelationId = None,
) -> JSONResponse:
    await _restricted(ctx, who, talent_id, Action.EDIT_NOTES)
    note = new_note(text=body.text, author=who.sub, at=datetime.now(UTC))
    response = await _mutate(
        ctx,
        who,
        talent_id,
        parse_if_match(if_match),
        {"$push": {"notes": note}},
        ["notes"],
        correlation_id,
    )
    response.status_code = 201
    return response


@router.delete("/talents/{talent_id}/notes/{note_id}")
async def remove_note(
    talent_id: str,
    note_id: str,
    who: CallerDep,
    ctx: ContextDep,
    if_match: IfMatch = None,
    correlation_id: CorrelationId = None,
) -> JSONResponse:
    talent = await _restricted(ctx, who, talent_id, Action.EDIT_NOTES)
    note = next((n for n in talent.get("notes", []) if n["id"] == note_id), None)
    if note is None:
        raise ProblemError(404, "not_found", "No such note.")
    if note["author"] != who.sub and not who.may(Capability.DELETE_NOTES_OF_OTHERS):
        raise ProblemError(403, "forbidden", "Only its author or a super recruiter may remove it.")
    version = parse_if_match(if_match) or talent["version"]
    kept = [n for n in talent["notes"] if n["id"] != note_id]
    return await _mutate(
        ctx, who, talent_id, version, {"$set": {"notes": kept}}, ["notes"], correlation_id
    )

"""Talents of the caller's tenant: read, find, export, change status and language, pools, notes.

Until a talent consented or was unlocked, only its sourcing recruiter and admins see and change
it, and nobody exports it (`sourcer.proto.restrictions`, 403 `consent_required`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response

from sourcer.gateway.browse import TalentFilters, TalentSort
from sourcer.gateway.deps import CallerDep, StoreDep, TalentApiDep, TokenDep
from sourcer.gateway.internal_api import InternalApi, relay
from sourcer.gateway.reads import (
    browse_talents,
    etag,
    get_talent,
    require,
    talent_read,
    tenant_settings,
)
from sourcer.gateway.schemas import (
    NoteCreate,
    TalentExport,
    TalentList,
    TalentPoolCreate,
    TalentRead,
    TalentUpdate,
)
from sourcer.proto.consent_record import ConsentState
from sourcer.proto.profile_urls import UrlRejectedError, canonicalize
from sourcer.proto.records import Platform
from sourcer.proto.restrictions import Action
from sourcer.runtime.problems import ProblemError, problem_responses
from sourcer.runtime.store import Store

router = APIRouter(prefix="/v1/talents", tags=["talents"])

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]
IfMatch = Annotated[
    str | None,
    Header(max_length=64, description='ETag of the talent you changed, e.g. "3".'),
]


async def _change(
    talents: InternalApi,
    store: Store,
    caller_tenant: str,
    response: Response,
    method: str,
    path: str,
    *,
    token: str,
    json: Any = None,
    if_match: str | None = None,
) -> TalentRead:
    """Relay a change of a talent to the talent service; its answer, with CRM link and ETag."""
    reply = await talents.call(
        method,
        f"/internal/v1/talents/{path}",
        token=token,
        json=json,
        headers={"If-Match": if_match} if if_match else None,
    )
    body = dict(relay(reply, service="talent").body)
    tenant = await tenant_settings(store=store, tenant_id=caller_tenant)
    body["crm_url"] = tenant.crm_url(body["id"])
    read = TalentRead.model_validate(body)
    response.headers["ETag"] = etag(read.version)
    return read


@router.get(
    "/{talent_id}", response_model=TalentRead, responses=problem_responses(401, 403, 404, 422)
)
async def get_talent_route(
    talent_id: Id, caller: CallerDep, store: StoreDep, response: Response
) -> TalentRead:
    """One talent; the ETag header carries its version for If-Match. Before consent only its
    sourcing recruiter and admins see it (403 `consent_required`)."""
    doc = await get_talent(store=store, tenant_id=caller.tenant, talent_id=talent_id)
    require(Action.VIEW, record=doc, caller=caller)
    response.headers["ETag"] = etag(doc.version)
    tenant = await tenant_settings(store=store, tenant_id=caller.tenant)
    return talent_read(doc, tenant=tenant)


@router.get("", response_model=TalentList, responses=problem_responses(401, 422))
async def browse_talents_route(
    caller: CallerDep,
    store: StoreDep,
    pool: Annotated[str | None, Query(max_length=64, examples=["pool_1"])] = None,
    status: Annotated[str | None, Query(max_length=64, examples=["contacted"])] = None,
    consent_state: ConsentState | None = None,
    platform: Platform | None = None,
    sourced_by: Annotated[
        str | None, Query(max_length=256, description="User who first submitted the talent.")
    ] = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    updated_from: datetime | None = None,
    updated_to: datetime | None = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Words of the name or a company, or their beginnings."),
    ] = None,
    email: Annotated[str | None, Query(max_length=320, examples=["jane@example.org"])] = None,
    profile_url: Annotated[
        str | None, Query(max_length=2048, examples=["https://www.linkedin.com/in/jane-doe/"])
    ] = None,
    deleting_soon: Annotated[
        bool | None,
        Query(description="Only talents whose erasure is scheduled (true) or is not (false)."),
    ] = None,
    sort: TalentSort = TalentSort.UPDATED_DESC,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> TalentList:
    """The tenant's talents, filtered, searched and paged (newest change first by default).
    Talents who have not consented yet are listed only to their sourcing recruiter and admins."""
    canonical = None
    if profile_url is not None:
        try:
            canonical = canonicalize(profile_url).url
        except UrlRejectedError as exc:
            raise ProblemError(422, exc.code, exc.message) from exc
    filters = TalentFilters(
        pool=pool,
        status=status,
        consent_state=consent_state,
        platform=platform,
        sourced_by=sourced_by,
        created_from=created_from,
        created_to=created_to,
        updated_from=updated_from,
        updated_to=updated_to,
        q=q,
        email=email,
        profile_url=canonical,
        deleting_soon=deleting_soon,
    )
    records, next_cursor = await browse_talents(
        store=store,
        tenant_id=caller.tenant,
        caller=caller,
        filters=filters,
        sort=sort,
        cursor=cursor,
        limit=limit,
    )
    tenant = await tenant_settings(store=store, tenant_id=caller.tenant)
    return TalentList(
        items=[talent_read(record, tenant=tenant) for record in records],
        next_cursor=next_cursor,
    )


@router.get(
    "/{talent_id}/export",
    response_model=TalentExport,
    responses=problem_responses(401, 403, 404, 422),
)
async def export_talent(talent_id: Id, caller: CallerDep, store: StoreDep) -> TalentExport:
    """The talent's data as JSON for import into a CRM; only once the talent granted consent
    or an admin unlocked them (403 `consent_required` before)."""
    doc = await get_talent(store=store, tenant_id=caller.tenant, talent_id=talent_id)
    require(Action.EXPORT, record=doc, caller=caller)
    tenant = await tenant_settings(store=store, tenant_id=caller.tenant)
    return TalentExport(exported_at=datetime.now(UTC), talent=talent_read(doc, tenant=tenant))


@router.patch(
    "/{talent_id}",
    response_model=TalentRead,
    responses=problem_responses(401, 403, 404, 412, 422, 428, 503),
)
async def update_talent(
    talent_id: Id,
    body: TalentUpdate,
    caller: CallerDep,
    token: TokenDep,
    talents: TalentApiDep,
    store: StoreDep,
    response: Response,
    if_match: IfMatch = None,
) -> TalentRead:
    """Change status or preferred language; requires If-Match with the current ETag."""
    if not if_match:
        raise ProblemError(428, "if_match_required", "Send If-Match with the talent's ETag.")
    return await _change(
        talents,
        store,
        caller.tenant,
        response,
        "PATCH",
        f"{talent_id}",
        token=token,
        json=body.model_dump(mode="json", exclude_unset=True),
        if_match=if_match,
    )


@router.post(
    "/{talent_id}/pools",
    response_model=TalentRead,
    responses=problem_responses(401, 403, 404, 412, 422, 503),
)
async def add_talent_to_pool(
    talent_id: Id,
    body: TalentPoolCreate,
    caller: CallerDep,
    token: TokenDep,
    talents: TalentApiDep,
    store: StoreDep,
    response: Response,
    if_match: IfMatch = None,
) -> TalentRead:
    """Add the talent to a pool of the tenant."""
    return await _change(
        talents,
        store,
        caller.tenant,
        response,
        "POST",
        f"{talent_id}/pools",
        token=token,
        json=body.model_dump(mode="json"),
        if_match=if_match,
    )


@router.delete(
    "/{talent_id}/pools/{pool_id}",
    response_model=TalentRead,
    responses=problem_responses(401, 403, 404, 412, 422, 503),
)
async def remove_talent_from_pool(
    talent_id: Id,
    pool_id: Id,
    caller: CallerDep,
    token: TokenDep,
    talents: TalentApiDep,
    store: StoreDep,
    response: Response,
    if_match: IfMatch = None,
) -> TalentRead:
    """Remove the talent from a pool."""
    return await _change(
        talents,
        store,
        caller.tenant,
        response,
        "DELETE",
        f"{talent_id}/pools/{pool_id}",
        token=token,
        if_match=if_match,
    )


@router.post(
    "/{talent_id}/notes",
    response_model=TalentRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 412, 422, 503),
)
async def add_note(
    talent_id: Id,
    body: NoteCreate,
    caller: CallerDep,
    token: TokenDep,
    talents: TalentApiDep,
    store: StoreDep,
    response: Response,
    if_match: IfMatch = None,
) -> TalentRead:
    """Add a note; its author and time are recorded."""
    return await _change(
        talents,
        store,
        caller.tenant,
        response,
        "POST",
        f"{talent_id}/notes",
        token=token,
        json=body.model_dump(mode="json"),
        if_match=if_match,
    )


@router.delete(
    "/{talent_id}/notes/{note_id}",
    response_model=TalentRead,
    responses=problem_responses(401, 403, 404, 412, 422, 503),
)
async def remove_note(
    talent_id: Id,
    note_id: Id,
    caller: CallerDep,
    token: TokenDep,
    talents: TalentApiDep,
    store: StoreDep,
    response: Response,
    if_match: IfMatch = None,
) -> TalentRead:
    """Remove a note (its author, or a super recruiter or admin)."""
    return await _change(
        talents,
        store,
        caller.tenant,
        response,
        "DELETE",
        f"{talent_id}/notes/{note_id}",
        token=token,
        if_match=if_match,
    )

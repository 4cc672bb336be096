"""Talents of the caller's tenant: read, find, change status and language, pools and notes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response

from sourcer.gateway.deps import CallerDep, SettingsDep, StoreDep, TalentApiDep, TokenDep
from sourcer.gateway.internal_api import InternalApi, relay
from sourcer.gateway.reads import etag, find_talents, get_talent, talent_read
from sourcer.gateway.schemas import (
    NoteCreate,
    TalentList,
    TalentPoolCreate,
    TalentRead,
    TalentUpdate,
)
from sourcer.gateway.settings import GatewaySettings
from sourcer.proto.profile_urls import UrlRejectedError, canonicalize
from sourcer.runtime.problems import ProblemError, problem_responses

router = APIRouter(prefix="/v1/talents", tags=["talents"])

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]
IfMatch = Annotated[
    str | None,
    Header(max_length=64, description='ETag of the talent you changed, e.g. "3".'),
]


async def _change(
    talents: InternalApi,
    settings: GatewaySettings,
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
    body["crm_url"] = settings.crm_url_template.format(talent_id=body["id"])
    read = TalentRead.model_validate(body)
    response.headers["ETag"] = etag(read.version)
    return read


@router.get("/{talent_id}", response_model=TalentRead, responses=problem_responses(401, 404, 422))
async def get_talent_route(
    talent_id: Id, caller: CallerDep, store: StoreDep, settings: SettingsDep, response: Response
) -> TalentRead:
    """One talent; the ETag header carries its version for If-Match."""
    doc = await get_talent(store=store, tenant_id=caller.tenant, talent_id=talent_id)
    response.headers["ETag"] = etag(doc.version)
    return talent_read(doc, crm_url_template=settings.crm_url_template)


@router.get("", response_model=TalentList, responses=problem_responses(401, 422))
async def find_talents_route(
    caller: CallerDep,
    store: StoreDep,
    settings: SettingsDep,
    email: Annotated[str | None, Query(max_length=320, examples=["jane@example.org"])] = None,
    profile_url: Annotated[
        str | None, Query(max_length=2048, examples=["https://www.linkedin.com/in/jane-doe/"])
    ] = None,
) -> TalentList:
    """Find talents by email or by profile URL (any accepted form of it)."""
    if (email is None) == (profile_url is None):
        raise ProblemError(422, "query_required", "Give exactly one of email or profile_url.")
    canonical = None
    if profile_url is not None:
        try:
            canonical = canonicalize(profile_url).url
        except UrlRejectedError as exc:
            raise ProblemError(422, exc.code, exc.message) from exc
    docs = await find_talents(
        store=store, tenant_id=caller.tenant, email=email, profile_url=canonical
    )
    return TalentList(
        items=[talent_read(d, crm_url_template=settings.crm_url_template) for d in docs]
    )


@router.patch(
    "/{talent_id}",
    response_model=TalentRead,
    responses=problem_responses(401, 404, 412, 422, 428, 503),
)
async def update_talent(
    talent_id: Id,
    body: TalentUpdate,
    caller: CallerDep,
    token: TokenDep,
    talents: TalentApiDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> TalentRead:
    """Change status or preferred language; requires If-Match with the current ETag."""
    if not if_match:
        raise ProblemError(428, "if_match_required", "Send If-Match with the talent's ETag.")
    return await _change(
        talents,
        settings,
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
    responses=problem_responses(401, 404, 412, 422, 503),
)
async def add_talent_to_pool(
    talent_id: Id,
    body: TalentPoolCreate,
    caller: CallerDep,
    token: TokenDep,
    talents: TalentApiDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> TalentRead:
    """Add the talent to a pool of the tenant."""
    return await _change(
        talents,
        settings,
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
    responses=problem_responses(401, 404, 412, 422, 503),
)
async def remove_talent_from_pool(
    talent_id: Id,
    pool_id: Id,
    caller: CallerDep,
    token: TokenDep,
    talents: TalentApiDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> TalentRead:
    """Remove the talent from a pool."""
    return await _change(
        talents,
        settings,
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
    responses=problem_responses(401, 404, 412, 422, 503),
)
async def add_note(
    talent_id: Id,
    body: NoteCreate,
    caller: CallerDep,
    token: TokenDep,
    talents: TalentApiDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> TalentRead:
    """Add a note; its author and time are recorded."""
    return await _change(
        talents,
        settings,
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
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> TalentRead:
    """Remove a note (its author, or a super recruiter or admin)."""
    return await _change(
        talents,
        settings,
        response,
        "DELETE",
        f"{talent_id}/notes/{note_id}",
        token=token,
        if_match=if_match,
    )

"""Talent pools of the caller's tenant."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Response

from sourcer.gateway.deps import CallerDep, StoreDep, TalentApiDep, TokenDep
from sourcer.gateway.internal_api import relay
from sourcer.gateway.reads import etag, get_pool, list_pools, pool_read
from sourcer.gateway.schemas import PoolCreate, PoolList, PoolRead, PoolUpdate
from sourcer.runtime.problems import problem_responses

router = APIRouter(prefix="/v1/pools", tags=["pools"])

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]
IfMatch = Annotated[str | None, Header(max_length=64)]


@router.get("", response_model=PoolList, responses=problem_responses(401))
async def list_pools_route(caller: CallerDep, store: StoreDep) -> PoolList:
    """Every pool of the tenant, by name."""
    docs = await list_pools(store=store, tenant_id=caller.tenant)
    return PoolList(items=[pool_read(d) for d in docs])


@router.get("/{pool_id}", response_model=PoolRead, responses=problem_responses(401, 404, 422))
async def get_pool_route(
    pool_id: Id, caller: CallerDep, store: StoreDep, response: Response
) -> PoolRead:
    """One pool."""
    doc = await get_pool(store=store, tenant_id=caller.tenant, pool_id=pool_id)
    response.headers["ETag"] = etag(doc.version)
    return pool_read(doc)


@router.post(
    "", response_model=PoolRead, status_code=201, responses=problem_responses(401, 409, 422, 503)
)
async def create_pool(
    body: PoolCreate, caller: CallerDep, token: TokenDep, talents: TalentApiDep
) -> PoolRead:
    """Create a pool; names are unique per tenant."""
    reply = await talents.call(
        "POST", "/internal/v1/pools", token=token, json=body.model_dump(mode="json")
    )
    relay(reply, service="talent")
    return PoolRead.model_validate(reply.body)


@router.patch(
    "/{pool_id}", response_model=PoolRead, responses=problem_responses(401, 404, 409, 412, 422, 503)
)
async def update_pool(
    pool_id: Id,
    body: PoolUpdate,
    caller: CallerDep,
    token: TokenDep,
    talents: TalentApiDep,
    response: Response,
    if_match: IfMatch = None,
) -> PoolRead:
    """Rename a pool or change its description."""
    reply = await talents.call(
        "PATCH",
        f"/internal/v1/pools/{pool_id}",
        token=token,
        json=body.model_dump(mode="json", exclude_unset=True),
        headers={"If-Match": if_match} if if_match else None,
    )
    relay(reply, service="talent")
    read = PoolRead.model_validate(reply.body)
    response.headers["ETag"] = etag(read.version)
    return read


@router.delete(
    "/{pool_id}", status_code=204, responses=problem_responses(401, 403, 404, 409, 422, 503)
)
async def delete_pool(
    pool_id: Id, caller: CallerDep, token: TokenDep, talents: TalentApiDep
) -> Response:
    """Delete an empty pool (super recruiters and admins)."""
    reply = await talents.call("DELETE", f"/internal/v1/pools/{pool_id}", token=token)
    relay(reply, service="talent")
    return Response(status_code=204)

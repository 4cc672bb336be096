"""Tenant settings: the talent statuses and languages recruiters pick from."""

from __future__ import annotations

from fastapi import APIRouter

from sourcer.gateway.deps import CallerDep, TalentApiDep, TokenDep
from sourcer.gateway.internal_api import relay
from sourcer.gateway.schemas import TenantSettingsRead, TenantSettingsUpdate
from sourcer.runtime.problems import problem_responses

router = APIRouter(prefix="/v1/settings", tags=["settings"])


@router.get("", response_model=TenantSettingsRead, responses=problem_responses(401, 503))
async def get_settings(
    caller: CallerDep, token: TokenDep, talents: TalentApiDep
) -> TenantSettingsRead:
    """The tenant's statuses and languages (defaults until an admin changes them)."""
    reply = await talents.call("GET", "/internal/v1/settings", token=token)
    relay(reply, service="talent")
    return TenantSettingsRead.model_validate(reply.body)


@router.patch(
    "", response_model=TenantSettingsRead, responses=problem_responses(401, 403, 422, 503)
)
async def update_settings(
    body: TenantSettingsUpdate, caller: CallerDep, token: TokenDep, talents: TalentApiDep
) -> TenantSettingsRead:
    """Change statuses, the default status or languages (admins)."""
    reply = await talents.call(
        "PATCH",
        "/internal/v1/settings",
        token=token,
        json=body.model_dump(mode="json", exclude_unset=True),
    )
    relay(reply, service="talent")
    return TenantSettingsRead.model_validate(reply.body)

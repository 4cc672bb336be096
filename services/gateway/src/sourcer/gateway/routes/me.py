"""The caller: who the gateway takes them for and what their role allows."""

from __future__ import annotations

from fastapi import APIRouter

from sourcer.gateway.deps import CallerDep
from sourcer.gateway.schemas import CapabilitiesRead, MeRead
from sourcer.runtime.auth import Caller
from sourcer.runtime.capabilities import Capability, capabilities_of
from sourcer.runtime.problems import problem_responses

router = APIRouter(prefix="/v1/me", tags=["me"])


def capabilities_read(caller: Caller) -> CapabilitiesRead:
    granted = capabilities_of(caller.role)
    return CapabilitiesRead.model_validate({f"can_{c.value}": c in granted for c in Capability})


@router.get("", response_model=MeRead, responses=problem_responses(401))
async def get_me(caller: CallerDep) -> MeRead:
    """The signed-in user: id, name and email if the token has them, role, tenant, capabilities."""
    return MeRead(
        sub=caller.sub,
        name=caller.name,
        email=caller.email,
        role=caller.role,
        tenant_id=caller.tenant,
        capabilities=capabilities_read(caller),
    )

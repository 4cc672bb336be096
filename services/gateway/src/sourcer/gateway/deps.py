"""FastAPI dependencies as `Annotated` aliases; routes declare what they need by type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from sourcer.gateway.auth import bearer_token, current_caller
from sourcer.gateway.ratelimit import RateLimiter
from sourcer.gateway.service import SourcingService
from sourcer.gateway.settings import GatewaySettings
from sourcer.gateway.talent_client import TalentCommands
from sourcer.runtime.auth import Caller
from sourcer.runtime.store import Store


@dataclass
class Services:
    """Everything the routes use, wired once by `create_app`."""

    settings: GatewaySettings
    store: Store
    sourcing: SourcingService
    talents: TalentCommands
    limiter: RateLimiter


# Dependencies are `async def` although they only look things up: FastAPI runs a plain `def`
# dependency in its thread pool, a thread hop per dependency per request (a sixth of the
# gateway's CPU under load).
async def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def _settings(services: Annotated[Services, Depends(_services)]) -> GatewaySettings:
    return services.settings


async def _store(services: Annotated[Services, Depends(_services)]) -> Store:
    return services.store


async def _sourcing(services: Annotated[Services, Depends(_services)]) -> SourcingService:
    return services.sourcing


async def _talents(services: Annotated[Services, Depends(_services)]) -> TalentCommands:
    return services.talents


async def _limiter(services: Annotated[Services, Depends(_services)]) -> RateLimiter:
    return services.limiter


CallerDep = Annotated[Caller, Depends(current_caller)]
TokenDep = Annotated[str, Depends(bearer_token)]
SettingsDep = Annotated[GatewaySettings, Depends(_settings)]
StoreDep = Annotated[Store, Depends(_store)]
SourcingDep = Annotated[SourcingService, Depends(_sourcing)]
TalentsDep = Annotated[TalentCommands, Depends(_talents)]
LimiterDep = Annotated[RateLimiter, Depends(_limiter)]

"""FastAPI dependencies as `Annotated` aliases; routes declare what they need by type."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from sourcer.gateway.container import Container
from sourcer.gateway.internal_api import InternalApi
from sourcer.gateway.ratelimit import RateLimiter
from sourcer.gateway.service import SourcingService
from sourcer.gateway.settings import GatewaySettings
from sourcer.runtime.edge import (
    AdminDep,
    CallerDep,
    SessionsManagerDep,
    SettingsManagerDep,
    TokenDep,
    UnlockDep,
    WebhooksManagerDep,
)
from sourcer.runtime.problems import request_language
from sourcer.runtime.store import Store

__all__ = [
    "AdminDep",
    "CallerDep",
    "ConsentApiDep",
    "ExtractorApiDep",
    "LanguageDep",
    "LimiterDep",
    "SessionsManagerDep",
    "SettingsDep",
    "SettingsManagerDep",
    "SourcingDep",
    "StoreDep",
    "TalentApiDep",
    "TokenDep",
    "UnlockDep",
    "WebhooksManagerDep",
]


def _part(name: str) -> Any:
    """A dependency answering one part of the container `bootstrap` put in the app's state.

    `async def` although it only looks things up: FastAPI runs a plain `def` dependency in its
    thread pool, a thread hop per dependency per request (a sixth of the gateway's CPU under
    load)."""

    async def part(request: Request) -> Any:
        container: Container = request.app.state.container
        return getattr(container, name)

    return Depends(part)


SettingsDep = Annotated[GatewaySettings, _part("settings")]
StoreDep = Annotated[Store, _part("store")]
SourcingDep = Annotated[SourcingService, _part("sourcing")]
TalentApiDep = Annotated[InternalApi, _part("talent_api")]
ConsentApiDep = Annotated[InternalApi, _part("consent_api")]
ExtractorApiDep = Annotated[InternalApi, _part("extractor_api")]
LimiterDep = Annotated[RateLimiter, _part("limiter")]
# The caller's language (German or English) from Accept-Language, for recruiter-facing texts.
LanguageDep = Annotated[str, Depends(request_language)]

"""Every API router; `create_app` includes them in this order.

Another resource adds its router here (one line), e.g. `ROUTERS.append(consent.router)`.
"""

from __future__ import annotations

from fastapi import APIRouter

from sourcer.gateway.routes import (
    consent,
    me,
    pools,
    sessions,
    settings,
    sourcing,
    talents,
    webhooks,
)

ROUTERS: list[APIRouter] = [
    me.router,
    sourcing.router,
    talents.router,
    pools.router,
    settings.router,
    consent.router,
    webhooks.router,
    sessions.router,
]

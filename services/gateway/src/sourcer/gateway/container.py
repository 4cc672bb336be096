"""What the gateway's routes and entrypoints work with; `bootstrap` builds it once per process."""

from __future__ import annotations

from dataclasses import dataclass

from sourcer.gateway.internal_api import InternalApi
from sourcer.gateway.ratelimit import RateLimiter
from sourcer.gateway.repository import SourcingRequests
from sourcer.gateway.service import SourcingService
from sourcer.gateway.settings import GatewaySettings
from sourcer.runtime.store import Store


@dataclass
class Container:
    settings: GatewaySettings
    store: Store
    requests: SourcingRequests
    sourcing: SourcingService
    talent_api: InternalApi
    consent_api: InternalApi
    extractor_api: InternalApi
    limiter: RateLimiter

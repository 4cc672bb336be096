"""Wires the gateway: real adapters by default, each overridable in tests; `SERVICE` runs it.

Every gateway replica serves the API and consumes the status events on one connection, and
purges requests past their retention every hour; a job fails requests whose extraction was lost.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from sourcer.gateway.app import create_api
from sourcer.gateway.container import Container
from sourcer.gateway.entrypoints import CONSUMERS, PUBLISHES
from sourcer.gateway.internal_api import HttpInternalApi
from sourcer.gateway.ratelimit import RateLimiter, TokenBucketLimiter
from sourcer.gateway.repository import CATALOG, COLLECTION, MongoSourcingRequests
from sourcer.gateway.service import SourcingService
from sourcer.gateway.settings import GatewaySettings
from sourcer.runtime.auth import AuthSettings, TokenVerifier
from sourcer.runtime.jobs import retention_job
from sourcer.runtime.service import Infra, ServiceParts, ServiceSpec

# How often the gateway looks for requests whose extraction was lost.
LOST_CHECK_SECONDS = 60.0


def internal_api(
    service: str, *, url: str, timeout: float, transport: httpx.AsyncBaseTransport | None
) -> HttpInternalApi:
    client = httpx.AsyncClient(base_url=url, transport=transport, timeout=timeout)
    return HttpInternalApi(service=service, client=client)


def bootstrap(
    settings: GatewaySettings,
    infra: Infra,
    *,
    auth: AuthSettings | None = None,
    talent_transport: httpx.AsyncBaseTransport | None = None,
    consent_transport: httpx.AsyncBaseTransport | None = None,
    extractor_transport: httpx.AsyncBaseTransport | None = None,
    limiter: RateLimiter | None = None,
    consume: bool = True,
) -> ServiceParts[Container]:
    requests = MongoSourcingRequests(infra.store)
    talent_api = internal_api(
        "talent",
        url=settings.talent_api_url,
        timeout=settings.talent_api_timeout,
        transport=talent_transport,
    )
    consent_api = internal_api(
        "consent",
        url=settings.consent_api_url,
        timeout=settings.consent_api_timeout,
        transport=consent_transport,
    )
    extractor_api = internal_api(
        "extractor",
        url=settings.extractor_api_url,
        timeout=settings.extractor_api_timeout,
        transport=extractor_transport,
    )
    container = Container(
        settings=settings,
        store=infra.store,
        requests=requests,
        sourcing=SourcingService(requests=requests, publisher=infra.bus, talents=talent_api),
        talent_api=talent_api,
        consent_api=consent_api,
        extractor_api=extractor_api,
        limiter=limiter
        or TokenBucketLimiter(
            per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst
        ),
    )
    api = create_api(settings, TokenVerifier(auth or AuthSettings()))
    lost_after = timedelta(minutes=settings.lost_after_minutes)

    async def end_lost() -> None:
        await container.sourcing.end_lost(in_flight_for=lost_after, now=datetime.now(UTC))

    api.state.container = container
    return ServiceParts(
        container=container,
        consumers=CONSUMERS if consume else (),
        consumer_concurrency=settings.consumer_concurrency,
        api=api,
        # A request keeps the preview of a person who may never become a talent.
        jobs=[retention_job(infra.store, COLLECTION, keep_days=settings.request_retention_days)],
        on_stop=[talent_api.close, consent_api.close, extractor_api.close],
    )


SERVICE = ServiceSpec(
    CATALOG, GatewaySettings, bootstrap, CONSUMERS, "sourcer-gateway serve", publishes=PUBLISHES
)

"""The gateway application: routes, problem handlers, ops endpoints, and status consumers.

`create_app` builds the app; the lifespan connects the store and the bus, creates indexes,
starts the consumers, so every gateway replica serves and consumes on one connection, and
purges requests past their retention every hour.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from sourcer.gateway.consumers import StatusHandlers, start_consumers
from sourcer.gateway.deps import Services
from sourcer.gateway.middleware import BodyLimitMiddleware, LogContextMiddleware
from sourcer.gateway.problems import register_problem_handlers
from sourcer.gateway.ratelimit import RateLimiter, TokenBucketLimiter
from sourcer.gateway.repository import COLLECTION, INDEXES, MongoSourcingRequests
from sourcer.gateway.routes import ROUTERS
from sourcer.gateway.service import SourcingService
from sourcer.gateway.settings import GatewaySettings
from sourcer.gateway.talent_client import HttpTalentCommands
from sourcer.runtime.auth import AuthSettings, TokenVerifier
from sourcer.runtime.bus import Bus
from sourcer.runtime.http import ops_routes
from sourcer.runtime.idempotency import MongoProcessedEvents
from sourcer.runtime.periodic import start_retention
from sourcer.runtime.store import connect_store

DESCRIPTION = """\
The API of Sourcer for the browser extension and integrators.

Send a LinkedIn or Xing profile URL, follow the sourcing request until its preview is ready
(poll or Server-Sent Events), then submit it to create or update the talent. Every error is
`application/problem+json` with a stable `code`. Authenticate with a bearer JWT whose claims
carry `sub`, `tenant` and `role`.
"""


def create_app(
    settings: GatewaySettings | None = None,
    *,
    auth: AuthSettings | None = None,
    talent_transport: httpx.AsyncBaseTransport | None = None,
    limiter: RateLimiter | None = None,
    consume: bool = True,
) -> FastAPI:
    settings = settings or GatewaySettings()
    verifier = TokenVerifier(auth or AuthSettings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await connect_store(settings.mongodb_url, settings.mongodb_db, app_name="gateway")
        await store.ensure_indexes(INDEXES)
        bus = Bus(
            url=settings.amqp_url,
            namespace=settings.bus_namespace,
            publish_timeout=settings.publish_timeout,
            name="gateway",
        )
        await bus.connect()
        client = httpx.AsyncClient(
            base_url=settings.talent_api_url,
            transport=talent_transport,
            timeout=settings.talent_api_timeout,
        )
        requests = MongoSourcingRequests(store)
        talents = HttpTalentCommands(client)
        app.state.bus = bus
        app.state.services = Services(
            settings=settings,
            store=store,
            sourcing=SourcingService(requests=requests, publisher=bus, talents=talents),
            talents=talents,
            limiter=limiter
            or TokenBucketLimiter(
                per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst
            ),
        )
        if consume:
            await start_consumers(
                bus=bus,
                handlers=StatusHandlers(requests=requests),
                processed=MongoProcessedEvents(store),
                concurrency=settings.consumer_concurrency,
            )
        # A request keeps the preview of a person who may never become a talent.
        retention = start_retention(store, COLLECTION, keep_days=settings.request_retention_days)
        try:
            yield
        finally:
            retention.cancel()
            await bus.close(timeout=settings.drain_timeout)
            await client.aclose()
            await store.close()

    app = FastAPI(
        title="Sourcer API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.verifier = verifier
    register_problem_handlers(app)
    for router in ROUTERS:
        app.include_router(router)

    async def broker_ready() -> bool:
        bus = getattr(app.state, "bus", None)
        return bus is not None and bool(bus.is_ready())

    async def store_ready() -> bool:
        services = getattr(app.state, "services", None)
        return services is not None and bool(await services.store.ping())

    app.router.routes.extend(ops_routes({"broker": broker_ready, "store": store_ready}))
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(LogContextMiddleware)
    return app

"""The gateway's API: its routers on the runtime's edge, and the status each domain code answers.

The container (`bootstrap.Container`) is put in `app.state.container` by `bootstrap`; the app
itself needs no store or bus to be built, so its problem answers are testable without them.
"""

from __future__ import annotations

from fastapi import FastAPI

from sourcer.gateway.routes import ROUTERS
from sourcer.gateway.settings import GatewaySettings
from sourcer.proto.restrictions import CONSENT_REQUIRED
from sourcer.runtime.auth import TokenVerifier
from sourcer.runtime.edge import service_app

DESCRIPTION = """\
The API of Sourcer for the browser extension and integrators.

Send a LinkedIn or Xing profile URL, follow the sourcing request until its preview is ready
(poll or Server-Sent Events), then submit it to create or update the talent. Every error is
`application/problem+json` with a stable `code`. Authenticate with a bearer JWT whose claims
carry `sub`, `tenant` and `role`.
"""

# The HTTP status of each code the gateway's domain raises.
ERROR_STATUSES = {
    "not_found": 404,
    CONSENT_REQUIRED: 403,
    "not_ready": 409,
    "not_cancellable": 409,
    "conflict": 409,
    "talent_suppressed": 409,
    "invalid_query": 422,
    "invalid_cursor": 422,
    "unavailable": 503,
}


def create_api(settings: GatewaySettings, verifier: TokenVerifier) -> FastAPI:
    return service_app(
        title="Sourcer API",
        description=DESCRIPTION,
        routers=ROUTERS,
        verifier=verifier,
        error_statuses=ERROR_STATUSES,
        max_body_bytes=settings.max_body_bytes,
        max_in_flight=settings.max_in_flight,
        cors_origins=settings.cors_origins,
    )

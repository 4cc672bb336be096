"""The consent service's HTTP apps, one per listener: the talent's landing page is public; the
internal API (called by the gateway) is served on the internal listener with the ops routes, so
nothing but the landing page is reachable where talents are."""

from __future__ import annotations

from fastapi import FastAPI

from sourcer.consent import api, landing
from sourcer.consent.container import Container
from sourcer.runtime.edge import service_app

# A landing form is a few hundred bytes; internal API bodies are small too. Anything larger is
# refused before it is read.
PUBLIC_MAX_BODY_BYTES = 8 * 1024
INTERNAL_MAX_BODY_BYTES = 64 * 1024


def create_public_app(container: Container) -> FastAPI:
    """The landing page only: no bearer tokens, no internal routes, no ops routes."""
    app = service_app(
        title="Sourcer consent page",
        routers=[landing.router],
        verifier=None,
        error_statuses=api.ERROR_STATUSES,
        max_body_bytes=PUBLIC_MAX_BODY_BYTES,
        docs=False,
    )
    app.state.container = container
    return app


def create_internal_api(container: Container) -> FastAPI:
    """The internal API; every route needs a bearer token, verified before the body is read."""
    app = service_app(
        title="Sourcer consent (internal)",
        routers=[api.router],
        verifier=container.verifier,
        error_statuses=api.ERROR_STATUSES,
        max_body_bytes=INTERNAL_MAX_BODY_BYTES,
        docs=False,
    )
    app.state.container = container
    return app

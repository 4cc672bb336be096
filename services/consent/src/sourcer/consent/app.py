"""The consent service's HTTP app: the talent's landing page and the internal API."""

from __future__ import annotations

from fastapi import FastAPI

from sourcer.consent import api, landing
from sourcer.consent.container import Container
from sourcer.runtime.edge import service_app

# Forms and internal API bodies are small; anything larger is refused before it is read.
MAX_BODY_BYTES = 64 * 1024


def create_api(container: Container) -> FastAPI:
    app = service_app(
        title="Sourcer consent (internal)",
        routers=[landing.router, api.router],
        verifier=container.verifier,
        error_statuses=api.ERROR_STATUSES,
        max_body_bytes=MAX_BODY_BYTES,
        docs=False,
    )
    app.state.container = container
    return app

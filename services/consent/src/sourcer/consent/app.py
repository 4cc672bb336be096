"""The consent service's HTTP app: landing page, internal API and ops endpoints."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from sourcer.consent import api, landing
from sourcer.consent.bootstrap import Container
from sourcer.runtime.http import ReadinessCheck, ops_routes


def create_app(container: Container, *, checks: dict[str, ReadinessCheck] | None = None) -> FastAPI:
    app = FastAPI(
        title="Sourcer consent (internal)",
        docs_url=None,
        redoc_url=None,
    )
    app.router.routes.extend(ops_routes({"store": container.store.ping, **(checks or {})}))
    app.state.container = container
    app.include_router(landing.router)
    app.include_router(api.router)

    async def on_problem(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, api.ProblemError)
        return api.problem(exc.status, exc.code, exc.detail, exc.headers)

    async def on_validation(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return api.problem(422, "validation_failed", "The request is not valid.")

    async def on_http(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return api.problem(exc.status_code, "http_error", str(exc.detail))

    app.add_exception_handler(api.ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    return app

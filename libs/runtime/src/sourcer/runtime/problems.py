"""RFC 9457 problem details: the one error shape of every Sourcer HTTP API.

Handlers turn domain errors, validation errors, every HTTPException and anything unexpected into
`application/problem+json` with a stable `code`, so a client never sees an HTML page or a bare
500 traceback. Domain code raises `DomainError`; the service's edge says which status each of
its codes answers with (`register_problem_handlers(app, statuses=...)`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from sourcer.runtime.errors import DomainError
from sourcer.runtime.logging import get_logger
from sourcer.runtime.texts import DEFAULT_LANGUAGE, negotiate, text

log = get_logger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://sourcer.example/problems/"
# A domain code nobody mapped was still a refusal by a rule, not a server fault.
UNMAPPED_STATUS = 422

STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    428: "precondition_required",
    429: "rate_limited",
    500: "internal_error",
    502: "upstream_failed",
    503: "unavailable",
}


class Problem(BaseModel):
    """An error: `code` is stable and meant for programs; `detail` for people."""

    type: str = Field(description="URI of the problem type.", examples=[TYPE_BASE + "not_found"])
    title: str = Field(description="Short summary.", examples=["Not found"])
    status: int = Field(description="HTTP status.", examples=[404])
    code: str = Field(description="Stable machine-readable code.", examples=["not_found"])
    detail: str = Field(description="What went wrong, for people.", examples=["No such talent."])
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Field errors, for validation problems."
    )


class ProblemError(Exception):
    """Raised at the edge (routes, dependencies, HTTP adapters); rendered as problem+json."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.errors = errors


class RelayedProblemError(DomainError):
    """A problem another Sourcer service answered, passed on to our caller unchanged."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(code, message, retry_after=retry_after)
        self.status = status
        self.errors = errors


def retry_after_header(seconds: float) -> str:
    """Whole seconds, rounded up: "0" would invite an immediate retry."""
    return str(max(1, math.ceil(seconds)))


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> JSONResponse:
    """The problem in `language`: English keeps the detail it was raised with (often more
    specific), other languages get the code's own text."""
    known = text(code, language)
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": known.title if known else code.replace("_", " ").capitalize(),
        "status": status,
        "code": code,
        "detail": known.detail if known and language != DEFAULT_LANGUAGE else detail,
    }
    if errors is not None:
        body["errors"] = errors
    headers = {**(headers or {}), "Content-Language": language, "Vary": "Accept-Language"}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def request_language(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the given error statuses."""
    return {
        status: {
            "model": Problem,
            "description": STATUS_CODES.get(status, "error").replace("_", " "),
            "content": {PROBLEM_JSON: {}},
        }
        for status in statuses
    }


def validation_errors(errors: Any) -> list[dict[str, Any]]:
    """Where and what, without the submitted values (they may be personal data)."""
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


def register_problem_handlers(app: FastAPI, *, statuses: Mapping[str, int]) -> None:
    """Render every error as problem+json; `statuses` maps this service's domain codes."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(
            exc.status,
            exc.code,
            exc.detail,
            headers=exc.headers,
            errors=exc.errors,
            language=request_language(request),
        )

    async def on_domain(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        status = getattr(exc, "status", None) or statuses.get(exc.code)
        if status is None:
            log.warning("problem.unmapped_code", code=exc.code)
            status = UNMAPPED_STATUS
        headers = None
        if exc.retry_after is not None:
            headers = {"Retry-After": retry_after_header(exc.retry_after)}
        return problem_response(
            status,
            exc.code,
            exc.message,
            headers=headers,
            errors=getattr(exc, "errors", None),
            language=request_language(request),
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(
            422,
            "validation_failed",
            "The request is not valid; see `errors`.",
            errors=validation_errors(exc.errors()),
            language=request_language(request),
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = STATUS_CODES.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return problem_response(
            exc.status_code,
            code,
            detail,
            headers=dict(exc.headers or {}) or None,
            language=request_language(request),
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request.failed", error=repr(exc))
        return problem_response(
            500,
            "internal_error",
            "Something went wrong on our side.",
            language=request_language(request),
        )

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(DomainError, on_domain)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)

"""RFC 9457 problem details: every error the API answers, with a stable `code`.

Handlers turn validation errors, every HTTPException and anything unexpected into
`application/problem+json`, so a client never sees an HTML page or a bare 500 traceback.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://sourcer.example/problems/"

_STATUS_CODES: dict[int, str] = {
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
    """Raised by routes and services; rendered as problem+json."""

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


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": code.replace("_", " ").capitalize(),
        "status": status,
        "code": code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the given error statuses."""
    return {
        status: {
            "model": Problem,
            "description": _STATUS_CODES.get(status, "error").replace("_", " "),
            "content": {PROBLEM_JSON: {}},
        }
        for status in statuses
    }


def _clean_errors(errors: Any) -> list[dict[str, Any]]:
    cleaned = []
    for error in errors:
        cleaned.append(
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
        )
    return cleaned


def register_problem_handlers(app: FastAPI) -> None:
    async def on_problem(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem_response(
            exc.status, exc.code, exc.detail, headers=exc.headers, errors=exc.errors
        )

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(
            422,
            "validation_failed",
            "The request is not valid; see `errors`.",
            errors=_clean_errors(exc.errors()),
        )

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return problem_response(
            exc.status_code, code, detail, headers=dict(exc.headers or {}) or None
        )

    async def on_unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("request.failed", error=repr(exc))
        return problem_response(500, "internal_error", "Something went wrong on our side.")

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)

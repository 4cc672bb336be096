"""The talent service's internal HTTP API, called by the gateway with the recruiter's token.

Internal means not published to extensions: it is still authenticated (the same JWT, verified
again here with `sourcer.runtime.auth`) and every query is scoped to the token's tenant.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sourcer.runtime.auth import AuthError, Caller, TokenVerifier, bearer_token
from sourcer.runtime.store import Document, Store
from sourcer.talent.previews import Publisher
from sourcer.talent.repository import MongoTalentRepository
from sourcer.talent.submission import SubmitHandler

PROBLEM_JSON = "application/problem+json"
HIDDEN = {
    "_id",
    "tenant_id",
    "profile_keys",
    "profile_urls",
    "email_keys",
    "name_company_key",
    "applied_requests",
}


class ProblemError(Exception):
    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def problem(status: int, code: str, detail: str, errors: Any = None) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://sourcer.example/problems/{code}",
        "title": code.replace("_", " ").capitalize(),
        "status": status,
        "code": code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


@dataclass
class ApiContext:
    store: Store
    repo: MongoTalentRepository
    publisher: Publisher
    submit: SubmitHandler


# `async def` dependencies: FastAPI runs a plain `def` one in its thread pool, a thread hop
# per dependency per request.
async def context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.ctx
    return ctx


async def caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Caller:
    verifier: TokenVerifier = request.app.state.verifier
    try:
        return await verifier.verify_async(bearer_token(authorization))
    except AuthError as exc:
        raise ProblemError(401, exc.code, exc.message) from exc


CallerDep = Annotated[Caller, Depends(caller)]
ContextDep = Annotated[ApiContext, Depends(context)]


MAX_VERSION_DIGITS = 18


def parse_if_match(value: str | None) -> int | None:
    """The version an If-Match names; a malformed one matches nothing (412)."""
    if value is None:
        return None
    cleaned = value.strip().removeprefix("W/").strip('"')
    # ASCII digits only ("²".isdigit() is true, int() refuses it), and few enough to fit the
    # store's 64-bit integers: a longer number names no version there is.
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= MAX_VERSION_DIGITS:
        return int(cleaned)
    return -1


def talent_json(doc: Document) -> dict[str, Any]:
    body = {k: v for k, v in doc.items() if k not in HIDDEN}
    body["id"] = doc["_id"]
    encoded: dict[str, Any] = jsonable_encoder(body)
    return encoded


def etag_headers(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def create_api(
    *,
    verifier: TokenVerifier,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    from sourcer.talent import api_pools, api_talents

    app = FastAPI(title="Sourcer talent (internal)", lifespan=lifespan)
    app.state.verifier = verifier

    async def on_problem(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return problem(exc.status, exc.code, exc.detail)

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return problem(422, "validation_failed", "The request is not valid.", errors)

    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return problem(exc.status_code, "http_error", str(exc.detail))

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.include_router(api_talents.router)
    app.include_router(api_pools.router)
    return app

"""The HTTP edge every service shares: its FastAPI app, who is calling, what their role allows.

`service_app` builds an app with problem+json errors, the body limit and the request log context;
an app with a verifier checks the bearer token before a route reads the body; `CallerDep` is the
verified caller (the verifier lives in `app.state.verifier`) and every 401 carries
`WWW-Authenticate`; `require_capability` turns a rule of the capability table
(`capabilities.py`) into a dependency.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sourcer.proto.envelope import Role
from sourcer.runtime.auth import AuthError, Caller, TokenVerifier
from sourcer.runtime.capabilities import ROLES_FOR, Capability
from sourcer.runtime.cors import ExactOriginCorsMiddleware
from sourcer.runtime.middleware import (
    AuthenticateFirstMiddleware,
    BodyLimitMiddleware,
    InFlightLimitMiddleware,
    LogContextMiddleware,
)
from sourcer.runtime.problems import ProblemError, register_problem_handlers

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A JWT with claims sub, tenant and role (recruiter, super_recruiter, admin).",
)

CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> str:
    """The raw bearer token, for calls relayed to another service on the caller's behalf."""
    if credentials is None or not credentials.credentials:
        raise ProblemError(401, "unauthenticated", "A bearer token is required.", headers=CHALLENGE)
    return credentials.credentials


async def current_caller(request: Request, token: Annotated[str, Depends(bearer_token)]) -> Caller:
    verified: Caller | None = getattr(request.state, "caller", None)
    if verified is not None:  # by AuthenticateFirstMiddleware, before the body was read
        return verified
    verifier: TokenVerifier = request.app.state.verifier
    try:
        caller = await verifier.verify_async(token)
    except AuthError as exc:
        raise ProblemError(401, exc.code, exc.message, headers=CHALLENGE) from exc
    request.state.caller = caller
    return caller


def require_role(*roles: Role) -> Any:
    """A dependency admitting only callers with one of `roles`; others get 403."""
    if roles == (Role.ADMIN,):
        code, detail = "admin_required", "Only admins may do this."
    else:
        allowed = ", ".join(role.value for role in roles)
        code, detail = "forbidden", f"Your role may not do this; it takes one of: {allowed}."

    async def check(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
        if not caller.has_role(*roles):
            raise ProblemError(403, code, detail)
        return caller

    return Depends(check)


def require_capability(capability: Capability) -> Any:
    """A dependency admitting only callers whose role has `capability`; others get 403."""
    return require_role(*ROLES_FOR[capability])


TokenDep = Annotated[str, Depends(bearer_token)]
CallerDep = Annotated[Caller, Depends(current_caller)]
AdminDep = Annotated[Caller, require_role(Role.ADMIN)]
# One alias per capability, so a route names what it needs rather than who has it.
UnlockDep = Annotated[Caller, require_capability(Capability.UNLOCK_CONSENT)]
WebhooksManagerDep = Annotated[Caller, require_capability(Capability.MANAGE_WEBHOOKS)]
SettingsManagerDep = Annotated[Caller, require_capability(Capability.MANAGE_SETTINGS)]
SessionsManagerDep = Annotated[Caller, require_capability(Capability.MANAGE_SESSIONS_OF_OTHERS)]
PoolsDeleterDep = Annotated[Caller, require_capability(Capability.DELETE_POOLS)]


def service_app(
    *,
    title: str,
    routers: Sequence[APIRouter],
    verifier: TokenVerifier | None,
    error_statuses: Mapping[str, int],
    max_body_bytes: int,
    max_in_flight: int | None = None,
    cors_origins: Collection[str] = (),
    description: str = "",
    version: str = "1.0.0",
    docs: bool = True,
) -> FastAPI:
    """A service's API app; the runtime adds the ops routes when it serves it.

    With a verifier, every route but the API description and ops routes needs a valid bearer
    token, checked before the body is read; `max_in_flight` bounds the requests being worked on
    (more get 503 with Retry-After); `cors_origins` are the browser origins (the extension's)
    allowed to call it."""
    app = FastAPI(
        title=title,
        version=version,
        description=description,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.verifier = verifier
    register_problem_handlers(app, statuses=error_statuses)
    for router in routers:
        app.include_router(router)
    # Outermost last: CORS (answers preflights, which carry no token, and puts its headers on
    # every refusal below, so the extension can read them), log context, then the in-flight
    # bound (refuses before any work), then authentication, then the body limit, so no body is
    # read for an unauthenticated caller.
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes)
    if verifier is not None:
        app.add_middleware(AuthenticateFirstMiddleware, verifier=verifier)
    if max_in_flight is not None:
        app.add_middleware(InFlightLimitMiddleware, limit=max_in_flight)
    app.add_middleware(LogContextMiddleware)
    if cors_origins:
        app.add_middleware(ExactOriginCorsMiddleware, origins=cors_origins)
    return app

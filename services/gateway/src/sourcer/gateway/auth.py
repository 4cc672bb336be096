"""Who is calling: the bearer token verified with `sourcer.runtime.auth`, as a dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sourcer.gateway.problems import ProblemError
from sourcer.proto.envelope import Role
from sourcer.runtime.auth import AuthError, Caller, TokenVerifier

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A JWT with claims sub, tenant and role (recruiter, super_recruiter, admin).",
)

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.verifier
    return verifier


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> str:
    if credentials is None or not credentials.credentials:
        raise ProblemError(
            401, "unauthenticated", "A bearer token is required.", headers=_CHALLENGE
        )
    return credentials.credentials


async def current_caller(request: Request, token: Annotated[str, Depends(bearer_token)]) -> Caller:
    try:
        caller = await _verifier(request).verify_async(token)
    except AuthError as exc:
        raise ProblemError(401, exc.code, exc.message, headers=_CHALLENGE) from exc
    request.state.caller = caller
    return caller


def require_roles(*roles: Role) -> object:
    async def check(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
        if not caller.has_role(*roles):
            raise ProblemError(403, "forbidden", "Your role may not do this.")
        return caller

    return Depends(check)

"""Platform sessions: a recruiter connects their own LinkedIn or Xing session; admins manage
the tenant's, including its shared pool. The extractor owns sessions, so these routes relay to
its internal API with the caller's token. Secrets go in and never come out."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Path, Request, Response

from sourcer.gateway.deps import CallerDep, ExtractorApiDep, SessionsManagerDep, TokenDep
from sourcer.gateway.internal_api import InternalApi, InternalReply, relay
from sourcer.proto.records import Platform
from sourcer.proto.session_api import (
    SessionConnect,
    SessionList,
    SessionPolicy,
    SessionRead,
    SharedSessionCreate,
)
from sourcer.runtime.problems import problem_responses

router = APIRouter(tags=["sessions"])

SessionId = Annotated[str, Path(pattern=r"^ses_[a-f0-9]{20}$", description="Session id.")]
Sub = Annotated[
    str,
    Path(pattern=r"^[^\x00-\x1f\x7f]{1,128}$", description="The recruiter's `sub`."),
]

CONNECT_EXAMPLES = {
    "cookie": {
        "summary": "The platform's session cookie (li_at on LinkedIn, login on Xing)",
        "value": {"cookie": "AQEDARmZ3xYC..."},
    },
}


async def call_extractor(
    extractor: InternalApi,
    request: Request,
    method: str,
    path: str,
    *,
    token: str,
    json: Any = None,
) -> InternalReply:
    reply = await extractor.call(
        method,
        f"/internal/v1{path}",
        token=token,
        json=json,
        correlation_id=request.headers.get("x-correlation-id"),
    )
    return relay(reply, service="extractor")


@router.get("/v1/me/sessions", response_model=SessionList, responses=problem_responses(401, 503))
async def my_sessions(
    caller: CallerDep, token: TokenDep, extractor: ExtractorApiDep, request: Request
) -> Any:
    """Your own platform sessions: state, last use, use today against the daily cap, next
    free slot; and whether your organisation's shared pool stands in."""
    return (await call_extractor(extractor, request, "GET", "/me/sessions", token=token)).body


@router.put(
    "/v1/me/sessions/{platform}",
    response_model=SessionRead,
    status_code=202,
    responses=problem_responses(401, 413, 422, 503),
)
async def connect_my_session(
    platform: Platform,
    body: Annotated[SessionConnect, Body(openapi_examples=CONNECT_EXAMPLES)],
    caller: CallerDep,
    token: TokenDep,
    extractor: ExtractorApiDep,
    request: Request,
) -> Any:
    """Connect (or replace) your own session for the platform. It is `validating` until one
    real page load says it is logged in (`connected`) or not (`expired`, `checkpoint`): poll
    `GET /v1/me/sessions`. The secret is stored encrypted and never shown again."""
    reply = await call_extractor(
        extractor,
        request,
        "PUT",
        f"/me/sessions/{platform.value}",
        token=token,
        json=body.model_dump(mode="json", exclude_none=True),
    )
    return reply.body


@router.delete(
    "/v1/me/sessions/{platform}", status_code=204, responses=problem_responses(401, 404, 503)
)
async def disconnect_my_session(
    platform: Platform,
    caller: CallerDep,
    token: TokenDep,
    extractor: ExtractorApiDep,
    request: Request,
) -> Response:
    """Disconnect your session for the platform: it is erased."""
    await call_extractor(
        extractor, request, "DELETE", f"/me/sessions/{platform.value}", token=token
    )
    return Response(status_code=204)


@router.get("/v1/sessions", response_model=SessionList, responses=problem_responses(401, 403, 503))
async def tenant_sessions(
    caller: SessionsManagerDep, token: TokenDep, extractor: ExtractorApiDep, request: Request
) -> Any:
    """Every session of your organisation, recruiters' own and the shared pool (admins)."""
    return (await call_extractor(extractor, request, "GET", "/sessions", token=token)).body


@router.post(
    "/v1/sessions",
    response_model=SessionRead,
    status_code=202,
    responses=problem_responses(401, 403, 413, 422, 503),
)
async def add_shared_session(
    body: SharedSessionCreate,
    caller: SessionsManagerDep,
    token: TokenDep,
    extractor: ExtractorApiDep,
    request: Request,
) -> Any:
    """Add a session to your organisation's shared pool (admins)."""
    reply = await call_extractor(
        extractor, request, "POST", "/sessions", token=token,
        json=body.model_dump(mode="json", exclude_none=True),
    )  # fmt: skip
    return reply.body


@router.get(
    "/v1/sessions/policy", response_model=SessionPolicy, responses=problem_responses(401, 503)
)
async def get_session_policy(
    caller: CallerDep, token: TokenDep, extractor: ExtractorApiDep, request: Request
) -> Any:
    """Whether recruiters without an own session may use the shared pool (off by default)."""
    return (await call_extractor(extractor, request, "GET", "/sessions/policy", token=token)).body


@router.put(
    "/v1/sessions/policy",
    response_model=SessionPolicy,
    responses=problem_responses(401, 403, 422, 503),
)
async def put_session_policy(
    body: SessionPolicy,
    caller: SessionsManagerDep,
    token: TokenDep,
    extractor: ExtractorApiDep,
    request: Request,
) -> Any:
    """Allow or forbid the shared pool for recruiters without an own session (admins)."""
    reply = await call_extractor(
        extractor, request, "PUT", "/sessions/policy", token=token, json=body.model_dump()
    )
    return reply.body


@router.post(
    "/v1/sessions/{session_id}/disable",
    response_model=SessionRead,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def disable_session(
    session_id: SessionId,
    caller: SessionsManagerDep,
    token: TokenDep,
    extractor: ExtractorApiDep,
    request: Request,
) -> Any:
    """Take a session out of rotation (admins)."""
    path = f"/sessions/{session_id}/disable"
    return (await call_extractor(extractor, request, "POST", path, token=token)).body


@router.delete(
    "/v1/sessions/{session_id}",
    status_code=204,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def delete_session(
    session_id: SessionId,
    caller: SessionsManagerDep,
    token: TokenDep,
    extractor: ExtractorApiDep,
    request: Request,
) -> Response:
    """Erase a session of your organisation (admins)."""
    await call_extractor(extractor, request, "DELETE", f"/sessions/{session_id}", token=token)
    return Response(status_code=204)


@router.delete(
    "/v1/users/{sub}/sessions",
    status_code=204,
    responses=problem_responses(401, 403, 422, 503),
)
async def delete_user_sessions(
    sub: Sub,
    caller: SessionsManagerDep,
    token: TokenDep,
    extractor: ExtractorApiDep,
    request: Request,
) -> Response:
    """Erase every session of a recruiter who left your organisation (admins)."""
    path = f"/users/{quote(sub, safe='')}/sessions"
    await call_extractor(extractor, request, "DELETE", path, token=token)
    return Response(status_code=204)

"""The extractor's internal API: recruiters connect their own platform sessions, admins manage
the tenant's. Called by the gateway with the caller's token (verified again here); the tenant
and the owner always come from the token. Secrets go in and never come out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Path, Request, Response

from sourcer.extractor.container import Container
from sourcer.extractor.session_input import SessionInputError, storage_state_for
from sourcer.extractor.sessions import PLATFORM_NAMES, SessionState, SessionSummary
from sourcer.proto.events import SessionValidate
from sourcer.proto.records import Platform
from sourcer.proto.session_api import (
    SessionConnect,
    SessionList,
    SessionPolicy,
    SessionRead,
    SharedSessionCreate,
)
from sourcer.runtime.auth import Caller, TokenVerifier
from sourcer.runtime.edge import CallerDep, SessionsManagerDep, service_app
from sourcer.runtime.problems import ProblemError

router = APIRouter(prefix="/internal/v1")
MAX_BODY_BYTES = 256 * 1024
Id = Annotated[str, Path(pattern=r"^ses_[a-f0-9]{20}$")]
Sub = Annotated[str, Path(pattern=r"^[^\x00-\x1f\x7f]{1,128}$")]


async def container(request: Request) -> Container:
    c: Container = request.app.state.container
    return c


ContainerDep = Annotated[Container, Depends(container)]


def state_message(summary: SessionSummary, now: datetime) -> str:
    name = PLATFORM_NAMES[summary.platform]
    if summary.state is SessionState.RATE_LIMITED and summary.cooldown_until:
        until = summary.cooldown_until.strftime("%H:%M UTC")
        return f"{name} limited this session; it rests until {until}."
    return {
        SessionState.VALIDATING: f"Checking the session with one {name} page…",
        SessionState.CONNECTED: "Connected.",
        SessionState.EXPIRED: f"Expired: reconnect your {name} session.",
        SessionState.CHECKPOINT: (
            f"{name} asked for a security check: complete it in your browser, then reconnect."
        ),
        SessionState.RATE_LIMITED: f"{name} limited this session for a while.",
        SessionState.DISABLED: "Disabled by an admin of your organisation.",
    }[summary.state]


def session_read(summary: SessionSummary) -> SessionRead:
    now = datetime.now(UTC)
    return SessionRead(
        id=summary.session_id,
        platform=summary.platform,
        shared=summary.shared,
        owner=summary.owner,
        label=summary.label,
        state=summary.state.value,
        state_since=summary.state_since,
        connected_at=summary.connected_at,
        last_used_at=summary.last_used_at,
        used_today=summary.used_today,
        daily_cap=summary.daily_cap,
        next_free_at=summary.next_free_at(now),
        message=state_message(summary, now),
    )


async def _connect(
    c: Container, who: Caller, platform: Platform, body: SessionConnect, *, owner: str | None,
    label: str | None = None,
) -> SessionRead:  # fmt: skip
    base_url = c.settings.base_url(platform)
    try:
        storage_state = storage_state_for(platform, body, base_url)
    except SessionInputError as exc:
        raise ProblemError(422, "session_invalid", str(exc)) from exc
    summary = await c.sessions.connect(
        tenant_id=who.tenant,
        platform=platform,
        owner=owner,
        label=label,
        storage_state=storage_state,
        by=who.sub,
    )
    # One real page load decides whether it is connected; any extractor may do it.
    await c.publisher.emit(
        SessionValidate(session_id=summary.session_id),
        tenant_id=who.tenant,
        correlation_id=summary.session_id,
        actor=who.actor(),
    )
    return session_read(summary)


@router.get("/me/sessions", response_model=SessionList)
async def my_sessions(who: CallerDep, c: ContainerDep) -> SessionList:
    """The caller's own sessions, and whether the tenant's shared pool stands in."""
    mine = await c.sessions.list(tenant_id=who.tenant, owner=who.sub)
    return SessionList(
        items=[session_read(s) for s in mine],
        shared_pool=await c.sessions.shared_pool(tenant_id=who.tenant),
    )


@router.put("/me/sessions/{platform}", response_model=SessionRead, status_code=202)
async def connect_mine(
    platform: Platform, body: SessionConnect, who: CallerDep, c: ContainerDep
) -> SessionRead:
    """Connect (or replace) the caller's own session; it is checked with one page load."""
    return await _connect(c, who, platform, body, owner=who.sub)


@router.delete("/me/sessions/{platform}", status_code=204)
async def disconnect_mine(platform: Platform, who: CallerDep, c: ContainerDep) -> Response:
    """Erase the caller's own session for the platform."""
    deleted = await c.sessions.delete(
        tenant_id=who.tenant, query={"owner": who.sub, "platform": platform.value}
    )
    if not deleted:
        raise ProblemError(404, "session_not_found", "You have no session for this platform.")
    return Response(status_code=204)


@router.get("/sessions", response_model=SessionList)
async def tenant_sessions(who: SessionsManagerDep, c: ContainerDep) -> SessionList:
    """Every session of the tenant: recruiters' own and the shared pool (admins)."""
    found = await c.sessions.list(tenant_id=who.tenant)
    return SessionList(
        items=[session_read(s) for s in found],
        shared_pool=await c.sessions.shared_pool(tenant_id=who.tenant),
    )


@router.post("/sessions", response_model=SessionRead, status_code=202)
async def add_shared(
    body: SharedSessionCreate, who: SessionsManagerDep, c: ContainerDep
) -> SessionRead:
    """Add a session to the tenant's shared pool (admins)."""
    return await _connect(c, who, body.platform, body, owner=None, label=body.label)


@router.post("/sessions/{session_id}/disable", response_model=SessionRead)
async def disable(session_id: Id, who: SessionsManagerDep, c: ContainerDep) -> SessionRead:
    """Take a session out of rotation; its owner connects it again to use it (admins)."""
    found = await c.sessions.get(session_id=session_id)
    if found is None or found.tenant_id != who.tenant:
        raise ProblemError(404, "session_not_found", "No such session in your organisation.")
    await c.sessions.set_state(
        session_id=session_id, state=SessionState.DISABLED, now=datetime.now(UTC)
    )
    updated = await c.sessions.get(session_id=session_id)
    assert updated is not None
    return session_read(updated)


@router.delete("/sessions/{session_id}", status_code=204)
async def delete_one(session_id: Id, who: SessionsManagerDep, c: ContainerDep) -> Response:
    """Erase a session of the tenant (admins)."""
    if not await c.sessions.delete(tenant_id=who.tenant, query={"_id": session_id}):
        raise ProblemError(404, "session_not_found", "No such session in your organisation.")
    return Response(status_code=204)


@router.delete("/users/{sub}/sessions", status_code=204)
async def delete_users(sub: Sub, who: SessionsManagerDep, c: ContainerDep) -> Response:
    """Erase every session of a recruiter who left the organisation (admins)."""
    await c.sessions.delete(tenant_id=who.tenant, query={"owner": sub})
    return Response(status_code=204)


@router.get("/sessions/policy", response_model=SessionPolicy)
async def get_policy(who: CallerDep, c: ContainerDep) -> SessionPolicy:
    """Whether recruiters without an own session may use the shared pool."""
    return SessionPolicy(shared_pool=await c.sessions.shared_pool(tenant_id=who.tenant))


@router.put("/sessions/policy", response_model=SessionPolicy)
async def put_policy(
    body: SessionPolicy, who: SessionsManagerDep, c: ContainerDep
) -> SessionPolicy:
    """Allow or forbid the shared pool for recruiters without an own session (admins)."""
    await c.sessions.set_shared_pool(tenant_id=who.tenant, allowed=body.shared_pool, by=who.sub)
    return body


def create_api(container: Container, verifier: TokenVerifier | None) -> FastAPI:
    app = service_app(
        title="Sourcer extractor (internal)",
        routers=[router],
        verifier=verifier,
        error_statuses={},
        max_body_bytes=MAX_BODY_BYTES,
        docs=False,
    )
    app.state.container = container
    return app

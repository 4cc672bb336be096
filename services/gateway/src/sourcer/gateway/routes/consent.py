"""Consent of a talent: ask by link or email, unlock (admins), read, and who is deleted soon.

The consent service owns every consent write, so these routes call its internal API with the
caller's own bearer token (it verifies the token again and takes the tenant from it) and relay
its answers, problem+json included. Reads go the same way: one writer, one source of truth.
"""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Body, Path, Query, Request, Response
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from sourcer.gateway.deps import CallerDep, TokenDep
from sourcer.gateway.problems import ProblemError, problem_responses
from sourcer.proto.consent_api import (
    ConsentRead,
    ConsentRequestCreate,
    ConsentUnlockCreate,
    ControllerUpdate,
    DeletingSoonRead,
)
from sourcer.proto.envelope import Role
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)
router = APIRouter(tags=["consent"])

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]


class ConsentApiSettings(BaseSettings):
    """`SOURCER_GATEWAY_CONSENT_API_*`: where the consent service's internal API answers."""

    model_config = SettingsConfigDict(env_prefix="SOURCER_GATEWAY_", extra="ignore")

    consent_api_url: str = Field(default="http://127.0.0.1:8103")
    consent_api_timeout: float = Field(default=5.0, gt=0)


def consent_client(request: Request) -> httpx.AsyncClient:
    """One client per app, made on first use; tests put an ASGI transport in
    `app.state.consent_transport`."""
    client: httpx.AsyncClient | None = getattr(request.app.state, "consent_client", None)
    if client is None or client.is_closed:
        settings = ConsentApiSettings()
        client = httpx.AsyncClient(
            base_url=settings.consent_api_url,
            timeout=settings.consent_api_timeout,
            transport=getattr(request.app.state, "consent_transport", None),
        )
        request.app.state.consent_client = client
    return client


async def call_consent(
    request: Request, method: str, path: str, *, token: str, json: Any = None
) -> httpx.Response:
    """Relay to the consent service; its 4xx problems reach the caller unchanged."""
    headers = {"Authorization": f"Bearer {token}"}
    correlation = request.headers.get("x-correlation-id")
    if correlation:
        headers["X-Correlation-Id"] = correlation[:64]
    try:
        response = await consent_client(request).request(
            method, f"/internal/v1{path}", json=json, headers=headers
        )
    except httpx.HTTPError as exc:
        log.warning("consent.unreachable", error=repr(exc), path=path)
        raise ProblemError(
            503,
            "consent_service_unavailable",
            "The consent service did not answer; try again in a moment.",
            headers={"Retry-After": "2"},
        ) from exc
    if response.status_code >= 500:
        raise ProblemError(
            503,
            "consent_service_unavailable",
            "The consent service failed; try again in a moment.",
            headers={"Retry-After": "2"},
        )
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = {}
        kept = {k: v for k, v in response.headers.items() if k.lower() in {"retry-after"}}
        raise ProblemError(
            response.status_code,
            str(body.get("code") or "consent_request_failed"),
            str(body.get("detail") or "The consent service refused the request."),
            headers=kept or None,
        )
    return response


def require_admin(caller: CallerDep) -> None:
    if not caller.has_role(Role.ADMIN):
        raise ProblemError(403, "admin_required", "Only admins may do this.")


REQUEST_EXAMPLES = {
    "link": {
        "summary": "A link the recruiter sends privately",
        "value": {"channel": "link"},
    },
    "email": {
        "summary": "An email in German",
        "value": {"channel": "email", "language": "de"},
    },
}


@router.post(
    "/v1/talents/{talent_id}/consent-requests",
    response_model=ConsentRead,
    status_code=201,
    responses={
        200: {"model": ConsentRead, "description": "The pending request, joined."},
        **problem_responses(401, 404, 409, 422, 429, 503),
    },
)
async def request_consent(
    talent_id: Id,
    body: Annotated[ConsentRequestCreate, Body(openapi_examples=REQUEST_EXAMPLES)],
    caller: CallerDep,
    token: TokenDep,
    request: Request,
    response: Response,
) -> Any:
    """Ask the talent for consent; `link` answers with the URL, `email` sends it (422
    `consent_email_unavailable` without an address; 429 `consent_email_rate_limited`).
    A talent has one pending request: asking again joins it (200) or renews an expired one."""
    reply = await call_consent(
        request,
        "POST",
        f"/talents/{talent_id}/consent-requests",
        token=token,
        json=body.model_dump(mode="json"),
    )
    response.status_code = reply.status_code
    return reply.json()


@router.get(
    "/v1/talents/{talent_id}/consent",
    response_model=ConsentRead,
    responses=problem_responses(401, 404, 422, 503),
)
async def get_consent(talent_id: Id, caller: CallerDep, token: TokenDep, request: Request) -> Any:
    """The talent's consent state, with who decided, when, and under which text version."""
    return (await call_consent(request, "GET", f"/talents/{talent_id}/consent", token=token)).json()


UNLOCK_DESCRIPTION = """\
**Warning: this bypasses the talent's consent.** Use it only when the talent agreed in another
way you can prove (e.g. in writing). Admins only; the reason is required and is recorded with
your identity and the time, and `consent.unlocked` is published to webhooks. The reason is
kept as evidence even after the talent's data is erased: write why, not who (no names, emails
or other personal data). The talent can still deny later from a consent link, which erases
their data.
"""


@router.post(
    "/v1/talents/{talent_id}/consent/unlock",
    response_model=ConsentRead,
    description=UNLOCK_DESCRIPTION,
    summary="Unlock a talent without their consent (admins; bypasses consent)",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def unlock(
    talent_id: Id,
    body: ConsentUnlockCreate,
    caller: CallerDep,
    token: TokenDep,
    request: Request,
) -> Any:
    """Unlock without the talent's consent: admins only, logged with the reason."""
    require_admin(caller)
    reply = await call_consent(
        request,
        "POST",
        f"/talents/{talent_id}/consent/unlock",
        token=token,
        json=body.model_dump(mode="json"),
    )
    return reply.json()


@router.get(
    "/v1/consents/deleting-soon",
    response_model=list[DeletingSoonRead],
    responses=problem_responses(401, 403, 422, 503),
)
async def deleting_soon(
    caller: CallerDep,
    token: TokenDep,
    request: Request,
    within_days: Annotated[int, Query(ge=1, le=365, description="Look-ahead in days.")] = 7,
) -> Any:
    """Talents whose data is erased within the given days unless they answer (admins)."""
    require_admin(caller)
    path = f"/consents/deleting-soon?within_days={within_days}"
    return (await call_consent(request, "GET", path, token=token)).json()


@router.get(
    "/v1/consent/controller",
    response_model=ControllerUpdate,
    responses=problem_responses(401, 503),
)
async def get_controller(caller: CallerDep, token: TokenDep, request: Request) -> Any:
    """The data controller talents of your tenant are shown on pages and in emails."""
    return (await call_consent(request, "GET", "/consent/controller", token=token)).json()


@router.put(
    "/v1/consent/controller",
    response_model=ControllerUpdate,
    responses=problem_responses(401, 403, 422, 503),
)
async def put_controller(
    body: ControllerUpdate, caller: CallerDep, token: TokenDep, request: Request
) -> Any:
    """Set your tenant's controller details (admins); defaults apply until then."""
    require_admin(caller)
    reply = await call_consent(
        request, "PUT", "/consent/controller", token=token, json=body.model_dump(mode="json")
    )
    return reply.json()

"""Consent of a talent: ask by link or email, unlock (admins), read, and who is deleted soon.

The consent service owns every consent write, so these routes call its internal API with the
caller's own bearer token (it verifies the token again and takes the tenant from it) and relay
its answers, problem+json included. Reads go the same way: one writer, one source of truth.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, Response

from sourcer.gateway.deps import (
    CallerDep,
    ConsentApiDep,
    SettingsManagerDep,
    TokenDep,
    UnlockDep,
)
from sourcer.gateway.internal_api import InternalApi, InternalReply, relay
from sourcer.proto.consent_api import (
    CLIENT_IP_HEADER,
    ConsentRead,
    ConsentRequestCreate,
    ConsentUnlockCreate,
    ControllerUpdate,
    DeletingSoonRead,
)
from sourcer.runtime.problems import problem_responses

router = APIRouter(tags=["consent"])

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]


async def call_consent(
    consent: InternalApi,
    request: Request,
    method: str,
    path: str,
    *,
    token: str,
    json: Any = None,
    headers: dict[str, str] | None = None,
) -> InternalReply:
    """Relay to the consent service's internal API; its problems reach the caller unchanged."""
    reply = await consent.call(
        method,
        f"/internal/v1{path}",
        token=token,
        json=json,
        headers=headers,
        correlation_id=request.headers.get("x-correlation-id"),
    )
    return relay(reply, service="consent")


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
        **problem_responses(401, 403, 404, 409, 422, 429, 503),
    },
)
async def request_consent(
    talent_id: Id,
    body: Annotated[ConsentRequestCreate, Body(openapi_examples=REQUEST_EXAMPLES)],
    caller: CallerDep,
    token: TokenDep,
    consent: ConsentApiDep,
    request: Request,
    response: Response,
) -> Any:
    """Ask the talent for consent; `link` answers with the URL, `email` sends it (422
    `consent_email_unavailable` without an address; 429 `consent_email_rate_limited`; 409
    `controller_not_set` until an admin set the tenant's controller). A talent has one pending
    request: asking again joins it (200) or renews an expired one; a link is never issued for
    a request pending by email (409 `consent_pending_by_email`). Until the talent consented
    or was unlocked, only its sourcing recruiter and admins ask (403 `consent_required`)."""
    reply = await call_consent(
        consent,
        request,
        "POST",
        f"/talents/{talent_id}/consent-requests",
        token=token,
        json=body.model_dump(mode="json"),
        # Kept (keyed-hashed) with the link: an answer from this address is flagged.
        headers={CLIENT_IP_HEADER: request.client.host} if request.client else None,
    )
    response.status_code = reply.status
    return reply.body


@router.get(
    "/v1/talents/{talent_id}/consent",
    response_model=ConsentRead,
    responses=problem_responses(401, 404, 422, 503),
)
async def get_consent(
    talent_id: Id, caller: CallerDep, token: TokenDep, consent: ConsentApiDep, request: Request
) -> Any:
    """The talent's consent state, with who decided, when, and under which text version."""
    return (
        await call_consent(consent, request, "GET", f"/talents/{talent_id}/consent", token=token)
    ).body


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
    caller: UnlockDep,
    token: TokenDep,
    consent: ConsentApiDep,
    request: Request,
) -> Any:
    """Unlock without the talent's consent: admins only, logged with the reason."""
    reply = await call_consent(
        consent,
        request,
        "POST",
        f"/talents/{talent_id}/consent/unlock",
        token=token,
        json=body.model_dump(mode="json"),
    )
    return reply.body


@router.get(
    "/v1/consents/deleting-soon",
    response_model=list[DeletingSoonRead],
    responses=problem_responses(401, 403, 422, 503),
)
async def deleting_soon(
    caller: UnlockDep,
    token: TokenDep,
    consent: ConsentApiDep,
    request: Request,
    within_days: Annotated[int, Query(ge=1, le=365, description="Look-ahead in days.")] = 7,
) -> Any:
    """Talents whose data is erased within the given days unless they answer (admins)."""
    path = f"/consents/deleting-soon?within_days={within_days}"
    return (await call_consent(consent, request, "GET", path, token=token)).body


@router.get(
    "/v1/consent/controller",
    response_model=ControllerUpdate,
    responses=problem_responses(401, 404, 503),
)
async def get_controller(
    caller: CallerDep, token: TokenDep, consent: ConsentApiDep, request: Request
) -> Any:
    """The data controller talents of your tenant are shown on pages and in emails (404
    `controller_not_set` until an admin sets it)."""
    return (await call_consent(consent, request, "GET", "/consent/controller", token=token)).body


@router.put(
    "/v1/consent/controller",
    response_model=ControllerUpdate,
    responses=problem_responses(401, 403, 422, 503),
)
async def put_controller(
    body: ControllerUpdate,
    caller: SettingsManagerDep,
    token: TokenDep,
    consent: ConsentApiDep,
    request: Request,
) -> Any:
    """Set your tenant's controller details (admins); until then no consent mail or link goes
    out (409 `controller_not_set`). One line each: no line breaks or control characters."""
    reply = await call_consent(
        consent,
        request,
        "PUT",
        "/consent/controller",
        token=token,
        json=body.model_dump(mode="json"),
    )
    return reply.body

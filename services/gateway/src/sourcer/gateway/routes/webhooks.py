"""Webhook endpoints of the tenant for consent outcomes, their delivery log and redelivery.

Admins only. Deliveries are signed per Standard Webhooks (webhook-id, webhook-timestamp,
webhook-signature); see docs/webhooks.md. The consent service stores and sends them; these
routes relay to its internal API with the caller's token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, Response

from sourcer.gateway.deps import ConsentApiDep, TokenDep, WebhooksManagerDep
from sourcer.gateway.routes.consent import call_consent
from sourcer.proto.consent_api import DeliveryRead, WebhookCreate, WebhookCreated, WebhookRead
from sourcer.runtime.problems import problem_responses

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

Id = Annotated[str, Path(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]

CREATE_EXAMPLES = {
    "all": {
        "summary": "Every consent outcome",
        "value": {"url": "https://hooks.example.com/sourcer", "description": "ATS sync"},
    },
    "some": {
        "summary": "Only grants and denials",
        "value": {
            "url": "https://hooks.example.com/sourcer",
            "events": ["consent.granted", "consent.denied"],
        },
    },
}


@router.post(
    "",
    response_model=WebhookCreated,
    status_code=201,
    responses=problem_responses(401, 403, 422, 503),
)
async def create_webhook(
    body: Annotated[WebhookCreate, Body(openapi_examples=CREATE_EXAMPLES)],
    caller: WebhooksManagerDep,
    token: TokenDep,
    consent: ConsentApiDep,
    request: Request,
) -> Any:
    """Register an endpoint; the signing secret is shown in this response only. Targets must be
    https on port 443 or 8443 and resolve to public addresses only; otherwise 422 with
    `webhook_https_required`, `webhook_port_forbidden`, `webhook_url_invalid` or
    `webhook_target_forbidden` (docs/webhooks.md)."""
    reply = await call_consent(
        consent, request, "POST", "/webhooks", token=token, json=body.model_dump(mode="json")
    )
    return reply.body


@router.get("", response_model=list[WebhookRead], responses=problem_responses(401, 403, 503))
async def list_webhooks(
    caller: WebhooksManagerDep, token: TokenDep, consent: ConsentApiDep, request: Request
) -> Any:
    """The tenant's endpoints (without secrets)."""
    return (await call_consent(consent, request, "GET", "/webhooks", token=token)).body


@router.delete(
    "/{endpoint_id}", status_code=204, responses=problem_responses(401, 403, 404, 422, 503)
)
async def delete_webhook(
    endpoint_id: Id,
    caller: WebhooksManagerDep,
    token: TokenDep,
    consent: ConsentApiDep,
    request: Request,
) -> Response:
    """Remove an endpoint; its pending deliveries are cancelled."""
    await call_consent(consent, request, "DELETE", f"/webhooks/{endpoint_id}", token=token)
    return Response(status_code=204)


@router.get(
    "/{endpoint_id}/deliveries",
    response_model=list[DeliveryRead],
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def list_deliveries(
    endpoint_id: Id,
    caller: WebhooksManagerDep,
    token: TokenDep,
    consent: ConsentApiDep,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Any:
    """The delivery log of an endpoint, newest first, with every attempt."""
    path = f"/webhooks/{endpoint_id}/deliveries?limit={limit}"
    return (await call_consent(consent, request, "GET", path, token=token)).body


@router.post(
    "/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def redeliver(
    endpoint_id: Id,
    delivery_id: Id,
    caller: WebhooksManagerDep,
    token: TokenDep,
    consent: ConsentApiDep,
    request: Request,
) -> Response:
    """Send a delivery again now: a new series of attempts with the same webhook-id."""
    path = f"/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver"
    await call_consent(consent, request, "POST", path, token=token)
    return Response(status_code=202)

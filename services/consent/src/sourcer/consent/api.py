"""The consent service's internal API, called by the gateway with the user's bearer token.

The gateway documents the public API; this service owns the writes, so it verifies the token
again (same `SOURCER_AUTH_*` settings) and takes the tenant from it, never from the request.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from sourcer.consent.container import Container
from sourcer.consent.domain import Consent
from sourcer.consent.texts import Controller
from sourcer.consent.webhook_events import event_types_of
from sourcer.consent.webhook_sender import DELIVERY_ERROR, DNS_FAILED, ERRORS, TARGET_REFUSED
from sourcer.proto.consent_api import (
    CLIENT_IP_HEADER,
    AttemptRead,
    ConsentRead,
    ConsentRequestCreate,
    ConsentUnlockCreate,
    ControllerUpdate,
    DeletingSoonRead,
    DeliveryRead,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
    WebhookUpdate,
)
from sourcer.proto.events import ConsentChannel
from sourcer.proto.restrictions import CONSENT_REQUIRED
from sourcer.runtime.edge import (
    CallerDep,
    SettingsManagerDep,
    UnlockDep,
    WebhooksManagerDep,
)
from sourcer.runtime.problems import ProblemError

router = APIRouter(prefix="/internal/v1")

# The HTTP status of each code the consent service's domain raises.
ERROR_STATUSES = {
    "consent_email_unavailable": 422,
    "consent_already_granted": 409,
    "consent_already_decided": 409,
    "consent_expired": 409,
    "consent_conflict": 409,
    "consent_pending_by_email": 409,
    "controller_not_set": 409,
    "consent_token_unknown": 404,
    "talent_not_found": 404,
    CONSENT_REQUIRED: 403,
    "consent_email_rate_limited": 429,
    "webhook_url_invalid": 422,
    "webhook_https_required": 422,
    "webhook_port_forbidden": 422,
    "webhook_target_unresolvable": 422,
    "webhook_target_forbidden": 422,
    "webhook_events_invalid": 422,
}


# `async def` dependencies: FastAPI runs a plain `def` one in its thread pool.
async def container(request: Request) -> Container:
    c: Container = request.app.state.container
    return c


ContainerDep = Annotated[Container, Depends(container)]


def consent_read(consent: Consent, *, link: str | None = None) -> ConsentRead:
    decision = consent.last_decision
    mail = next((m for m in reversed(consent.mails) if m.kind == "request"), None)
    return ConsentRead(
        consent_id=consent.consent_id,
        talent_id=consent.talent_id,
        state=consent.state.value,
        channel=consent.channel.value,
        language=consent.language,
        requested_at=consent.requested_at,
        requested_by=consent.requested_by,
        expires_at=consent.expires_at,
        reminder_sent_at=consent.reminder_sent_at,
        decided_at=decision.at if decision else None,
        decided_by=decision.by if decision else None,
        reason=decision.reason if decision else None,
        text_version=decision.text_version if decision else None,
        decided_via=decision.token_channel if decision else None,
        from_issuer_address=decision.from_issuer_address if decision else None,
        email_status=mail.status if mail else None,
        consent_url=link,
    )


def requester_ip(request: Request) -> str | None:
    """The recruiter's address: relayed by the gateway, else the direct caller's."""
    relayed = request.headers.get(CLIENT_IP_HEADER, "").strip()
    try:
        return str(ipaddress.ip_address(relayed))
    except ValueError:
        return request.client.host if request.client else None


@router.post("/talents/{talent_id}/consent-requests", response_model=ConsentRead)
async def request_consent(
    talent_id: str,
    body: ConsentRequestCreate,
    who: CallerDep,
    c: ContainerDep,
    request: Request,
    response: Response,
) -> ConsentRead:
    """Open or join the talent's pending consent request."""
    consent, link, created = await c.service.request(
        caller=who,
        talent_id=talent_id,
        channel=ConsentChannel(body.channel),
        language=body.language,
        client_ip=requester_ip(request),
    )
    response.status_code = 201 if created else 200
    return consent_read(consent, link=link)


@router.get("/talents/{talent_id}/consent", response_model=ConsentRead)
async def get_consent(talent_id: str, who: CallerDep, c: ContainerDep) -> ConsentRead:
    """The talent's consent state."""
    return consent_read(await c.service.get(caller=who, talent_id=talent_id))


@router.post("/talents/{talent_id}/consent/unlock", response_model=ConsentRead)
async def unlock(
    talent_id: str, body: ConsentUnlockCreate, who: UnlockDep, c: ContainerDep
) -> ConsentRead:
    """Unlock without the talent's consent (admins; logged with reason)."""
    return consent_read(await c.service.unlock(caller=who, talent_id=talent_id, reason=body.reason))


@router.get("/consents/deleting-soon", response_model=list[DeletingSoonRead])
async def deleting_soon(
    who: UnlockDep, c: ContainerDep, within_days: Annotated[int, Query(ge=1, le=365)] = 7
) -> list[DeletingSoonRead]:
    """Talents whose data is erased within the given days unless they answer."""
    rows = await c.service.deleting_soon(caller=who, within=timedelta(days=within_days))
    return [
        DeletingSoonRead(
            talent_id=r.talent_id,
            consent_id=r.consent_id,
            channel=r.channel.value,
            expires_at=r.expires_at or r.requested_at,
            reminder_sent_at=r.reminder_sent_at,
        )
        for r in rows
    ]


def webhook_read(doc: dict[str, Any]) -> dict[str, Any]:
    keys = ("url", "description", "enabled", "disabled_reason", "created_at", "created_by")
    chosen = event_types_of(doc)
    return {"id": doc["_id"], "event_types": chosen, "events": chosen} | {
        k: doc.get(k) for k in keys
    }


@router.post("/webhooks", response_model=WebhookCreated, status_code=201)
async def create_webhook(
    body: WebhookCreate, who: WebhooksManagerDep, c: ContainerDep
) -> WebhookCreated:
    """Register an endpoint; the secret is in this response only."""
    doc = await c.webhooks.create(
        tenant_id=who.tenant,
        actor=who.sub,
        url=body.url,
        description=body.description,
        event_types=chosen_event_types(body),
    )
    return WebhookCreated(**webhook_read(doc), secret=doc["secret"])


def chosen_event_types(body: WebhookCreate) -> list[str] | None:
    """`event_types`, or `events`, its former name; not both."""
    if body.event_types is not None and body.events is not None:
        raise ProblemError(
            422, "webhook_events_invalid", "Give `event_types` only (`events` is its old name)."
        )
    if body.event_types is not None:
        return body.event_types
    return body.events


@router.patch("/webhooks/{endpoint_id}", response_model=WebhookRead)
async def update_webhook(
    endpoint_id: str, body: WebhookUpdate, who: WebhooksManagerDep, c: ContainerDep
) -> WebhookRead:
    """Choose the endpoint's event types anew."""
    doc = await c.webhooks.choose_event_types(
        tenant_id=who.tenant, endpoint_id=endpoint_id, event_types=body.event_types
    )
    if doc is None:
        raise ProblemError(404, "webhook_not_found", "No such webhook endpoint.")
    return WebhookRead(**webhook_read(doc))


@router.get("/webhooks", response_model=list[WebhookRead])
async def list_webhooks(who: WebhooksManagerDep, c: ContainerDep) -> list[WebhookRead]:
    """The tenant's endpoints."""
    docs = await c.webhooks.store.endpoints(tenant_id=who.tenant)
    return [WebhookRead(**webhook_read(d)) for d in docs]


@router.delete("/webhooks/{endpoint_id}", status_code=204)
async def delete_webhook(endpoint_id: str, who: WebhooksManagerDep, c: ContainerDep) -> Response:
    """Remove an endpoint; its pending deliveries are cancelled."""
    if not await c.webhooks.store.delete_endpoint(tenant_id=who.tenant, endpoint_id=endpoint_id):
        raise ProblemError(404, "webhook_not_found", "No such webhook endpoint.")
    return Response(status_code=204)


def tenant_error(stored: str | None) -> str | None:
    """The category of an attempt's error; attempts stored before errors were categorised
    hold the exact text, which stays with the operators."""
    if stored is None or stored in ERRORS:
        return stored
    if stored.startswith("webhook_target_unresolvable"):
        return DNS_FAILED
    return TARGET_REFUSED if stored.startswith("webhook_") else DELIVERY_ERROR


@router.get("/webhooks/{endpoint_id}/deliveries", response_model=list[DeliveryRead])
async def deliveries(
    endpoint_id: str,
    who: WebhooksManagerDep,
    c: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryRead]:
    """The endpoint's delivery log, newest first."""
    if await c.webhooks.store.endpoint(tenant_id=who.tenant, endpoint_id=endpoint_id) is None:
        raise ProblemError(404, "webhook_not_found", "No such webhook endpoint.")
    docs = await c.webhooks.store.deliveries(
        tenant_id=who.tenant, endpoint_id=endpoint_id, limit=limit
    )
    return [
        DeliveryRead(
            id=d["_id"],
            endpoint_id=d["endpoint_id"],
            event_type=d["event_type"],
            event_id=d["event_id"],
            status=d["status"],
            attempts=[
                AttemptRead(
                    at=a["at"], status_code=a["status_code"], error=tenant_error(a["error"])
                )
                for a in d["attempts"]
            ],
            next_attempt_at=d.get("next_attempt_at") if d["status"] == "pending" else None,
            created_at=d["created_at"],
        )
        for d in docs
    ]


@router.post("/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver", status_code=202)
async def redeliver(
    endpoint_id: str, delivery_id: str, who: WebhooksManagerDep, c: ContainerDep
) -> Response:
    """Send a delivery again (a new series of attempts, same webhook-id)."""
    store = c.webhooks.store
    endpoint = await store.endpoint(tenant_id=who.tenant, endpoint_id=endpoint_id)
    delivery = await store.delivery(tenant_id=who.tenant, delivery_id=delivery_id)
    if endpoint is None or delivery is None or delivery["endpoint_id"] != endpoint_id:
        raise ProblemError(404, "delivery_not_found", "No such delivery.")
    if not endpoint["enabled"]:
        raise ProblemError(409, "webhook_disabled", "The endpoint is disabled.")
    await store.redeliver(tenant_id=who.tenant, delivery_id=delivery_id, now=c.service.clock())
    c.webhook_wake.set()
    return Response(status_code=202)


@router.get("/consent/controller", response_model=ControllerUpdate)
async def get_controller(who: CallerDep, c: ContainerDep) -> ControllerUpdate:
    """The controller details talents of this tenant are shown."""
    found = await c.controllers.controller(tenant_id=who.tenant)
    if found is None:
        raise ProblemError(404, "controller_not_set", "Your tenant has not set its controller.")
    return ControllerUpdate(
        name=found.name, contact=found.contact, address=found.address, dpo=found.dpo
    )


@router.put("/consent/controller", response_model=ControllerUpdate)
async def put_controller(
    body: ControllerUpdate, who: SettingsManagerDep, c: ContainerDep
) -> ControllerUpdate:
    """Set the tenant's controller details (admins)."""
    await c.controllers.set(
        tenant_id=who.tenant,
        controller=Controller(
            name=body.name, contact=body.contact, address=body.address, dpo=body.dpo
        ),
    )
    return body

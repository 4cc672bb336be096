"""The public consent and webhook API on the gateway, relayed to the consent service."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from consent_system import ADMIN, SECRET, asgi_client, auth, build, delete_queues, talent_doc

from sourcer.consent.app import create_internal_api
from sourcer.consent.container import Container
from sourcer.consent.domain import keyed_hash
from sourcer.gateway.bootstrap import SERVICE as GATEWAY
from sourcer.gateway.settings import GatewaySettings
from sourcer.proto.envelope import Role
from sourcer.proto.restrictions import CONSENT_REQUIRED, Action, allowed
from sourcer.runtime.auth import AuthSettings
from sourcer.runtime.bus import Bus
from sourcer.runtime.service import running
from sourcer.runtime.store import Store

pytestmark = pytest.mark.integration

RECRUITER_IP = "198.51.100.23"


@pytest.fixture
async def consent_service(store: Store, bus: Bus) -> Container:
    container, _ = await build(store=store, publisher=bus)
    return container


@pytest.fixture
async def gateway(
    amqp_url: str,
    mongodb_url: str,
    db_name: str,
    namespace: str,
    bus: Bus,
    consent_service: Container,
) -> AsyncIterator[httpx.AsyncClient]:
    container = consent_service
    settings = GatewaySettings(
        amqp_url=amqp_url, mongodb_url=mongodb_url, mongodb_db=db_name, bus_namespace=namespace
    )
    async with running(
        GATEWAY,
        settings,
        listen=False,
        auth=AuthSettings(mode="development", jwt_secret=SECRET),
        consent_transport=httpx.ASGITransport(app=create_internal_api(container)),
        consume=False,
    ) as service:
        queues = service.infra.bus.declared_queues()
        # The recruiter's address, as the gateway sees it; the gateway relays it.
        transport = httpx.ASGITransport(app=service.parts.api, client=(RECRUITER_IP, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client
    await delete_queues(amqp_url, queues)


async def test_link_and_email_requests_through_the_gateway(
    gateway: httpx.AsyncClient, store: Store
) -> None:
    await store.db["talents"].insert_many(
        [talent_doc(), talent_doc("tal_2", email=None, slug="no-mail")]
    )
    created = await gateway.post(
        "/v1/talents/tal_1/consent-requests", json={"channel": "link"}, headers=auth()
    )
    assert created.status_code == 201, created.text
    assert created.json()["consent_url"].startswith("https://consent.test/c/")
    joined = await gateway.post(
        "/v1/talents/tal_1/consent-requests", json={"channel": "link"}, headers=auth()
    )
    assert joined.status_code == 200
    assert joined.json()["consent_id"] == created.json()["consent_id"]
    no_mail = await gateway.post(
        "/v1/talents/tal_2/consent-requests", json={"channel": "email"}, headers=auth()
    )
    assert no_mail.status_code == 422
    assert no_mail.headers["content-type"] == "application/problem+json"
    assert no_mail.json()["code"] == "consent_email_unavailable"
    other = await gateway.get("/v1/talents/tal_1/consent", headers=auth(tenant="globex"))
    assert other.status_code == 404
    state = await gateway.get("/v1/talents/tal_1/consent", headers=auth())
    assert state.json()["state"] == "requested"


async def test_unlock_is_admin_only_on_the_gateway(
    gateway: httpx.AsyncClient, store: Store
) -> None:
    await store.db["talents"].insert_one(talent_doc())
    body = {"reason": "Agreed in writing on 2026-11-20 (ticket 4711)."}
    for role in (Role.RECRUITER, Role.SUPER_RECRUITER):
        response = await gateway.post(
            "/v1/talents/tal_1/consent/unlock", json=body, headers=auth(role=role)
        )
        assert response.status_code == 403
        assert response.json()["code"] == "admin_required"
    done = await gateway.post("/v1/talents/tal_1/consent/unlock", json=body, headers=ADMIN)
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "unlocked_manually"


async def test_webhooks_through_the_gateway(gateway: httpx.AsyncClient) -> None:
    refused = await gateway.post(
        "/v1/webhooks", json={"url": "http://10.1.2.3/hook"}, headers=ADMIN
    )
    assert refused.status_code == 422 and refused.json()["code"] == "webhook_target_forbidden"
    created = await gateway.post(
        "/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=ADMIN
    )
    assert created.status_code == 201, created.text
    endpoint = created.json()
    assert endpoint["secret"].startswith("whsec_")
    listed = await gateway.get("/v1/webhooks", headers=ADMIN)
    assert [e["id"] for e in listed.json()] == [endpoint["id"]]
    assert (await gateway.get("/v1/webhooks", headers=auth())).status_code == 403
    log = await gateway.get(f"/v1/webhooks/{endpoint['id']}/deliveries", headers=ADMIN)
    assert log.status_code == 200 and log.json() == []
    path = f"/v1/webhooks/{endpoint['id']}"
    unknown = await gateway.patch(path, json={"event_types": ["talent.moved"]}, headers=ADMIN)
    assert unknown.status_code == 422 and unknown.json()["code"] == "webhook_events_invalid"
    chosen = await gateway.patch(path, json={"event_types": ["talent.created"]}, headers=ADMIN)
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["event_types"] == ["talent.created"]
    talents = await gateway.post(
        "/v1/webhooks",
        json={"url": "http://127.0.0.1:9/hook", "event_types": ["talent.erased"]},
        headers=ADMIN,
    )
    assert talents.status_code == 201 and talents.json()["event_types"] == ["talent.erased"]
    deleted = await gateway.delete(f"/v1/webhooks/{endpoint['id']}", headers=ADMIN)
    assert deleted.status_code == 204


async def test_the_openapi_document_warns_that_unlock_bypasses_consent(
    gateway: httpx.AsyncClient,
) -> None:
    document = (await gateway.get("/openapi.json")).json()
    unlock = document["paths"]["/v1/talents/{talent_id}/consent/unlock"]["post"]
    assert "bypasses the talent's consent" in unlock["description"]
    assert "403" in unlock["responses"]
    request = document["paths"]["/v1/talents/{talent_id}/consent-requests"]["post"]
    assert set(request["requestBody"]["content"]["application/json"]["examples"]) == {
        "link",
        "email",
    }
    for path in ("/v1/webhooks", "/v1/consents/deleting-soon"):
        assert path in document["paths"]
    choose = document["paths"]["/v1/webhooks/{endpoint_id}"]["patch"]
    assert "webhook_events_invalid" in choose["description"]
    create = document["paths"]["/v1/webhooks"]["post"]["requestBody"]["content"]
    assert set(create["application/json"]["examples"]) == {"outcomes", "talents"}


async def test_the_gateway_relays_the_recruiters_address_for_the_link_evidence(
    gateway: httpx.AsyncClient, store: Store
) -> None:
    await store.db["talents"].insert_one(talent_doc())
    created = await gateway.post(
        "/v1/talents/tal_1/consent-requests", json={"channel": "link"}, headers=auth()
    )
    assert created.status_code == 201, created.text
    doc = await store.db["consents"].find_one({"_id": "acme:tal_1"})
    assert doc is not None
    [issued] = doc["tokens"]
    assert issued["channel"] == "link" and issued["issued_by"] == "alice"
    # Keyed with the consent service's secret (consent_settings), never stored in clear.
    assert issued["issuer_ip_hash"] == keyed_hash(key=b"consent-test-key", value=RECRUITER_IP)
    assert RECRUITER_IP not in str(doc)


async def test_the_gateway_refuses_controller_details_with_line_breaks(
    gateway: httpx.AsyncClient,
) -> None:
    bad = {"name": "ACME\r\nBcc: everyone@example.org", "contact": "privacy@acme.example"}
    refused = await gateway.put("/v1/consent/controller", json=bad, headers=ADMIN)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "validation_failed"
    good = {"name": "ACME Recruiting GmbH", "contact": "privacy@acme.example"}
    assert (
        await gateway.put("/v1/consent/controller", json=good, headers=ADMIN)
    ).status_code == 200


async def _ask(gateway: httpx.AsyncClient, sub: str, role: Role) -> httpx.Response:
    return await gateway.post(
        "/v1/talents/tal_1/consent-requests",
        json={"channel": "link"},
        headers=auth(sub=sub, role=role),
    )


ASKERS = (("alice", Role.RECRUITER), ("bob", Role.RECRUITER), ("sue", Role.SUPER_RECRUITER))


async def test_until_consent_only_the_sourcing_recruiter_and_admins_ask(
    gateway: httpx.AsyncClient, store: Store
) -> None:
    """The `request_consent` row before consent and after an admin's unlock."""
    await store.db["talents"].insert_one(talent_doc())  # sourced by alice
    before = {sub: await _ask(gateway, sub, role) for sub, role in ASKERS}
    for sub, role in ASKERS:
        may = allowed(
            Action.REQUEST_CONSENT, consent_state=None, caller=sub, role=role, sourced_by="alice"
        )
        assert (before[sub].status_code in (200, 201)) is may, before[sub].text
        if not may:
            assert before[sub].status_code == 403
            assert before[sub].json()["code"] == CONSENT_REQUIRED
            assert "unlock" in before[sub].json()["detail"]
    assert [sub for sub, r in before.items() if r.status_code == 403] == ["bob", "sue"]
    admin = await gateway.post(
        "/v1/talents/tal_1/consent-requests", json={"channel": "link"}, headers=ADMIN
    )
    assert admin.status_code == 200, admin.text
    unlocked = await gateway.post(
        "/v1/talents/tal_1/consent/unlock",
        json={"reason": "Agreed in writing on 2026-11-20 (ticket 4711)."},
        headers=ADMIN,
    )
    assert unlocked.status_code == 200, unlocked.text
    # Unlocked, asking again opens a new request and restricts the talent anew: still only
    # for the sourcing recruiter and admins.
    others = await _ask(gateway, "bob", Role.RECRUITER)
    assert others.status_code == 403 and others.json()["code"] == CONSENT_REQUIRED
    renewed = await _ask(gateway, "alice", Role.RECRUITER)
    assert renewed.status_code == 201, renewed.text
    assert renewed.json()["state"] == "requested"


async def test_after_a_grant_asking_again_is_not_a_consent_refusal(
    gateway: httpx.AsyncClient, consent_service: Container, store: Store
) -> None:
    """The `request_consent` row after the talent granted: others are let through to the
    consent service's own answer, that consent is granted already."""
    await store.db["talents"].insert_one(talent_doc())
    asked = await _ask(gateway, "alice", Role.RECRUITER)
    assert asked.status_code == 201, asked.text
    link = asked.json()["consent_url"].replace("https://consent.test", "")
    async with asgi_client(consent_service) as browser:
        page = await browser.get(link)
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        assert csrf
        posted = await browser.post(link, data={"decision": "grant", "csrf": csrf.group(1)})
        assert posted.status_code == 303, posted.text
    for sub, role in ASKERS:
        again = await _ask(gateway, sub, role)
        assert again.status_code == 409, again.text
        assert again.json()["code"] == "consent_already_granted"

"""What the consent record proves about who answered: no recruiter-visible token for an email
request, channel and issuer per token, the deciding token with a keyed IP hash and user agent,
the flag for an answer from the requester's own address (record, API and webhook), and outcome
events that the record does not hold, which are parked instead of reaching webhooks."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from consent_hooks import assert_parked_as_final
from consent_receiver import Receiver, running_receiver
from consent_system import ADMIN, ConsentSystem, asgi_client, auth, build
from support import eventually

from sourcer.consent.domain import hash_token, keyed_hash
from sourcer.consent.entrypoints import CONSUMERS, WEBHOOKS
from sourcer.proto.consent_api import CLIENT_IP_HEADER
from sourcer.proto.envelope import Actor, ActorKind, Envelope, Role
from sourcer.proto.events import ConsentDenied, ConsentGranted, ConsentOutcome
from sourcer.runtime.bus import Bus
from sourcer.runtime.idempotency import MongoProcessedEvents
from sourcer.runtime.store import Store

pytestmark = pytest.mark.integration

KEY = b"consent-test-key"  # consent_settings' secret_key
RECRUITER_IP = "198.51.100.7"
TALENT_IP = "203.0.113.50"


async def stored(system: ConsentSystem) -> dict[str, Any]:
    doc = await system.store.db["consents"].find_one({"_id": "acme:tal_1"})
    assert doc is not None
    return doc


async def read(system: ConsentSystem) -> dict[str, Any]:
    response = await system.client.get("/internal/v1/talents/tal_1/consent", headers=auth())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def link_from(system: ConsentSystem, ip: str) -> str:
    """A link as the gateway asks for it: with the recruiter's address relayed."""
    response = await system.request(headers={**auth(), CLIENT_IP_HEADER: ip})
    assert response.status_code in (200, 201), response.text
    url: str = response.json()["consent_url"]
    return url.replace("https://consent.test", "")


async def answer_from(
    system: ConsentSystem, link: str, *, ip: str, decision: str = "grant"
) -> None:
    """The talent's browser at `ip`: open the page, then post the answer with its CSRF value."""
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) TalentBrowser/1.0"}
    async with asgi_client(system.container, ip=ip) as browser:
        page = await browser.get(link, headers=headers)
        assert page.status_code == 200, page.text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        assert csrf
        posted = await browser.post(
            link, data={"decision": decision, "csrf": csrf.group(1)}, headers=headers
        )
        assert posted.status_code == 303, posted.text


async def test_an_email_request_gives_the_recruiter_no_token(consent: ConsentSystem) -> None:
    await consent.add_talent(language="en")
    asked = await consent.request(channel="email", headers={**auth(), CLIENT_IP_HEADER: "::1"})
    assert asked.status_code == 201, asked.text
    assert asked.json()["consent_url"] is None
    assert (await stored(consent))["tokens"] == []

    # Asking for a link on the pending email request is refused, not answered with a token.
    for who in (auth(), ADMIN):
        link = await consent.request(channel="link", headers=who)
        assert link.status_code == 409, link.text
        assert link.headers["content-type"] == "application/problem+json"
        assert link.json()["code"] == "consent_pending_by_email"
    assert (await stored(consent))["tokens"] == []

    # The one token is the mail's: its channel says only the talent's mailbox had it.
    await consent.tick()
    [mail] = await consent.wait_for_mails(1)
    [token] = re.findall(r"https://consent\.test/c/([A-Za-z0-9_-]{43})", mail.get_content())  # type: ignore[attr-defined]
    [issued] = (await stored(consent))["tokens"]
    assert issued["hash"] == hash_token(token)
    assert issued["channel"] == "email" and issued["issued_by"] == "alice"
    assert issued["issuer_ip_hash"] == keyed_hash(key=KEY, value="::1")
    assert (await read(consent))["consent_url"] is None


async def test_a_link_request_records_channel_issuer_and_keyed_address(
    consent: ConsentSystem,
) -> None:
    await consent.add_talent()
    link = await link_from(consent, RECRUITER_IP)
    doc = await stored(consent)
    [issued] = doc["tokens"]
    assert issued["hash"] == hash_token(link.rsplit("/", 1)[1])
    assert issued["channel"] == "link" and issued["issued_by"] == "alice"
    assert issued["issued_at"] is not None
    assert issued["issuer_ip_hash"] == keyed_hash(key=KEY, value=RECRUITER_IP)
    assert RECRUITER_IP not in str(doc)
    # A second requester's link is recorded as theirs (an admin: until the talent consents,
    # only the recruiter who sourced them and admins ask).
    second = await consent.request(headers={**ADMIN, CLIENT_IP_HEADER: "192.0.2.44"})
    assert second.status_code == 200, second.text
    assert [t["issued_by"] for t in (await stored(consent))["tokens"]] == ["alice", "ada"]


async def test_a_decision_records_its_token_keyed_address_and_user_agent(
    consent: ConsentSystem,
) -> None:
    await consent.add_talent()
    link = await link_from(consent, RECRUITER_IP)
    await answer_from(consent, link, ip=TALENT_IP)
    doc = await stored(consent)
    [decision] = doc["decisions"]
    assert decision["state"] == "granted" and decision["by"] == "talent"
    assert decision["token_hash"] == hash_token(link.rsplit("/", 1)[1])
    assert decision["token_channel"] == "link" and decision["token_issued_by"] == "alice"
    assert decision["ip_hash"] == keyed_hash(key=KEY, value=TALENT_IP)
    assert decision["user_agent"] == "Mozilla/5.0 (X11; Linux x86_64) TalentBrowser/1.0"
    assert decision["from_issuer_address"] is False
    assert decision["consent_id"] == doc["consent_id"] and decision["event_id"]
    assert TALENT_IP not in str(doc)
    api = await read(consent)
    assert api["decided_via"] == "link" and api["from_issuer_address"] is False


async def test_an_answer_from_the_requesters_address_is_flagged_in_record_and_api(
    consent: ConsentSystem,
) -> None:
    await consent.add_talent()
    link = await link_from(consent, RECRUITER_IP)
    await answer_from(consent, link, ip=RECRUITER_IP)
    [decision] = (await stored(consent))["decisions"]
    assert decision["from_issuer_address"] is True
    assert (await read(consent))["from_issuer_address"] is True


@pytest.fixture
async def hooked(store: Store, bus: Bus) -> AsyncIterator[ConsentSystem]:
    container, clock = await build(store=store, publisher=bus)
    for consumer in CONSUMERS:
        await bus.consume(consumer, context=container, processed=MongoProcessedEvents(store))
    async with asgi_client(container) as client:
        yield ConsentSystem(container=container, client=client, store=store, clock=clock)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as r:
        yield r


async def register(system: ConsentSystem, receiver: Receiver) -> str:
    response = await system.client.post(
        "/internal/v1/webhooks", json={"url": receiver.url}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    receiver.secret = response.json()["secret"]
    receiver.now = lambda: system.clock().timestamp()
    endpoint_id: str = response.json()["id"]
    return endpoint_id


async def delivered(system: ConsentSystem, receiver: Receiver, endpoint_id: str) -> None:
    async def created() -> bool:
        found = await system.store.db["webhook_deliveries"].count_documents(
            {"endpoint_id": endpoint_id}
        )
        return found > 0

    await eventually(created)
    await system.container.dispatcher.tick()
    assert receiver.received and all(r.verified for r in receiver.received)


async def test_the_webhook_flags_an_answer_from_the_requesters_address(
    hooked: ConsentSystem, receiver: Receiver
) -> None:
    endpoint_id = await register(hooked, receiver)
    await hooked.add_talent()
    link = await link_from(hooked, RECRUITER_IP)
    await answer_from(hooked, link, ip=RECRUITER_IP)
    await delivered(hooked, receiver, endpoint_id)
    [received] = receiver.received
    assert received.body["type"] == "consent.granted"
    assert received.body["data"]["from_issuer_address"] is True
    assert received.body["data"]["decided_via"] == "link"
    assert RECRUITER_IP not in str(received.body)


async def test_the_webhook_of_an_answer_from_elsewhere_is_not_flagged(
    hooked: ConsentSystem, receiver: Receiver
) -> None:
    endpoint_id = await register(hooked, receiver)
    await hooked.add_talent()
    link = await link_from(hooked, RECRUITER_IP)
    await answer_from(hooked, link, ip=TALENT_IP, decision="deny")
    await delivered(hooked, receiver, endpoint_id)
    [received] = receiver.received
    assert received.body["type"] == "consent.denied"
    assert received.body["data"]["from_issuer_address"] is False


def forged(tenant_id: str, payload: ConsentOutcome) -> Envelope[ConsentOutcome]:
    return Envelope[ConsentOutcome](
        type="consent.denied" if isinstance(payload, ConsentDenied) else "consent.granted",
        tenant_id=tenant_id,
        correlation_id=payload.consent_id,
        actor=Actor(kind=ActorKind.SERVICE, id="consent"),
        payload=payload,
    )


async def test_an_outcome_the_record_does_not_hold_is_parked_and_never_sent(
    hooked: ConsentSystem,
    receiver: Receiver,
    bus: Bus,
    amqp_url: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    acme_endpoint = await register(hooked, receiver)
    globex = auth(tenant="globex", role=Role.ADMIN)
    other = await hooked.client.post(
        "/internal/v1/webhooks", json={"url": receiver.url}, headers=globex
    )
    assert other.status_code == 201, other.text
    await hooked.add_talent()
    link = await link_from(hooked, RECRUITER_IP)
    await answer_from(hooked, link, ip=TALENT_IP)
    await delivered(hooked, receiver, acme_endpoint)
    [genuine] = receiver.received
    consent_id = genuine.body["data"]["consent_id"]

    fields: dict[str, Any] = {
        "consent_id": consent_id,
        "talent_id": "tal_1",
        "channel": "link",
        "decided_at": hooked.clock(),
        "decided_via": "link",
        "from_issuer_address": False,
    }
    fakes = [
        # Another tenant claims acme's consent (its webhooks would learn of acme's talent).
        forged("globex", ConsentGranted(**fields)),
        # Acme's own talent, with an outcome the record does not hold (it erases the talent).
        forged("acme", ConsentDenied(**fields)),
        # A talent without any consent record.
        forged("acme", ConsentGranted(**{**fields, "talent_id": "tal_404"})),
    ]
    for envelope in fakes:
        await bus.publish(envelope)
    await assert_parked_as_final(amqp_url, WEBHOOKS.queue(bus.namespace), fakes)
    deliveries = hooked.store.db["webhook_deliveries"]
    assert await deliveries.count_documents({"endpoint_id": other.json()["id"]}) == 0
    assert await deliveries.count_documents({"event_type": "consent.denied"}) == 0
    await hooked.container.dispatcher.tick()
    assert len(receiver.received) == 1
    logged = capfd.readouterr().out
    assert logged.count("consent.outcome_mismatch") == len(fakes)

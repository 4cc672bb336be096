"""No consent mail or link without the tenant's controller; controller details are one line;
a mail that cannot be built or sent ends after the configured attempts, with one link."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from consent_system import ADMIN, ConsentSystem, SmtpServer, asgi_client, auth, build

from sourcer.consent.domain import hash_token
from sourcer.runtime.bus import Bus
from sourcer.runtime.store import Store

pytestmark = pytest.mark.integration

MAX_ATTEMPTS = 3
CONTROLLER = "/internal/v1/consent/controller"


@pytest.fixture
async def unset(store: Store, bus: Bus, smtp: SmtpServer) -> AsyncIterator[ConsentSystem]:
    """A deployment without a default controller: each tenant sets its own."""
    container, clock = await build(
        store=store,
        publisher=bus,
        smtp=smtp,
        controller_name=None,
        controller_contact=None,
        mail_max_attempts=MAX_ATTEMPTS,
    )
    async with asgi_client(container) as client:
        yield ConsentSystem(container=container, client=client, store=store, clock=clock, smtp=smtp)


async def stored(system: ConsentSystem) -> dict[str, Any]:
    doc = await system.store.db["consents"].find_one({"_id": "acme:tal_1"})
    assert doc is not None
    return doc


async def test_a_tenant_without_a_controller_gets_no_link_and_no_mail(
    unset: ConsentSystem,
) -> None:
    assert unset.smtp is not None
    await unset.add_talent(language="en")
    for channel in ("link", "email"):
        refused = await unset.request(channel=channel)
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "controller_not_set"
    await unset.tick()
    assert unset.smtp.inbox.messages == []
    assert await unset.store.db["consents"].count_documents({}) == 0
    missing = await unset.client.get(CONTROLLER, headers=auth())
    assert missing.status_code == 404 and missing.json()["code"] == "controller_not_set"

    # Once an admin set it, the mail goes out naming it.
    controller = {"name": "Globex Talent AG", "contact": "privacy@globex.example"}
    assert (await unset.client.put(CONTROLLER, json=controller, headers=ADMIN)).status_code == 200
    assert (await unset.request(channel="email")).status_code == 201
    await unset.tick()
    [mail] = await unset.wait_for_mails(1)
    assert mail["Subject"].startswith("Globex Talent AG:")
    assert "privacy@globex.example" in mail.get_content()  # type: ignore[attr-defined]
    # Another tenant is still refused.
    await unset.add_talent(talent_id="tal_9", tenant="globex", slug="someone-else")
    other = await unset.request("tal_9", headers=auth(tenant="globex"))
    assert other.status_code == 409 and other.json()["code"] == "controller_not_set"


@pytest.mark.parametrize(
    "controller",
    [
        {"name": "ACME\nBcc: everyone@example.org", "contact": "privacy@acme.example"},
        {"name": "ACME Recruiting", "contact": "privacy@acme.example\r\nX-Evil: 1"},
        {"name": "ACME Recruiting", "contact": "privacy@acme.example", "address": "Str. 1\x00"},
        {"name": "ACME\u2028Recruiting", "contact": "privacy@acme.example"},
    ],
)
async def test_controller_details_with_line_breaks_are_refused(
    unset: ConsentSystem, controller: dict[str, str]
) -> None:
    refused = await unset.client.put(CONTROLLER, json=controller, headers=ADMIN)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "validation_failed"
    assert (await unset.client.get(CONTROLLER, headers=auth())).status_code == 404


async def test_a_mail_that_cannot_be_built_ends_after_the_maximum_with_one_link(
    unset: ConsentSystem, capfd: pytest.CaptureFixture[str]
) -> None:
    # A controller stored before its fields were checked: the mail header cannot hold it.
    assert unset.smtp is not None
    await unset.store.db["consent_controllers"].insert_one(
        {"_id": "acme", "name": "ACME\nRecruiting", "contact": "privacy@acme.example"}
    )
    await unset.add_talent(language="en")
    assert (await unset.request(channel="email")).status_code == 201
    for _ in range(MAX_ATTEMPTS + 3):
        await unset.tick()
        unset.clock.advance(hours=2)  # past any backoff and any stale claim
    doc = await stored(unset)
    [mail] = doc["mails"]
    assert mail["status"] == "failed" and mail["attempts"] == MAX_ATTEMPTS
    assert "ValueError" in mail["last_error"]
    assert mail["token_seed"] is None
    assert len(doc["tokens"]) == 1 and doc["tokens"][0]["channel"] == "email"
    assert unset.smtp.inbox.messages == []
    state = (await unset.client.get("/internal/v1/talents/tal_1/consent", headers=auth())).json()
    assert state["email_status"] == "failed"
    assert capfd.readouterr().out.count("consent.mail_failed") == MAX_ATTEMPTS


async def test_a_mail_the_server_keeps_refusing_ends_after_the_maximum_with_one_link(
    unset: ConsentSystem,
) -> None:
    assert unset.smtp is not None
    controller = {"name": "ACME Recruiting GmbH", "contact": "privacy@acme.example"}
    assert (await unset.client.put(CONTROLLER, json=controller, headers=ADMIN)).status_code == 200
    await unset.add_talent(language="en")
    unset.smtp.inbox.refuse = 100  # 451 to every DATA
    assert (await unset.request(channel="email")).status_code == 201
    for _ in range(MAX_ATTEMPTS + 3):
        await unset.tick()
        unset.clock.advance(hours=2)
    doc = await stored(unset)
    [mail] = doc["mails"]
    assert mail["status"] == "failed" and mail["attempts"] == MAX_ATTEMPTS
    assert "451" in mail["last_error"]
    assert len(doc["tokens"]) == 1
    assert unset.smtp.inbox.messages == []


async def test_a_retried_mail_carries_the_link_issued_for_its_first_attempt(
    unset: ConsentSystem,
) -> None:
    assert unset.smtp is not None
    controller = {"name": "ACME Recruiting GmbH", "contact": "privacy@acme.example"}
    assert (await unset.client.put(CONTROLLER, json=controller, headers=ADMIN)).status_code == 200
    await unset.add_talent(language="en")
    unset.smtp.inbox.refuse = 2
    assert (await unset.request(channel="email")).status_code == 201
    for _ in range(3):
        await unset.tick()
        unset.clock.advance(minutes=5)
    [message] = await unset.wait_for_mails(1)
    [token] = re.findall(
        r"https://consent\.test/c/([A-Za-z0-9_-]{43})",
        message.get_content(),  # type: ignore[attr-defined]
    )
    doc = await stored(unset)
    assert [t["hash"] for t in doc["tokens"]] == [hash_token(token)]
    [mail] = doc["mails"]
    assert mail["status"] == "sent" and mail["attempts"] == 3 and mail["token_seed"] is None
    assert (await unset.client.get(f"/c/{token}")).status_code == 200

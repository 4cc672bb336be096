"""Consent requests, email over real SMTP, the landing page over HTTP, unlock and isolation."""

from __future__ import annotations

import re

import pytest
from consent_system import ADMIN, ConsentSystem, auth

from sourcer.consent.landing import CSRF_COOKIE
from sourcer.proto.envelope import Role

pytestmark = pytest.mark.integration


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert match, html
    return match.group(1)


async def test_the_email_arrives_in_the_talents_language_with_a_working_link(
    consent: ConsentSystem,
) -> None:
    await consent.add_talent(language="de")
    response = await consent.request(channel="email")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["state"] == "requested" and body["consent_url"] is None
    await consent.tick()
    [mail] = await consent.wait_for_mails(1)
    assert mail["To"] == "jana.novakova@example.org"
    assert (
        mail["Subject"]
        == "ACME Recruiting GmbH: Dürfen wir Ihr Profil in unserem Talentpool behalten?"
    )
    text = mail.get_content()  # type: ignore[attr-defined]
    assert "Guten Tag Jana Novakova" in text
    assert "auf LinkedIn" in text and "Art. 6 Abs. 1 lit. a DSGVO" in text
    assert "privacy@acme.example" in text
    [link] = re.findall(r"https://consent\.test/c/[A-Za-z0-9_-]{43}", text)

    page = await consent.client.get(link)
    assert page.status_code == 200
    assert "Ihre Daten in unserem Talentpool" in page.text
    english = await consent.client.get(link + "?lang=en")
    assert "Your data in our talent pool" in english.text

    # Asking again does not send a second mail.
    again = await consent.request(channel="email")
    assert again.status_code == 200
    await consent.tick()
    assert len(consent.smtp.inbox.messages) == 1 if consent.smtp else False


async def test_a_smtp_failure_is_retried_and_the_mail_sent_once(consent: ConsentSystem) -> None:
    assert consent.smtp is not None
    await consent.add_talent(language="en")
    consent.smtp.inbox.refuse = 1
    await consent.request(channel="email")
    await consent.tick()
    state = (await consent.client.get("/internal/v1/talents/tal_1/consent", headers=auth())).json()
    assert state["email_status"] == "pending"
    consent.clock.advance(minutes=1)
    await consent.tick()
    await consent.tick()
    messages = await consent.wait_for_mails(1)
    assert len(messages) == 1
    assert messages[0]["Subject"].startswith("ACME Recruiting GmbH: may we keep")
    state = (await consent.client.get("/internal/v1/talents/tal_1/consent", headers=auth())).json()
    assert state["email_status"] == "sent"


async def test_a_refused_address_stays_out_of_the_consent_record_and_the_log(
    consent: ConsentSystem, capfd: pytest.CaptureFixture[str]
) -> None:
    # The record of a consent outlives the talent's erasure; the SMTP reply quotes the address.
    assert consent.smtp is not None
    await consent.add_talent(language="en")
    consent.smtp.inbox.unknown_recipients = True
    await consent.request(channel="email")
    await consent.tick()
    state = (await consent.client.get("/internal/v1/talents/tal_1/consent", headers=auth())).json()
    assert state["email_status"] == "failed"
    [record] = [doc async for doc in consent.store.db["consents"].find({})]
    assert "Recipient address rejected" in str(record)
    assert "jana.novakova@example.org" not in str(record)
    logged = capfd.readouterr().out
    assert "consent.mail_failed" in logged
    assert "jana.novakova@example.org" not in logged


async def test_email_without_an_address_is_refused(consent: ConsentSystem) -> None:
    await consent.add_talent(email=None)
    response = await consent.request(channel="email")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "consent_email_unavailable"


async def test_grant_then_withdraw_from_the_same_link(consent: ConsentSystem) -> None:
    await consent.add_talent()
    link = await consent.link()
    page = await consent.client.get(link)
    assert CSRF_COOKIE in page.cookies
    answer = await consent.client.post(
        link, data={"decision": "grant", "csrf": csrf_of(page.text), "lang": "en"}
    )
    assert answer.status_code == 303
    granted = await consent.client.get(link)
    assert 'data-state="granted"' in granted.text and 'value="withdraw"' in granted.text
    record = (await consent.client.get("/internal/v1/talents/tal_1/consent", headers=auth())).json()
    assert record["state"] == "granted" and record["decided_by"] == "talent"
    assert record["text_version"] == "2026-11"
    stored = await consent.store.db["consents"].find_one({"_id": "acme:tal_1"})
    assert stored is not None
    decision = stored["decisions"][-1]
    assert decision["language"] == "en" and decision["user_agent"]
    assert decision["ip_hash"] and "203.0.113.9" not in str(stored)

    withdrawn = await consent.client.post(
        link, data={"decision": "withdraw", "csrf": csrf_of(granted.text), "lang": "en"}
    )
    assert withdrawn.status_code == 303
    final = await consent.client.get(link)
    assert 'data-state="withdrawn"' in final.text and "<form" not in final.text


async def test_get_never_changes_state_and_csrf_is_required(consent: ConsentSystem) -> None:
    await consent.add_talent()
    link = await consent.link()
    for _ in range(3):
        await consent.client.get(link)
    forged = await consent.client.post(link, data={"decision": "deny", "csrf": "0" * 64})
    assert forged.status_code == 403
    consent.client.cookies.clear()
    no_cookie = await consent.client.post(link, data={"decision": "deny", "csrf": "0" * 64})
    assert no_cookie.status_code == 403
    record = (await consent.client.get("/internal/v1/talents/tal_1/consent", headers=auth())).json()
    assert record["state"] == "requested"


async def test_tokens_are_not_guessable_reusable_or_readable_across_tenants(
    consent: ConsentSystem,
) -> None:
    await consent.add_talent()
    await consent.add_talent(talent_id="tal_9", tenant="globex", slug="someone-else")
    link = await consent.link()
    token = link.rsplit("/", 1)[1]
    assert len(token) == 43
    guessed = await consent.client.get("/c/" + token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert guessed.status_code == 404
    stored = await consent.store.db["consents"].find_one({"_id": "acme:tal_1"})
    assert stored is not None and token not in str(stored)

    # Another tenant can neither read the consent nor ask on the talent's behalf.
    other = auth(tenant="globex", role=Role.ADMIN)
    assert (
        await consent.client.get("/internal/v1/talents/tal_1/consent", headers=other)
    ).status_code == 404
    assert (await consent.request("tal_1", headers=other)).status_code == 404

    page = await consent.client.get(link)
    csrf = csrf_of(page.text)
    assert (
        await consent.client.post(link, data={"decision": "deny", "csrf": csrf})
    ).status_code == 303
    # Reusing the link for another decision changes nothing.
    await consent.client.post(link, data={"decision": "grant", "csrf": csrf})
    record = (await consent.client.get("/internal/v1/talents/tal_1/consent", headers=auth())).json()
    assert record["state"] == "denied"


async def test_expired_and_renewed_links_get_the_expired_page(consent: ConsentSystem) -> None:
    await consent.add_talent()
    old = await consent.link()
    consent.clock.advance(days=30, seconds=1)
    expired = await consent.client.get(old)
    assert expired.status_code == 410 and 'data-page="expired"' in expired.text
    renewed = await consent.request()
    assert renewed.status_code == 201
    assert (await consent.client.get(old)).status_code == 410
    new_link = renewed.json()["consent_url"].replace("https://consent.test", "")
    assert (await consent.client.get(new_link)).status_code == 200


async def test_unlock_is_admin_only_and_recorded(consent: ConsentSystem) -> None:
    await consent.add_talent()
    path = "/internal/v1/talents/tal_1/consent/unlock"
    reason = {"reason": "Agreed by phone on 2026-11-20, written consent follows."}
    for role in (Role.RECRUITER, Role.SUPER_RECRUITER):
        denied = await consent.client.post(path, json=reason, headers=auth(role=role))
        assert denied.status_code == 403
        assert denied.json()["code"] == "admin_required"
    missing = await consent.client.post(path, json={}, headers=ADMIN)
    assert missing.status_code == 422
    done = await consent.client.post(path, json=reason, headers=ADMIN)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["state"] == "unlocked_manually" and body["decided_by"] == "ada"
    assert body["reason"] == reason["reason"] and body["decided_at"]


async def test_admins_list_talents_deleting_soon(consent: ConsentSystem) -> None:
    await consent.add_talent()
    await consent.add_talent(talent_id="tal_2", slug="other-person")
    await consent.link("tal_1")
    consent.clock.advance(days=10)
    await consent.link("tal_2")
    consent.clock.advance(days=14)
    path = "/internal/v1/consents/deleting-soon?within_days=7"
    assert (await consent.client.get(path, headers=auth())).status_code == 403
    rows = (await consent.client.get(path, headers=ADMIN)).json()
    assert [r["talent_id"] for r in rows] == ["tal_1"]


async def test_the_tenants_controller_is_shown_on_the_page(consent: ConsentSystem) -> None:
    await consent.add_talent()
    controller = {"name": "Globex Talent AG", "contact": "dpo@globex.example", "dpo": "Dr. Data"}
    path = "/internal/v1/consent/controller"
    assert (await consent.client.put(path, json=controller, headers=auth())).status_code == 403
    saved = await consent.client.put(path, json=controller, headers=ADMIN)
    assert saved.status_code == 200, saved.text
    assert (await consent.client.get(path, headers=auth())).json()["name"] == "Globex Talent AG"
    page = await consent.client.get(await consent.link())
    assert "Globex Talent AG" in page.text and "Dr. Data" in page.text

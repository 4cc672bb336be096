"""Consent right after sending, exactly as the submit answer offers it: the email is disabled
without an extracted address; the manual unlock is for admins only, with both warnings and a
required reason."""

from __future__ import annotations

import httpx
import pytest
from browser import ExtensionBrowser
from fleet import Fleet
from flows import send_new, source
from identity import Accounts
from playwright.sync_api import expect

pytestmark = [pytest.mark.extension, pytest.mark.timeout(600)]

# Members without an email on their profile, one per language.
NO_EMAIL = {"de": "hans-peter-schmidt", "en": "jan-van-der-berg"}


def test_admin_unlocks_a_talent_without_email(
    chromium: ExtensionBrowser, ext_fleet: Fleet, accounts: Accounts
) -> None:
    lang = chromium.language
    chromium.store_tokens(accounts.token(f"admin-{lang}", "admin"))
    tab, window = source(chromium, f"https://www.linkedin.com/in/{NO_EMAIL[lang]}/")
    send_new(chromium, window)

    expect(window.locator("#send-email")).to_be_disabled()
    expect(window.locator("#no-email-hint")).to_be_visible()
    warnings = window.locator("#option-manual .warning")
    expect(warnings).to_have_count(2)
    codes = {w.get_attribute("data-code") for w in warnings.all()}
    assert codes == {"bypasses_consent", "recorded_and_reported"}
    chromium.check_state(window, "consent-admin")

    # The reason is required: a short one is refused in place, nothing is sent.
    window.fill("#unlock-reason", "too short")
    window.click("#unlock")
    expect(window.locator("#option-manual [role=alert]")).to_be_visible()
    reason = "The talent agreed by phone; written consent follows."
    window.fill("#unlock-reason", reason)
    window.click("#unlock")
    window.locator("#unlocked").wait_for()
    chromium.check_state(window, "unlocked")
    window.close()
    tab.close()

    client = httpx.Client(base_url=ext_fleet.gateway_url, headers=accounts.headers("x"))
    slug = NO_EMAIL[lang]
    [talent] = client.get("/v1/talents", params={"q": slug.split("-")[0]}).json()["items"]
    consent = client.get(f"/v1/talents/{talent['id']}/consent").json()
    assert consent["state"] == "unlocked_manually" and consent["reason"] == reason
    assert consent["decided_by"] == f"admin-{lang}"

"""Sign in as on the Sourcer platform: the extension runs the authorization code flow with PKCE
against the tenant's OpenID provider (chrome.identity.launchWebAuthFlow opens the provider's
page), the gateway accepts the ID token (`GET /v1/me` answers the name and role), sign out."""

from __future__ import annotations

import pytest
from browser import OTHER_SITE, ExtensionBrowser
from identity import Accounts
from playwright.sync_api import expect

pytestmark = [pytest.mark.extension, pytest.mark.timeout(600)]

ROLE = {"de": "Admin", "en": "Admin"}
SIGNED_IN = {"de": "Angemeldet als", "en": "Signed in as"}


def test_sign_in_and_out(chromium: ExtensionBrowser, accounts: Accounts) -> None:
    lang = chromium.language
    sub = f"dana-admin-{lang}"
    accounts.user(sub, "admin")
    chromium.worker.evaluate("chrome.storage.local.remove('tokens')")
    tab, tab_id = chromium.open_tab(OTHER_SITE)
    window = chromium.open_window(tab_id)
    window.locator("#sign-in").wait_for()
    chromium.check_state(window, "signed-out")

    # The provider's sign-in page opens in its own window, as for a recruiter.
    with chromium.context.expect_page(timeout=20_000) as opened:
        window.click("#sign-in")
    provider = opened.value
    provider.wait_for_load_state()
    provider.fill("input[name=sub]", sub)
    provider.get_by_role("button", name="Authorize").click()

    who = window.locator("#who")
    expect(who).to_have_text(
        f"{SIGNED_IN[lang]} Dana Admin {lang.title()} · {ROLE[lang]}", timeout=20_000
    )
    assert chromium.signed_in()
    claims = chromium.worker.evaluate(
        """chrome.storage.local.get('tokens').then(s => JSON.parse(atob(
            s.tokens.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))))"""
    )
    assert claims["iss"] == accounts.issuer and claims["sub"] == sub
    chromium.check_state(window, "signed-in")

    window.click("#sign-out")
    window.locator("#sign-in").wait_for()
    assert not chromium.signed_in()
    window.close()
    tab.close()

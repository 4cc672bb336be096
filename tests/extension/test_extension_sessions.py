"""Connect my LinkedIn session (explicit confirmation, the extension reads its own cookie),
see it expire on a request and reconnect it, then disconnect."""

from __future__ import annotations

import httpx
import pytest
from browser import OTHER_SITE, ExtensionBrowser
from fleet import Fleet
from flows import source
from identity import Accounts
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.extension, pytest.mark.timeout(600)]

MEMBER = {"de": "sam-lee-dev", "en": "chris-baker-growth"}


def _linkedin_row(window: Page, state: str) -> None:
    row = window.locator("#sessions li[data-platform=linkedin]")
    expect(row).to_have_attribute("data-state", state, timeout=60_000)


def _confirm(chromium: ExtensionBrowser, window: Page, screenshot: str | None = None) -> None:
    dialog = window.locator("#confirm-connect")
    dialog.wait_for()
    if screenshot:
        chromium.check_state(window, screenshot)
    window.click("#confirm-connect-yes")


def test_connect_expire_reconnect_disconnect(
    chromium: ExtensionBrowser, ext_fleet: Fleet, accounts: Accounts, simulator: str
) -> None:
    lang = chromium.language
    account = f"carol-{lang}-linkedin"
    chromium.store_tokens(accounts.token(f"carol-{lang}"))
    chromium.login_platform("linkedin", account)

    tab, window = source(chromium, OTHER_SITE)
    _linkedin_row(window, "disconnected")
    window.click("#sessions li[data-platform=linkedin] [data-action=connect]")
    _confirm(chromium, window, "connect-confirm")
    _linkedin_row(window, "connected")
    chromium.check_state(window, "sessions-connected")
    window.close()
    tab.close()

    # The platform logs the recruiter out: the next request says so and offers to reconnect.
    httpx.post(f"{simulator}/_sim/expire", json={"account": account}).raise_for_status()
    tab, window = source(chromium, f"https://www.linkedin.com/in/{MEMBER[lang]}/")
    problem = window.locator("[data-code=session_expired]")
    problem.wait_for(timeout=90_000)
    chromium.check_state(window, "failed-session-expired")
    chromium.login_platform("linkedin", account)
    problem.locator("[data-action=reconnect]").click()
    _confirm(chromium, window)
    _linkedin_row(window, "connected")

    window.click("#sessions li[data-platform=linkedin] [data-action=disconnect]")
    _linkedin_row(window, "disconnected")
    window.close()
    tab.close()
    mine = httpx.get(
        f"{ext_fleet.gateway_url}/v1/me/sessions", headers=accounts.headers(f"carol-{lang}")
    ).json()["items"]
    assert [s for s in mine if not s["shared"]] == []

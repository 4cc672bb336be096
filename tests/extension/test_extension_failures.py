"""Problems reach the recruiter as readable messages with the action that fixes them: a
profile that is unavailable, and a platform session that expired (reconnect)."""

from __future__ import annotations

import httpx
import pytest
from browser import ExtensionBrowser
from fleet import Fleet
from flows import source
from identity import Accounts
from playwright.sync_api import expect

pytestmark = [pytest.mark.extension, pytest.mark.timeout(600)]

UNAVAILABLE = {"de": "priya-raman", "en": "aiko"}


def test_unavailable_profile(
    chromium: ExtensionBrowser, ext_fleet: Fleet, accounts: Accounts, simulator: str
) -> None:
    lang = chromium.language
    slug = UNAVAILABLE[lang]
    sim = httpx.Client(base_url=simulator)
    sim.post("/_sim/scenario", json={"scenario": "unavailable", "slug": slug}).raise_for_status()
    try:
        chromium.store_tokens(accounts.token(f"recruiter-{lang}"))
        tab, window = source(chromium, f"https://www.linkedin.com/in/{slug}/")
        problem = window.locator("[data-code=profile_unavailable]")
        problem.wait_for(timeout=90_000)
        assert "{" not in problem.inner_text()  # a sentence, never a raw body
        expect(window.locator(".spinner")).to_have_count(0)
        chromium.check_state(window, "failed-unavailable")
        window.close()
        tab.close()
    finally:
        sim.post("/_sim/scenario", json={"scenario": None, "slug": slug})

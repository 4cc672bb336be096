"""A recruiter sources a new talent through the extension's window, asks for consent by link,
the profile changes on the platform, and sourcing it again shows exactly what is new."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from browser import ExtensionBrowser
from fleet import Fleet
from identity import Accounts
from playwright.sync_api import Page, expect

# Chromium, the fleet and the extractor start once per run: the first test pays for them.
pytestmark = [pytest.mark.extension, pytest.mark.timeout(600)]

# One member per language: both runs share the fleet and the simulator.
MEMBER = {"de": "anna-lena-von-mueller", "en": "maria-de-la-cruz"}
NEW_JOB = {
    "title": "Head of Platform",
    "company": "Sourcer Extension GmbH",
    "location": "Hamburg, Germany",
    "start": {"year": 2026, "month": 11},
    "is_current": True,
}
TEXTS = {
    "de": {"send": "An Sourcer senden", "exists": "Dieses Talent existiert bereits!",
           "update": "Talent aktualisieren"},
    "en": {"send": "Send to Sourcer", "exists": "This talent already exists!",
           "update": "Update talent"},
}  # fmt: skip


def _pools(fleet: Fleet, accounts: Accounts, sub: str, names: list[str]) -> list[str]:
    client = httpx.Client(base_url=fleet.gateway_url, headers=accounts.headers(sub))
    return [client.post("/v1/pools", json={"name": n}).json()["id"] for n in names]


def _review(window: Page) -> None:
    window.locator("#review").wait_for(timeout=90_000)


def test_new_talent_then_changed_profile(
    chromium: ExtensionBrowser, ext_fleet: Fleet, accounts: Accounts, simulator: str
) -> None:
    lang = chromium.language
    slug = MEMBER[lang]
    sub = f"recruiter-{lang}"
    pool_ids = _pools(
        ext_fleet, accounts, sub, [f"Backend {lang}", f"Hamburg {lang}", f"Design {lang}"]
    )
    chromium.store_tokens(accounts.token(sub))
    profile_tab, tab_id = chromium.open_tab(f"https://www.linkedin.com/in/{slug}/")

    # Click: progress first, then the extracted profile for review.
    window = chromium.open_window(tab_id)
    window.locator("ol.progress li").first.wait_for()
    chromium.screenshot(window, "progress")
    _review(window)
    expect(window.locator("#first_name")).not_to_have_value("")
    expect(window.locator("[data-field=experience] li").first).to_be_visible()
    chromium.check_state(window, "review-new")

    window.select_option("#status", "contacted")
    window.select_option("#preferred_language", "de")
    window.check(f"input[name=pool][value={pool_ids[0]}]")
    window.check(f"input[name=pool][value={pool_ids[1]}]")
    window.fill("textarea[name=note]", f"Met at the meetup ({lang}).")
    window.get_by_role("button", name=TEXTS[lang]["send"]).click()

    # Sent: the consent options of the submit answer; a recruiter has no manual unlock.
    window.locator("#consent").wait_for()
    expect(window.locator("#option-manual")).to_have_count(0)
    expect(window.locator("#option-email .warning")).to_have_count(1)
    window.click("#copy-link")
    link = window.locator("#consent-url")
    link.wait_for()
    consent_url = link.input_value()
    assert consent_url.startswith("http")
    assert window.evaluate("navigator.clipboard.readText()") == consent_url
    expect(window.locator(".example")).to_have_count(2)
    chromium.check_state(window, "consent")
    window.close()

    client = httpx.Client(base_url=ext_fleet.gateway_url, headers=accounts.headers(sub))
    [talent] = [
        t for t in client.get("/v1/talents", params={"q": slug.split("-")[0]}).json()["items"]
    ]
    assert talent["status"] == "contacted" and talent["preferred_language"] == "de"
    assert sorted(talent["pools"]) == sorted(pool_ids[:2])
    assert [n["text"] for n in talent["notes"]] == [f"Met at the meetup ({lang})."]

    # The member adds a role and a skill on the platform.
    sim = httpx.Client(base_url=simulator)
    profile: dict[str, Any] = sim.get(f"/_sim/profiles/{slug}").json()
    profile["experience"] = [NEW_JOB, *profile["experience"]]
    profile["skills"] = [*profile["skills"], f"Extension Testing {lang}"]
    assert sim.post(f"/_sim/profiles/{slug}", json=profile).status_code == 200

    window = chromium.open_window(tab_id)
    _review(window)
    expect(window.locator("#exists")).to_have_text(TEXTS[lang]["exists"])
    crm = window.locator("#crm-link")
    expect(crm).to_have_attribute("href", f"https://crm.acme.example/candidates/{talent['id']}")
    changes = window.locator("#changes label.change")
    seen = {(c.get_attribute("data-field"), c.get_attribute("data-kind")) for c in changes.all()}
    assert seen == {("experience", "added"), ("skills", "added")}
    assert "Head of Platform" in window.locator("#changes").inner_text()
    chromium.check_state(window, "review-existing")

    window.check(f"input[name=pool][value={pool_ids[2]}]")
    window.fill("#notes textarea[name=note]", "Moved to Hamburg.")
    window.get_by_role("button", name=TEXTS[lang]["update"]).click()
    window.locator("#consent").wait_for()
    window.close()
    profile_tab.close()

    updated = client.get(f"/v1/talents/{talent['id']}").json()
    assert updated["experience"][0]["title"] == "Head of Platform"
    assert f"Extension Testing {lang}" in updated["skills"]
    assert sorted(updated["pools"]) == sorted(pool_ids)
    assert [n["text"] for n in updated["notes"]] == [
        f"Met at the meetup ({lang}).",
        "Moved to Hamburg.",
    ]
    assert updated["status"] == "contacted"

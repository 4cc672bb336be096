"""Steps the extension tests share: source a profile through the window and send it."""

from __future__ import annotations

from browser import ExtensionBrowser
from playwright.sync_api import Page

SEND = {"de": "An Sourcer senden", "en": "Send to Sourcer"}


def source(chromium: ExtensionBrowser, profile_url: str) -> tuple[Page, Page]:
    """Opens the profile and the window for it; (profile tab, window)."""
    tab, tab_id = chromium.open_tab(profile_url)
    return tab, chromium.open_window(tab_id)


def send_new(chromium: ExtensionBrowser, window: Page) -> None:
    """Sends the previewed new talent with the defaults; waits for the consent options."""
    window.locator("#review").wait_for(timeout=90_000)
    window.get_by_role("button", name=SEND[chromium.language]).click()
    window.locator("#consent").wait_for()

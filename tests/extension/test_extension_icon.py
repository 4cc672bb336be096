"""The action icon: enabled (dark, blue dot) on LinkedIn member and Xing profiles; disabled
(grey) on LinkedIn Recruiter, Sales Navigator and every other site."""

from __future__ import annotations

import pytest
from browser import OTHER_SITE, ExtensionBrowser

# Chromium, the fleet and the extractor start once per run: the first test pays for them.
pytestmark = [pytest.mark.extension, pytest.mark.timeout(600)]

PAGES = {
    "https://www.linkedin.com/in/sam-lee-dev/": True,
    "https://www.xing.com/profile/Thomas_Mueller": True,
    "https://www.linkedin.com/talent/profile/AEMAAB1x2y3": False,
    "https://www.linkedin.com/sales/lead/ACwAAA123,NAME_SEARCH,abc": False,
    OTHER_SITE: False,
}


def test_icon_state_per_page(chromium: ExtensionBrowser) -> None:
    seen = {}
    for url, expected in PAGES.items():
        page, tab_id = chromium.open_tab(url)
        seen[url] = chromium.icon_enabled(tab_id, expected=expected)
        page.close()
    assert seen == PAGES


def test_window_on_a_recruiter_page_says_why(chromium: ExtensionBrowser) -> None:
    page, tab_id = chromium.open_tab("https://www.linkedin.com/talent/profile/AEMAAB1x2y3")
    chromium.store_tokens("unused-on-this-page")
    window = chromium.open_window(tab_id)
    hint = window.locator("[data-code=linkedin_recruiter_unsupported]")
    hint.wait_for()
    assert "linkedin.com/in/" in hint.inner_text()
    chromium.check_state(window, "not-a-profile")
    window.close()
    page.close()

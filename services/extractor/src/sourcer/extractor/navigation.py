"""Navigating a profile as a person would: open it, let it render, "Show all", contact info.

Returns the rendered HTML of every page needed; the parsers turn it into a `Profile`. Every wait
is bounded: a page that never shows its sections is classified as it stands.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sourcer.extractor.parsing import PageKind, classify
from sourcer.proto.records import Platform

LINKEDIN_SECTIONS = 'main section[data-view-name="profile-card"]'
LINKEDIN_ENTITY = 'main [data-view-name="profile-component-entity"]'
LINKEDIN_SHOW_ALL = 'a[id^="navigation-index-see-all-"]'
LINKEDIN_CONTACT = '[role="dialog"] #pv-contact-info'
XING_CONSENT_ACCEPT = '#consent-accept-button, [data-qa="consent-accept"]'
XING_NAME = '[data-qa="profile-name"]'


@dataclass
class Rendered:
    kind: PageKind
    main: str
    url: str
    status: int | None
    details: dict[str, str] = field(default_factory=dict)
    contact: str | None = None
    screenshot: bytes | None = None


def platform_url(canonical_url: str, base_url: str) -> str:
    """The canonical URL's path on the configured host (the real platform, or a simulator)."""
    parts = urlsplit(canonical_url)
    return base_url.rstrip("/") + parts.path


async def _settle(page: Page, selector: str, timeout_ms: float) -> None:
    # A page that never shows the selector is classified as it stands.
    with contextlib.suppress(PlaywrightTimeout):
        await page.wait_for_selector(selector, timeout=timeout_ms, state="attached")


async def _open(page: Page, url: str, *, navigation_ms: float) -> int | None:
    response = await page.goto(url, wait_until="domcontentloaded", timeout=navigation_ms)
    return response.status if response is not None else None


async def render_linkedin(
    page: Page, url: str, *, navigation_ms: float, section_ms: float
) -> Rendered:
    status = await _open(page, url, navigation_ms=navigation_ms)
    if "/in/" in urlsplit(page.url).path and status == 200:
        await _settle(page, LINKEDIN_SECTIONS, section_ms)
    main = await page.content()
    kind = classify(Platform.LINKEDIN.value, main, page.url, status)
    rendered = Rendered(kind=kind, main=main, url=page.url, status=status)
    if kind is not PageKind.PROFILE:
        return rendered
    links = await page.eval_on_selector_all(
        LINKEDIN_SHOW_ALL, "links => links.map(a => a.getAttribute('href'))"
    )
    profile_url = page.url
    for href in links:
        if not href or "/details/" not in href:
            continue
        section = href.split("/details/", 1)[1].strip("/").split("/", 1)[0]
        await _open(page, urljoin(profile_url, href), navigation_ms=navigation_ms)
        await _settle(page, LINKEDIN_ENTITY, section_ms)
        rendered.details[section] = await page.content()
    contact_url = urljoin(profile_url, "overlay/contact-info/")
    await _open(page, contact_url, navigation_ms=navigation_ms)
    await _settle(page, LINKEDIN_CONTACT, section_ms)
    rendered.contact = await page.content()
    return rendered


async def render_xing(page: Page, url: str, *, navigation_ms: float, section_ms: float) -> Rendered:
    status = await _open(page, url, navigation_ms=navigation_ms)
    accept = page.locator(XING_CONSENT_ACCEPT)
    if await accept.count():  # the dialog is in the served page until consent was given once
        await accept.first.click(timeout=section_ms)
    if status == 200:
        await _settle(page, XING_NAME, section_ms)
    main = await page.content()
    kind = classify(Platform.XING.value, main, page.url, status)
    return Rendered(kind=kind, main=main, url=page.url, status=status)

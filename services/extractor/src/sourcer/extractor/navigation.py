"""Navigating a profile as a person would: open it, let it render, "Show all", contact info.

Returns the rendered HTML of every page needed; the parsers turn it into a `Profile`. Every wait
is bounded: a page that never shows its sections is classified as it stands.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout
from selectolax.lexbor import LexborHTMLParser

from sourcer.extractor.parsing import PageKind, classify
from sourcer.extractor.targets import DETAIL_SECTIONS, contact_page, detail_page
from sourcer.proto.records import Platform
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

# Any generation: a card heading in main, or today's lazily filled card containers.
LINKEDIN_SECTIONS = 'main section h2, [id^="profileCards"]'
# Items of a details page: list items (2019-24) or keyed cards (2025-26).
LINKEDIN_ITEMS = (
    'main li, main [componentkey^="entity-collection-item"], '
    'main [componentkey^="com.linkedin.sdui.profile.skill"]'
)
LINKEDIN_SHOW_ALL = 'main a[href*="/details/"]'
LINKEDIN_CONTACT = '[role="dialog"] a[href^="mailto:"], [role="dialog"] #pv-contact-info'
XING_CONSENT_ACCEPT = '#consent-accept-button, [data-qa="consent-accept"]'
# Today's header, the older markup's name, or anything rendered into the page's main column
# (the public page holds its profile in embedded state, not in a heading).
XING_NAME = '#XingIdModule h1, [data-xds="Hero"], [data-qa="profile-name"], main#content > *'


@dataclass
class Rendered:
    kind: PageKind
    main: str
    url: str
    status: int | None
    details: dict[str, str] = field(default_factory=dict)
    contact: str | None = None
    screenshot: bytes | None = None
    unloaded: list[str] = field(default_factory=list)
    """Lazily loaded card containers still empty when the bounded scrolling ended."""


def platform_url(canonical_url: str, base_url: str) -> str:
    """The canonical URL's path on the configured host (the real platform, or a simulator)."""
    parts = urlsplit(canonical_url)
    return base_url.rstrip("/") + parts.path


# Waits in the page until `selector` is attached (or the time is up), then returns the document
# as `page.content()` would: one round trip to the browser instead of two, on every page.
_SETTLED_CONTENT = """([selector, timeoutMs]) => new Promise((resolve) => {
  const html = () =>
    (document.doctype ? new XMLSerializer().serializeToString(document.doctype) : "") +
    (document.documentElement ? document.documentElement.outerHTML : "");
  if (!selector || document.querySelector(selector)) { resolve(html()); return; }
  const done = () => { observer.disconnect(); clearTimeout(timer); resolve(html()); };
  const observer = new MutationObserver(() => { if (document.querySelector(selector)) done(); });
  const timer = setTimeout(done, timeoutMs);
  observer.observe(document, { childList: true, subtree: true });
})"""


async def _settled_content(page: Page, selector: str | None, timeout_ms: float) -> str:
    """The page's HTML once `selector` is there; a page that never shows it is read as it
    stands (and classified so)."""
    try:
        html: str = await page.evaluate(_SETTLED_CONTENT, [selector, timeout_ms])
        return html
    except PlaywrightError:
        # The page navigated away meanwhile (a client-side redirect): read the page it is on.
        if selector is not None:
            with contextlib.suppress(PlaywrightTimeout):
                await page.wait_for_selector(selector, timeout=timeout_ms, state="attached")
        return await page.content()


# Today's LinkedIn loads its cards into `profileCards…` containers as they come into view:
# bring each empty container into view in turn and wait, on DOM mutations, until it has content
# (or the time is up), then look once more from the page bottom for containers added meanwhile;
# report the containers that stayed empty. Jumping to each container instead of scrolling a
# screen at a time with fixed sleeps is what keeps this from costing a quarter of a profile's
# time on the benchmark, with the same bound and the same outcome.
_SCROLL_UNTIL_LOADED = """async ([timeoutMs]) => {
  const html = () =>
    (document.doctype ? new XMLSerializer().serializeToString(document.doctype) : "") +
    document.documentElement.outerHTML;
  const containers = () => [...document.querySelectorAll('[id^="profileCards"]')];
  if (!containers().length) { return [null, html()]; }
  const empty = (node) => !node.textContent.trim();
  const deadline = Date.now() + timeoutMs;
  const filled = (node) => new Promise((resolve) => {
    if (!empty(node)) { resolve(); return; }
    const done = () => { observer.disconnect(); clearTimeout(timer); resolve(); };
    const observer = new MutationObserver(() => { if (!empty(node)) { done(); } });
    const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
    observer.observe(node, { childList: true, subtree: true, characterData: true });
  });
  const tried = new Set();
  while (Date.now() < deadline) {
    const next = containers().find((node) => empty(node) && !tried.has(node));
    if (next) {
      tried.add(next);
      next.scrollIntoView({ block: "center" });
      await filled(next);
      continue;
    }
    const height = document.body.scrollHeight;
    window.scrollTo(0, height);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const fresh = containers().some((node) => empty(node) && !tried.has(node));
    if (!fresh && document.body.scrollHeight === height) { break; }
  }
  return [containers().filter(empty).map((node) => node.id), html()];
}"""

# The main profile page in one round trip: wait for its sections, then bring the lazy cards in.
_WAIT_FOR = """(selector, timeoutMs) => new Promise((resolve) => {
  if (!selector || document.querySelector(selector)) { resolve(); return; }
  const done = () => { observer.disconnect(); clearTimeout(timer); resolve(); };
  const observer = new MutationObserver(() => { if (document.querySelector(selector)) done(); });
  const timer = setTimeout(done, timeoutMs);
  observer.observe(document, { childList: true, subtree: true });
})"""
_SETTLED_AND_SCROLLED = (
    "async ([selector, timeoutMs]) => {\n"
    f"  await ({_WAIT_FOR})(selector, timeoutMs);\n"
    f"  return await ({_SCROLL_UNTIL_LOADED})([timeoutMs]);\n"
    "}"
)


async def _scroll_lazy_cards(
    page: Page, timeout_ms: float, *, settle_on: str | None = None
) -> tuple[list[str] | None, str] | None:
    """(containers left empty, the page's HTML after scrolling); the containers are None when
    the page has none (every layout before 2025). With `settle_on`, first waits for that
    selector, in the same round trip. None when the page navigated away meanwhile."""
    script = _SETTLED_AND_SCROLLED if settle_on else _SCROLL_UNTIL_LOADED
    arguments = [settle_on, timeout_ms] if settle_on else [timeout_ms]
    try:
        found: tuple[list[str] | None, str] = await page.evaluate(script, arguments)
        return found
    except PlaywrightError:
        return None


def _show_all_links(html: str) -> list[str]:
    nodes = LexborHTMLParser(html).css(LINKEDIN_SHOW_ALL)
    return [href for node in nodes if (href := node.attributes.get("href"))]


def _has(html: str, selector: str) -> bool:
    return LexborHTMLParser(html).css_first(selector) is not None


async def _open(page: Page, url: str, *, navigation_ms: float) -> int | None:
    response = await page.goto(url, wait_until="domcontentloaded", timeout=navigation_ms)
    return response.status if response is not None else None


async def render_linkedin(
    page: Page, url: str, *, navigation_ms: float, section_ms: float
) -> Rendered:
    status = await _open(page, url, navigation_ms=navigation_ms)
    profile_page = "/in/" in urlsplit(page.url).path and status == 200
    # Sections and lazy cards in one round trip: a page that is no profile has no lazy cards,
    # so nothing is scrolled before it is classified.
    loaded = None
    if profile_page:
        loaded = await _scroll_lazy_cards(page, section_ms, settle_on=LINKEDIN_SECTIONS)
    if loaded is None:  # no profile URL, or the page navigated away (a client-side redirect)
        selector = LINKEDIN_SECTIONS if profile_page else None
        loaded = None, await _settled_content(page, selector, section_ms)
    pending, main = loaded
    kind = classify(Platform.LINKEDIN.value, main, page.url, status)
    rendered = Rendered(kind=kind, main=main, url=page.url, status=status, unloaded=pending or [])
    if kind is not PageKind.PROFILE:
        return rendered
    # Subpages are read from a third-party page: each is opened only when it is a details page
    # (or the contact overlay) of this same profile on the host the profile was opened on.
    profile_url, origin = page.url, "{0.scheme}://{0.netloc}".format(urlsplit(url))
    for href in dict.fromkeys(_show_all_links(main)):
        section = href.split("/details/", 1)[1].strip("/").split("/", 1)[0]
        if section not in DETAIL_SECTIONS or section in rendered.details:
            continue  # a section Sourcer does not read (certifications, projects, ...)
        found = detail_page(profile_url, href, base_url=origin)
        if found is None:
            log.warning("navigation.link_refused", href=href[:200])
            continue
        detail_url, section = found
        await _open(page, detail_url, navigation_ms=navigation_ms)
        rendered.details[section] = await _settled_content(page, LINKEDIN_ITEMS, section_ms)
    contact_url = contact_page(profile_url, base_url=origin)
    if contact_url is None:
        log.warning("navigation.link_refused", href=profile_url[:200])
        return rendered
    await _open(page, contact_url, navigation_ms=navigation_ms)
    rendered.contact = await _settled_content(page, LINKEDIN_CONTACT, section_ms)
    return rendered


async def render_xing(page: Page, url: str, *, navigation_ms: float, section_ms: float) -> Rendered:
    status = await _open(page, url, navigation_ms=navigation_ms)
    # Until consent was given once, the served page holds the privacy dialog and the profile
    # renders only after it is accepted: wait for whichever comes first.
    waiting_for = f"{XING_NAME}, {XING_CONSENT_ACCEPT}" if status == 200 else None
    main = await _settled_content(page, waiting_for, section_ms)
    if _has(main, XING_CONSENT_ACCEPT):
        await page.locator(XING_CONSENT_ACCEPT).first.click(timeout=section_ms)
        main = await _settled_content(page, XING_NAME if status == 200 else None, section_ms)
    kind = classify(Platform.XING.value, main, page.url, status)
    return Rendered(kind=kind, main=main, url=page.url, status=status)

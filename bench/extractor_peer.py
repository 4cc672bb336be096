"""The benchmark's peer: crawlee-python's PlaywrightCrawler doing the extractor's work.

Each profile is one start request; its handler waits for the sections, scrolls today's lazy
cards in, and enqueues the "Show all" pages and the contact overlay as requests of their own,
the way a crawlee user writes it. When a profile's last page is in, it is parsed with the
extractor's own parser. Same Debian Chromium and flags, same concurrency, same waits and the
same scroll script as the worker (`sourcer.extractor.navigation`), so the run measures the two
harnesses, not two ways of reading a page. Not timed: the browser's launch and the crawler's
start and stop; timed: first navigation to last parse.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urljoin

from crawlee import ConcurrencySettings, Request
from crawlee.configuration import Configuration
from crawlee.crawlers import (
    PlaywrightCrawler,
    PlaywrightCrawlingContext,
    PlaywrightPreNavCrawlingContext,
)
from crawlee.storage_clients import MemoryStorageClient
from playwright.async_api import async_playwright

from sourcer.extractor.browser import chromium_args
from sourcer.extractor.navigation import (
    LINKEDIN_CONTACT,
    LINKEDIN_ITEMS,
    LINKEDIN_SECTIONS,
    XING_NAME,
    _scroll_lazy_cards,
    _settled_content,
    _show_all_links,
)
from sourcer.extractor.parsing import parse_linkedin, parse_xing
from sourcer.extractor.targets import DETAIL_SECTIONS
from sourcer.proto.records import Platform

SECTION_MS = 10_000.0


@dataclass
class _Profile:
    platform: Platform
    url: str
    main: str = ""
    details: dict[str, str] = field(default_factory=dict)
    contact: str | None = None
    pending: int = 1


@dataclass
class PeerRun:
    profiles: int = 0
    pages: int = 0
    first_navigation: float | None = None
    last_parse: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        if self.first_navigation is None or not self.profiles:
            return 0.0
        return self.profiles / (self.last_parse - self.first_navigation)


def launch_options() -> dict[str, Any]:
    """The extractor's flags; without the sandbox only where the extractor's opt-in is set."""
    no_sandbox = os.environ.get("SOURCER_EXTRACTOR_CHROMIUM_NO_SANDBOX", "").lower() == "true"
    return {"args": chromium_args(no_sandbox=no_sandbox), "chromium_sandbox": not no_sandbox}


async def session_cookies(base_url: str, executable: str) -> list[dict[str, Any]]:
    """Log in to the simulator once (untimed), as the extractor's accounts are imported."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, **launch_options())
        context = await browser.new_context()
        page = await context.new_page()
        await page.goto(f"{base_url}/_sim/login?account=crawlee")
        cookies = [dict(c) for c in await context.cookies()]
        await browser.close()
    consent = {"name": "xing_privacy_consent", "value": "accepted", "url": base_url}
    return [*cookies, consent]


def _crawler(executable: str, concurrency: int) -> PlaywrightCrawler:
    return PlaywrightCrawler(
        browser_type="chromium",
        browser_launch_options={"executable_path": executable, **launch_options()},
        browser_new_context_options={"locale": "en-US", "viewport": {"width": 1366, "height": 900}},
        headless=True,
        # A fingerprint per page is crawlee's default; it costs work the worker does not do.
        fingerprint_generator=None,
        goto_options={"wait_until": "domcontentloaded"},
        concurrency_settings=ConcurrencySettings(
            min_concurrency=concurrency,
            desired_concurrency=concurrency,
            max_concurrency=concurrency,
        ),
        max_request_retries=0,
        request_handler_timeout=timedelta(seconds=60),
        configure_logging=False,
        storage_client=MemoryStorageClient(),
        configuration=Configuration(
            purge_on_start=True, storage_dir=tempfile.mkdtemp(prefix="crawlee-")
        ),
    )


async def run_crawlee(
    base_url: str, profiles: list[tuple[Platform, str]], concurrency: int, executable: str
) -> PeerRun:
    """Crawl `profiles` ((platform, path) pairs, repeats allowed) and parse each one."""
    logging.getLogger("crawlee").setLevel(logging.WARNING)
    os.environ.setdefault("CRAWLEE_MEMORY_MBYTES", "8192")
    cookies = await session_cookies(base_url, executable)
    crawler = _crawler(executable, concurrency)
    run = PeerRun()
    state: dict[str, _Profile] = {}
    with_cookies: set[int] = set()

    @crawler.pre_navigation_hook
    async def login(context: PlaywrightPreNavCrawlingContext) -> None:
        if run.first_navigation is None:
            run.first_navigation = time.perf_counter()
        browser_context = context.page.context
        if id(browser_context) not in with_cookies:
            await browser_context.add_cookies(cookies)  # type: ignore[arg-type]
            with_cookies.add(id(browser_context))

    def finish(key: str) -> None:
        profile = state[key]
        profile.pending -= 1
        if profile.pending:
            return
        if profile.platform is Platform.XING:
            parse_xing(profile.main, url=profile.url)
        else:
            parse_linkedin(
                profile.main, details=profile.details, contact_html=profile.contact, url=profile.url
            )
        run.profiles += 1
        run.last_parse = time.perf_counter()

    @crawler.router.default_handler
    async def main_page(context: PlaywrightCrawlingContext) -> None:
        run.pages += 1
        key = str(context.request.user_data["key"])
        profile = state[key]
        page = context.page
        if profile.platform is Platform.XING:
            profile.main = await _settled_content(page, XING_NAME, SECTION_MS)
            finish(key)
            return
        scrolled = await _scroll_lazy_cards(page, SECTION_MS, settle_on=LINKEDIN_SECTIONS)
        profile.main = scrolled[1] if scrolled else await page.content()
        extra = []
        for href in dict.fromkeys(_show_all_links(profile.main)):
            section = href.split("/details/", 1)[1].strip("/").split("/", 1)[0]
            if section in DETAIL_SECTIONS:
                extra.append(("details", section, urljoin(page.url, href)))
        extra.append(("contact", "", urljoin(page.url, "overlay/contact-info/")))
        profile.pending += len(extra)
        await context.add_requests(
            [
                Request.from_url(
                    url,
                    label=label,
                    user_data={"key": key, "section": section},
                    unique_key=f"{key}:{label}:{section}",
                )
                for label, section, url in extra
            ]
        )
        finish(key)

    @crawler.router.handler("details")
    async def details_page(context: PlaywrightCrawlingContext) -> None:
        run.pages += 1
        key = str(context.request.user_data["key"])
        html = await _settled_content(context.page, LINKEDIN_ITEMS, SECTION_MS)
        state[key].details[str(context.request.user_data["section"])] = html
        finish(key)

    @crawler.router.handler("contact")
    async def contact_page(context: PlaywrightCrawlingContext) -> None:
        run.pages += 1
        key = str(context.request.user_data["key"])
        state[key].contact = await _settled_content(context.page, LINKEDIN_CONTACT, SECTION_MS)
        finish(key)

    @crawler.failed_request_handler
    async def failed(context: Any, error: Exception) -> None:
        run.failures.append(f"{context.request.url}: {error}")

    requests = []
    # crawlee keeps its in-memory request queue for the process: keys of a later run must not
    # look like requests it already handled.
    run_id = uuid.uuid4().hex[:8]
    for n, (platform, path) in enumerate(profiles):
        key = f"{run_id}-{n}"
        state[key] = _Profile(platform=platform, url=base_url + path)
        requests.append(Request.from_url(base_url + path, user_data={"key": key}, unique_key=key))
    await crawler.run(requests)
    await asyncio.sleep(0)
    return run

"""One Chromium per process, one context per leased account, recycled after N pages.

The browser's job is session, navigation and waiting; parsing happens elsewhere on the HTML
it returns. A crashed browser is noticed through Playwright's `disconnected` event and
relaunched on the next use, so a job can be retried in the same process.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    async_playwright,
)

from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

# Chromium runs sandboxed (its renderer processes in their own user, PID and network namespaces
# under a seccomp-BPF filter) and with strict site isolation: the extractor renders third-party
# pages with a logged-in session, so a renderer exploit must stay inside the renderer. These
# flags only keep Chromium from phoning home, which a closed network answers with a storm of
# refused connections.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    # Images, media and fonts are never fetched. Images are switched off in Blink itself (no
    # request at all); media and fonts, and any image that still gets requested, are failed
    # by Chromium's request interception, asked to pause only requests of those types: the
    # document, scripts and data requests never make the round trip to this process that
    # intercepting every request would cost.
    "--blink-settings=imagesEnabled=false",
]
# For hosts that cannot give Chromium its sandbox (root, no user namespaces, no setuid helper):
# an explicit opt-in (SOURCER_EXTRACTOR_CHROMIUM_NO_SANDBOX), warned about at every launch.
NO_SANDBOX_ARGS = ["--no-sandbox"]
# Only for measuring what site isolation costs (bench/extractor.py); never the default.
NO_SITE_ISOLATION_ARGS = ["--disable-site-isolation-trials"]
BLOCKED_RESOURCE_TYPES = ("Image", "Media", "Font")
SYSTEM_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def find_chromium(configured: str | None, playwright: Playwright) -> str | None:
    """The configured executable, else Playwright's own browser, else the system Chromium."""
    if configured:
        if not Path(configured).exists():
            raise FileNotFoundError(f"Chromium not found at {configured} (SOURCER_CHROMIUM_PATH)")
        return configured
    own = Path(playwright.chromium.executable_path)
    if own.exists():
        return None  # Playwright launches its own build
    for candidate in SYSTEM_CHROMIUM:
        if shutil.which(candidate):
            return candidate
    raise FileNotFoundError(
        "no Chromium: install one (`apt-get install chromium`) or set SOURCER_CHROMIUM_PATH"
    )


def _fingerprint(storage_state: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(storage_state, sort_keys=True).encode()).hexdigest()


@dataclass
class _Slot:
    context: BrowserContext
    fingerprint: str
    page: Page | None = None  # one tab per account, reused: a new tab per job costs time
    pages: int = 0


async def _block_heavy_resources(page: Page) -> None:
    session = await page.context.new_cdp_session(page)
    in_flight: set[asyncio.Task[Any]] = set()

    def settle(task: asyncio.Task[Any]) -> None:
        in_flight.discard(task)
        if not task.cancelled():
            task.exception()  # a page that went away meanwhile has nothing left to block

    def fail(event: dict[str, Any]) -> None:
        request = {"requestId": event["requestId"], "errorReason": "BlockedByClient"}
        task = asyncio.ensure_future(session.send("Fetch.failRequest", request))
        in_flight.add(task)
        task.add_done_callback(settle)

    session.on("Fetch.requestPaused", fail)
    patterns = [{"urlPattern": "*", "resourceType": kind} for kind in BLOCKED_RESOURCE_TYPES]
    await session.send("Fetch.enable", {"patterns": patterns})


def chromium_args(*, no_sandbox: bool = False, site_isolation: bool = True) -> list[str]:
    """The flags the extractor launches Chromium with; sandboxed and site-isolated unless
    told otherwise."""
    return [
        *CHROMIUM_ARGS,
        *(NO_SANDBOX_ARGS if no_sandbox else []),
        *([] if site_isolation else NO_SITE_ISOLATION_ARGS),
    ]


class BrowserHost:
    def __init__(
        self,
        *,
        executable: str | None,
        headless: bool,
        pages_per_context: int,
        no_sandbox: bool = False,
        site_isolation: bool = True,
    ) -> None:
        self._configured_executable = executable
        self._headless = headless
        self._pages_per_context = pages_per_context
        self.no_sandbox = no_sandbox
        self.site_isolation = site_isolation
        self.args = chromium_args(no_sandbox=no_sandbox, site_isolation=site_isolation)
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._slots: dict[str, _Slot] = {}
        self.launches = 0

    async def start(self) -> None:
        self._playwright = await async_playwright().start()
        await self._launch()

    async def _launch(self) -> None:
        assert self._playwright is not None
        executable = find_chromium(self._configured_executable, self._playwright)
        if self.no_sandbox:
            log.warning(
                "browser.sandbox_disabled",
                reason="SOURCER_EXTRACTOR_CHROMIUM_NO_SANDBOX is set: a compromised renderer "
                "runs with this process's rights",
            )
        if not self.site_isolation:
            log.warning("browser.site_isolation_disabled")  # measurements only
        # Playwright adds --no-sandbox itself unless `chromium_sandbox` is set.
        self._browser = await self._playwright.chromium.launch(
            executable_path=executable,
            headless=self._headless,
            args=self.args,
            chromium_sandbox=not self.no_sandbox,
        )
        self._slots.clear()
        self.launches += 1
        log.info("browser.launched", executable=executable or "playwright", launches=self.launches)

    def is_connected(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    async def ensure_running(self) -> None:
        """Relaunch after a crash; contexts of the dead browser are gone with it."""
        if not self.is_connected():
            log.warning("browser.relaunching")
            await self._launch()

    async def open_page(self, *, account_id: str, storage_state: dict[str, Any]) -> Page:
        await self.ensure_running()
        assert self._browser is not None
        fingerprint = _fingerprint(storage_state)
        slot = self._slots.get(account_id)
        stale = slot is not None and (
            slot.fingerprint != fingerprint or slot.pages >= self._pages_per_context
        )
        if slot is not None and stale:
            await self._close_slot(account_id)
            slot = None
        if slot is None:
            context = await self._browser.new_context(
                storage_state=storage_state,  # type: ignore[arg-type]
                locale="en-US",
                viewport={"width": 1366, "height": 900},
            )
            slot = _Slot(context=context, fingerprint=fingerprint)
            self._slots[account_id] = slot
        slot.pages += 1
        if slot.page is None or slot.page.is_closed():
            slot.page = await slot.context.new_page()
            await _block_heavy_resources(slot.page)
        return slot.page

    async def storage_state(self, *, account_id: str) -> dict[str, Any] | None:
        """Cookies as they are now, to be written back to the account after use.

        Only cookies: the platforms keep their sessions there, and a full `storage_state()`
        (local storage of every origin) costs a third of a profile's time."""
        slot = self._slots.get(account_id)
        if slot is None or not self.is_connected():
            return None
        cookies = await slot.context.cookies()
        state: dict[str, Any] = {"cookies": [dict(c) for c in cookies], "origins": []}
        slot.fingerprint = _fingerprint(state)
        return state

    async def _close_slot(self, account_id: str) -> None:
        slot = self._slots.pop(account_id, None)
        if slot is not None and self.is_connected():
            await slot.context.close()

    async def close(self) -> None:
        for account_id in list(self._slots):
            await self._close_slot(account_id)
        if self._browser is not None and self.is_connected():
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

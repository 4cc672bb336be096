"""Rendering one profile with a leased session: navigate, classify, parse, snapshot.

The browser's part of a job. A page that is not a profile raises `JobFailedError` with its
classified failure and what it says about the session (expired, checkpoint, rate limited); a
page read only partly reaches the recruiter with the missing sections named, and ops get the
page, a metric per layout and section, and an event.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, replace

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout
from prometheus_client import Counter

from sourcer.extractor.browser import BrowserHost
from sourcer.extractor.navigation import Rendered, render_linkedin, render_xing
from sourcer.extractor.parsing import (
    Failure,
    LayoutChanged,
    PageKind,
    ParseResult,
    failure_for,
    failure_for_code,
    layout_signature,
    read_linkedin,
    read_xing,
)
from sourcer.extractor.parsing.sections import SECTIONS
from sourcer.extractor.sessions import Lease, UseOutcome
from sourcer.extractor.snapshots import SnapshotStore
from sourcer.extractor.targets import request_target
from sourcer.proto.events import ExtractionErrorCode, SourcingRequested
from sourcer.proto.profile_urls import UrlRejectedError
from sourcer.proto.records import Platform, Profile
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

# What a page kind says about the session that saw it.
SESSION_OUTCOME = {
    PageKind.LOGGED_OUT: UseOutcome.EXPIRED,
    PageKind.ACCOUNT_PICKER: UseOutcome.EXPIRED,
    PageKind.CHECKPOINT: UseOutcome.CHECKPOINT,
    PageKind.RATE_LIMITED: UseOutcome.RATE_LIMITED,
}
SECTIONS_UNREADABLE = Counter(
    "sourcer_extractor_sections_unreadable_total",
    "Sections on a profile page that could not be read (section=profile: the whole page).",
    ["platform", "layout", "section"],
)


class JobFailedError(Exception):
    def __init__(self, failure: Failure, *, outcome: UseOutcome = UseOutcome.OK) -> None:
        super().__init__(failure.message)
        self.failure = failure
        self.outcome = outcome


@dataclass(frozen=True)
class RenderSettings:
    base_urls: dict[Platform, str]
    navigation_ms: float
    section_ms: float
    job_timeout: float
    browser_restarts_per_job: int


class ProfileRenderer:
    def __init__(
        self, *, browser: BrowserHost, snapshots: SnapshotStore, settings: RenderSettings
    ) -> None:
        self._browser = browser
        self._snapshots = snapshots
        self._settings = settings

    async def storage_state(self, session_id: str) -> dict[str, object] | None:
        """The session's cookies as the browser holds them now, to store back."""
        try:
            return await self._browser.storage_state(account_id=session_id)
        except PlaywrightError:
            return None  # the browser died; the stored session stays as it was

    async def render(self, request: SourcingRequested, lease: Lease, *, tenant_id: str) -> Profile:
        """The profile; a crashed browser is restarted a bounded number of times. The tenant
        names the person key of a snapshot, so the person's erasure finds it."""
        crashes = 0
        while True:
            try:
                async with asyncio.timeout(self._settings.job_timeout):
                    return await self._attempt(request, lease, tenant_id)
            except (PlaywrightTimeout, TimeoutError) as exc:
                raise JobFailedError(failure_for_code(ExtractionErrorCode.TIMEOUT)) from exc
            except PlaywrightError as exc:
                if self._browser.is_connected():
                    raise
                crashes += 1
                log.warning("browser.crashed", crashes=crashes, error=str(exc)[:200])
                if crashes > self._settings.browser_restarts_per_job:
                    failure = failure_for_code(ExtractionErrorCode.BROWSER_CRASHED)
                    raise JobFailedError(failure) from exc

    async def _attempt(self, request: SourcingRequested, lease: Lease, tenant_id: str) -> Profile:
        # The session's tab still shows its previous profile; every read below follows a
        # navigation that succeeded (a failed one raises), so that page is never read again.
        page = await self._browser.open_page(
            account_id=lease.session_id, storage_state=lease.storage_state
        )
        try:
            return await self._render_page(page, request, tenant_id)
        except BaseException:
            if self._browser.is_connected() and not page.is_closed():
                # A navigation may still be pending (a timeout): stop it, or it would abort
                # the next job's first navigation in this tab.
                with contextlib.suppress(PlaywrightError):
                    await page.goto("about:blank")
            raise

    async def _render_page(self, page: Page, request: SourcingRequested, tenant_id: str) -> Profile:
        try:  # checked again right before the logged-in browser opens it
            url = request_target(request, self._settings.base_urls[request.platform])
        except UrlRejectedError as exc:
            raise JobFailedError(failure_for_code(ExtractionErrorCode.UNSUPPORTED_URL)) from exc
        render = render_linkedin if request.platform is Platform.LINKEDIN else render_xing
        rendered = await render(
            page,
            url,
            navigation_ms=self._settings.navigation_ms,
            section_ms=self._settings.section_ms,
        )
        failure = failure_for(rendered.kind)
        if failure is not None:
            if rendered.kind is PageKind.UNKNOWN:
                await self._save_snapshot(page, request, rendered, tenant_id)
            outcome = SESSION_OUTCOME.get(rendered.kind, UseOutcome.OK)
            raise JobFailedError(failure, outcome=outcome)
        try:
            result = read_profile(request, rendered)
        except LayoutChanged as exc:
            layout = layout_signature(request.platform.value, rendered.main)
            SECTIONS_UNREADABLE.labels(request.platform.value, layout, "profile").inc()
            await self._save_snapshot(page, request, rendered, tenant_id)
            failure = failure_for_code(ExtractionErrorCode.LAYOUT_CHANGED)
            raise JobFailedError(failure) from exc
        if result.missing:
            # A partial profile reaches the recruiter with the missing sections named; ops get
            # the page, a metric per layout and section, and this event.
            for section in result.missing:
                SECTIONS_UNREADABLE.labels(request.platform.value, result.layout, section).inc()
            await self._save_snapshot(
                page, request, rendered, tenant_id, event="extraction.partial",
                layout=result.layout, missing=result.missing, unloaded=rendered.unloaded,
            )  # fmt: skip
        return result.profile

    async def _save_snapshot(
        self,
        page: Page,
        request: SourcingRequested,
        rendered: Rendered,
        tenant_id: str,
        *,
        event: str = "extraction.layout_changed",
        **details: object,
    ) -> None:
        rendered.screenshot = await page.screenshot(full_page=True)
        path = await self._snapshots.save(request=request, rendered=rendered, tenant_id=tenant_id)
        log.warning(event, snapshot=str(path), **details)


def read_profile(request: SourcingRequested, rendered: Rendered) -> ParseResult:
    """Parse; cards that never loaded name the sections they could have held as missing."""
    if request.platform is Platform.XING:
        result = read_xing(rendered.main, url=request.url)
    else:
        result = read_linkedin(
            rendered.main, details=rendered.details, contact_html=rendered.contact, url=request.url
        )
    if not rendered.unloaded:
        return result
    profile = result.profile
    unread = [s for s in SECTIONS if not getattr(profile, s) and s not in profile.missing_sections]
    missing = [*profile.missing_sections, *unread]
    return replace(result, profile=profile.model_copy(update={"missing_sections": missing}))


def parse_profile(request: SourcingRequested, rendered: Rendered) -> Profile:
    return read_profile(request, rendered).profile

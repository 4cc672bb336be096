"""Handling one `sourcing.requested`: lease an account, render, classify, parse, publish.

Outcomes: `profile.extracted`, or `profile.extraction_failed` with a stable code once the
failure is final (or its retries are used up). Retryable failures go back to the bus with a
delay; a job waiting for a free account is deferred without using up attempts.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout
from prometheus_client import Counter
from pydantic import BaseModel

from sourcer.extractor.accounts import AccountRepository, Lease, UseOutcome
from sourcer.extractor.browser import BrowserHost
from sourcer.extractor.navigation import Rendered, platform_url, render_linkedin, render_xing
from sourcer.extractor.parsing import (
    Failure,
    LayoutChanged,
    PageKind,
    ParseResult,
    failure_for,
    failure_for_code,
    layout_signature,
    profile_slug,
    read_linkedin,
    read_xing,
)
from sourcer.extractor.parsing.sections import SECTIONS
from sourcer.extractor.snapshots import SnapshotStore
from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import (
    ExtractionErrorCode,
    ExtractionStarted,
    ProfileExtracted,
    ProfileExtractionFailed,
    SourcingRequested,
)
from sourcer.proto.records import Platform, Profile
from sourcer.runtime.consumer import current_delivery
from sourcer.runtime.errors import RetryableError
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

ACTOR = Actor(kind=ActorKind.SERVICE, id="extractor")

# What a page kind says about the account that saw it.
ACCOUNT_OUTCOME = {
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
# A failure that comes from the account (not the profile) is retried at once with another one.
ACCOUNT_FAILURES = {ExtractionErrorCode.SESSION_EXPIRED}
# Seconds before a job whose account failed is tried again with another account.
ACCOUNT_RETRY_DELAY = 1.0


class Publisher(Protocol):
    async def emit(
        self,
        payload: BaseModel,
        *,
        tenant_id: str,
        correlation_id: str,
        actor: Actor,
        causation_id: str | None = None,
    ) -> Envelope[Any]: ...


class JobFailedError(Exception):
    def __init__(self, failure: Failure, *, outcome: UseOutcome = UseOutcome.OK) -> None:
        super().__init__(failure.message)
        self.failure = failure
        self.outcome = outcome


@dataclass(frozen=True)
class JobSettings:
    base_urls: dict[Platform, str]
    navigation_ms: float
    section_ms: float
    job_timeout: float
    no_account_retry_delay: float
    browser_restarts_per_job: int
    holder: str


class ExtractionJobs:
    def __init__(
        self,
        *,
        publisher: Publisher,
        accounts: AccountRepository,
        browser: BrowserHost,
        snapshots: SnapshotStore,
        settings: JobSettings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._publisher = publisher
        self._accounts = accounts
        self._browser = browser
        self._snapshots = snapshots
        self._settings = settings
        self._clock = clock

    async def handle(self, envelope: Envelope[SourcingRequested]) -> None:
        request = envelope.payload
        delivery = current_delivery.get(None)
        attempt = delivery.attempt if delivery else 1
        await self._emit(
            envelope, ExtractionStarted(request_id=request.request_id, attempt=attempt)
        )
        started = time.perf_counter()
        try:
            profile = await self._extract(request)
        except JobFailedError as failed:
            last = delivery is None or delivery.is_last_attempt
            if failed.failure.retryable and not last:
                delay = ACCOUNT_RETRY_DELAY if failed.failure.code in ACCOUNT_FAILURES else None
                raise RetryableError(failed.failure.code.value, delay=delay) from failed
            log.warning("extraction.failed", code=failed.failure.code.value, attempt=attempt)
            await self._emit(
                envelope,
                ProfileExtractionFailed(
                    request_id=request.request_id,
                    code=failed.failure.code,
                    retryable=failed.failure.retryable,
                    message=failed.failure.message,
                ),
            )
            return
        elapsed_ms = int((time.perf_counter() - started) * 1000)
        log.info("extraction.succeeded", ms=elapsed_ms, experience=len(profile.experience))
        await self._emit(
            envelope,
            ProfileExtracted(
                request_id=request.request_id, profile=profile, extraction_ms=elapsed_ms
            ),
        )

    async def _emit(self, cause: Envelope[Any], payload: BaseModel) -> None:
        await self._publisher.emit(
            payload,
            tenant_id=cause.tenant_id,
            correlation_id=cause.correlation_id,
            actor=ACTOR,
            causation_id=cause.event_id,
        )

    async def _extract(self, request: SourcingRequested) -> Profile:
        if profile_slug(request.platform, request.url) is None:
            raise JobFailedError(failure_for_code(ExtractionErrorCode.UNSUPPORTED_URL))
        lease = await self._accounts.lease(
            platform=request.platform, holder=self._settings.holder, now=self._clock()
        )
        if lease is None:
            raise RetryableError(
                f"no {request.platform.value} account free",
                delay=self._settings.no_account_retry_delay,
                defer=True,
            )
        log.info("account.leased", account_id=lease.account_id, holder=self._settings.holder)
        outcome, counted = UseOutcome.OK, True
        try:
            return await self._render_and_parse(request, lease)
        except JobFailedError as failed:
            outcome = failed.outcome
            counted = failed.failure.code is not ExtractionErrorCode.BROWSER_CRASHED
            raise
        finally:
            storage_state = await self._safe_storage_state(lease.account_id)
            # Logged while the lease is still held, so log order shows who held it when.
            log.info(
                "account.releasing",
                account_id=lease.account_id,
                holder=self._settings.holder,
                outcome=outcome.value,
            )
            await self._accounts.release(
                lease=lease,
                now=self._clock(),
                outcome=outcome,
                storage_state=storage_state,
                counted=counted,
            )

    async def _safe_storage_state(self, account_id: str) -> dict[str, object] | None:
        try:
            return await self._browser.storage_state(account_id=account_id)
        except PlaywrightError:
            return None  # the browser died; the stored session stays as it was

    async def _render_and_parse(self, request: SourcingRequested, lease: Lease) -> Profile:
        crashes = 0
        while True:
            try:
                async with asyncio.timeout(self._settings.job_timeout):
                    return await self._attempt(request, lease)
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

    async def _attempt(self, request: SourcingRequested, lease: Lease) -> Profile:
        # The account's tab still shows its previous profile; every read below follows a
        # navigation that succeeded (a failed one raises), so that page is never read again.
        page = await self._browser.open_page(
            account_id=lease.account_id, storage_state=lease.storage_state
        )
        try:
            return await self._render_page(page, request)
        except BaseException:
            if self._browser.is_connected() and not page.is_closed():
                # A navigation may still be pending (a timeout): stop it, or it would abort
                # the next job's first navigation in this tab.
                with contextlib.suppress(PlaywrightError):
                    await page.goto("about:blank")
            raise

    async def _render_page(self, page: Page, request: SourcingRequested) -> Profile:
        url = platform_url(request.url, self._settings.base_urls[request.platform])
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
                await self._save_snapshot(page, request, rendered)
            outcome = ACCOUNT_OUTCOME.get(rendered.kind, UseOutcome.OK)
            raise JobFailedError(failure, outcome=outcome)
        try:
            result = read_profile(request, rendered)
        except LayoutChanged as exc:
            layout = layout_signature(request.platform.value, rendered.main)
            SECTIONS_UNREADABLE.labels(request.platform.value, layout, "profile").inc()
            await self._save_snapshot(page, request, rendered)
            failure = failure_for_code(ExtractionErrorCode.LAYOUT_CHANGED)
            raise JobFailedError(failure) from exc
        if result.missing:
            # A partial profile reaches the recruiter with the missing sections named; ops get
            # the page, a metric per layout and section, and this event.
            for section in result.missing:
                SECTIONS_UNREADABLE.labels(request.platform.value, result.layout, section).inc()
            await self._save_snapshot(
                page, request, rendered, event="extraction.partial", layout=result.layout,
                missing=result.missing, unloaded=rendered.unloaded,
            )  # fmt: skip
        return result.profile

    async def _save_snapshot(
        self,
        page: Page,
        request: SourcingRequested,
        rendered: Rendered,
        *,
        event: str = "extraction.layout_changed",
        **details: object,
    ) -> None:
        rendered.screenshot = await page.screenshot(full_page=True)
        path = await self._snapshots.save(request=request, rendered=rendered)
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

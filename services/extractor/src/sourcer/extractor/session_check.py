"""Checking a newly connected session: one real page load behind the platform's login.

A session is `validating` until this says whether it is logged in; only then is it
`connected` (or `expired` / `checkpoint`), and its owner and ops hear of the change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sourcer.extractor.browser import BrowserHost
from sourcer.extractor.parsing import PageKind, classify
from sourcer.extractor.rendering import SESSION_OUTCOME
from sourcer.extractor.session_store import MongoSessionRepository, Released
from sourcer.extractor.sessions import Lease, SessionState, UseOutcome
from sourcer.proto.records import Platform
from sourcer.runtime.errors import RetryableError
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

# Pages only a logged-in member sees; logged out, the platforms redirect to their login.
CHECK_PATHS = {Platform.LINKEDIN: "/feed/", Platform.XING: "/start"}
CHECK_RETRY_DELAY = 5.0


class SessionChecker:
    def __init__(
        self,
        *,
        sessions: MongoSessionRepository,
        browser: BrowserHost,
        base_urls: dict[Platform, str],
        navigation_ms: float,
        holder: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._sessions = sessions
        self._browser = browser
        self._base_urls = base_urls
        self._navigation_ms = navigation_ms
        self._holder = holder
        self._clock = clock

    async def check(self, session_id: str) -> tuple[Lease, Released] | None:
        """None when the session is gone (disconnected meanwhile)."""
        summary = await self._sessions.get(session_id=session_id)
        if summary is None or summary.state is not SessionState.VALIDATING:
            return None  # disconnected, or checked already (a redelivered command)
        lease = await self._sessions.claim(session_id, holder=self._holder, now=self._clock())
        if lease is None:
            raise RetryableError("session leased elsewhere", delay=CHECK_RETRY_DELAY)
        outcome, storage_state = UseOutcome.OK, None
        try:
            page = await self._browser.open_page(
                account_id=session_id, storage_state=lease.storage_state
            )
            url = self._base_urls[lease.platform].rstrip("/") + CHECK_PATHS[lease.platform]
            response = await page.goto(
                url, wait_until="domcontentloaded", timeout=self._navigation_ms
            )
            status = response.status if response is not None else None
            kind = classify(lease.platform.value, await page.content(), page.url, status)
            outcome = SESSION_OUTCOME.get(kind, UseOutcome.OK)
            if kind is PageKind.UNAVAILABLE or (status is not None and status >= 500):
                raise RetryableError(f"check page answered {status}", delay=CHECK_RETRY_DELAY)
            storage_state = await self._browser.storage_state(account_id=session_id)
        except (PlaywrightError, PlaywrightTimeout) as exc:
            raise RetryableError(f"check page did not load: {exc!r}"[:300]) from exc
        finally:
            # A check is not a use: it counts against no pacing or daily cap.
            released = await self._sessions.release(
                lease=lease,
                now=self._clock(),
                outcome=outcome,
                storage_state=storage_state,
                counted=False,
            )
        if released.state is SessionState.CONNECTED:
            await self._sessions.set_state(
                session_id=session_id, state=SessionState.CONNECTED, now=self._clock()
            )
        log.info("session.checked", session_id=session_id, state=released.state.value)
        return lease, released

"""Wires the extractor: sessions, browser, snapshots, jobs and the sessions API; `SERVICE`
runs it. Real dependencies by default; tests override pieces through the arguments."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime

from sourcer.extractor.browser import BrowserHost
from sourcer.extractor.cancellations import KEEP_DAYS, MongoCancellations
from sourcer.extractor.container import Container
from sourcer.extractor.entrypoints import CANCELLATIONS, CONSUMERS, ERASURE, SESSIONS, extraction
from sourcer.extractor.jobs import ExtractionJobs, JobSettings
from sourcer.extractor.rendering import ProfileRenderer, RenderSettings
from sourcer.extractor.session_api import create_api
from sourcer.extractor.session_check import SessionChecker
from sourcer.extractor.session_store import CANCELLATIONS as CANCELLED_REQUESTS
from sourcer.extractor.session_store import CATALOG, session_repository
from sourcer.extractor.settings import ExtractorSettings
from sourcer.extractor.snapshots import SnapshotStore
from sourcer.proto.records import Platform
from sourcer.runtime.auth import AuthSettings, TokenVerifier
from sourcer.runtime.jobs import Job, retention_job
from sourcer.runtime.logging import get_logger
from sourcer.runtime.service import Infra, ServiceParts, ServiceSpec

log = get_logger(__name__)


def holder(settings: ExtractorSettings) -> str:
    return settings.worker_id or f"{socket.gethostname()}:{os.getpid()}"


def bootstrap(
    settings: ExtractorSettings,
    infra: Infra,
    *,
    auth: AuthSettings | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ServiceParts[Container]:
    """Consume sourcing requests with prefetch = concurrency, one browser per process."""
    sessions = session_repository(settings, infra.store)
    snapshots = SnapshotStore(
        directory=settings.snapshot_dir,
        retention_days=settings.snapshot_retention_days,
        max_count=settings.snapshot_max_count,
    )
    browser = BrowserHost(
        executable=settings.chromium_path,
        headless=settings.headless,
        pages_per_context=settings.pages_per_context,
        no_sandbox=settings.chromium_no_sandbox,
        site_isolation=settings.chromium_site_isolation,
    )
    base_urls = {platform: settings.base_url(platform) for platform in Platform}
    renderer = ProfileRenderer(
        browser=browser,
        snapshots=snapshots,
        settings=RenderSettings(
            base_urls=base_urls,
            navigation_ms=settings.navigation_timeout * 1000,
            section_ms=settings.section_timeout * 1000,
            job_timeout=settings.job_timeout,
            browser_restarts_per_job=settings.browser_restarts_per_job,
        ),
    )
    cancellations = MongoCancellations(infra.store)
    container = Container(
        settings=settings,
        sessions=sessions,
        browser=browser,
        snapshots=snapshots,
        jobs=ExtractionJobs(
            publisher=infra.bus,
            sessions=sessions,
            renderer=renderer,
            cancellations=cancellations,
            settings=JobSettings(
                no_account_retry_delay=settings.no_account_retry_delay,
                session_wait_seconds=settings.session_wait_seconds,
                holder=holder(settings),
            ),
            clock=clock,
        ),
        checker=SessionChecker(
            sessions=sessions,
            browser=browser,
            base_urls=base_urls,
            navigation_ms=settings.navigation_timeout * 1000,
            holder=holder(settings),
            clock=clock,
        ),
        cancellations=cancellations,
        publisher=infra.bus,
    )

    async def prune_snapshots() -> None:
        pruned = await asyncio.to_thread(snapshots.prune)
        if pruned:
            log.info("snapshots.pruned", pages=pruned)

    return ServiceParts(
        container=container,
        consumers=[extraction(settings), SESSIONS, CANCELLATIONS, ERASURE],
        consumer_concurrency=settings.concurrency,
        api=create_api(container, TokenVerifier(auth or AuthSettings())),
        jobs=[
            retention_job(infra.store, CANCELLED_REQUESTS, keep_days=KEEP_DAYS),
            # Saved pages hold personal data: by age and count, every interval, from the start.
            Job(
                name="snapshots.prune",
                interval=settings.snapshot_prune_interval,
                run=prune_snapshots,
            ),
        ],
        on_start=[browser.start],
        on_stop=[browser.close],
    )


SERVICE = ServiceSpec(CATALOG, ExtractorSettings, bootstrap, CONSUMERS, "sourcer-extractor worker")

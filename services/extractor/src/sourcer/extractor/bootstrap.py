"""Wiring the extractor's real dependencies; tests override pieces through the arguments."""

from __future__ import annotations

import os
import socket

from sourcer.extractor.accounts import Pacing
from sourcer.extractor.accounts_store import INDEXES, MongoAccountRepository
from sourcer.extractor.browser import BrowserHost
from sourcer.extractor.crypto import SessionCipher
from sourcer.extractor.jobs import ExtractionJobs, JobSettings
from sourcer.extractor.settings import ExtractorSettings
from sourcer.extractor.snapshots import SnapshotStore
from sourcer.proto.records import Platform
from sourcer.runtime.bus import Bus
from sourcer.runtime.consumer import RetryPolicy
from sourcer.runtime.idempotency import MongoProcessedEvents
from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import Store
from sourcer.runtime.worker import Cleanup

log = get_logger(__name__)

CONSUMER = "extractor"


def pacing_from(settings: ExtractorSettings) -> Pacing:
    return Pacing(
        pause_min=settings.pace_min_seconds,
        pause_max=settings.pace_max_seconds,
        daily_cap=settings.daily_cap,
        lease_seconds=settings.lease_seconds,
        rate_limit_cooldown=settings.rate_limit_cooldown,
    )


def account_repository(settings: ExtractorSettings, store: Store) -> MongoAccountRepository:
    return MongoAccountRepository(
        store=store,
        cipher=SessionCipher(settings.accounts_key.get_secret_value()),
        pacing=pacing_from(settings),
    )


def job_settings(settings: ExtractorSettings) -> JobSettings:
    return JobSettings(
        base_urls={
            Platform.LINKEDIN: settings.linkedin_base_url,
            Platform.XING: settings.xing_base_url,
        },
        navigation_ms=settings.navigation_timeout * 1000,
        section_ms=settings.section_timeout * 1000,
        job_timeout=settings.job_timeout,
        no_account_retry_delay=settings.no_account_retry_delay,
        browser_restarts_per_job=settings.browser_restarts_per_job,
        holder=settings.worker_id or f"{socket.gethostname()}:{os.getpid()}",
    )


async def start_extractor(settings: ExtractorSettings, bus: Bus, store: Store) -> Cleanup:
    """Consume `sourcing.requested` with prefetch = concurrency; returns the browser's cleanup."""
    accounts = account_repository(settings, store)
    await store.ensure_indexes(INDEXES)
    snapshots = SnapshotStore(
        directory=settings.snapshot_dir, retention_days=settings.snapshot_retention_days
    )
    pruned = snapshots.prune()
    if pruned:
        log.info("snapshots.pruned", folders=pruned)
    browser = BrowserHost(
        executable=settings.chromium_path,
        headless=settings.headless,
        pages_per_context=settings.pages_per_context,
    )
    await browser.start()
    jobs = ExtractionJobs(
        publisher=bus,
        accounts=accounts,
        browser=browser,
        snapshots=snapshots,
        settings=job_settings(settings),
    )
    await bus.consume(
        name=CONSUMER,
        keys=["sourcing.requested"],
        handler=jobs.handle,
        concurrency=settings.concurrency,
        retry=RetryPolicy(delays=settings.retry_delays),
        processed=MongoProcessedEvents(store),
    )
    return browser.close

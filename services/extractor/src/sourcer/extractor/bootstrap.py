"""Wires the extractor: sessions, browser, snapshots and jobs; `SERVICE` runs it.

Real dependencies by default; tests override pieces through the arguments.
"""

from __future__ import annotations

import os
import socket

from sourcer.extractor.accounts import Pacing
from sourcer.extractor.accounts_store import CATALOG, MongoAccountRepository
from sourcer.extractor.browser import BrowserHost
from sourcer.extractor.container import Container
from sourcer.extractor.crypto import SessionCipher
from sourcer.extractor.entrypoints import CONSUMERS, extraction
from sourcer.extractor.jobs import ExtractionJobs, JobSettings
from sourcer.extractor.settings import ExtractorSettings
from sourcer.extractor.snapshots import SnapshotStore
from sourcer.proto.records import Platform
from sourcer.runtime.logging import get_logger
from sourcer.runtime.service import Infra, ServiceParts, ServiceSpec
from sourcer.runtime.store import Store

log = get_logger(__name__)


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


def bootstrap(settings: ExtractorSettings, infra: Infra) -> ServiceParts[Container]:
    """Consume `sourcing.requested` with prefetch = concurrency, one browser per process."""
    accounts = account_repository(settings, infra.store)
    snapshots = SnapshotStore(
        directory=settings.snapshot_dir, retention_days=settings.snapshot_retention_days
    )
    browser = BrowserHost(
        executable=settings.chromium_path,
        headless=settings.headless,
        pages_per_context=settings.pages_per_context,
    )
    container = Container(
        settings=settings,
        accounts=accounts,
        browser=browser,
        snapshots=snapshots,
        jobs=ExtractionJobs(
            publisher=infra.bus,
            accounts=accounts,
            browser=browser,
            snapshots=snapshots,
            settings=job_settings(settings),
        ),
    )

    async def prune_snapshots() -> None:
        pruned = snapshots.prune()
        if pruned:
            log.info("snapshots.pruned", folders=pruned)

    return ServiceParts(
        container=container,
        consumers=[extraction(settings)],
        consumer_concurrency=settings.concurrency,
        on_start=[prune_snapshots, browser.start],
        on_stop=[browser.close],
    )


SERVICE = ServiceSpec(CATALOG, ExtractorSettings, bootstrap, CONSUMERS, "sourcer-extractor worker")

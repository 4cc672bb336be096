"""Jobs a service runs in the background every so often, such as retention purges."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sourcer.runtime.logging import get_logger

log = get_logger(__name__)


async def run_every(interval: float, job: Callable[[], Awaitable[object]], *, name: str) -> None:
    """Run `job` now and then every `interval` seconds, until cancelled.

    A failed run is logged and the next one goes ahead as planned: a moment without the store
    must not end the loop for the life of the process.
    """
    while True:
        try:
            await job()
        except Exception as exc:
            log.error("periodic.failed", job=name, error=repr(exc))
        await asyncio.sleep(interval)


# How often a service looks for records past their retention.
RETENTION_INTERVAL_SECONDS = 3600.0


def start_retention(
    purge: Callable[..., Awaitable[object]], *, keep_days: int, name: str
) -> asyncio.Task[None]:
    """Run `purge(now=..., keep=...)` every hour in the background; the caller cancels the
    task when the service stops."""
    keep = timedelta(days=keep_days)
    return asyncio.create_task(
        run_every(
            RETENTION_INTERVAL_SECONDS, lambda: purge(now=datetime.now(UTC), keep=keep), name=name
        )
    )

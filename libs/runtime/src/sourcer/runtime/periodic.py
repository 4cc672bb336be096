"""Jobs a service runs in the background every so often, such as retention purges.

Retention is storage limitation (GDPR Art. 5(1)(e)): records that hold data of people who may
never become talents (sourcing requests, previews) are deleted after a retention period,
whatever their state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import Store

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


async def purge_older_than(store: Store, collection: str, *, now: datetime, keep: timedelta) -> int:
    """Delete the documents of `collection` created before `now - keep`; returns how many."""
    result = await store.db[collection].delete_many({"created_at": {"$lt": now - keep}})
    if result.deleted_count:
        log.info(
            "retention.purged",
            collection=collection,
            count=result.deleted_count,
            retention_days=keep.days,
        )
    return result.deleted_count


def start_retention(store: Store, collection: str, *, keep_days: int) -> asyncio.Task[None]:
    """Purge `collection` every hour in the background; the caller cancels the task when the
    service stops."""
    keep = timedelta(days=keep_days)

    def purge() -> Awaitable[int]:
        return purge_older_than(store, collection, now=datetime.now(UTC), keep=keep)

    return asyncio.create_task(
        run_every(RETENTION_INTERVAL_SECONDS, purge, name=f"{collection}.retention")
    )

"""Background jobs a service runs every so often: retention purges, schedulers, dispatchers.

One loop for all of them: run, then wait for the interval, an early wake-up or the stop signal.
On SIGTERM the runtime sets the stop signal and a job finishes the run it is in before the
process closes its store and bus.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import Store

log = get_logger(__name__)


@dataclass(frozen=True)
class Job:
    """`run` every `interval` seconds, at once when `wake` is set (e.g. new work arrived)."""

    name: str
    interval: float
    run: Callable[[], Awaitable[object]]
    wake: asyncio.Event | None = None


async def run_job(job: Job, *, stop: asyncio.Event) -> None:
    """Run `job` until `stop` is set. A failed run is logged and the next one goes ahead as
    planned: a moment without the store must not end the loop for the life of the process."""
    while not stop.is_set():
        if job.wake is not None:
            job.wake.clear()  # before the run: work arriving during it wakes the next one
        try:
            await job.run()
        except Exception as exc:
            log.error("job.failed", job=job.name, error=repr(exc))
        waiters = [asyncio.ensure_future(stop.wait())]
        if job.wake is not None:
            waiters.append(asyncio.ensure_future(job.wake.wait()))
        try:
            await asyncio.wait(waiters, timeout=job.interval, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()


# Retention is storage limitation (GDPR Art. 5(1)(e)): records that hold data of people who may
# never become talents (sourcing requests, previews) are deleted after a retention period,
# whatever their state. How often a service looks for records past their retention:
RETENTION_INTERVAL_SECONDS = 3600.0


async def purge_older_than(store: Store, collection: str, *, now: datetime, keep: timedelta) -> int:
    """Delete the documents of `collection` created before `now - keep`; returns how many."""
    result = await store.collection(collection).delete_many({"created_at": {"$lt": now - keep}})
    if result.deleted_count:
        log.info(
            "retention.purged",
            collection=collection,
            count=result.deleted_count,
            retention_days=keep.days,
        )
    return result.deleted_count


def retention_job(
    store: Store, collection: str, *, keep_days: int, clock: Callable[[], datetime] | None = None
) -> Job:
    """A job that purges `collection` every hour."""
    keep = timedelta(days=keep_days)
    now = clock or (lambda: datetime.now(UTC))

    def purge() -> Awaitable[int]:
        return purge_older_than(store, collection, now=now(), keep=keep)

    return Job(name=f"{collection}.retention", interval=RETENTION_INTERVAL_SECONDS, run=purge)

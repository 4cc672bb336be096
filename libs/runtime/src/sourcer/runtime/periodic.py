"""Jobs a service runs in the background every so often, such as retention purges."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

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

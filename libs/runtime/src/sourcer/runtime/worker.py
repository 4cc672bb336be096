"""Running a worker process: connect, consume until SIGTERM or SIGINT, drain, close.

A service provides a `start` coroutine that sets up its consumers on the given bus and store;
`run_worker` owns the lifecycle so every service shuts down the same way.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable

from sourcer.runtime.bus import Bus
from sourcer.runtime.http import serve_ops
from sourcer.runtime.logging import configure_logging, get_logger
from sourcer.runtime.settings import ServiceSettings
from sourcer.runtime.store import Store, connect_store

log = get_logger(__name__)

Cleanup = Callable[[], Awaitable[None]]
StartConsumers = Callable[[Bus, Store], Awaitable[Cleanup | None]]


async def run_worker(*, service: str, settings: ServiceSettings, start: StartConsumers) -> int:
    configure_logging(fmt=settings.log_format, level=settings.log_level, service=service)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    store = await connect_store(settings.mongodb_url, settings.mongodb_db, app_name=service)
    bus = Bus(
        url=settings.amqp_url,
        namespace=settings.bus_namespace,
        publish_timeout=settings.publish_timeout,
        name=service,
    )
    await bus.connect()

    async def bus_ready() -> bool:
        return bus.is_ready()

    # Consumers first: /readyz answering means this worker's queues exist and are consumed.
    cleanup = await start(bus, store)
    ops = None
    if settings.http_port:
        ops = await serve_ops(
            {"broker": bus_ready, "store": store.ping},
            host=settings.http_host,
            port=settings.http_port,
        )
    log.info("worker.started")
    await stop.wait()
    log.info("worker.draining")
    await bus.close(timeout=settings.drain_timeout)
    if cleanup is not None:
        await cleanup()
    await store.close()
    if ops is not None:
        ops.should_exit = True
    log.info("worker.stopped")
    return 0

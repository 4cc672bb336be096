"""`sourcer-consent serve`: landing page, internal API, consumers and the scheduler in one
process. SIGTERM stops taking HTTP requests and events, lets in-flight work finish, closes."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Iterator

import uvicorn

from sourcer.consent.app import create_app
from sourcer.consent.bootstrap import INDEXES, bootstrap
from sourcer.consent.entrypoints import start_consumers
from sourcer.consent.settings import ConsentSettings
from sourcer.runtime.bus import Bus
from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import Store
from sourcer.runtime.worker import Cleanup, run_worker

log = get_logger(__name__)


class _Server(uvicorn.Server):
    """Signals belong to run_worker, which drains everything in order."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve(settings: ConsentSettings) -> int:
    async def start(bus: Bus, store: Store) -> Cleanup:
        await store.ensure_indexes(INDEXES)
        container = bootstrap(settings=settings, store=store, publisher=bus)
        await start_consumers(bus=bus, container=container)
        stop = asyncio.Event()
        loops = [
            asyncio.create_task(
                container.scheduler.run(
                    interval=settings.scheduler_interval, stop=stop, wake=container.mail_wake
                )
            ),
            asyncio.create_task(
                container.dispatcher.run(
                    interval=settings.scheduler_interval, stop=stop, wake=container.webhook_wake
                )
            ),
        ]

        async def broker_ready() -> bool:
            return bus.is_ready()

        config = uvicorn.Config(
            create_app(container, checks={"broker": broker_ready}),
            host=settings.http_host,
            port=settings.http_port,
            log_config=None,
            access_log=False,
            proxy_headers=True,
        )
        server = _Server(config)
        serving = asyncio.create_task(server.serve())
        log.info("consent.serving", host=settings.http_host, port=settings.http_port)

        async def cleanup() -> None:
            server.should_exit = True
            stop.set()
            await asyncio.gather(serving, *loops, return_exceptions=True)

        return cleanup

    # The app serves /healthz, /readyz and /metrics itself, on the service's port.
    worker_settings = settings.model_copy(update={"http_port": 0})
    return await run_worker(service="consent", settings=worker_settings, start=start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sourcer-consent", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="Serve the landing page and internal API, run the scheduler")
    args = parser.parse_args(argv)
    if args.command == "serve":
        settings = ConsentSettings()  # the secret comes from the environment
        return asyncio.run(serve(settings))
    return 2


if __name__ == "__main__":
    sys.exit(main())

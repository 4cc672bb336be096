"""`sourcer-talent worker`: consumers plus the internal API, until SIGTERM."""

from __future__ import annotations

import argparse
import contextlib
import sys

from sourcer.runtime.bus import Bus
from sourcer.runtime.store import Store
from sourcer.runtime.worker import Cleanup, run_worker


def _worker(_: argparse.Namespace) -> int:
    import asyncio

    from sourcer.runtime.periodic import start_retention
    from sourcer.talent.bootstrap import bootstrap, internal_api, serve_api, start
    from sourcer.talent.repository import PREVIEWS
    from sourcer.talent.settings import TalentSettings

    settings = TalentSettings()
    stack = contextlib.AsyncExitStack()

    async def begin(bus: Bus, store: Store) -> Cleanup:
        deps = bootstrap(settings=settings, bus=bus, store=store)
        await start(deps)
        # A preview holds the extracted profile of a person who may never become a talent.
        retention = start_retention(store, PREVIEWS, keep_days=settings.preview_retention_days)
        stack.callback(retention.cancel)
        if settings.api_port:
            await stack.enter_async_context(
                serve_api(internal_api(deps), host=settings.api_host, port=settings.api_port)
            )
        return stack.aclose

    return asyncio.run(run_worker(service="talent", settings=settings, start=begin))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sourcer-talent", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    worker = commands.add_parser("worker", help="Run the consumers and the internal API.")
    worker.set_defaults(run=_worker)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())

"""Wires the talent service: repository, handlers, consumers and the internal API.

CONSUMERS is the list of consumer starters the worker runs. A new consumer of this service
adds one line below (e.g. the consent mirror: `CONSUMERS.append(consent_mirror.start)`); each
starter receives the same `TalentDeps`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import uvicorn
from fastapi import FastAPI

from sourcer.runtime.auth import AuthSettings, TokenVerifier
from sourcer.runtime.bus import Bus
from sourcer.runtime.idempotency import MongoProcessedEvents
from sourcer.runtime.store import Store
from sourcer.talent import consent_mirror, consumers
from sourcer.talent.api import ApiContext, create_api
from sourcer.talent.previews import PreviewHandler
from sourcer.talent.repository import INDEXES, MongoTalentRepository
from sourcer.talent.settings import TalentSettings
from sourcer.talent.submission import SubmitHandler
from sourcer.talent.wiring import TalentDeps

ConsumerStarter = Callable[[TalentDeps], Awaitable[None]]

CONSUMERS: list[ConsumerStarter] = [
    consumers.start_previews,
    consumers.start_submits,
    consent_mirror.start,
]


def bootstrap(*, settings: TalentSettings, bus: Bus, store: Store) -> TalentDeps:
    repo = MongoTalentRepository(store)
    return TalentDeps(
        settings=settings,
        bus=bus,
        store=store,
        repo=repo,
        processed=MongoProcessedEvents(store),
        previews=PreviewHandler(
            repo=repo,
            publisher=bus,
            suppression_key=settings.suppression_key.get_secret_value().encode(),
            crm_url_template=settings.crm_url_template,
        ),
        submit=SubmitHandler(repo=repo, publisher=bus),
    )


async def start(deps: TalentDeps) -> None:
    await deps.store.ensure_indexes(INDEXES)
    for starter in CONSUMERS:
        await starter(deps)


def internal_api(deps: TalentDeps, *, auth: AuthSettings | None = None) -> FastAPI:
    app = create_api(verifier=TokenVerifier(auth or AuthSettings()))
    app.state.ctx = ApiContext(
        store=deps.store, repo=deps.repo, publisher=deps.bus, submit=deps.submit
    )
    return app


class _EmbeddedServer(uvicorn.Server):
    """Leaves SIGTERM to the worker, which drains consumers before the API stops."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def serve_api(app: FastAPI, *, host: str, port: int) -> AsyncIterator[uvicorn.Server]:
    config = uvicorn.Config(
        app, host=host, port=port, log_config=None, access_log=False, lifespan="off"
    )
    server = _EmbeddedServer(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises the start-up error, e.g. the port is taken
        await asyncio.sleep(0.01)
    try:
        yield server
    finally:
        server.should_exit = True
        await task

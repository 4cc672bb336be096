"""Running the platform simulator and the extractor in the test's event loop.

Shared by the extractor's integration tests and the end-to-end fleet.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.types import ASGIApp
from support import observe

from sourcer.extractor.bootstrap import SERVICE as EXTRACTOR
from sourcer.extractor.crypto import new_key
from sourcer.extractor.session_input import cookie_storage_state
from sourcer.extractor.session_store import session_repository
from sourcer.extractor.sessions import SessionState
from sourcer.extractor.settings import ExtractorSettings
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import (
    ExtractionQueued,
    ExtractionStarted,
    ProfileExtracted,
    ProfileExtractionFailed,
    SessionStateChanged,
)
from sourcer.proto.records import Platform
from sourcer.runtime.auth import AuthSettings
from sourcer.runtime.bus import Bus
from sourcer.runtime.service import Infra, RunningService, running
from sourcer.runtime.store import Store
from sourcer.simulator.catalog import ProfileCatalog
from sourcer.simulator.scenarios import Scenarios

CHROMIUM = os.environ.get("SOURCER_CHROMIUM_PATH") or "/usr/bin/chromium"


def chromium_no_sandbox() -> bool:
    """The extractor's opt-in as tests/conftest.py (or a benchmark) set it for this host."""
    return os.environ.get("SOURCER_EXTRACTOR_CHROMIUM_NO_SANDBOX", "").lower() == "true"


# Tokens of the extractor's sessions API in these tests.
JWT_SECRET = "extractor-tests-secret-0123456789abcdef"
AUTH = AuthSettings(mode="development", jwt_secret=JWT_SECRET)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _QuietServer(uvicorn.Server):
    @contextmanager
    def capture_signals(self) -> Iterator[None]:  # the test process keeps its own handlers
        yield

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self.serve())
        while not self.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        try:
            yield
        finally:
            self.should_exit = True
            await task


@asynccontextmanager
async def serve_app(app: ASGIApp) -> AsyncIterator[str]:
    """Serve an ASGI app on a free loopback port; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    server = _QuietServer(config)
    async with server.running():
        yield f"http://127.0.0.1:{port}"


def extractor_settings(
    *, amqp_url: str, mongodb_url: str, db_name: str, namespace: str, base_url: str, tmp: Path
) -> ExtractorSettings:
    return ExtractorSettings(
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        mongodb_db=db_name,
        bus_namespace=namespace,
        accounts_key=new_key(),
        chromium_path=CHROMIUM,
        linkedin_base_url=base_url,
        xing_base_url=base_url,
        pace_min_seconds=0,
        pace_max_seconds=0,
        retry_delays=(0.2, 0.2),
        navigation_timeout=10,
        section_timeout=3,
        job_timeout=60,
        no_account_retry_delay=0.3,
        concurrency=2,
        snapshot_dir=tmp / "snapshots",
    )


async def import_simulator_account(
    *,
    settings: ExtractorSettings,
    store: Store,
    base_url: str,
    account: str,
    platform: Platform,
    tenant: str = "acme",
    owner: str | None = None,
) -> str:
    """Log in at the simulator like a recruiter would and store the session cookie as
    connected: a recruiter's own (`owner`), or (by default) one of the tenant's shared pool,
    labelled `account`, with the pool switched on. Returns the session id."""
    async with httpx.AsyncClient(base_url=base_url) as client:
        response = await client.get(
            "/_sim/login", params={"account": account, "platform": platform.value}
        )
        response.raise_for_status()
        cookies: dict[str, str] = response.json()["cookies"]
    [value] = cookies.values()
    sessions = session_repository(settings, store)
    summary = await sessions.connect(
        tenant_id=tenant,
        platform=platform,
        owner=owner,
        label=None if owner else account,
        storage_state=cookie_storage_state(platform, value, base_url),
        by="tests",
    )
    await sessions.set_state(
        session_id=summary.session_id, state=SessionState.CONNECTED, now=datetime.now(UTC)
    )
    if owner is None:
        await sessions.set_shared_pool(tenant_id=tenant, allowed=True, by="tests")
    return summary.session_id


@dataclass
class Recorder:
    """Collects the events the extractor publishes, as the gateway and talent would see them."""

    events: list[Envelope[Any]] = field(default_factory=list)

    async def handle(self, envelope: Envelope[Any]) -> None:
        self.events.append(envelope)

    def of(self, event_type: str, request_id: str | None = None) -> list[Envelope[Any]]:
        return [
            e
            for e in self.events
            if e.type == event_type
            and (request_id is None or getattr(e.payload, "request_id", None) == request_id)
        ]

    def outcome(self, request_id: str) -> Envelope[Any] | None:
        done = self.of("profile.extracted", request_id) + self.of(
            "profile.extraction_failed", request_id
        )
        return done[0] if done else None


async def record_extractor_events(bus: Bus) -> Recorder:
    recorder = Recorder()
    await observe(
        bus,
        "recorder",
        [
            ProfileExtracted,
            ProfileExtractionFailed,
            ExtractionStarted,
            ExtractionQueued,
            SessionStateChanged,
        ],
        recorder.handle,
        concurrency=8,
    )
    return recorder


async def run_extractor(
    settings: ExtractorSettings, bus: Bus, store: Store
) -> tuple[RunningService[Any], Callable[[], Awaitable[None]]]:
    """The extractor as the runtime runs it, on the test's bus and store; and its drain."""
    stack = AsyncExitStack()
    infra = Infra(settings=settings, bus=bus, store=store)
    service = await stack.enter_async_context(
        running(EXTRACTOR, settings, infra=infra, listen=False, auth=AUTH)
    )
    return service, stack.aclose


async def start_extractor(
    settings: ExtractorSettings, bus: Bus, store: Store
) -> Callable[[], Awaitable[None]]:
    """The extractor on the test's bus and store; returns its drain."""
    _, drain = await run_extractor(settings, bus, store)
    return drain


@dataclass
class Simulator:
    base_url: str
    catalog: ProfileCatalog
    scenarios: Scenarios


@dataclass
class Harness:
    bus: Bus
    store: Store
    settings: ExtractorSettings
    simulator: Simulator
    recorder: Recorder
    extractor_api: ASGIApp | None = None

    async def add_account(
        self,
        name: str,
        platform: Platform = Platform.LINKEDIN,
        *,
        tenant: str = "acme",
        owner: str | None = None,
    ) -> str:
        """A simulator login as a session: shared in `tenant` unless it is `owner`'s own."""
        return await import_simulator_account(
            settings=self.settings,
            store=self.store,
            base_url=self.simulator.base_url,
            account=name,
            platform=platform,
            tenant=tenant,
            owner=owner,
        )


HarnessFactory = Callable[..., Awaitable[Harness]]


__all__ = [
    "CHROMIUM",
    "Harness",
    "HarnessFactory",
    "Recorder",
    "Simulator",
    "chromium_no_sandbox",
    "extractor_settings",
    "free_port",
    "import_simulator_account",
    "record_extractor_events",
    "run_extractor",
    "serve_app",
    "start_extractor",
]

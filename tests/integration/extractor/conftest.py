"""The extractor against the platform simulator in real Chromium, on a real broker and store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from extractor_harness import (
    Harness,
    HarnessFactory,
    Simulator,
    extractor_settings,
    record_extractor_events,
    run_extractor,
    serve_app,
)

from sourcer.extractor.settings import ExtractorSettings
from sourcer.runtime.bus import Bus
from sourcer.runtime.store import Store
from sourcer.simulator.app import create_app
from sourcer.simulator.catalog import ProfileCatalog
from sourcer.simulator.scenarios import Scenarios


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    catalog = ProfileCatalog.builtin()
    scenarios = Scenarios()
    app = create_app(profiles=catalog, scenario_state=scenarios, render_delay_ms=20)
    async with serve_app(app) as base_url:
        yield Simulator(base_url=base_url, catalog=catalog, scenarios=scenarios)


@pytest.fixture
def settings(
    amqp_url: str,
    mongodb_url: str,
    db_name: str,
    namespace: str,
    simulator: Simulator,
    tmp_path: Path,
) -> ExtractorSettings:
    return extractor_settings(
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        db_name=db_name,
        namespace=namespace,
        base_url=simulator.base_url,
        tmp=tmp_path,
    )


@pytest.fixture
async def make_harness(
    bus: Bus, store: Store, settings: ExtractorSettings, simulator: Simulator
) -> AsyncIterator[HarnessFactory]:
    """Starts the extractor with settings overridden per test (timeouts, platform hosts)."""
    cleanups: list[Callable[[], Awaitable[None]]] = []

    async def make(**overrides: Any) -> Harness:
        configured = settings.model_copy(update=overrides)
        recorder = await record_extractor_events(bus)
        service, drain = await run_extractor(configured, bus, store)
        cleanups.append(drain)
        return Harness(
            bus=bus,
            store=store,
            settings=configured,
            simulator=simulator,
            recorder=recorder,
            extractor_api=service.parts.internal_api,
        )

    yield make
    await bus.drain()
    for cleanup in cleanups:
        await cleanup()


@pytest.fixture
async def harness(make_harness: HarnessFactory) -> Harness:
    return await make_harness()

"""Extraction in real Chromium against the platform simulator: exact profiles and crashes."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from dataclasses import replace
from typing import Any

import psutil
import pytest
from extractor_harness import Harness
from structlog.testing import capture_logs
from support import TEST_ACTOR, eventually

from sourcer.extractor.session_store import SESSIONS as COLLECTION
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.proto.records import Platform
from sourcer.simulator.model import SimProfile
from sourcer.simulator.render import LINKEDIN_LAYOUTS, XING_LAYOUTS
from sourcer.simulator.scenarios import Scenario

pytestmark = pytest.mark.integration


async def request(harness: Harness, url: str, platform: Platform, slug: str) -> str:
    request_id = f"req-{uuid.uuid4().hex[:8]}"
    await harness.bus.emit(
        SourcingRequested(request_id=request_id, url=url, platform=platform, profile_id=slug),
        tenant_id="acme",
        correlation_id=request_id,
        actor=TEST_ACTOR,
    )
    return request_id


async def source(harness: Harness, member: SimProfile) -> str:
    origin = member.profile.source
    return await request(harness, origin.profile_url, origin.platform, origin.profile_id)


async def outcome(harness: Harness, request_id: str, timeout: float = 60) -> Envelope[Any]:
    async def done() -> bool:
        return harness.recorder.outcome(request_id) is not None

    await eventually(done, timeout=timeout)
    result = harness.recorder.outcome(request_id)
    assert result is not None
    return result


async def account(harness: Harness, name: str) -> dict[str, Any]:
    doc = await harness.store.db[COLLECTION].find_one({"label": name})
    assert doc is not None
    return doc


def visible_members(harness: Harness) -> list[SimProfile]:
    return [m for m in harness.simulator.catalog if not m.private]


@pytest.mark.timeout(300)
async def test_every_simulated_profile_is_extracted_exactly(harness: Harness) -> None:
    await harness.add_account("alice", Platform.LINKEDIN)
    await harness.add_account("bob", Platform.XING)
    members = visible_members(harness)
    assert len(members) >= 12
    requests = {await source(harness, member): member for member in members}
    mismatches = {}
    for request_id, member in requests.items():
        result = await outcome(harness, request_id, timeout=120)
        if result.type != "profile.extracted":
            mismatches[member.profile.source.profile_id] = result.payload.model_dump()
        elif result.payload.profile != member.profile:
            mismatches[member.profile.source.profile_id] = {
                "got": result.payload.profile.model_dump(),
                "expected": member.profile.model_dump(),
            }
    assert mismatches == {}
    started = harness.recorder.of("sourcing.extraction_started")
    assert {e.payload.request_id for e in started} == set(requests)
    assert all(e.correlation_id == e.payload.request_id for e in harness.recorder.events)


async def test_a_changed_layout_build_is_still_read(harness: Harness) -> None:
    await harness.add_account("alice")
    harness.simulator.scenarios.set(Scenario.LAYOUT_VARIANT)
    member = harness.simulator.catalog.find("jane-doe")
    assert member is not None
    result = await outcome(harness, await source(harness, member))
    assert result.type == "profile.extracted"
    assert result.payload.profile == member.profile


def chromium_processes() -> list[psutil.Process]:
    me = psutil.Process(os.getpid())
    return [p for p in me.children(recursive=True) if "chrom" in p.name().lower()]


async def test_killing_the_browser_mid_job_still_ends_in_a_correct_profile(
    harness: Harness,
) -> None:
    await harness.add_account("alice")
    member = harness.simulator.catalog.find("olivia-nguyen")
    assert member is not None
    harness.simulator.scenarios.set(Scenario.SLOW, slug="olivia-nguyen", seconds=2.0)
    request_id = await source(harness, member)

    async def rendering() -> bool:
        return bool(harness.recorder.of("sourcing.extraction_started", request_id))

    await eventually(rendering)
    await asyncio.sleep(0.5)  # the page is being held back by the simulator now
    browsers = [p for p in chromium_processes() if "--type=" not in " ".join(p.cmdline())]
    assert browsers, "no Chromium process found"
    with capture_logs() as logs:
        for process in browsers:
            process.send_signal(signal.SIGKILL)
        harness.simulator.scenarios.set(None, slug="olivia-nguyen")
        result = await outcome(harness, request_id)
    assert "browser.relaunching" in [entry["event"] for entry in logs]
    assert result.type == "profile.extracted"
    assert result.payload.profile == member.profile
    alice = await account(harness, "alice")
    assert alice["lease"] is None


GENERATIONS = [
    *(("jane-doe", g) for g in LINKEDIN_LAYOUTS),
    *(("Thomas_Mueller", g) for g in XING_LAYOUTS),
]


@pytest.mark.parametrize(("slug", "layout"), GENERATIONS, ids=[g for _, g in GENERATIONS])
async def test_every_layout_generation_through_the_browser(
    harness: Harness, slug: str, layout: str
) -> None:
    await harness.add_account("alice", Platform.LINKEDIN)
    await harness.add_account("bob", Platform.XING)
    member = harness.simulator.catalog.find(slug)
    assert member is not None
    harness.simulator.catalog.put(replace(member, layout=layout))
    result = await outcome(harness, await source(harness, member))
    assert result.type == "profile.extracted"
    assert result.payload.profile == member.profile


async def test_cards_that_never_load_are_named_and_the_page_is_kept(harness: Harness) -> None:
    await harness.add_account("alice")
    harness.simulator.scenarios.set(Scenario.CARDS_NEVER_LOAD, slug="jane-doe")
    member = harness.simulator.catalog.find("jane-doe")
    assert member is not None
    with capture_logs() as logs:
        result = await outcome(harness, await source(harness, member))
    assert result.type == "profile.extracted"
    profile = result.payload.profile
    assert (profile.first_name, profile.headline) == ("Jane", member.profile.headline)
    assert profile.experience == [] and "experience" in profile.missing_sections
    partial = [e for e in logs if e["event"] == "extraction.partial"]
    assert partial and partial[0]["layout"] == "linkedin/flagship-2025"
    assert list(harness.settings.snapshot_dir.rglob("*.html"))

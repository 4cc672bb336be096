"""Every platform scenario ends in the right outcome and code; no account or job is stuck."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from extractor_harness import Harness, HarnessFactory, serve_app
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from test_extraction import account, outcome, request, source

from sourcer.extractor.cli_parse import run_parse
from sourcer.extractor.parsing import split_snapshot
from sourcer.extractor.session_store import session_repository
from sourcer.extractor.sessions import SessionState as AccountState
from sourcer.extractor.sessions import UseOutcome
from sourcer.proto.records import Platform
from sourcer.runtime.parking import ParkingLot
from sourcer.simulator.scenarios import Scenario

pytestmark = pytest.mark.integration


def member(harness: Harness, slug: str) -> Any:
    found = harness.simulator.catalog.find(slug)
    assert found is not None
    return found


async def assert_not_leased(harness: Harness, *names: str) -> None:
    for name in names:
        assert (await account(harness, name))["lease"] is None


async def assert_nothing_parked(harness: Harness) -> None:
    lot = ParkingLot(url=harness.settings.amqp_url, queue_name=harness.bus.queue_name("extractor"))
    assert await lot.list() == []


@pytest.mark.parametrize(
    ("scenario", "code", "state"),
    [
        (Scenario.CHECKPOINT, "checkpoint", AccountState.CHECKPOINT),
        (Scenario.UNAVAILABLE, "profile_unavailable", AccountState.CONNECTED),
        (Scenario.PRIVATE, "profile_unavailable", AccountState.CONNECTED),
    ],
)
async def test_final_failures_reach_the_recruiter_with_their_code(
    harness: Harness, scenario: Scenario, code: str, state: AccountState
) -> None:
    await harness.add_account("alice")
    harness.simulator.scenarios.set(scenario, slug="jane-doe")
    result = await outcome(harness, await source(harness, member(harness, "jane-doe")))
    assert result.type == "profile.extraction_failed"
    assert result.payload.code == code
    assert result.payload.retryable is False
    assert result.payload.message
    assert (await account(harness, "alice"))["state"] == state.value
    await assert_not_leased(harness, "alice")
    await assert_nothing_parked(harness)


@pytest.mark.parametrize(
    ("scenario", "state"),
    [
        (Scenario.RATE_LIMITED, AccountState.RATE_LIMITED),
        (Scenario.SOFT_BLOCK, AccountState.RATE_LIMITED),
        (Scenario.ACCOUNT_PICKER, AccountState.EXPIRED),
    ],
)
async def test_an_account_problem_moves_the_job_to_another_account(
    harness: Harness, scenario: Scenario, state: AccountState
) -> None:
    await harness.add_account("alice")  # imported first, so leased first
    await harness.add_account("bob")
    harness.simulator.scenarios.set(scenario, account="alice")
    jane = member(harness, "jane-doe")
    result = await outcome(harness, await source(harness, jane))
    assert result.type == "profile.extracted"
    assert result.payload.profile == jane.profile
    alice = await account(harness, "alice")
    assert alice["state"] == state.value
    if state is AccountState.RATE_LIMITED:
        assert alice["cooldown_until"] is not None
    await assert_not_leased(harness, "alice", "bob")
    await assert_nothing_parked(harness)


async def test_a_session_the_platform_no_longer_accepts_marks_the_account_expired(
    harness: Harness,
) -> None:
    await harness.add_account("alice")
    await harness.add_account("bob")
    async with httpx.AsyncClient(base_url=harness.simulator.base_url) as client:
        response = await client.post("/_sim/expire", json={"account": "alice"})
        response.raise_for_status()
    jane = member(harness, "jane-doe")
    result = await outcome(harness, await source(harness, jane))
    assert result.type == "profile.extracted"
    assert (await account(harness, "alice"))["state"] == AccountState.EXPIRED.value
    await assert_not_leased(harness, "alice", "bob")


async def test_a_page_slower_than_the_timeout_fails_as_timeout_after_its_retries(
    make_harness: HarnessFactory,
) -> None:
    harness = await make_harness(navigation_timeout=1.0)
    await harness.add_account("alice")
    harness.simulator.scenarios.set(Scenario.SLOW, slug="jane-doe", seconds=3.0)
    result = await outcome(harness, await source(harness, member(harness, "jane-doe")))
    assert result.type == "profile.extraction_failed"
    assert result.payload.code == "timeout"
    assert result.payload.retryable is True
    await assert_not_leased(harness, "alice")
    await assert_nothing_parked(harness)


async def test_while_every_session_is_busy_the_job_waits_instead_of_failing(
    harness: Harness,
) -> None:
    session_id = await harness.add_account("alice")
    sessions = session_repository(harness.settings, harness.store)
    held = await sessions.claim(session_id, holder="another-worker", now=datetime.now(UTC))
    assert held is not None
    request_id = await source(harness, member(harness, "jane-doe"))
    await asyncio.sleep(1.5)  # several deferrals happen meanwhile
    assert harness.recorder.outcome(request_id) is None
    queued = harness.recorder.of("sourcing.queued", request_id)
    assert queued and queued[-1].payload.reason == "waiting_for_session"
    await sessions.release(
        lease=held, now=datetime.now(UTC), outcome=UseOutcome.OK, storage_state=None,
        counted=False,
    )  # fmt: skip
    result = await outcome(harness, request_id)
    assert result.type == "profile.extracted"


async def test_a_recruiter_without_any_session_fails_at_once(harness: Harness) -> None:
    result = await outcome(harness, await source(harness, member(harness, "jane-doe")))
    assert result.payload.code == "no_session_connected"
    assert "Connect your LinkedIn session" in result.payload.message
    assert not harness.recorder.of("sourcing.queued")


async def test_a_url_that_is_not_a_profile_is_refused(harness: Harness) -> None:
    await harness.add_account("alice")
    result = await outcome(
        harness,
        await request(harness, "https://www.linkedin.com/feed/", Platform.LINKEDIN, "feed"),
    )
    assert result.payload.code == "unsupported_url"


async def test_an_unknown_page_is_saved_for_replay_and_fails_as_layout_changed(
    make_harness: HarnessFactory,
) -> None:
    async def new_layout(_: Any) -> HTMLResponse:
        return HTMLResponse("<html><body><main><div>A brand new layout</div></main></body></html>")

    app = Starlette(routes=[Route("/in/{slug}/", new_layout)])
    async with serve_app(app) as base_url:
        harness = await make_harness(linkedin_base_url=base_url)
        await harness.add_account("alice")
        result = await outcome(harness, await source(harness, member(harness, "jane-doe")))
    assert result.payload.code == "layout_changed"
    snapshots = list(harness.settings.snapshot_dir.rglob("*.html"))
    screenshots = list(harness.settings.snapshot_dir.rglob("*.png"))
    assert len(snapshots) == 1 and len(screenshots) == 1
    main, _, _ = split_snapshot(snapshots[0].read_text(encoding="utf-8"))
    assert "A brand new layout" in main
    assert run_parse("linkedin", str(snapshots[0])) == 2

"""Whose login renders a request: the requester's own, else (if their tenant allows) one of the
tenant's shared sessions, never another tenant's or another recruiter's. The simulator records
which login loaded every page."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from extractor_harness import Harness
from test_extraction import outcome

from sourcer.proto.envelope import Actor, ActorKind, Role
from sourcer.proto.events import SourcingRequested

pytestmark = pytest.mark.integration


async def source_as(harness: Harness, slug: str, *, tenant: str, user: str) -> str:
    member = harness.simulator.catalog.find(slug)
    assert member is not None
    request_id = f"req-{uuid.uuid4().hex[:8]}"
    origin = member.profile.source
    await harness.bus.emit(
        SourcingRequested(
            request_id=request_id,
            url=origin.profile_url,
            platform=origin.platform,
            profile_id=origin.profile_id,
        ),
        tenant_id=tenant,
        correlation_id=request_id,
        actor=Actor(kind=ActorKind.USER, id=user, role=Role.RECRUITER),
    )
    return request_id


async def page_loads(harness: Harness) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=harness.simulator.base_url) as client:
        events: list[dict[str, Any]] = (await client.get("/_sim/stats")).json()["events"]
    return events


async def test_every_page_is_loaded_with_the_right_login(harness: Harness) -> None:
    # Acme: Alice has her own session, the pool is off. Globex: one shared session, pool on.
    await harness.add_account("alice-seat", tenant="acme", owner="alice")
    await harness.add_account("globex-seat", tenant="globex")
    slugs = {"alice": "jane-doe", "bob": "aiko"}
    alices = await source_as(harness, slugs["alice"], tenant="acme", user="alice")
    bobs = await source_as(harness, slugs["bob"], tenant="globex", user="bob")
    for request_id in (alices, bobs):
        assert (await outcome(harness, request_id)).type == "profile.extracted"

    loads = await page_loads(harness)
    by_slug = {slug: {e["account"] for e in loads if e["slug"] == slug} for slug in slugs.values()}
    assert by_slug == {"jane-doe": {"alice-seat"}, "aiko": {"globex-seat"}}


@pytest.mark.parametrize(
    ("tenant", "user"),
    [
        ("initech", "erin"),  # a tenant without any session
        ("acme", "carol"),  # a recruiter without own session, the pool off
    ],
)
async def test_without_a_usable_session_a_request_fails_at_once(
    harness: Harness, tenant: str, user: str
) -> None:
    await harness.add_account("alice-seat", tenant="acme", owner="alice")
    await harness.add_account("globex-seat", tenant="globex")
    request_id = await source_as(harness, "jane-doe", tenant=tenant, user=user)
    result = await outcome(harness, request_id)
    assert result.payload.code == "no_session_connected"
    assert not harness.recorder.of("sourcing.queued", request_id)
    assert not await page_loads(harness)  # nobody else's login was used


async def test_an_expired_own_session_ends_the_request_telling_what_to_do(
    harness: Harness,
) -> None:
    await harness.add_account("alice-seat", tenant="acme", owner="alice")
    async with httpx.AsyncClient(base_url=harness.simulator.base_url) as client:
        assert (await client.post("/_sim/expire", json={"account": "alice-seat"})).is_success
    request_id = await source_as(harness, "jane-doe", tenant="acme", user="alice")
    result = await outcome(harness, request_id)
    assert result.payload.code == "session_expired"
    assert "reconnect your LinkedIn session" in result.payload.message
    # The owner sees it; ops hear of it.
    changed = harness.recorder.of("session.state_changed")
    assert [(e.payload.owner, e.payload.state) for e in changed] == [("alice", "expired")]
    doc = await harness.store.db["platform_sessions"].find_one({"owner": "alice"})
    assert doc is not None and doc["state"] == "expired"

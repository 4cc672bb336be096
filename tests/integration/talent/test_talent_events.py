"""The talent service's consumers on a real broker: previews and `talent.submit` commands."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sourcing_profiles import NEW_JOB, jane
from support import eventually, observe

from sourcer.proto.envelope import Actor, ActorKind, Envelope, Role
from sourcer.proto.events import (
    ProfileExtracted,
    SourcingPreviewReady,
    TalentCreated,
    TalentErased,
    TalentSubmit,
    TalentUpdated,
)
from sourcer.runtime.auth import AuthSettings
from sourcer.runtime.bus import Bus
from sourcer.runtime.jobs import purge_older_than
from sourcer.runtime.service import Infra, running
from sourcer.runtime.store import Store
from sourcer.talent.bootstrap import SERVICE as TALENT
from sourcer.talent.repository import MongoTalentRepository
from sourcer.talent.settings import TalentSettings

pytestmark = pytest.mark.integration

ALICE = Actor(kind=ActorKind.USER, id="alice", role=Role.RECRUITER)


@pytest.fixture
async def seen(
    bus: Bus, store: Store, amqp_url: str, mongodb_url: str, db_name: str, namespace: str
) -> AsyncIterator[list[Envelope[Any]]]:
    settings = TalentSettings(
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        mongodb_db=db_name,
        bus_namespace=namespace,
        suppression_key="k",
    )
    events: list[Envelope[Any]] = []

    async def record(envelope: Envelope[Any]) -> None:
        events.append(envelope)

    infra = Infra(settings=settings, bus=bus, store=store)
    async with running(
        TALENT,
        settings,
        infra=infra,
        listen=False,
        auth=AuthSettings(mode="development", jwt_secret="t" * 32),
    ):
        await observe(
            bus,
            "observer",
            [SourcingPreviewReady, TalentCreated, TalentUpdated, TalentErased],
            record,
        )
        yield events


async def _wait_for(events: list[Envelope[Any]], event_type: str, request_id: str) -> Any:
    async def arrived() -> bool:
        return any(e.type == event_type and e.correlation_id == request_id for e in events)

    await eventually(arrived)
    return next(e for e in events if e.type == event_type and e.correlation_id == request_id)


async def test_extracted_profile_gets_a_preview_and_a_submit_command_creates_the_talent(
    bus: Bus, store: Store, seen: list[Envelope[Any]]
) -> None:
    await bus.emit(
        ProfileExtracted(request_id="req_1", profile=jane()),
        tenant_id="acme",
        correlation_id="req_1",
        actor=ALICE,
    )
    ready = await _wait_for(seen, "sourcing.preview_ready", "req_1")
    assert ready.payload.preview.kind == "new"
    assert ready.causation_id is not None
    await bus.emit(
        TalentSubmit(request_id="req_1", notes=["via bus"]),
        tenant_id="acme",
        correlation_id="req_1",
        actor=ALICE,
    )
    created = await _wait_for(seen, "talent.created", "req_1")
    talent = await store.db["talents"].find_one({"_id": created.payload.talent_id})
    assert talent is not None and talent["notes"][0]["text"] == "via bus"

    await bus.emit(
        ProfileExtracted(request_id="req_2", profile=jane(extra_jobs=[NEW_JOB])),
        tenant_id="acme",
        correlation_id="req_2",
        actor=ALICE,
    )
    again = await _wait_for(seen, "sourcing.preview_ready", "req_2")
    assert again.payload.preview.kind == "existing"
    assert [c.field for c in again.payload.preview.changes] == ["experience"]


async def test_previews_past_their_retention_are_deleted(
    bus: Bus, store: Store, seen: list[Envelope[Any]]
) -> None:
    for request_id in ("req_old", "req_new"):
        await bus.emit(
            ProfileExtracted(request_id=request_id, profile=jane(slug=request_id)),
            tenant_id="acme",
            correlation_id=request_id,
            actor=ALICE,
        )
        await _wait_for(seen, "sourcing.preview_ready", request_id)
    previews = store.db["previews"]
    long_ago = datetime.now(UTC) - timedelta(days=31)
    await previews.update_one({"_id": "req_old"}, {"$set": {"created_at": long_ago}})

    keep = timedelta(days=30)
    assert await purge_older_than(store, "previews", now=datetime.now(UTC), keep=keep) == 1
    assert [doc["_id"] async for doc in previews.find({})] == ["req_new"]
    assert await purge_older_than(store, "previews", now=datetime.now(UTC), keep=keep) == 0


async def test_one_talent_holds_a_profiles_claim_when_submits_race(store: Store) -> None:
    repo = MongoTalentRepository(store)
    now = datetime.now(UTC)
    results = await asyncio.gather(
        *(
            repo.claim_identity(
                tenant_id="acme", profile_key="linkedin:jane-doe", talent_id=f"tal_{n}", now=now
            )
            for n in range(5)
        )
    )
    assert results.count(None) == 1
    held = [claim for claim in results if claim is not None]
    holder = held[0]["talent_id"]
    assert all(claim["talent_id"] == holder for claim in held)
    same = await repo.claim_identity(
        tenant_id="acme", profile_key="linkedin:jane-doe", talent_id=holder, now=now
    )
    assert same is None  # a repeated submit of the holder goes ahead
    assert await repo.take_over_identity(claim=held[0], talent_id="tal_next", now=now)
    assert not await repo.take_over_identity(claim=held[0], talent_id="tal_late", now=now)

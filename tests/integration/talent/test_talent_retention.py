"""Talents past their retention (no change or contact for `last_contact_retention_days`) are erased
by the talent service's job, as a denial erases, but without suppressing them. Real Mongo and
RabbitMQ, an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from support import eventually, observe, talent_document

from sourcer.proto.envelope import Envelope
from sourcer.proto.events import TalentErased
from sourcer.runtime.auth import AuthSettings
from sourcer.runtime.bus import Bus
from sourcer.runtime.service import Infra
from sourcer.runtime.store import Store
from sourcer.talent.bootstrap import bootstrap
from sourcer.talent.erasure import Erasure, TalentEraser
from sourcer.talent.repository import CATALOG
from sourcer.talent.retention import last_contact_rule, talent_retention_job
from sourcer.talent.settings import TalentSettings

pytestmark = pytest.mark.integration

NOW = datetime(2028, 6, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


async def test_talents_without_contact_for_the_retention_period_are_erased(
    store: Store, bus: Bus
) -> None:
    erased: list[Envelope[Any]] = []

    async def record(envelope: Envelope[Any]) -> None:
        erased.append(envelope)

    await observe(bus, "test.erased", [TalentErased], record)
    talents = store.with_catalog(CATALOG)
    await talents.ensure_indexes()
    stale = NOW - timedelta(days=731)
    docs = {
        "tal_old": {**talent_document("tal_old", slug="old-one"), "updated_at": stale},
        "tal_recent": {
            **talent_document("tal_recent", slug="recent-one", email="r@example.org"),
            "updated_at": NOW - timedelta(days=700),
        },
        "tal_old_globex": {
            **talent_document("tal_old_globex", tenant="globex", slug="old-two"),
            "updated_at": stale,
        },
    }
    await talents.db["talents"].insert_many(list(docs.values()))
    await talents.db["previews"].insert_one(
        {"_id": "req_tal_old", "tenant_id": "acme", "talent_id": "tal_old", "created_at": NOW}
    )
    clock = Clock()
    job = talent_retention_job(
        store=talents,
        eraser=TalentEraser(store=talents, publisher=bus, suppression_key=b"k"),
        rules=[
            last_contact_rule(
                keep_days=TalentSettings.model_fields["last_contact_retention_days"].default
            )
        ],
        clock=clock,
    )

    assert await job.run() == {"last_contact": 2}
    left = {d["_id"] async for d in talents.db["talents"].find({})}
    assert left == {"tal_recent"}
    assert await talents.db["previews"].count_documents({}) == 0
    # They did not decline: nothing suppresses sourcing them again.
    assert await talents.db["suppressions"].count_documents({}) == 0
    tombstones = [d async for d in talents.db["talent_erasures"].find({})]
    assert {(d["talent_id"], d["reason"]) for d in tombstones} == {
        ("tal_old", "retention"),
        ("tal_old_globex", "retention"),
    }

    async def announced() -> bool:
        return len(erased) == 2

    await eventually(announced)
    assert {(e.tenant_id, e.payload.talent_id, e.payload.reason) for e in erased} == {
        ("acme", "tal_old", "retention"),
        ("globex", "tal_old_globex", "retention"),
    }
    assert all(e.payload.person_keys for e in erased)  # the gateway's requests go too

    assert await job.run() == {"last_contact": 0}  # nothing twice
    clock.now += timedelta(days=31)
    assert await job.run() == {"last_contact": 1}
    assert await talents.db["talents"].count_documents({}) == 0


async def test_the_retention_query_is_indexed(store: Store) -> None:
    talents = store.with_catalog(CATALOG)
    await talents.ensure_indexes()
    indexes = await talents.db["talents"].index_information()
    assert [("updated_at", 1)] in [list(map(tuple, i["key"])) for i in indexes.values()]


async def test_the_service_runs_the_retention_job(store: Store, bus: Bus) -> None:
    settings = TalentSettings(
        mongodb_url="mongodb://unused", suppression_key="k", last_contact_retention_days=90
    )
    infra = Infra(settings=settings, bus=bus, store=store.with_catalog(CATALOG))
    parts = bootstrap(settings, infra, auth=AuthSettings(mode="development", jwt_secret="t" * 32))
    assert "talents.retention" in [job.name for job in parts.jobs]


async def test_a_talent_changed_since_the_query_is_not_erased(store: Store, bus: Bus) -> None:
    talents = store.with_catalog(CATALOG)
    await talents.db["talents"].insert_one(talent_document("tal_busy"))  # changed just now
    eraser = TalentEraser(store=talents, publisher=bus, suppression_key=b"k")
    due = last_contact_rule(keep_days=730).due(datetime.now(UTC))
    erasure = Erasure(
        tenant_id="acme",
        talent_id="tal_busy",
        reason="retention",
        suppress=False,
        correlation_id="tal_busy",
        only_if=due,
    )
    assert not await eraser.erase(erasure)
    assert await talents.db["talents"].count_documents({"_id": "tal_busy"}) == 1

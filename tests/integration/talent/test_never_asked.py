"""Talents nobody asked for consent: after the notice period the talent service schedules their
erasure and announces it once, a consent request cancels it, and after the grace period the
talent is erased without suppression. Real Mongo and RabbitMQ, the service's own job, an
injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from support import eventually, observe, talent_document

from sourcer.consent import repository as consent_repository
from sourcer.consent.domain import Consent, ConsentState
from sourcer.proto.consent_record import CONSENTS
from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import (
    ConsentChannel,
    ConsentRequested,
    ConsentUnlocked,
    TalentErased,
    TalentErasureScheduled,
)
from sourcer.runtime.auth import AuthSettings
from sourcer.runtime.bus import Bus
from sourcer.runtime.bus_permissions import permissions_for
from sourcer.runtime.jobs import Job
from sourcer.runtime.service import Infra
from sourcer.runtime.store import Store
from sourcer.talent.bootstrap import SERVICE, bootstrap
from sourcer.talent.container import Container
from sourcer.talent.repository import CATALOG
from sourcer.talent.settings import TalentSettings

pytestmark = pytest.mark.integration

CREATED = datetime(2027, 1, 4, 9, tzinfo=UTC)
ADMIN = Actor(kind=ActorKind.USER, id="root")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def talent_service(store: Store, bus: Bus, clock: Clock) -> tuple[Store, Container, Job]:
    settings = TalentSettings(mongodb_url="mongodb://unused", suppression_key="k")
    talents = store.with_catalog(CATALOG)
    infra = Infra(settings=settings, bus=bus, store=talents)
    parts = bootstrap(
        settings, infra, auth=AuthSettings(mode="development", jwt_secret="t" * 32), clock=clock
    )
    [job] = [job for job in parts.jobs if job.name == "talents.retention"]
    return talents, parts.container, job


def created(talent_id: str, *, days_before: int = 0, **fields: Any) -> dict[str, Any]:
    at = CREATED - timedelta(days=days_before)
    doc = talent_document(talent_id, slug=f"{talent_id}-slug", email=f"{talent_id}@example.org")
    return {**doc, "created_at": at, "updated_at": at, **fields}


def consent_event(kind: str, talent_id: str, at: datetime) -> Envelope[Any]:
    payload: Any
    if kind == "consent.requested":
        payload = ConsentRequested(
            consent_id=f"con_{talent_id}",
            talent_id=talent_id,
            channel=ConsentChannel.LINK,
            language="de",
            expires_at=at + timedelta(days=30),
        )
    else:
        payload = ConsentUnlocked(
            consent_id=f"con_{talent_id}",
            talent_id=talent_id,
            channel=ConsentChannel.MANUAL,
            decided_at=at,
            reason="Applied through the careers site.",
        )
    return Envelope[Any](
        type=kind, tenant_id="acme", correlation_id=talent_id, actor=ADMIN, payload=payload,
        occurred_at=at,
    )  # fmt: skip


async def test_never_asked_talents_are_reminded_then_erased_unless_asked(
    store: Store, bus: Bus
) -> None:
    seen: list[Envelope[Any]] = []

    async def record(envelope: Envelope[Any]) -> None:
        seen.append(envelope)

    # One queue for both, so the order of arrival is the order of publishing.
    await observe(bus, "test.never_asked", [TalentErasureScheduled, TalentErased], record)
    clock = Clock(CREATED)
    talents, container, job = talent_service(store, bus, clock)
    await talents.ensure_indexes()
    await talents.db["talents"].insert_many(
        [
            created("tal_asked_later"),
            created("tal_unlocked_later"),
            created("tal_forgotten"),
            created("tal_newer", days_before=-20),
            created("tal_requested"),
        ]
    )
    await container.mirror.mirror(consent_event("consent.requested", "tal_requested", CREATED))
    await talents.db["previews"].insert_one(
        {"_id": "req_tal_forgotten", "tenant_id": "acme", "talent_id": "tal_forgotten"}
    )

    # Day 30: still within the month.
    clock.now = CREATED + timedelta(days=30)
    assert (await job.run())["erasure_scheduled"] == 0

    # Day 31: three reminders, one event each, the flag on the record.
    clock.now = day_31 = CREATED + timedelta(days=31)
    assert await job.run() == {
        "erasure_scheduled": 3,
        "last_contact": 0,
        "consent_not_requested": 0,
    }
    scheduled = {
        d["_id"]: d["erasure_scheduled"]
        async for d in talents.db["talents"].find({"erasure_scheduled": {"$ne": None}})
    }
    assert set(scheduled) == {"tal_asked_later", "tal_unlocked_later", "tal_forgotten"}
    for schedule in scheduled.values():
        assert schedule["reason"] == "consent_not_requested"
        assert schedule["erase_after"] == day_31 + timedelta(days=7)
        assert schedule["announced_at"] == day_31

    async def reminded() -> bool:
        return len(seen) == 3

    await eventually(reminded)
    assert {e.type for e in seen} == {"talent.erasure_scheduled"}
    assert {e.event_id: e.payload.talent_id for e in seen} == {
        s["event_id"]: talent_id for talent_id, s in scheduled.items()
    }
    assert all(e.payload.sourced_by == "alice" for e in seen)
    assert all(e.payload.erase_after == day_31 + timedelta(days=7) for e in seen)

    # A re-run reminds nobody again.
    clock.now = day_31 + timedelta(hours=1)
    assert (await job.run())["erasure_scheduled"] == 0

    # A consent request and an admin unlock cancel; the flag is gone.
    await container.mirror.mirror(consent_event("consent.requested", "tal_asked_later", day_31))
    await container.mirror.mirror(consent_event("consent.unlocked", "tal_unlocked_later", day_31))
    cancelled = talents.db["talents"].find(
        {"_id": {"$in": ["tal_asked_later", "tal_unlocked_later"]}}
    )
    assert [d["erasure_scheduled"] async for d in cancelled] == [None, None]

    # Day 38 is the last day of grace; after it, the one nobody asked is erased, unsuppressed.
    clock.now = day_31 + timedelta(days=7) - timedelta(seconds=1)
    assert (await job.run())["consent_not_requested"] == 0
    clock.now = day_31 + timedelta(days=7)
    assert await job.run() == {
        "erasure_scheduled": 0,
        "last_contact": 0,
        "consent_not_requested": 1,
    }
    left = {d["_id"] async for d in talents.db["talents"].find({})}
    assert left == {"tal_asked_later", "tal_unlocked_later", "tal_newer", "tal_requested"}
    assert await talents.db["previews"].count_documents({}) == 0
    assert await talents.db["suppressions"].count_documents({}) == 0  # they never declined
    tombstone = await talents.db["talent_erasures"].find_one({})
    assert tombstone is not None
    assert (tombstone["talent_id"], tombstone["reason"]) == (
        "tal_forgotten",
        "consent_not_requested",
    )

    async def erased() -> bool:
        return len(seen) == 4

    await eventually(erased)
    assert seen[-1].type == "talent.erased"
    assert (seen[-1].payload.talent_id, seen[-1].payload.reason) == (
        "tal_forgotten",
        "consent_not_requested",
    )
    assert seen[-1].payload.person_keys  # the other services delete what they hold
    assert [e.type for e in seen].count("talent.erasure_scheduled") == 3  # none twice


async def test_a_talent_asked_but_not_yet_mirrored_is_not_erased(store: Store, bus: Bus) -> None:
    """The consent service stored the request; its event has not reached the talent yet."""
    clock = Clock(CREATED + timedelta(days=31))
    talents, _, job = talent_service(store, bus, clock)
    await talents.db["talents"].insert_one(created("tal_racing"))
    assert (await job.run())["erasure_scheduled"] == 1
    consent = Consent(
        tenant_id="acme",
        talent_id="tal_racing",
        consent_id="con_racing",
        state=ConsentState.REQUESTED,
        channel=ConsentChannel.LINK,
        language="de",
        requested_at=clock.now,
        requested_by="alice",
    )
    await store.db[CONSENTS].insert_one(consent_repository.to_document(consent))
    clock.now += timedelta(days=8)
    assert (await job.run())["consent_not_requested"] == 0
    assert await talents.db["talents"].count_documents({"_id": "tal_racing"}) == 1


async def test_a_reminder_the_broker_did_not_confirm_is_sent_on_the_next_run(
    store: Store, bus: Bus, amqp_url: str, namespace: str
) -> None:
    seen: list[Envelope[Any]] = []

    async def record(envelope: Envelope[Any]) -> None:
        seen.append(envelope)

    await observe(bus, "test.reminders", [TalentErasureScheduled], record)
    clock = Clock(CREATED + timedelta(days=31))
    # A process that may not publish the event: the publish fails as a lost broker does.
    refusing = Bus(url=amqp_url, namespace=namespace, name="refusing", publishes=frozenset())
    await refusing.connect()
    try:
        talents, _, job = talent_service(store, refusing, clock)
        await talents.db["talents"].insert_one(created("tal_waiting"))
        assert (await job.run())["erasure_scheduled"] == 1
    finally:
        await refusing.close(timeout=5.0)
    doc = await talents.db["talents"].find_one({"_id": "tal_waiting"})
    assert doc is not None and doc["erasure_scheduled"]["announced_at"] is None
    # Not announced, so not erased, however late it is; announced now, with the whole grace.
    clock.now = late = clock.now + timedelta(days=30)
    talents, _, job = talent_service(store, bus, clock)
    assert (await job.run())["consent_not_requested"] == 0

    async def reminded() -> bool:
        return len(seen) == 1

    await eventually(reminded)
    assert seen[0].event_id == doc["erasure_scheduled"]["event_id"]  # the same event, late
    assert seen[0].payload.erase_after == late + timedelta(days=7)
    clock.now = late + timedelta(days=7) - timedelta(seconds=1)
    assert (await job.run())["consent_not_requested"] == 0
    clock.now = late + timedelta(days=7)
    assert (await job.run())["consent_not_requested"] == 1


def test_the_talent_service_may_publish_the_reminder() -> None:
    assert "talent.erasure_scheduled" in permissions_for(SERVICE).publishes

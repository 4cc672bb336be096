"""Talents nobody asked for consent (GDPR Art. 14(3)(a)), through the whole product: two talents
sourced and submitted; on day 31 the recruiter is reminded (`talent.erasure_scheduled` on the
bus) and both show `deleting_soon`; a consent request saves one; after the grace period the
other is erased and nothing readable of it is left in any collection of any service.

Gateway, talent, consent and extractor run as processes on one database; the talent service's
retention job runs here, built by the talent service's own bootstrap on that database and bus,
with an injected clock (the processes' own job sees today, when nobody is due yet).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aio_pika
import httpx
import pytest
from fleet import SUPPRESSION_KEY, Fleet, source
from support import eventually, observe

from sourcer.proto.envelope import Envelope, Role
from sourcer.proto.events import TalentErased, TalentErasureScheduled
from sourcer.runtime.auth import AuthSettings
from sourcer.runtime.bus import Bus
from sourcer.runtime.consumer_spec import dead_letter_exchange_name
from sourcer.runtime.jobs import Job
from sourcer.runtime.service import Infra
from sourcer.runtime.store import Store, connect_store
from sourcer.talent.bootstrap import bootstrap
from sourcer.talent.repository import CATALOG
from sourcer.talent.settings import TalentSettings

# Four services, the simulator and two renders in Chromium before the path itself begins.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

CONTROLLER = {"name": "ACME Recruiting GmbH", "contact": "privacy@acme.example"}


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Harness:
    """The talent service's retention job on the fleet's database and bus, and what the bus
    carried of reminders and erasures."""

    store: Store
    bus: Bus
    job: Job
    clock: Clock
    seen: list[Envelope[Any]]


async def harness(fleet: Fleet, clock: Clock) -> Harness:
    env = fleet.env
    store = await connect_store(env["MONGODB_URL"], env["MONGODB_DB"])
    bus = Bus(url=env["AMQP_URL"], namespace=env["SOURCER_BUS_NAMESPACE"], name="e2e")
    await bus.connect()
    seen: list[Envelope[Any]] = []

    async def record(envelope: Envelope[Any]) -> None:
        seen.append(envelope)

    await observe(bus, "e2e.never_asked", [TalentErasureScheduled, TalentErased], record)
    settings = TalentSettings(
        mongodb_url=env["MONGODB_URL"],
        mongodb_db=env["MONGODB_DB"],
        suppression_key=SUPPRESSION_KEY,
    )
    infra = Infra(settings=settings, bus=bus, store=store.with_catalog(CATALOG))
    parts = bootstrap(
        settings,
        infra,
        auth=AuthSettings(mode="development", jwt_secret="unused-" * 6),
        clock=clock,
    )
    [job] = [job for job in parts.jobs if job.name == "talents.retention"]
    return Harness(store=store, bus=bus, job=job, clock=clock, seen=seen)


async def close(h: Harness, amqp_url: str) -> None:
    queues = h.bus.declared_queues()
    await h.bus.close(timeout=10.0)
    await h.store.close()
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        for name in queues:  # only this test's observer: the fleet drops its own
            await channel.queue_delete(name)
            await channel.exchange_delete(dead_letter_exchange_name(name))
    finally:
        await connection.close()


def sourced_talents(fleet: Fleet, simulator: str, count: int) -> list[dict[str, Any]]:
    """Talents sourced from the simulator's LinkedIn members and submitted, as a recruiter does."""
    sim = httpx.Client(base_url=simulator, timeout=10)
    members = [m for m in sim.get("/_sim/profiles").json() if m["platform"] == "linkedin"]
    client = httpx.Client(base_url=fleet.gateway_url, headers=fleet.headers(), timeout=10)
    talents = []
    for member in members[:count]:
        ready = source(client, fleet, member["profile_url"])
        assert ready["preview"]["kind"] == "new", ready["preview"]
        submitted = client.post(f"/v1/sourcing-requests/{ready['id']}/submit", json={})
        assert submitted.status_code == 200, submitted.text
        talent = client.get(f"/v1/talents/{submitted.json()['talent_id']}").json()
        assert talent["deleting_soon"] is None and talent["consent"] is None
        talents.append(talent)
    return talents


def needles(talent: dict[str, Any]) -> set[str]:
    """What identifies the person: the talent id, names, emails, profile URLs and ids."""
    found = {talent["id"], *talent["emails"]}
    found |= {name for name in (talent["first_name"], talent["last_name"]) if name}
    for source_ in talent["sources"]:
        found |= {source_["profile_url"], source_["profile_id"]}
    return {needle for needle in found if len(needle) >= 3}


async def traces(store: Store, wanted: set[str]) -> list[str]:
    """Every document of every collection of the fleet's database (all services share it)
    that still holds one of `wanted`: "collection: needle"."""
    found = []
    for name in await store.db.list_collection_names():
        async for doc in store.db[name].find({}):
            text = json.dumps(doc, default=str)
            found += [f"{name}: {needle}" for needle in sorted(wanted) if needle in text]
    return found


async def test_a_talent_never_asked_is_reminded_then_erased_everywhere(
    fleet: Fleet, simulator: str
) -> None:
    kept, forgotten = sourced_talents(fleet, simulator, 2)
    assert not needles(kept) & needles(forgotten), "two different people"
    created = max(datetime.fromisoformat(t["created_at"]) for t in (kept, forgotten))
    h = await harness(fleet, Clock(created + timedelta(days=31)))
    api = httpx.AsyncClient(base_url=fleet.gateway_url, headers=fleet.headers(), timeout=10)
    try:
        assert await traces(h.store, needles(forgotten))  # the scan does find the person

        # Day 31: one reminder per talent on the bus, the flag on the talent and in the list.
        assert (await h.job.run())["erasure_scheduled"] == 2

        async def reminded() -> bool:
            return len(h.seen) == 2

        await eventually(reminded)
        erase_after = h.clock.now + timedelta(days=7)
        assert {(e.type, e.payload.talent_id) for e in h.seen} == {
            ("talent.erasure_scheduled", kept["id"]),
            ("talent.erasure_scheduled", forgotten["id"]),
        }
        assert all(e.payload.sourced_by == "alice" for e in h.seen)
        assert all(e.payload.erase_after == erase_after for e in h.seen)
        flag = {
            "reason": "consent_not_requested",
            "erase_after": erase_after.isoformat().replace("+00:00", "Z"),
        }
        for talent in (kept, forgotten):
            shown = (await api.get(f"/v1/talents/{talent['id']}")).json()
            assert shown["deleting_soon"] == flag, shown
        listed = (await api.get("/v1/talents", params={"deleting_soon": "true"})).json()
        assert {item["id"] for item in listed["items"]} == {kept["id"], forgotten["id"]}

        # The recruiter asks one of them for consent: that talent's schedule is cancelled.
        admin = fleet.headers(role=Role.ADMIN)
        set_controller = await api.put("/v1/consent/controller", json=CONTROLLER, headers=admin)
        assert set_controller.status_code == 200, set_controller.text
        asked = await api.post(
            f"/v1/talents/{kept['id']}/consent-requests", json={"channel": "link"}
        )
        assert asked.status_code == 201, asked.text

        async def cancelled() -> bool:
            shown = (await api.get(f"/v1/talents/{kept['id']}")).json()
            return shown["deleting_soon"] is None and shown["consent"]["state"] == "requested"

        await eventually(cancelled)

        # After the grace period the other one is erased: by the talent service, then by every
        # service that held anything of the person, on `talent.erased`.
        h.clock.now = erase_after
        assert await h.job.run() == {
            "erasure_scheduled": 0,
            "last_contact": 0,
            "consent_not_requested": 1,
        }

        async def erased() -> bool:
            return any(e.type == "talent.erased" for e in h.seen)

        await eventually(erased)
        [event] = [e for e in h.seen if e.type == "talent.erased"]
        assert (event.payload.talent_id, event.payload.reason) == (
            forgotten["id"],
            "consent_not_requested",
        )
        assert (await api.get(f"/v1/talents/{forgotten['id']}")).status_code == 404
        assert (await api.get(f"/v1/talents/{kept['id']}")).status_code == 200

        # Nothing of the person is left anywhere, but the tombstone: ids, reason and time only,
        # evidence that the erasure happened (no name, email or profile).
        person = needles(forgotten) - {forgotten["id"]}

        async def nothing_left() -> bool:
            return await traces(h.store, person) == []

        await eventually(nothing_left, timeout=30.0)
        assert await traces(h.store, {forgotten["id"]}) == [f"talent_erasures: {forgotten['id']}"]
        assert await h.store.db["suppressions"].count_documents({}) == 0  # never declined
        assert await traces(h.store, needles(kept))  # the one asked stays whole
        assert [e.type for e in h.seen].count("talent.erasure_scheduled") == 2  # none twice
    finally:
        await api.aclose()
        await close(h, fleet.env["AMQP_URL"])

"""Denied, withdrawn or expired: the talent service erases the person, remembers the refusal,
and sourcing the same person again is stopped. Runs the talent service's real consumers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from consent_system import (
    SECRET,
    SUPPRESSION_KEY,
    ConsentSystem,
    asgi_client,
    auth,
    build,
    delete_queues,
)
from sourcing_profiles import jane
from support import declared_collections, eventually, observe

from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import (
    ConsentChannel,
    ConsentDenied,
    ProfileExtracted,
    SourcingPreviewReady,
    TalentCreated,
    TalentErased,
    TalentSubmit,
    TalentUpdated,
)
from sourcer.proto.records import Profile
from sourcer.runtime.auth import AuthSettings
from sourcer.runtime.bus import Bus
from sourcer.runtime.parking import ParkingLot
from sourcer.runtime.service import Infra, running
from sourcer.runtime.store import Store
from sourcer.talent.bootstrap import SERVICE as TALENT
from sourcer.talent.settings import TalentSettings

pytestmark = pytest.mark.integration


def auth_settings() -> AuthSettings:
    return AuthSettings(mode="development", jwt_secret=SECRET)


EXTRACTOR = Actor(kind=ActorKind.SERVICE, id="extractor")
RECRUITER = Actor(kind=ActorKind.USER, id="alice")
SLUG = "jana-novakova-4711"
EMAIL = "jana.novakova@example.org"


def person() -> Profile:
    return jane(slug=SLUG, first_name="Jana", emails=[EMAIL]).model_copy(
        update={"last_name": "Novakova"}
    )


class Flow:
    def __init__(self, system: ConsentSystem, bus: Bus) -> None:
        self.system = system
        self.bus = bus
        self.events: list[Envelope[Any]] = []

    async def listen(self) -> None:
        async def record(envelope: Envelope[Any]) -> None:
            self.events.append(envelope)

        await observe(
            self.bus,
            "test.observer",
            [SourcingPreviewReady, TalentCreated, TalentUpdated, TalentErased],
            record,
        )

    def of(self, event_type: str) -> list[Envelope[Any]]:
        return [e for e in self.events if e.type == event_type]

    async def extract(self, request_id: str) -> dict[str, Any]:
        await self.bus.emit(
            ProfileExtracted(request_id=request_id, profile=person()),
            tenant_id="acme",
            correlation_id=request_id,
            actor=EXTRACTOR,
        )

        async def ready() -> bool:
            return any(
                e.payload.request_id == request_id for e in self.of("sourcing.preview_ready")
            )

        await eventually(ready)
        [event] = [
            e for e in self.of("sourcing.preview_ready") if e.payload.request_id == request_id
        ]
        preview: dict[str, Any] = event.payload.preview.model_dump(mode="json")
        return preview

    async def submit(self, request_id: str) -> str:
        await self.bus.emit(
            TalentSubmit(request_id=request_id, preferred_language="en", notes=["Strong Kafka"]),
            tenant_id="acme",
            correlation_id=request_id,
            actor=RECRUITER,
        )

        async def created() -> bool:
            return bool(self.of("talent.created"))

        await eventually(created)
        talent_id: str = self.of("talent.created")[0].payload.talent_id
        return talent_id

    async def answer(self, talent_id: str, *decisions: str) -> None:
        response = await self.system.request(talent_id)
        assert response.status_code == 201, response.text
        link = response.json()["consent_url"].replace("https://consent.test", "")
        for decision in decisions:
            page = await self.system.client.get(link)
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
            assert csrf, page.text
            answer = await self.system.client.post(
                link, data={"decision": decision, "csrf": csrf.group(1), "lang": "en"}
            )
            assert answer.status_code == 303

    async def wait_erased(self) -> None:
        async def erased() -> bool:
            return bool(self.of("talent.erased"))

        await eventually(erased)


@pytest.fixture
async def flow(
    amqp_url: str, mongodb_url: str, db_name: str, namespace: str, store: Store, bus: Bus
) -> AsyncIterator[Flow]:
    talent_bus = Bus(url=amqp_url, namespace=namespace, name="talent")
    await talent_bus.connect()
    settings = TalentSettings(
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        mongodb_db=db_name,
        bus_namespace=namespace,
        suppression_key=SUPPRESSION_KEY,
    )
    infra = Infra(settings=settings, bus=talent_bus, store=store)
    container, clock = await build(store=store, publisher=bus)
    async with (
        running(TALENT, settings, infra=infra, listen=False, auth=auth_settings()),
        asgi_client(container) as client,
    ):
        flow = Flow(
            ConsentSystem(container=container, client=client, store=store, clock=clock), bus
        )
        await flow.listen()
        yield flow
    queues = talent_bus.declared_queues()
    await talent_bus.close(timeout=10.0)
    await delete_queues(amqp_url, queues)


async def personal_data_left(store: Store) -> list[str]:
    """Every collection of the test database, scanned for the person's name, email and URL."""
    needles = ["Novakova", EMAIL, SLUG, "Jana"]
    found = []
    for name in await store.db.list_collection_names():
        async for doc in store.db[name].find({}):
            text = str(doc)
            found.extend(f"{name}: {needle}" for needle in needles if needle in text)
    return found


async def sourced_talent(flow: Flow) -> str:
    preview = await flow.extract("req_first")
    assert preview["kind"] == "new"
    talent_id = await flow.submit("req_first")
    assert await personal_data_left(flow.system.store)  # the scan does find the person
    identities = flow.system.store.db["talent_identities"]
    assert await identities.count_documents({"talent_id": talent_id}) == 1  # its profile's claim
    return talent_id


@pytest.mark.parametrize("decisions", [("deny",), ("grant", "withdraw")])
async def test_erasure_leaves_no_personal_data_and_stops_resourcing(
    flow: Flow, decisions: tuple[str, ...]
) -> None:
    talent_id = await sourced_talent(flow)
    await flow.answer(talent_id, *decisions)
    await flow.wait_erased()
    [erased] = flow.of("talent.erased")
    assert erased.payload.talent_id == talent_id
    # Every collection written is declared, so the erasure registry saw all of them.
    stored = set(await flow.system.store.db.list_collection_names())
    assert stored <= declared_collections(), stored - declared_collections()
    assert erased.payload.reason == ("denied" if decisions == ("deny",) else "withdrawn")
    assert erased.payload.request_ids == ["req_first"]
    assert await personal_data_left(flow.system.store) == []
    assert await flow.system.store.db["suppressions"].count_documents({}) == 3
    identities = flow.system.store.db["talent_identities"]
    assert await identities.count_documents({"talent_id": talent_id}) == 0

    again = await flow.extract("req_again")
    assert again["kind"] == "suppressed"
    assert again["profile"] is None
    assert await personal_data_left(flow.system.store) == []


async def test_no_answer_within_the_deadline_erases_after_a_reminder(flow: Flow) -> None:
    talent_id = await sourced_talent(flow)
    response = await flow.system.request(talent_id)
    assert response.status_code == 201
    flow.system.clock.advance(days=23, minutes=1)
    await flow.system.tick()
    record = (
        await flow.system.client.get(f"/internal/v1/talents/{talent_id}/consent", headers=auth())
    ).json()
    assert record["reminder_sent_at"] is not None
    flow.system.clock.advance(days=7)
    await flow.system.tick()
    await flow.wait_erased()
    assert flow.of("talent.erased")[0].payload.reason == "expired"
    assert await personal_data_left(flow.system.store) == []


async def test_granted_and_unlocked_states_are_mirrored_on_the_talent(flow: Flow) -> None:
    talent_id = await sourced_talent(flow)
    await flow.answer(talent_id, "grant")

    async def mirrored() -> bool:
        doc = await flow.system.store.db["talents"].find_one({"_id": talent_id})
        return bool(doc and doc.get("consent", {}).get("state") == "granted")

    await eventually(mirrored)
    doc = await flow.system.store.db["talents"].find_one({"_id": talent_id})
    assert doc is not None
    assert doc["consent"]["channel"] == "link" and doc["consent"]["text_version"] == "2026-11"


async def test_a_forged_denial_erases_nothing(flow: Flow, amqp_url: str, namespace: str) -> None:
    """A `consent.denied` of the right shape, for a talent whose consent record says granted
    (any process on the bus could send one): the talent service checks the record, erases
    nothing and parks the event as a final error for ops to look at."""
    talent_id = await sourced_talent(flow)
    await flow.answer(talent_id, "grant")
    record = await flow.system.store.db["consents"].find_one({"talent_id": talent_id})
    assert record is not None and record["state"] == "granted"
    await flow.bus.emit(
        ConsentDenied(
            consent_id=record["consent_id"],
            talent_id=talent_id,
            channel=ConsentChannel.LINK,
            decided_at=datetime.now(UTC),
        ),
        tenant_id="acme",
        correlation_id=talent_id,
        actor=Actor(kind=ActorKind.SERVICE, id="consent"),
    )
    lot = ParkingLot(url=amqp_url, queue_name=f"{namespace}talent.consent")

    async def parked() -> bool:
        return len(await lot.list()) == 1

    await eventually(parked)
    [message] = await lot.list()
    assert message.type == "consent.denied" and message.error_kind == "final"
    assert "consent record says granted" in (message.error or "")
    assert flow.of("talent.erased") == []
    assert await flow.system.store.db["talents"].count_documents({"_id": talent_id}) == 1
    assert await flow.system.store.db["suppressions"].count_documents({}) == 0

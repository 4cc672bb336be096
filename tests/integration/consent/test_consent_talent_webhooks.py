"""Talent events to the endpoints that chose them, signed, with the talent's data only as far
as their consent allows; checked against the stored talent, per tenant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from consent_hooks import assert_parked_as_final, deliveries, grant, register, wait_for_delivery
from consent_receiver import Receiver, running_receiver
from consent_system import ADMIN, ConsentSystem, auth

from sourcer.consent.entrypoints import TALENT_WEBHOOKS
from sourcer.proto.consent_api import CONSENT_OUTCOME_EVENTS, TALENT_EVENTS
from sourcer.proto.envelope import Actor, ActorKind, Envelope, Role
from sourcer.proto.events import (
    TalentCreated,
    TalentErased,
    TalentErasureScheduled,
    TalentUpdated,
    event_type_of,
)
from sourcer.runtime.bus import Bus

pytestmark = pytest.mark.integration

PERSONAL = ("Jana", "Novakova", "jana.novakova@example.org", "linkedin.com")


def talent_event(payload: Any, *, tenant: str = "acme") -> Envelope[Any]:
    """An event as the talent service publishes it."""
    return Envelope[Any](
        type=event_type_of(payload),
        tenant_id=tenant,
        correlation_id="req_1",
        actor=Actor(kind=ActorKind.SERVICE, id="talent"),
        payload=payload,
    )


def personal_data_in(body: object) -> list[str]:
    return [value for value in PERSONAL if value in str(body)]


async def test_talent_events_reach_the_endpoints_that_chose_them_with_what_consent_allows(
    hooked: ConsentSystem, receiver: Receiver, bus: Bus
) -> None:
    talent_hook = await register(hooked, receiver, event_types=list(TALENT_EVENTS))
    async with running_receiver() as outcomes:
        outcome_hook = await register(hooked, outcomes)  # no choice: the consent outcomes
        await hooked.add_talent()
        await bus.publish(talent_event(TalentCreated(talent_id="tal_1", request_id="req_1")))
        await bus.publish(
            talent_event(TalentUpdated(talent_id="tal_1", fields=["status", "emails"]))
        )
        await wait_for_delivery(hooked, talent_hook, 2)
        await hooked.container.dispatcher.tick()

        # Before consent: ids, states and the names of what changed, nothing of the person.
        before = {r.body["type"]: r for r in receiver.received}
        assert all(r.verified for r in receiver.received)
        created = before["talent.created"].body["data"]
        assert created == {
            "tenant_id": "acme",
            "event_id": created["event_id"],
            "talent_id": "tal_1",
            "request_id": "req_1",
            "consent_state": "not_requested",
        }
        updated = before["talent.updated"].body["data"]
        assert updated["changed"] == ["emails", "status"] and "talent" not in updated
        assert not personal_data_in([r.body for r in receiver.received])

        # Once granted: the new values of the changed fields.
        await grant(hooked, add=False)
        await wait_for_delivery(hooked, outcome_hook)
        await bus.publish(
            talent_event(TalentUpdated(talent_id="tal_1", fields=["status", "emails"]))
        )
        await wait_for_delivery(hooked, talent_hook, 3)
        await hooked.container.dispatcher.tick()
        after = receiver.received[-1]
        assert after.verified and after.body["type"] == "talent.updated"
        assert after.body["data"]["consent_state"] == "granted"
        assert after.body["data"]["changed"] == ["emails", "status"]
        assert after.body["data"]["talent"] == {
            "emails": ["jana.novakova@example.org"],
            "status": "new",
        }
        # The outcome endpoint chose no talent event; the talent endpoint no consent outcome.
        assert [r.body["type"] for r in outcomes.received] == ["consent.granted"]
        assert all(r.verified for r in outcomes.received)
        assert {r.body["type"] for r in receiver.received} == {"talent.created", "talent.updated"}


async def test_an_unlocked_talent_is_sent_with_its_data_and_redacted_once_erased(
    hooked: ConsentSystem, receiver: Receiver, bus: Bus
) -> None:
    hook = await register(hooked, receiver, event_types=["talent.created", "talent.erased"])
    await hooked.add_talent()
    unlocked = await hooked.client.post(
        "/internal/v1/talents/tal_1/consent/unlock",
        json={"reason": "The talent agreed by phone; written consent follows."},
        headers=ADMIN,
    )
    assert unlocked.status_code == 200, unlocked.text
    await bus.publish(talent_event(TalentCreated(talent_id="tal_1", request_id="req_1")))
    await wait_for_delivery(hooked, hook)
    await hooked.container.dispatcher.tick()
    [created] = receiver.received
    assert created.verified
    assert created.body["data"]["consent_state"] == "unlocked_manually"
    assert created.body["data"]["talent"] == {
        "first_name": "Jana",
        "last_name": "Novakova",
        "emails": ["jana.novakova@example.org"],
        "profile_urls": ["https://www.linkedin.com/in/jana-novakova-4711/"],
        "headline": "Jana Novakova, Backend Engineer",
        "current_position": None,
        "status": "new",
        "preferred_language": "de",
        "pools": [],
    }

    # The talent service erases the talent: tombstone, document gone, then the event.
    await hooked.store.db["talent_erasures"].insert_one(
        {"_id": "acme:tal_1", "tenant_id": "acme", "talent_id": "tal_1", "reason": "retention"}
    )
    await hooked.store.db["talents"].delete_one({"_id": "tal_1", "tenant_id": "acme"})
    erased = TalentErased(
        talent_id="tal_1", reason="retention", request_ids=["req_1"], person_keys=["pk_1"]
    )
    await bus.publish(talent_event(erased))
    await wait_for_delivery(hooked, hook, 2)
    await hooked.container.dispatcher.tick()
    announced = receiver.received[-1]
    assert announced.verified and announced.body["type"] == "talent.erased"
    assert announced.body["data"] == {
        "tenant_id": "acme",
        "event_id": announced.body["data"]["event_id"],
        "talent_id": "tal_1",
        "reason": "retention",
        "consent_state": "unlocked_manually",
    }

    # Nothing of the person is left in the delivery log; a redelivery sends ids and states.
    stored = hooked.store.db["webhook_deliveries"].find({"tenant_id": "acme"})
    bodies = [doc async for doc in stored]
    assert len(bodies) == 2 and not personal_data_in(bodies)
    row = created.headers["webhook-id"]
    redeliver = await hooked.client.post(
        f"/internal/v1/webhooks/{hook}/deliveries/{row}/redeliver", headers=ADMIN
    )
    assert redeliver.status_code == 202
    await hooked.container.dispatcher.tick()
    again = receiver.received[-1]
    assert again.verified and again.headers["webhook-id"] == row
    assert again.body["data"]["consent_state"] == "unlocked_manually"
    assert "talent" not in again.body["data"] and not personal_data_in(again.body)


async def test_the_erasure_reminder_is_fanned_out_without_the_person(
    hooked: ConsentSystem, receiver: Receiver, bus: Bus
) -> None:
    hook = await register(hooked, receiver, event_types=["talent.erasure_scheduled"])
    await hooked.add_talent()
    erase_after = datetime(2027, 2, 1, tzinfo=UTC)
    reminder = TalentErasureScheduled(
        talent_id="tal_1",
        reason="consent_not_requested",
        sourced_by="alice",
        erase_after=erase_after,
    )
    await bus.publish(talent_event(reminder))
    await wait_for_delivery(hooked, hook)
    await hooked.container.dispatcher.tick()
    [received] = receiver.received
    assert received.verified and received.body["type"] == "talent.erasure_scheduled"
    assert received.body["data"] == {
        "tenant_id": "acme",
        "event_id": received.body["data"]["event_id"],
        "talent_id": "tal_1",
        "reason": "consent_not_requested",
        "erase_after": "2027-02-01T00:00:00Z",
        "sourced_by": "alice",
        "consent_state": "not_requested",
    }


async def test_endpoints_choose_event_types_and_unknown_ones_are_refused(
    hooked: ConsentSystem, receiver: Receiver
) -> None:
    client = hooked.client
    for body in (
        {"url": receiver.url, "event_types": ["talent.created", "talent.exploded"]},
        {"url": receiver.url, "event_types": []},
        {"url": receiver.url, "event_types": ["talent.created"], "events": ["talent.created"]},
    ):
        refused = await client.post("/internal/v1/webhooks", json=body, headers=ADMIN)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "webhook_events_invalid"

    endpoint_id = await register(hooked, receiver)
    [listed] = (await client.get("/internal/v1/webhooks", headers=ADMIN)).json()
    assert listed["event_types"] == sorted(CONSENT_OUTCOME_EVENTS)

    path = f"/internal/v1/webhooks/{endpoint_id}"
    unknown = await client.patch(path, json={"event_types": ["consent.maybe"]}, headers=ADMIN)
    assert unknown.status_code == 422 and unknown.json()["code"] == "webhook_events_invalid"
    globex = auth(tenant="globex", role=Role.ADMIN)
    elsewhere = await client.patch(path, json={"event_types": ["talent.erased"]}, headers=globex)
    assert elsewhere.status_code == 404 and elsewhere.json()["code"] == "webhook_not_found"
    recruiter = await client.patch(path, json={"event_types": ["talent.erased"]}, headers=auth())
    assert recruiter.status_code == 403
    changed = await client.patch(
        path, json={"event_types": ["talent.erased", "consent.granted"]}, headers=ADMIN
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["event_types"] == ["consent.granted", "talent.erased"]
    [listed] = (await client.get("/internal/v1/webhooks", headers=ADMIN)).json()
    assert listed["event_types"] == ["consent.granted", "talent.erased"]

    # An endpoint stored before endpoints chose keeps receiving the consent outcomes.
    await hooked.store.db["webhook_endpoints"].update_one(
        {"_id": endpoint_id}, {"$unset": {"events": ""}}
    )
    [listed] = (await client.get("/internal/v1/webhooks", headers=ADMIN)).json()
    assert listed["event_types"] == list(CONSENT_OUTCOME_EVENTS)
    await grant(hooked)
    await wait_for_delivery(hooked, endpoint_id)
    [row] = await deliveries(hooked, endpoint_id)
    assert row["event_type"] == "consent.granted"

    # The former name of the field is still taken.
    legacy = await client.post(
        "/internal/v1/webhooks",
        json={"url": receiver.url, "events": ["consent.denied"]},
        headers=ADMIN,
    )
    assert legacy.status_code == 201, legacy.text
    assert legacy.json()["event_types"] == ["consent.denied"]


async def test_another_tenants_endpoint_gets_nothing_and_forged_tenants_are_parked(
    hooked: ConsentSystem,
    receiver: Receiver,
    bus: Bus,
    amqp_url: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    acme_hook = await register(hooked, receiver, event_types=list(TALENT_EVENTS))
    globex = auth(tenant="globex", role=Role.ADMIN)
    async with running_receiver() as other:
        globex_hook = await register(hooked, other, event_types=list(TALENT_EVENTS), headers=globex)
        await hooked.add_talent()
        fakes = [
            # Another tenant claims acme's talent (its webhooks would learn of them).
            talent_event(TalentCreated(talent_id="tal_1"), tenant="globex"),
            # A talent acme does not have.
            talent_event(TalentUpdated(talent_id="tal_404", fields=["emails"])),
            # An erasure no tombstone of that tenant bears out.
            talent_event(TalentErased(talent_id="tal_1", reason="denied"), tenant="globex"),
        ]
        for envelope in fakes:
            await bus.publish(envelope)
        await bus.publish(talent_event(TalentCreated(talent_id="tal_1")))
        await assert_parked_as_final(amqp_url, TALENT_WEBHOOKS.queue(bus.namespace), fakes)
        await wait_for_delivery(hooked, acme_hook)
        await hooked.container.dispatcher.tick()
        assert other.received == []
        assert await deliveries(hooked, globex_hook, headers=globex) == []
        assert [r.body["type"] for r in receiver.received] == ["talent.created"]
        assert receiver.received[0].verified
        assert receiver.received[0].body["data"]["tenant_id"] == "acme"
    assert capfd.readouterr().out.count("webhooks.talent_event_mismatch") == len(fakes)

"""Signed webhook deliveries to a real receiver; retries on an injected clock; SSRF rules."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from consent_hooks import deliveries, grant, register, wait_for_delivery
from consent_receiver import Receiver
from consent_system import ADMIN, ConsentSystem, asgi_client, auth, build, webhook_store

from sourcer.consent.webhook_rules import SCHEDULE
from sourcer.consent.webhook_store import Outcome
from sourcer.consent.webhooks import WebhookDispatcher
from sourcer.proto.envelope import Actor, ActorKind, Envelope, Role
from sourcer.proto.events import ConsentGranted
from sourcer.runtime.bus import Bus
from sourcer.runtime.store import Store

pytestmark = pytest.mark.integration


async def test_a_consent_outcome_reaches_the_receiver_signed(
    hooked: ConsentSystem, receiver: Receiver
) -> None:
    endpoint_id = await register(hooked, receiver)
    await grant(hooked)
    await wait_for_delivery(hooked, endpoint_id)
    await hooked.container.dispatcher.tick()
    [received] = receiver.received
    assert received.verified
    assert received.body["type"] == "consent.granted"
    assert received.body["data"]["talent_id"] == "tal_1"
    assert "Jana" not in str(received.body)  # ids and states only
    assert received.headers["webhook-id"].startswith("msg_")
    [row] = await deliveries(hooked, endpoint_id)
    assert row["status"] == "delivered"

    # Redelivery sends the same message id again.
    redeliver = await hooked.client.post(
        f"/internal/v1/webhooks/{endpoint_id}/deliveries/{row['id']}/redeliver", headers=ADMIN
    )
    assert redeliver.status_code == 202
    await hooked.container.dispatcher.tick()
    assert [r.headers["webhook-id"] for r in receiver.received] == [row["id"], row["id"]]
    assert all(r.verified for r in receiver.received)


async def test_a_backlog_is_delivered_once_by_two_workers_in_one_tick(
    hooked: ConsentSystem, receiver: Receiver
) -> None:
    # Many claimed batches per worker (the next claimed while the last is being posted),
    # two workers claiming from the same backlog, outcomes recorded by group commit.
    endpoint_id = await register(hooked, receiver)
    first = hooked.container.dispatcher
    first.concurrency = 4
    second = WebhookDispatcher(
        store=webhook_store(hooked.store),
        sender=first.sender,
        clock=hooked.clock,
        concurrency=4,
    )
    count = 160
    for n in range(count):
        outcome = ConsentGranted(
            consent_id=f"con_{n}", talent_id=f"tal_{n}", channel="link", decided_at=hooked.clock()
        )
        envelope = Envelope[ConsentGranted](
            type="consent.granted",
            tenant_id="acme",
            correlation_id=f"con_{n}",
            actor=Actor(kind=ActorKind.SERVICE, id="consent"),
            payload=outcome,
        )
        assert await hooked.container.webhooks.fan_out(envelope) == 1
    made = await asyncio.gather(first.tick(), second.tick())
    assert sum(made) == count
    assert all(made), made  # both took part
    assert all(r.verified for r in receiver.received)
    assert sorted(r.body["data"]["talent_id"] for r in receiver.received) == sorted(
        f"tal_{n}" for n in range(count)
    )
    rows = await hooked.store.db["webhook_deliveries"].count_documents(
        {"endpoint_id": endpoint_id, "status": "delivered", "attempt_count": 1}
    )
    assert rows == count
    assert await first.tick() == 0
    assert await hooked.store.db["webhook_delivery_claims"].count_documents({}) == 0


async def test_outcomes_are_recorded_whole_and_recording_twice_changes_nothing(
    store: Store,
) -> None:
    # More distinct states than FerretDB answers in one update command (100 statements) and
    # more deliveries of one state than one statement names: record_many splits both.
    hooks = webhook_store(store)
    now = datetime.now(UTC)
    ids = [f"msg_{n}" for n in range(260)]
    await store.db["webhook_deliveries"].insert_many(
        [
            {"_id": i, "tenant_id": "acme", "status": "pending", "attempt_count": 0,
             "series_attempts": 0, "next_attempt_at": now}
            for i in ids
        ]
    )  # fmt: skip

    def outcome(n: int) -> Outcome:
        if n % 2:
            state = {"status": "pending", "next_attempt_at": now + timedelta(seconds=n)}
        else:
            state = {"status": "delivered", "next_attempt_at": None}
        attempt = {"at": now, "status_code": 503 if n % 2 else 204, "error": None}
        return Outcome(
            delivery_id=ids[n],
            tenant_id="acme",
            attempts_before=0,
            state={**state, "series_attempts": 1},
            attempt=attempt,
        )

    outcomes = [outcome(n) for n in range(len(ids))]
    await hooks.record_many(outcomes)
    await hooks.record_many(outcomes)  # as after an error part-way through the first

    deliveries = store.db["webhook_deliveries"]
    assert await deliveries.count_documents({"status": "delivered", "attempt_count": 1}) == 130
    retried = [d async for d in deliveries.find({"status": "pending", "attempt_count": 1})]
    assert len(retried) == 130
    assert all(d["next_attempt_at"] > now for d in retried)
    assert await store.db["webhook_delivery_attempts"].count_documents({}) == len(ids)
    assert await store.db["webhook_delivery_claims"].count_documents({}) == 0


async def test_a_replayed_outcome_never_overwrites_a_later_attempt(store: Store) -> None:
    # A write retried after the delivery moved on (its next attempt already recorded) must
    # leave the newer state alone: the update is guarded by the attempt count it was made at.
    hooks = webhook_store(store)
    now = datetime.now(UTC)
    await store.db["webhook_deliveries"].insert_one(
        {"_id": "msg_r", "tenant_id": "acme", "status": "pending", "attempt_count": 0,
         "series_attempts": 0, "next_attempt_at": now}
    )  # fmt: skip
    first = Outcome(
        delivery_id="msg_r",
        tenant_id="acme",
        attempts_before=0,
        state={"status": "pending", "next_attempt_at": now + timedelta(seconds=5)},
        attempt={"at": now, "status_code": 503, "error": None},
    )
    second = Outcome(
        delivery_id="msg_r",
        tenant_id="acme",
        attempts_before=1,
        state={"status": "delivered", "next_attempt_at": None},
        attempt={"at": now, "status_code": 204, "error": None},
    )
    await hooks.record_many([first])
    await hooks.record_many([second])
    await hooks.record_many([first])  # late retry of the first write
    row = await store.db["webhook_deliveries"].find_one({"_id": "msg_r"})
    assert row is not None
    assert (row["status"], row["attempt_count"]) == ("delivered", 2)
    codes = [a["status_code"] async for a in store.db["webhook_delivery_attempts"].find({})]
    assert sorted(codes) == [204, 503]


async def test_the_delivery_log_lists_every_attempt_in_order(
    hooked: ConsentSystem, receiver: Receiver
) -> None:
    endpoint_id = await register(hooked, receiver)
    receiver.script = [(503, {}), (500, {})]
    await grant(hooked)
    await wait_for_delivery(hooked, endpoint_id)
    await hooked.container.dispatcher.tick()
    for seconds in SCHEDULE[1:3]:
        hooked.clock.advance(seconds=seconds)
        await hooked.container.dispatcher.tick()
    [row] = await deliveries(hooked, endpoint_id)
    assert row["status"] == "delivered"
    assert [a["status_code"] for a in row["attempts"]] == [503, 500, 204]  # type: ignore[index]


async def test_each_due_delivery_is_claimed_by_one_worker_until_the_claim_runs_out(
    store: Store,
) -> None:
    now = datetime.now(UTC)
    ids = [f"msg_claim_{n}" for n in range(20)]
    await store.db["webhook_deliveries"].insert_many(
        [{"_id": i, "status": "pending", "attempt_count": 0, "next_attempt_at": now} for i in ids]
    )
    workers = [webhook_store(store), webhook_store(store)]
    lease = timedelta(seconds=60)
    first, second = await asyncio.gather(
        *(w.claim_due(now=now, lease_until=now + lease, limit=50) for w in workers)
    )
    assert sorted(d["_id"] for d in first + second) == sorted(ids)  # each exactly once
    assert await workers[0].claim_due(now=now, lease_until=now + lease, limit=50) == []

    # The claims of a worker that died run out, and the deliveries are taken again.
    later = now + lease + timedelta(seconds=1)
    again = await workers[1].claim_due(now=later, lease_until=later + lease, limit=50)
    assert sorted(d["_id"] for d in again) == sorted(ids)
    delivered = {"status": "delivered", "next_attempt_at": None}
    await workers[1].record_many(
        [Outcome(delivery_id=i, tenant_id="acme", attempts_before=0, state=delivered) for i in ids]
    )
    assert await store.db["webhook_delivery_claims"].count_documents({}) == 0
    assert await workers[0].claim_due(now=later, lease_until=later + lease, limit=50) == []


async def test_retries_follow_the_schedule_and_honour_retry_after(
    hooked: ConsentSystem, receiver: Receiver
) -> None:
    endpoint_id = await register(hooked, receiver)
    receiver.script = [(503, {})] * 2 + [(429, {"Retry-After": "900"})] + [(500, {})] * 10
    await grant(hooked)
    await wait_for_delivery(hooked, endpoint_id)
    start = hooked.clock()
    # Attempts at +0, +5 s, +5 min, +30 min (Retry-After's 15 min is shorter than the
    # schedule's 30 min, so the schedule wins), then +2 h, +5 h, +10 h, +10 h.
    offsets = [0.0]
    for delay in SCHEDULE[1:]:
        offsets.append(offsets[-1] + delay)
    for offset in offsets:
        hooked.clock.now = start + timedelta(seconds=offset) - timedelta(seconds=1)
        await hooked.container.dispatcher.tick()
        before = len(receiver.received)
        hooked.clock.now = start + timedelta(seconds=offset)
        await hooked.container.dispatcher.tick()
        assert len(receiver.received) == before + 1, f"attempt at +{offset}s"
    hooked.clock.advance(days=3)
    await hooked.container.dispatcher.tick()
    assert len(receiver.received) == len(SCHEDULE)
    [row] = await deliveries(hooked, endpoint_id)
    assert row["status"] == "failed"
    assert [a["status_code"] for a in row["attempts"]][:3] == [503, 503, 429]  # type: ignore[index]


async def test_retry_after_longer_than_the_schedule_is_honoured(
    hooked: ConsentSystem, receiver: Receiver
) -> None:
    endpoint_id = await register(hooked, receiver)
    receiver.script = [(503, {"Retry-After": "3600"})]
    await grant(hooked)
    await wait_for_delivery(hooked, endpoint_id)
    await hooked.container.dispatcher.tick()
    hooked.clock.advance(seconds=3599)
    await hooked.container.dispatcher.tick()
    assert len(receiver.received) == 1
    hooked.clock.advance(seconds=1)
    await hooked.container.dispatcher.tick()
    assert len(receiver.received) == 2


async def test_410_gone_disables_the_endpoint(hooked: ConsentSystem, receiver: Receiver) -> None:
    endpoint_id = await register(hooked, receiver)
    receiver.script = [(410, {})]
    await grant(hooked)
    await wait_for_delivery(hooked, endpoint_id)
    await hooked.container.dispatcher.tick()
    [endpoint] = (await hooked.client.get("/internal/v1/webhooks", headers=ADMIN)).json()
    assert endpoint["enabled"] is False and "410" in endpoint["disabled_reason"]
    hooked.clock.advance(hours=1)
    await hooked.container.dispatcher.tick()
    assert len(receiver.received) == 1


async def test_a_worker_error_mid_delivery_leaves_it_to_be_tried_again(
    hooked: ConsentSystem, receiver: Receiver
) -> None:
    endpoint_id = await register(hooked, receiver)
    dispatcher = hooked.container.dispatcher
    real_record = dispatcher.store.record_many
    failures = iter([ConnectionError("store away")] * 5)  # every try of the first write

    async def flaky_record(outcomes: list[Outcome]) -> None:
        error = next(failures, None)
        if error is not None:
            raise error
        await real_record(outcomes)

    dispatcher.store.record_many = flaky_record  # type: ignore[method-assign]
    await grant(hooked)
    await wait_for_delivery(hooked, endpoint_id)
    assert await dispatcher.tick() == 1  # posted; its outcome could not be stored
    assert await dispatcher.tick() == 0  # still claimed: not posted twice meanwhile
    hooked.clock.advance(seconds=dispatcher.lease.total_seconds() + 1)
    assert await dispatcher.tick() == 1  # the claim ran out: tried again
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert len(receiver.received) == 2 and len(ids) == 1  # the same webhook-id both times
    [row] = await deliveries(hooked, endpoint_id)
    assert row["status"] == "delivered"


async def test_webhooks_are_admin_only_per_tenant_and_deletable(
    hooked: ConsentSystem, receiver: Receiver
) -> None:
    body = {"url": receiver.url}
    for role in (Role.RECRUITER, Role.SUPER_RECRUITER):
        response = await hooked.client.post(
            "/internal/v1/webhooks", json=body, headers=auth(role=role)
        )
        assert response.status_code == 403
    endpoint_id = await register(hooked, receiver)
    listed = (await hooked.client.get("/internal/v1/webhooks", headers=ADMIN)).json()
    assert [e["id"] for e in listed] == [endpoint_id] and "secret" not in listed[0]
    other = auth(tenant="globex", role=Role.ADMIN)
    assert (await hooked.client.get("/internal/v1/webhooks", headers=other)).json() == []
    gone = await hooked.client.delete(f"/internal/v1/webhooks/{endpoint_id}", headers=other)
    assert gone.status_code == 404
    deleted = await hooked.client.delete(f"/internal/v1/webhooks/{endpoint_id}", headers=ADMIN)
    assert deleted.status_code == 204
    assert (await hooked.client.get("/internal/v1/webhooks", headers=ADMIN)).json() == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.7/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8080/hook",
        "http://localhost/hook",
        "ftp://example.com/hook",
    ],
)
async def test_private_targets_are_refused(store: Store, bus: Bus, url: str) -> None:
    container, _ = await build(store=store, publisher=bus, webhook_allow_loopback=False)
    async with asgi_client(container) as client:
        response = await client.post("/internal/v1/webhooks", json={"url": url}, headers=ADMIN)
    assert response.status_code == 422
    assert response.json()["code"] in ("webhook_target_forbidden", "webhook_url_invalid")

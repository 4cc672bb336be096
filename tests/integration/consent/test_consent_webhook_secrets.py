"""Webhook signing secrets at rest: sealed under SOURCER_CONSENT_WEBHOOK_SECRETS_KEY, opened
only to sign; secrets an older version stored in clear are sealed; keys rotate."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from consent_receiver import Receiver, running_receiver
from consent_system import ADMIN, WEBHOOK_SECRETS_KEY, asgi_client, build

from sourcer.consent.webhook_store import MongoWebhookStore
from sourcer.consent.webhook_verify import generate_secret
from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import ConsentGranted
from sourcer.runtime.bus import Bus
from sourcer.runtime.crypto import Sealer, new_key
from sourcer.runtime.store import Store

pytestmark = pytest.mark.integration


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as r:
        yield r


def granted(n: int) -> Envelope[ConsentGranted]:
    return Envelope[ConsentGranted](
        type="consent.granted",
        tenant_id="acme",
        correlation_id=f"con_{n}",
        actor=Actor(kind=ActorKind.SERVICE, id="consent"),
        payload=ConsentGranted(
            consent_id=f"con_{n}",
            talent_id=f"tal_{n}",
            channel="link",
            decided_at=datetime.now(UTC),
        ),
    )


async def test_a_secret_is_stored_sealed_and_still_signs(
    store: Store, bus: Bus, receiver: Receiver
) -> None:
    container, clock = await build(store=store, publisher=bus)
    async with asgi_client(container) as client:
        response = await client.post(
            "/internal/v1/webhooks", json={"url": receiver.url}, headers=ADMIN
        )
    assert response.status_code == 201, response.text
    secret = response.json()["secret"]
    receiver.secret, receiver.now = secret, lambda: clock().timestamp()
    [doc] = await store.db["webhook_endpoints"].find({}).to_list()
    assert "secret" not in doc
    assert secret.encode() not in doc["secret_sealed"]
    assert secret.removeprefix("whsec_").encode() not in doc["secret_sealed"]
    await container.webhooks.fan_out(granted(1))
    await container.dispatcher.tick()
    assert [r.verified for r in receiver.received] == [True]


async def test_a_secret_stored_in_clear_is_sealed_when_first_used(
    store: Store, bus: Bus, receiver: Receiver
) -> None:
    container, clock = await build(store=store, publisher=bus)
    receiver.secret, receiver.now = generate_secret(), lambda: clock().timestamp()
    await store.db["webhook_endpoints"].insert_one(
        {"_id": "whe_old", "tenant_id": "acme", "url": receiver.url, "enabled": True,
         "events": ["consent.granted"], "secret": receiver.secret}
    )  # fmt: skip
    await container.webhooks.fan_out(granted(1))
    await container.dispatcher.tick()
    assert [r.verified for r in receiver.received] == [True]
    doc = await store.db["webhook_endpoints"].find_one({"_id": "whe_old"})
    assert doc is not None and "secret" not in doc and doc["secret_sealed"]
    await container.webhooks.fan_out(granted(2))
    await container.dispatcher.tick()  # now opened from the sealed copy
    assert [r.verified for r in receiver.received] == [True, True]


async def test_reseal_seals_clear_secrets_and_moves_all_to_a_new_key(store: Store) -> None:
    old = MongoWebhookStore(store, sealer=Sealer(WEBHOOK_SECRETS_KEY))
    sealed, clear = generate_secret(), generate_secret()
    await old.add_endpoint({"_id": "whe_a", "tenant_id": "acme", "secret": sealed})
    await store.db["webhook_endpoints"].insert_one(
        {"_id": "whe_b", "tenant_id": "acme", "secret": clear}
    )
    key = new_key()
    rotating = MongoWebhookStore(store, sealer=Sealer(key, previous=(WEBHOOK_SECRETS_KEY,)))
    assert await rotating.reseal() == 2
    assert await store.db["webhook_endpoints"].count_documents({"secret": {"$exists": True}}) == 0
    new_only = MongoWebhookStore(store, sealer=Sealer(key))  # the old key dropped
    opened = await new_only.endpoints_by_id(["whe_a", "whe_b"])
    assert (opened["whe_a"]["secret"], opened["whe_b"]["secret"]) == (sealed, clear)


async def test_a_secret_no_key_opens_fails_its_deliveries_only(
    store: Store, bus: Bus, receiver: Receiver
) -> None:
    container, clock = await build(store=store, publisher=bus)
    receiver.secret, receiver.now = generate_secret(), lambda: clock().timestamp()
    stranger = MongoWebhookStore(store, sealer=Sealer(new_key()))  # sealed under another key
    await stranger.add_endpoint(
        {"_id": "whe_lost", "tenant_id": "acme", "url": receiver.url, "enabled": True,
         "events": ["consent.granted"], "secret": generate_secret()}
    )  # fmt: skip
    await container.webhooks.store.add_endpoint(
        {"_id": "whe_ok", "tenant_id": "acme", "url": receiver.url, "enabled": True,
         "events": ["consent.granted"], "secret": receiver.secret}
    )  # fmt: skip
    await container.webhooks.fan_out(granted(1))
    await container.dispatcher.tick()
    assert [r.verified for r in receiver.received] == [True]
    lost = await store.db["webhook_deliveries"].find_one({"endpoint_id": "whe_lost"})
    assert lost is not None and lost["attempt_count"] == 1
    [attempt] = (
        await store.db["webhook_delivery_attempts"].find({"delivery_id": lost["_id"]}).to_list()
    )
    assert attempt["error"] == "delivery_error"


async def test_a_sealed_secret_copied_to_another_endpoint_does_not_open(store: Store) -> None:
    hooks = MongoWebhookStore(store, sealer=Sealer(WEBHOOK_SECRETS_KEY))
    await hooks.add_endpoint({"_id": "whe_a", "tenant_id": "acme", "secret": generate_secret()})
    await hooks.add_endpoint({"_id": "whe_b", "tenant_id": "globex", "secret": generate_secret()})
    a = await store.db["webhook_endpoints"].find_one({"_id": "whe_a"})
    assert a is not None
    await store.db["webhook_endpoints"].update_one(
        {"_id": "whe_b"}, {"$set": {"secret_sealed": a["secret_sealed"]}}
    )
    opened = await hooks.endpoints_by_id(["whe_b"])
    assert "secret" not in opened["whe_b"]


async def test_the_reseal_command_seals_what_an_older_version_left_in_clear(store: Store) -> None:
    clear = generate_secret()
    await store.db["webhook_endpoints"].insert_one(
        {"_id": "whe_old", "tenant_id": "acme", "secret": clear}
    )
    env = {
        **os.environ,
        "MONGODB_DB": store.db.name,
        "SOURCER_CONSENT_SECRET_KEY": "consent-test-key",
        "SOURCER_CONSENT_WEBHOOK_SECRETS_KEY": WEBHOOK_SECRETS_KEY,
    }
    command = [sys.executable, "-m", "sourcer.consent.cli", "webhooks", "reseal"]
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert out.decode().strip() == "re-sealed 1 webhook secret(s)"
    doc = await store.db["webhook_endpoints"].find_one({"_id": "whe_old"})
    assert doc is not None and "secret" not in doc
    opened = await MongoWebhookStore(store, sealer=Sealer(WEBHOOK_SECRETS_KEY)).endpoints_by_id(
        ["whe_old"]
    )
    assert opened["whe_old"]["secret"] == clear

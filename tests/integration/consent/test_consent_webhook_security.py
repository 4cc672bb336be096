"""Webhooks against customers' hosts: the target rules at the API, one connection pool per host
name, coarse errors in the tenant's log, and deliveries that end whatever fails."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from consent_receiver import running_tls_receiver, throwaway_certificates
from consent_system import ADMIN, asgi_client, auth, build, free_port

from sourcer.consent.container import Container
from sourcer.consent.webhook_rules import SCHEDULE, TargetPolicy
from sourcer.consent.webhook_sender import HttpxSender
from sourcer.proto.envelope import Actor, ActorKind, Envelope, Role
from sourcer.proto.events import ConsentGranted
from sourcer.runtime.bus import Bus
from sourcer.runtime.store import Store

pytestmark = pytest.mark.integration


class OneAddress:
    """DNS that answers every name with one address, as for hosts sharing a server or CDN."""

    def __init__(self, address: str) -> None:
        self.address = address

    async def resolve(self, host: str, port: int) -> list[str]:
        return [self.address]


def granted(tenant: str, n: int) -> Envelope[ConsentGranted]:
    return Envelope[ConsentGranted](
        type="consent.granted",
        tenant_id=tenant,
        correlation_id=f"con_{tenant}_{n}",
        actor=Actor(kind=ActorKind.SERVICE, id="consent"),
        payload=ConsentGranted(
            consent_id=f"con_{tenant}_{n}",
            talent_id=f"tal_{n}",
            channel="link",
            decided_at=datetime.now(UTC),
        ),
    )


async def register(client: Any, url: str, headers: dict[str, str]) -> str:
    response = await client.post("/internal/v1/webhooks", json={"url": url}, headers=headers)
    assert response.status_code == 201, response.text
    endpoint_id: str = response.json()["id"]
    return endpoint_id


async def attempts(client: Any, endpoint_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/internal/v1/webhooks/{endpoint_id}/deliveries", headers=ADMIN)
    assert response.status_code == 200, response.text
    [row] = response.json()
    found: list[dict[str, Any]] = row["attempts"]
    return found


async def test_a_kept_alive_connection_carries_only_the_host_it_was_opened_for(
    store: Store, bus: Bus, tmp_path: Path
) -> None:
    # Two tenants' hosts on one address. Connections are kept alive between deliveries, but
    # one opened (and its certificate checked) for a.test must never carry b.test's.
    ca, cert, key = throwaway_certificates(["a.test", "b.test"], tmp_path)
    async with running_tls_receiver(cert, key) as tls:
        resolver = OneAddress("127.0.0.1")
        sender = HttpxSender(
            timeout=5.0,
            policy=TargetPolicy(ports=frozenset({tls.port}), allow_loopback=True),
            resolver=resolver,
            verify=ssl.create_default_context(cafile=ca),
        )
        container, _ = await build(
            store=store,
            publisher=bus,
            adapters={"sender": sender, "resolver": resolver},
            webhook_mode="production",
            webhook_ports=[tls.port],
        )
        globex = auth(tenant="globex", sub="gil", role=Role.ADMIN)
        async with asgi_client(container) as client:
            await register(client, f"https://a.test:{tls.port}/hook", ADMIN)
            await register(client, f"https://b.test:{tls.port}/hook", globex)
        for n in range(4):
            for tenant in ("acme", "globex"):
                await container.webhooks.fan_out(granted(tenant, n))
        container.dispatcher.concurrency = 1  # one after the other: reuse is possible
        assert await container.dispatcher.tick() == 8
        await sender.close()
    delivered = await store.db["webhook_deliveries"].count_documents({"status": "delivered"})
    assert delivered == 8
    assert {c.sni for c in tls.connections} == {"a.test", "b.test"}
    assert len(tls.connections) < 8  # connections were kept alive and reused
    for connection in tls.connections:
        assert set(connection.hosts) <= {f"{connection.sni}:{tls.port}"}, connection


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hooks.example.com/in", "webhook_https_required"),
        ("https://hooks.example.com:22/in", "webhook_port_forbidden"),
        ("https://hooks.example.com:6379/in", "webhook_port_forbidden"),
        ("ftp://hooks.example.com/in", "webhook_url_invalid"),
        ("https://\U0001f600.example/in", "webhook_url_invalid"),  # no IDNA form
        ("https://" + "a" * 64 + ".example/in", "webhook_url_invalid"),  # label too long
        ("https://hooks.example.com:99999/in", "webhook_url_invalid"),
        ("https://[2002:a00:1::1]/in", "webhook_target_forbidden"),  # 6to4 of 10.0.0.1
        ("https://[fec0::1]/in", "webhook_target_forbidden"),  # site-local
    ],
)
async def test_production_refuses_urls_it_would_not_deliver_to(
    store: Store, bus: Bus, url: str, code: str
) -> None:
    container, _ = await build(
        store=store,
        publisher=bus,
        adapters={"resolver": OneAddress("93.184.216.34")},
        webhook_mode="production",
        webhook_allow_loopback=False,
    )
    async with asgi_client(container) as client:
        response = await client.post("/internal/v1/webhooks", json={"url": url}, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


async def test_the_tenant_log_shows_a_category_not_the_error_or_its_timing(
    store: Store, bus: Bus
) -> None:
    container, _ = await build(store=store, publisher=bus)
    async with asgi_client(container) as client:
        endpoint_id = await register(client, f"http://127.0.0.1:{free_port()}/hook", ADMIN)
        await container.webhooks.fan_out(granted("acme", 1))
        await container.dispatcher.tick()
        [attempt] = await attempts(client, endpoint_id)
    assert attempt["error"] == "connect_failed"
    assert attempt["status_code"] is None
    assert "duration_ms" not in attempt


async def legacy_endpoint(container: Container, store: Store, **fields: Any) -> None:
    """An endpoint stored before today's rules, as an upgrade finds it."""
    doc = {
        "_id": "whe_legacy",
        "tenant_id": "acme",
        "url": "https://hooks.example.com/in",
        "events": ["consent.granted"],
        "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "enabled": True,
        **fields,
    }
    await store.db["webhook_endpoints"].insert_one(doc)
    await container.webhooks.fan_out(granted("acme", 1))


@pytest.mark.parametrize(
    "fields",
    [
        {"url": "https://" + "a" * 64 + ".example/in"},  # raised UnicodeError when resolved
        {"url": "https://b\u00fccher.example/in"},  # an IDN: resolved in its ASCII form
        {"secret": "whsec_not base64!"},  # signing fails
    ],
)
async def test_a_delivery_ends_after_the_last_attempt_whatever_fails(
    store: Store, bus: Bus, fields: dict[str, Any]
) -> None:
    container, clock = await build(store=store, publisher=bus)
    await legacy_endpoint(container, store, **fields)
    for _ in range(len(SCHEDULE) + 2):
        await container.dispatcher.tick()
        # Past both the next attempt and any claim a failed turn could have left behind.
        clock.advance(seconds=max(SCHEDULE) * 1.2 + container.dispatcher.lease.total_seconds())
    delivery = await store.db["webhook_deliveries"].find_one({"endpoint_id": "whe_legacy"})
    assert delivery is not None
    assert (delivery["status"], delivery["attempt_count"]) == ("failed", len(SCHEDULE))
    assert await store.db["webhook_delivery_claims"].count_documents({}) == 0

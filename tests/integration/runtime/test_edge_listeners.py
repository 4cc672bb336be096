"""The HTTP edge of real services on real sockets (uvicorn in this process, real store and bus).

Each service has a public listener (the gateway's API, the consent landing page) and an internal
one (internal API, /readyz, /metrics); a caller without a valid token is answered 401 before its
body is read, and an oversized body gets 413 without being read whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from support import delete_topology

from sourcer.consent.bootstrap import SERVICE as CONSENT
from sourcer.consent.settings import ConsentSettings
from sourcer.gateway.bootstrap import SERVICE as GATEWAY
from sourcer.gateway.settings import GatewaySettings
from sourcer.proto.envelope import Role
from sourcer.runtime.auth import AuthSettings, mint_token
from sourcer.runtime.crypto import new_key
from sourcer.runtime.service import RunningService, running

pytestmark = pytest.mark.integration

SECRET = "edge-listeners-secret-0123456789abcdef"
AUTH = AuthSettings(mode="development", jwt_secret=SECRET)
TOKEN = mint_token(secret=SECRET, sub="alice", tenant="acme", role=Role.ADMIN)
GATEWAY_MAX_BODY = 1000
# A server that reads the body it was promised would wait here for bytes that never come.
NO_ANSWER_AFTER = 10.0


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


async def exchange(port: int, head: str, *parts: bytes) -> Answer:
    """Send a request head and some body bytes, then read the answer without sending more."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.replace("\n", "\r\n").encode() + b"\r\n")
        for part in parts:
            writer.write(part)
        await writer.drain()
        raw = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), NO_ANSWER_AFTER)
        status_line, *lines = raw.decode("latin-1").split("\r\n")
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in lines if line)
        }
        length = int(headers.get("content-length", "0"))
        body = await asyncio.wait_for(reader.readexactly(length), NO_ANSWER_AFTER)
        return Answer(int(status_line.split()[1]), headers, body)
    finally:
        writer.close()


@pytest.fixture
async def gateway(
    amqp_url: str, mongodb_url: str, db_name: str, namespace: str
) -> AsyncIterator[RunningService[Any]]:
    settings = GatewaySettings(
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        mongodb_db=db_name,
        bus_namespace=namespace,
        http_port=0,
        internal_port=0,
        max_body_bytes=GATEWAY_MAX_BODY,
    )
    async with running(GATEWAY, settings, auth=AUTH, consume=False) as service:
        yield service
        await service.infra.store.client.drop_database(db_name)
    await delete_topology(amqp_url, namespace, set())


@pytest.fixture
async def consent(
    amqp_url: str, mongodb_url: str, db_name: str, namespace: str
) -> AsyncIterator[RunningService[Any]]:
    settings = ConsentSettings(
        secret_key="edge-listeners-consent-key",
        webhook_secrets_key=new_key(),
        public_base_url="https://consent.test",
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        mongodb_db=db_name,
        bus_namespace=namespace,
        http_port=0,
        internal_port=0,
    )
    async with running(CONSENT, settings, auth=AUTH, run_jobs=False) as service:
        queues = service.infra.bus.declared_queues()
        yield service
        await service.infra.store.client.drop_database(db_name)
    await delete_topology(amqp_url, namespace, queues)


async def test_the_gateway_keeps_ops_routes_off_its_public_listener(
    gateway: RunningService[Any],
) -> None:
    public = f"http://127.0.0.1:{gateway.port}"
    internal = f"http://127.0.0.1:{gateway.internal_port}"
    assert gateway.port != gateway.internal_port
    async with httpx.AsyncClient() as http:
        for path in ("/metrics", "/readyz"):
            refused = await http.get(public + path, headers={"Authorization": f"Bearer {TOKEN}"})
            assert refused.status_code == 404, path
            assert refused.json()["code"] == "not_found"
        assert (await http.get(public + "/healthz")).json() == {"status": "ok"}
        assert (await http.get(public + "/openapi.json")).status_code == 200
        metrics = await http.get(internal + "/metrics")
        assert metrics.status_code == 200
        assert "sourcer_events_published_total" in metrics.text
        ready = await http.get(internal + "/readyz")
        assert ready.json()["checks"] == {"broker": True, "store": True}
        # The API is public only: nothing of it on the internal listener.
        api_on_internal = await http.get(
            internal + "/v1/talents/tal_1", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert api_on_internal.status_code == 404


async def test_consent_serves_only_the_landing_page_publicly(
    consent: RunningService[Any],
) -> None:
    public = f"http://127.0.0.1:{consent.port}"
    internal = f"http://127.0.0.1:{consent.internal_port}"
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient() as http:
        for path in (
            "/metrics",
            "/readyz",
            "/internal/v1/webhooks",
            "/internal/v1/consent/controller",
        ):
            refused = await http.get(public + path, headers=bearer)
            assert refused.status_code == 404, path
        created = await http.post(
            public + "/internal/v1/webhooks", json={"url": "https://hooks.example/"}, headers=bearer
        )
        assert created.status_code in (404, 405)
        page = await http.get(public + "/c/" + "A" * 43)
        assert page.status_code == 404  # an unknown token's page, from the landing route
        assert "text/html" in page.headers["content-type"]
        assert (await http.get(internal + "/metrics")).status_code == 200
        assert (await http.get(internal + "/readyz")).status_code == 200
        hooks = await http.get(internal + "/internal/v1/webhooks", headers=bearer)
        assert (hooks.status_code, hooks.json()) == (200, [])
        # The landing page is public only.
        assert (await http.get(internal + "/c/" + "A" * 43, headers=bearer)).status_code == 404


async def test_no_token_is_401_before_the_body_is_read(gateway: RunningService[Any]) -> None:
    # 600 bytes promised (under the limit), 10 sent: only an answer that does not wait for the
    # body arrives.
    for authorization in ("", "Authorization: Bearer not-a-token\n"):
        answer = await exchange(
            gateway.port,
            "POST /v1/sourcing-requests HTTP/1.1\nHost: gw\nContent-Type: application/json\n"
            f"{authorization}Content-Length: 600\n",
            b'{"url": "h',
        )
        assert answer.status == 401
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["www-authenticate"] == "Bearer"


async def test_no_token_is_401_on_the_internal_api_before_the_body_is_read(
    consent: RunningService[Any],
) -> None:
    answer = await exchange(
        consent.internal_port,
        "POST /internal/v1/webhooks HTTP/1.1\nHost: consent\nContent-Type: application/json\n"
        "Content-Length: 600\n",
        b'{"url": ',
    )
    assert answer.status == 401
    assert answer.headers["content-type"] == "application/problem+json"


async def test_an_oversized_body_is_413_without_being_read(gateway: RunningService[Any]) -> None:
    declared = await exchange(
        gateway.port,
        "POST /v1/sourcing-requests HTTP/1.1\nHost: gw\nContent-Type: application/json\n"
        f"Authorization: Bearer {TOKEN}\nContent-Length: 50000000\n",
        b'{"url": "',
    )
    assert declared.status == 413
    assert declared.headers["content-type"] == "application/problem+json"
    assert b'"code":"body_too_large"' in declared.body
    # Chunked, no length: refused once the limit is passed, the rest never sent.
    chunk = b"x" * 400
    chunked = await exchange(
        gateway.port,
        "POST /v1/sourcing-requests HTTP/1.1\nHost: gw\nContent-Type: application/json\n"
        f"Authorization: Bearer {TOKEN}\nTransfer-Encoding: chunked\n",
        *([f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"] * 3),
    )
    assert chunked.status == 413
    assert b'"code":"body_too_large"' in chunked.body


async def test_every_consent_listener_limits_bodies(consent: RunningService[Any]) -> None:
    page = await exchange(
        consent.port,
        f"POST /c/{'A' * 43} HTTP/1.1\nHost: consent\n"
        "Content-Type: application/x-www-form-urlencoded\nContent-Length: 50000000\n",
        b"decision=",
    )
    internal = await exchange(
        consent.internal_port,
        "POST /internal/v1/webhooks HTTP/1.1\nHost: consent\nContent-Type: application/json\n"
        f"Authorization: Bearer {TOKEN}\nContent-Length: 50000000\n",
        b'{"url": ',
    )
    ops = await exchange(
        consent.internal_port,
        "POST /metrics HTTP/1.1\nHost: consent\nContent-Length: 50000000\n",
        b"x",
    )
    for answer in (page, internal, ops):
        assert answer.status == 413
        assert b'"code":"body_too_large"' in answer.body

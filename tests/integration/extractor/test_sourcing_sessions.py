"""A recruiter's own session through the public API, and a request that always ends: connect,
source, disconnect; an expired session; waiting past the bound; a parked job; cancelling.

The gateway, the talent service and the extractor run in this process as the runtime runs
them, on a real broker and store, the extractor rendering the simulator in Chromium.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from extractor_harness import JWT_SECRET, Harness, HarnessFactory
from support import delete_topology, eventually

from sourcer.extractor.session_store import session_repository
from sourcer.extractor.sessions import UseOutcome
from sourcer.gateway.bootstrap import SERVICE as GATEWAY
from sourcer.gateway.settings import GatewaySettings
from sourcer.proto.envelope import Role
from sourcer.runtime.auth import AuthSettings, mint_token
from sourcer.runtime.bus import Bus
from sourcer.runtime.service import Infra, running
from sourcer.runtime.store import Store
from sourcer.simulator.scenarios import Scenario
from sourcer.talent.bootstrap import SERVICE as TALENT
from sourcer.talent.settings import TalentSettings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

AUTH = AuthSettings(mode="development", jwt_secret=JWT_SECRET)
JANE = "https://www.linkedin.com/in/jane-doe/"
AIKO = "https://www.linkedin.com/in/aiko/"


def headers(user: str = "alice", tenant: str = "acme") -> dict[str, str]:
    token = mint_token(secret=JWT_SECRET, sub=user, tenant=tenant, role=Role.RECRUITER)
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Api:
    client: httpx.AsyncClient
    harness: Harness

    async def connect(self, account: str, user: str = "alice") -> dict[str, Any]:
        """Log in at the simulator as `account` and connect that login as `user`'s own."""
        async with httpx.AsyncClient(base_url=self.harness.simulator.base_url) as sim:
            login = await sim.get(
                "/_sim/login", params={"account": account, "platform": "linkedin"}
            )
        [cookie] = login.json()["cookies"].values()
        response = await self.client.put(
            "/v1/me/sessions/linkedin", json={"cookie": cookie}, headers=headers(user)
        )
        assert response.status_code == 202, response.text
        assert response.json()["state"] == "validating"
        assert cookie not in response.text  # the secret never comes back
        return await self.session_state(user, until=lambda s: s != "validating")

    async def session_state(
        self, user: str = "alice", *, until: Callable[[str], bool]
    ) -> dict[str, Any]:
        found: dict[str, Any] = {}

        async def reached() -> bool:
            nonlocal found
            body = (await self.client.get("/v1/me/sessions", headers=headers(user))).json()
            found = next(iter(body["items"]), {})
            return bool(found) and until(found["state"])

        await eventually(reached, timeout=60)
        return found

    async def source(self, url: str, user: str = "alice") -> dict[str, Any]:
        response = await self.client.post(
            "/v1/sourcing-requests", json={"url": url}, headers=headers(user)
        )
        assert response.status_code in (200, 202), response.text
        body: dict[str, Any] = response.json()
        return body

    async def wait(self, request_id: str, *statuses: str, user: str = "alice") -> dict[str, Any]:
        latest: dict[str, Any] = {}

        async def reached() -> bool:
            nonlocal latest
            response = await self.client.get(
                f"/v1/sourcing-requests/{request_id}", headers=headers(user)
            )
            latest = response.json()
            return latest["status"] in statuses

        await eventually(reached, timeout=90)
        return latest


@pytest.fixture
async def make_api(
    make_harness: HarnessFactory,
    amqp_url: str,
    mongodb_url: str,
    db_name: str,
    namespace: str,
    store: Store,
    bus: Bus,
) -> AsyncIterator[Callable[..., Awaitable[Api]]]:
    queues: set[str] = set()
    async with contextlib.AsyncExitStack() as stack:

        async def make(**extractor_settings: Any) -> Api:
            harness = await make_harness(**extractor_settings)
            talent_settings = TalentSettings(
                amqp_url=amqp_url, mongodb_url=mongodb_url, mongodb_db=db_name,
                bus_namespace=namespace, suppression_key="sessions-suppression-key",
            )  # fmt: skip
            talent = await stack.enter_async_context(
                running(
                    TALENT,
                    talent_settings,
                    infra=Infra(settings=talent_settings, bus=bus, store=store),
                    listen=False,
                    auth=AUTH,
                )
            )
            gateway_settings = GatewaySettings(
                amqp_url=amqp_url, mongodb_url=mongodb_url, mongodb_db=db_name,
                bus_namespace=namespace, sse_poll_interval=0.05,
            )  # fmt: skip
            gateway = await stack.enter_async_context(
                running(
                    GATEWAY,
                    gateway_settings,
                    listen=False,
                    auth=AUTH,
                    talent_transport=httpx.ASGITransport(app=talent.parts.internal_api),
                    extractor_transport=httpx.ASGITransport(app=harness.extractor_api),
                )
            )
            queues.update(gateway.infra.bus.declared_queues())
            client = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=gateway.parts.api), base_url="http://gw"
                )
            )
            return Api(client=client, harness=harness)

        yield make
    await delete_topology(amqp_url, namespace, queues)


async def test_connect_list_source_disconnect_then_source_fails(
    make_api: Callable[..., Awaitable[Api]],
) -> None:
    api = await make_api()
    session = await api.connect("alice-seat")
    assert session["state"] == "connected" and session["shared"] is False
    assert session["used_today"] == 0 and session["daily_cap"] > 0

    ready = await api.wait((await api.source(JANE))["id"], "ready")
    assert ready["preview"]["profile"]["first_name"] == "Jane"
    listed = await api.session_state(until=lambda s: s == "connected")
    assert listed["used_today"] == 1 and listed["last_used_at"]

    gone = await api.client.delete("/v1/me/sessions/linkedin", headers=headers())
    assert gone.status_code == 204
    assert await api.harness.store.db["platform_sessions"].count_documents({}) == 0
    assert (await api.client.get("/v1/me/sessions", headers=headers())).json()["items"] == []
    failed = await api.wait((await api.source(AIKO))["id"], "failed")
    assert failed["error"]["code"] == "no_session_connected"
    assert "Connect your LinkedIn session" in failed["error"]["message"]


async def test_a_session_that_expired_ends_the_request_and_its_owner_sees_it(
    make_api: Callable[..., Awaitable[Api]],
) -> None:
    api = await make_api()
    await api.connect("alice-seat")
    async with httpx.AsyncClient(base_url=api.harness.simulator.base_url) as sim:
        assert (await sim.post("/_sim/expire", json={"account": "alice-seat"})).is_success
    first = await api.source(JANE)
    failed = await api.wait(first["id"], "failed")
    assert failed["error"]["code"] == "session_expired"
    assert "reconnect your LinkedIn session" in failed["error"]["message"]
    mine = await api.session_state(until=lambda s: s == "expired")
    assert "reconnect" in mine["message"]
    again = await api.source(JANE)  # the URL is free again
    assert again["id"] != first["id"]


async def test_waiting_for_a_session_is_shown_and_bounded(
    make_api: Callable[..., Awaitable[Api]],
) -> None:
    api = await make_api(session_wait_seconds=3.0)
    session = await api.connect("alice-seat")
    sessions = session_repository(api.harness.settings, api.harness.store)
    held = await sessions.claim(session["id"], holder="another-worker", now=datetime.now(UTC))
    assert held is not None
    request = await api.source(JANE)
    queued = await api.wait(request["id"], "queued", "failed")
    while queued["status"] == "queued" and queued["queue_reason"] is None:
        queued = await api.wait(request["id"], "queued")
        await asyncio.sleep(0.1)
    assert queued["queue_reason"] == "waiting_for_session"
    failed = await api.wait(request["id"], "failed")
    assert failed["error"]["code"] == "no_session_available"
    assert failed["error"]["retryable"] is True
    await sessions.release(
        lease=held, now=datetime.now(UTC), outcome=UseOutcome.OK, storage_state=None,
        counted=False,
    )  # fmt: skip
    again = await api.wait((await api.source(JANE))["id"], "ready")
    assert again["id"] != request["id"]


async def test_a_job_the_bus_gives_up_on_still_ends_its_request(
    make_api: Callable[..., Awaitable[Api]],
) -> None:
    # Nothing answers on this port: every page load fails, attempts run out, the job is parked.
    api = await make_api(linkedin_base_url="http://127.0.0.1:9")
    await api.harness.add_account("alice-seat", owner="alice")
    request = await api.source(JANE)
    failed = await api.wait(request["id"], "failed")
    assert failed["error"]["code"] == "extraction_lost"
    assert (await api.source(JANE))["id"] != request["id"]


async def test_cancelling_a_queued_request_skips_its_job(
    make_api: Callable[..., Awaitable[Api]],
) -> None:
    api = await make_api()
    session = await api.connect("alice-seat")
    sessions = session_repository(api.harness.settings, api.harness.store)
    held = await sessions.claim(session["id"], holder="another-worker", now=datetime.now(UTC))
    assert held is not None
    request = await api.source(JANE)
    await api.wait(request["id"], "queued")
    cancelled = await api.client.post(
        f"/v1/sourcing-requests/{request['id']}/cancel", headers=headers()
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    await sessions.release(
        lease=held, now=datetime.now(UTC), outcome=UseOutcome.OK, storage_state=None,
        counted=False,
    )  # fmt: skip
    second = await api.wait((await api.source(JANE))["id"], "ready")
    assert second["id"] != request["id"]
    assert not api.harness.recorder.of("profile.extracted", request["id"])
    assert not api.harness.recorder.of("sourcing.extraction_started", request["id"])


async def test_cancelling_an_extracting_request_abandons_its_job(
    make_api: Callable[..., Awaitable[Api]],
) -> None:
    api = await make_api()
    await api.connect("alice-seat")
    api.harness.simulator.scenarios.set(Scenario.SLOW, slug="jane-doe", seconds=2.0)
    request = await api.source(JANE)
    await api.wait(request["id"], "extracting")
    cancelled = await api.client.post(
        f"/v1/sourcing-requests/{request['id']}/cancel", headers=headers()
    )
    assert cancelled.json()["status"] == "cancelled"

    async def job_over() -> bool:
        logs = await api.harness.store.db["platform_sessions"].find_one({})
        return logs is not None and logs.get("lease") is None

    await eventually(job_over, timeout=60)
    assert not api.harness.recorder.of("profile.extracted", request["id"])
    final = await api.wait(request["id"], "cancelled")
    assert final["status"] == "cancelled"
    ended = await api.client.post(
        f"/v1/sourcing-requests/{request['id']}/cancel", headers=headers()
    )
    assert ended.json()["status"] == "cancelled"  # cancelling twice answers the same
    api.harness.simulator.scenarios.set(None, slug="jane-doe")
    assert (await api.source(JANE))["id"] != request["id"]

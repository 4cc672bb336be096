"""Past its in-flight bound the gateway answers 503 with Retry-After at once and never drops a
connection; an idle keep-alive connection outlives the clients' own idle timeout.

The gateway runs as in production (its bootstrap, real store and bus, a real listener); a few
hundred clients at once each count their answer.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sourcing_system import auth, auth_settings, gateway_settings
from support import delete_topology, observe

from sourcer.gateway.bootstrap import SERVICE as GATEWAY
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.runtime.bus import Bus
from sourcer.runtime.service import RunningService, running

pytestmark = pytest.mark.integration

BOUND = 4
CLIENTS = 300


class HeldExtractor:
    """The extractor's internal API, answering only when released: requests stay in flight."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.calls = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        await self.release.wait()
        return httpx.Response(200, json={"items": [], "shared_pool": False})


@pytest.fixture
def held() -> HeldExtractor:
    return HeldExtractor()


@pytest.fixture
async def start_gateway(
    amqp_url: str, mongodb_url: str, db_name: str, namespace: str, held: HeldExtractor
) -> AsyncIterator[Callable[..., Any]]:
    """Starts the gateway on real ports with the given settings overrides."""
    queues: set[str] = set()

    def start(**overrides: Any) -> Any:
        settings = gateway_settings(
            amqp_url=amqp_url, mongodb_url=mongodb_url, db_name=db_name, namespace=namespace
        ).model_copy(update={"http_port": 0, "internal_port": 0, **overrides})
        return running(
            GATEWAY,
            settings,
            auth=auth_settings(),
            consume=False,
            extractor_transport=httpx.MockTransport(held.handle),
        )

    yield start
    await delete_topology(amqp_url, namespace, queues)


def client(port: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    return httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30, headers=auth()
    )


def tally(answers: list[httpx.Response | BaseException]) -> Counter[str]:
    """Each answer as 2xx, 503 with Retry-After, or what else it was (an error, a dropped
    connection, another status)."""
    counts: Counter[str] = Counter()
    for answer in answers:
        if isinstance(answer, BaseException):
            counts[f"error {type(answer).__name__}"] += 1
        elif 200 <= answer.status_code < 300:
            counts["2xx"] += 1
        elif answer.status_code == 503 and answer.headers.get("retry-after", "").isdigit():
            assert answer.json()["code"] == "overloaded"
            assert answer.headers["content-type"] == "application/problem+json"
            counts["503 retry-after"] += 1
        else:
            counts[f"status {answer.status_code}"] += 1
    return counts


async def test_past_the_bound_every_request_is_answered_503_with_retry_after(
    start_gateway: Callable[..., Any], held: HeldExtractor
) -> None:
    gateway: RunningService[Any]
    async with start_gateway(max_in_flight=BOUND) as gateway, client(gateway.port) as http:
        requests = [asyncio.create_task(http.get("/v1/me/sessions")) for _ in range(CLIENTS)]
        # BOUND requests are held in the extractor call; the others are refused meanwhile.
        refused = 0
        while refused < CLIENTS - BOUND:
            done, _ = await asyncio.wait(requests, return_when=asyncio.FIRST_COMPLETED)
            refused = len(done)
        assert held.calls == BOUND
        held.release.set()
        answers = await asyncio.gather(*requests, return_exceptions=True)
    assert tally(answers) == {"2xx": BOUND, "503 retry-after": CLIENTS - BOUND}


async def test_a_burst_of_sourcing_requests_is_answered_in_full(
    start_gateway: Callable[..., Any], bus: Bus
) -> None:
    async def extractor_stand_in(_: Envelope[Any]) -> None:
        """Takes the commands, so the gateway's mandatory publish has a queue."""

    await observe(bus, "extractor", [SourcingRequested], extractor_stand_in)
    run = uuid.uuid4().hex[:8]
    gateway: RunningService[Any]
    async with (
        start_gateway(max_in_flight=8, rate_limit_burst=10_000) as gateway,
        client(gateway.port) as http,
    ):
        answers = await asyncio.gather(
            *(
                http.post(
                    "/v1/sourcing-requests",
                    json={"url": f"https://www.linkedin.com/in/burst-{run}-{n}/"},
                )
                for n in range(CLIENTS)
            ),
            return_exceptions=True,
        )
    counts = tally(answers)
    assert set(counts) <= {"2xx", "503 retry-after"}, counts
    assert sum(counts.values()) == CLIENTS


async def test_an_idle_connection_outlives_the_clients_idle_timeout(
    start_gateway: Callable[..., Any],
) -> None:
    """httpx (and most pools) drop an idle connection after 5 s; a server closing at the same
    moment races a client reusing it, whose request then meets a reset (httpx.ReadError)."""
    client_idle_expiry = httpx.Limits().keepalive_expiry
    assert client_idle_expiry is not None
    gateway: RunningService[Any]
    async with start_gateway() as gateway:
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        request = b"GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n"
        try:
            writer.write(request)
            assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200")
            await reader.readuntil(b"}")
            await asyncio.sleep(client_idle_expiry + 1)
            writer.write(request)
            again = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            assert again.startswith(b"HTTP/1.1 200")
        finally:
            writer.close()

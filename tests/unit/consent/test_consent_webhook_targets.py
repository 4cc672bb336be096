"""The delivery-time SSRF check: resolve, refuse non-public answers, connect to the address,
one pool of connections per host name."""

from __future__ import annotations

from typing import Any

import httpcore
import pytest

from sourcer.consent.api import tenant_error
from sourcer.consent.webhook_rules import TargetPolicy, UnsafeTargetError
from sourcer.consent.webhook_sender import (
    DELIVERY_ERROR,
    DNS_FAILED,
    HTTP_STATUS,
    TARGET_REFUSED,
    CheckedBackend,
    HttpxSender,
    check_target,
)

pytestmark = pytest.mark.unit

ANSWER = b"HTTP/1.1 204 No Content\r\n\r\n"


class ScriptedResolver:
    """DNS whose answer changes between lookups, like a rebinding attacker's."""

    def __init__(self, *answers: list[str] | BaseException) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    async def resolve(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer


class RecordingStream(httpcore.AsyncMockStream):
    def __init__(self, buffer: list[bytes], written: list[bytes]) -> None:
        super().__init__(buffer)
        self.written = written

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.written.append(buffer)


class RecordingNetwork(httpcore.AsyncNetworkBackend):
    """The sockets under the checks: records each connection and what went over it."""

    def __init__(self, answers_per_connection: int = 10) -> None:
        self.connections: list[tuple[str, int, list[bytes]]] = []
        self.answers = answers_per_connection
        self.answer = ANSWER

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, **kwargs: Any
    ) -> httpcore.AsyncNetworkStream:
        written: list[bytes] = []
        self.connections.append((host, port, written))
        return RecordingStream([self.answer] * self.answers, written)

    async def sleep(self, seconds: float) -> None:
        pass


LOCAL = TargetPolicy(https_only=False, ports=None)


async def test_the_connection_goes_to_the_checked_address() -> None:
    network = RecordingNetwork()
    backend = CheckedBackend(
        resolver=ScriptedResolver(["93.184.216.34"]), allow_loopback=False, inner=network
    )
    await backend.connect_tcp("hooks.example.com", 443)
    assert [(host, port) for host, port, _ in network.connections] == [("93.184.216.34", 443)]


async def test_a_rebound_answer_is_refused_at_delivery_time() -> None:
    resolver = ScriptedResolver(["93.184.216.34"], ["10.0.0.5"])
    await check_target("https://hooks.example.com/", resolver=resolver, policy=TargetPolicy())
    network = RecordingNetwork()
    backend = CheckedBackend(resolver=resolver, allow_loopback=False, inner=network)
    with pytest.raises(UnsafeTargetError):
        await backend.connect_tcp("hooks.example.com", 443)
    assert network.connections == []


async def test_each_host_name_gets_its_own_connections_even_on_one_address() -> None:
    # Two tenants' hosts behind one address: a kept-alive connection opened (and, over TLS,
    # verified) for one must never carry the other's deliveries.
    network = RecordingNetwork()
    sender = HttpxSender(
        timeout=1.0,
        policy=LOCAL,
        resolver=ScriptedResolver(["93.184.216.34"]),
        network=network,
    )
    try:
        for host in ("a.example", "b.example", "a.example", "b.example"):
            result = await sender.send(url=f"http://{host}/hook", body=b"{}", headers={})
            assert result.status_code == 204, result
    finally:
        await sender.close()
    assert len(network.connections) == 2  # kept alive, once per host name
    for _, _, written in network.connections:
        hosts = {
            line for chunk in written for line in chunk.split(b"\r\n") if line.startswith(b"Host:")
        }
        assert len(hosts) == 1, hosts
    assert all(address == "93.184.216.34" for address, _, _ in network.connections)


async def test_the_sender_reports_a_refused_target_without_connecting() -> None:
    network = RecordingNetwork()
    sender = HttpxSender(
        timeout=1.0,
        policy=LOCAL,
        resolver=ScriptedResolver(["169.254.169.254"]),
        network=network,
    )
    try:
        result = await sender.send(url="http://metadata.example/", body=b"{}", headers={})
    finally:
        await sender.close()
    assert (result.status_code, result.error) == (None, TARGET_REFUSED)
    assert network.connections == []


@pytest.mark.parametrize(
    ("url", "resolver", "category"),
    [
        ("http://hooks.example/", ScriptedResolver(OSError("no such host")), DNS_FAILED),
        ("http://hooks.example/", ScriptedResolver(UnicodeError("label too long")), DNS_FAILED),
        ("http://hooks.example/", ScriptedResolver(RuntimeError("resolver bug")), DELIVERY_ERROR),
        ("http://\U0001f600.example/", ScriptedResolver(["93.184.216.34"]), TARGET_REFUSED),
        ("http://" + "a" * 64 + ".example/", ScriptedResolver(["93.184.216.34"]), TARGET_REFUSED),
    ],
)
async def test_every_failure_is_a_result_with_a_coarse_category(
    url: str, resolver: ScriptedResolver, category: str
) -> None:
    sender = HttpxSender(timeout=1.0, policy=LOCAL, resolver=resolver, network=RecordingNetwork())
    try:
        result = await sender.send(url=url, body=b"{}", headers={})
    finally:
        await sender.close()
    assert (result.status_code, result.error) == (None, category)
    assert result.detail  # the exact error, for the operators' log


async def test_an_answer_other_than_2xx_is_an_http_status_error() -> None:
    network = RecordingNetwork()
    network.answer = b"HTTP/1.1 503 Busy\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n"
    sender = HttpxSender(
        timeout=1.0, policy=LOCAL, resolver=ScriptedResolver(["93.184.216.34"]), network=network
    )
    try:
        result = await sender.send(url="http://hooks.example/", body=b"{}", headers={})
    finally:
        await sender.close()
    assert (result.status_code, result.retry_after, result.error) == (503, "30", HTTP_STATUS)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (None, None),
        ("connect_failed", "connect_failed"),
        ("ConnectError: [Errno 111] Connection refused", "delivery_error"),
        ("ReadTimeout: ", "delivery_error"),
        ("webhook_target_forbidden: The URL resolves to a private address.", "target_refused"),
        ("webhook_target_unresolvable: hooks.example does not resolve.", "dns_failed"),
    ],
)
def test_attempts_stored_with_exact_errors_are_shown_as_categories(
    stored: str | None, shown: str | None
) -> None:
    # Attempts logged before errors were categorised still hold the exact text.
    assert tenant_error(stored) == shown

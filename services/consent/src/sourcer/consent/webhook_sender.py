"""HTTP delivery of one signed webhook, with the SSRF checks at the moment of connecting.

Every new connection resolves its host here and goes to a checked address itself, so a DNS
answer that changes between check and connect (DNS rebinding) cannot redirect a delivery to an
internal address. The URL keeps its host name: the connection pool is keyed by it, TLS is
verified for it and the Host header names it, so a kept-alive connection opened for one host
never carries a delivery to another host on the same address. Redirects are not followed.

What the tenant sees of a failed attempt is a coarse category (`ERRORS`); the exact error and
the timing go to the operators' log only, so the delivery log cannot be used to probe hosts
and ports from our network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Protocol

import httpcore
import httpx

from sourcer.consent.webhook_rules import (
    TargetPolicy,
    UnsafeTargetError,
    check_addresses,
    check_host,
    check_url,
)
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

USER_AGENT = "Sourcer-Webhooks/1.0"

# The error categories of an attempt, as the tenant's delivery log shows them.
TARGET_REFUSED = "target_refused"  # the URL or a resolved address breaks the target rules
DNS_FAILED = "dns_failed"
CONNECT_FAILED = "connect_failed"  # refused, unreachable or timed out while connecting
TLS_FAILED = "tls_failed"
TIMEOUT = "timeout"  # connected, no complete answer in time
HTTP_STATUS = "http_status"  # answered, not with a 2xx
DELIVERY_ERROR = "delivery_error"  # anything else
ERRORS = (
    TARGET_REFUSED,
    DNS_FAILED,
    CONNECT_FAILED,
    TLS_FAILED,
    TIMEOUT,
    HTTP_STATUS,
    DELIVERY_ERROR,
)


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    retry_after: str | None
    error: str | None  # one of ERRORS, or None for a 2xx
    duration_ms: int  # for the operators' log only
    detail: str | None = None  # the exact error, for the operators' log only


class Resolver(Protocol):
    async def resolve(self, host: str, port: int) -> list[str]: ...


class SystemResolver:
    async def resolve(self, host: str, port: int) -> list[str]:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
        return sorted({str(info[4][0]) for info in infos})


class Sender(Protocol):
    async def send(self, *, url: str, body: bytes, headers: dict[str, str]) -> SendResult: ...


async def checked_addresses(
    host: str, port: int, *, resolver: Resolver, allow_loopback: bool
) -> list[str]:
    """The addresses of `host`, all of them public (or loopback where allowed)."""
    host = check_host(host)
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = await resolver.resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise UnsafeTargetError(
                "webhook_target_unresolvable", f"{host} does not resolve."
            ) from exc
    return [str(a) for a in check_addresses(addresses, allow_loopback=allow_loopback)]


async def check_target(url: str, *, resolver: Resolver, policy: TargetPolicy) -> None:
    """Everything a delivery to `url` will check, for refusing a bad endpoint up front."""
    target = check_url(url, policy=policy)
    await checked_addresses(
        target.host, target.port, resolver=resolver, allow_loopback=policy.allow_loopback
    )


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """Opens each connection to a checked address of the requested host; the connection pool
    above it keys connections by host name and verifies TLS for that name."""

    def __init__(
        self,
        *,
        resolver: Resolver,
        allow_loopback: bool,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.resolver = resolver
        self.allow_loopback = allow_loopback
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.AsyncNetworkStream:
        lookup = checked_addresses(
            host, port, resolver=self.resolver, allow_loopback=self.allow_loopback
        )
        try:
            addresses = await asyncio.wait_for(lookup, timeout)
        except TimeoutError as exc:
            raise UnsafeTargetError(
                "webhook_target_unresolvable", f"{host} did not resolve in time."
            ) from exc
        return await self.inner.connect_tcp(
            addresses[0],
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,  # type: ignore[arg-type]
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: object = None
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeTargetError("webhook_target_forbidden", "Unix sockets are never a target.")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class CheckedTransport(httpx.AsyncHTTPTransport):
    def __init__(
        self, *, backend: CheckedBackend, verify: ssl.SSLContext | bool, limits: httpx.Limits
    ) -> None:
        super().__init__(verify=verify, limits=limits, trust_env=False)
        # httpx 0.28 takes no network backend, so the pool it built is replaced by the same
        # pool on ours (tests/unit/consent/test_consent_webhook_targets.py holds this).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


def classify(exc: BaseException) -> str:
    if isinstance(exc, UnsafeTargetError):
        return DNS_FAILED if exc.code == "webhook_target_unresolvable" else TARGET_REFUSED
    if isinstance(exc, httpx.ConnectTimeout):
        # A port that drops packets and one that refuses look the same: no port scanning.
        return CONNECT_FAILED
    if isinstance(exc, httpx.TimeoutException):
        return TIMEOUT
    if isinstance(exc, httpx.ConnectError):
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ssl.SSLError):
                return TLS_FAILED
            cause = cause.__cause__ or cause.__context__
        return CONNECT_FAILED
    return DELIVERY_ERROR


class HttpxSender:
    def __init__(
        self,
        *,
        timeout: float,
        policy: TargetPolicy,
        resolver: Resolver | None = None,
        max_connections: int = 100,
        verify: ssl.SSLContext | bool = True,
        network: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        """`verify` and `network` (the sockets under the checks) are for tests."""
        self.policy = policy
        backend = CheckedBackend(
            resolver=resolver or SystemResolver(),
            allow_loopback=policy.allow_loopback,
            inner=network,
        )
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=100)
        self.client = httpx.AsyncClient(
            transport=CheckedTransport(backend=backend, verify=verify, limits=limits),
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,  # never through a proxy from the environment
        )

    async def send(self, *, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        """Never raises: every failure is an attempt with its category."""
        started = time.perf_counter()

        def elapsed() -> int:
            return int((time.perf_counter() - started) * 1000)

        request_headers = {**headers, "content-type": "application/json", "user-agent": USER_AGENT}
        try:
            check_url(url, policy=self.policy)
            response = await self.client.post(url, content=body, headers=request_headers)
        except Exception as exc:
            return SendResult(None, None, classify(exc), elapsed(), repr(exc)[:500])
        if 200 <= response.status_code < 300:
            return SendResult(response.status_code, None, None, elapsed())
        retry_after = response.headers.get("retry-after")
        return SendResult(response.status_code, retry_after, HTTP_STATUS, elapsed())

    async def close(self) -> None:
        await self.client.aclose()

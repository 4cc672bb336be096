"""HTTP delivery of one signed webhook, with the SSRF checks at the moment of sending.

The host is resolved here and the connection goes to the checked address itself (Host header
and TLS SNI keep the name), so a DNS answer that changes between check and connect (DNS
rebinding) cannot redirect a delivery to an internal address. Redirects are not followed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx

from sourcer.consent.webhook_rules import UnsafeTargetError, check_addresses, check_url

USER_AGENT = "Sourcer-Webhooks/1.0"


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    retry_after: str | None
    error: str | None
    duration_ms: int


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


async def safe_target(url: str, *, resolver: Resolver, allow_loopback: bool) -> tuple[str, str]:
    """The URL to connect to (host replaced by a checked address) and the original host."""
    scheme, host, port = check_url(url)
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        try:
            addresses = await resolver.resolve(host, port)
        except OSError as exc:
            raise UnsafeTargetError(
                "webhook_target_unresolvable", f"{host} does not resolve."
            ) from exc
    checked = check_addresses(addresses, allow_loopback=allow_loopback)
    address = checked[0]
    literal = f"[{address}]" if address.version == 6 else str(address)
    parts = urlsplit(url)
    netloc = f"{literal}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, "")), host


class HttpxSender:
    def __init__(
        self,
        *,
        timeout: float,
        allow_loopback: bool,
        resolver: Resolver | None = None,
        max_connections: int = 100,
    ) -> None:
        self.allow_loopback = allow_loopback
        self.resolver = resolver or SystemResolver()
        self.client = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,  # never through a proxy from the environment
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=100),
        )

    async def send(self, *, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        started = time.perf_counter()
        try:
            target, host = await safe_target(
                url, resolver=self.resolver, allow_loopback=self.allow_loopback
            )
        except UnsafeTargetError as exc:
            return SendResult(None, None, f"{exc.code}: {exc}", 0)
        parts = urlsplit(url)
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        request_headers = {
            **headers,
            "host": host_header,
            "content-type": "application/json",
            "user-agent": USER_AGENT,
        }
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        try:
            response = await self.client.post(
                target, content=body, headers=request_headers, extensions=extensions
            )
        except httpx.HTTPError as exc:
            elapsed = int((time.perf_counter() - started) * 1000)
            return SendResult(None, None, f"{type(exc).__name__}: {exc}"[:300], elapsed)
        elapsed = int((time.perf_counter() - started) * 1000)
        return SendResult(response.status_code, response.headers.get("retry-after"), None, elapsed)

    async def close(self) -> None:
        await self.client.aclose()

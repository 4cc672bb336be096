"""Webhook delivery rules as data: the retry schedule, Retry-After, target (SSRF) checks.

Pure code; the sender and the scheduler apply these with a real or an injected clock.
"""

from __future__ import annotations

import ipaddress
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from sourcer.runtime.errors import DomainError

# Standard Webhooks' recommended schedule: delay before attempt 1, 2, ... 8.
SCHEDULE: tuple[float, ...] = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
JITTER = 0.1
MAX_RETRY_AFTER = timedelta(hours=24)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTargetError(DomainError):
    """The target is not an acceptable public https URL; `code` is stable."""


def next_attempt_delay(
    attempts_made: int,
    *,
    retry_after: timedelta | None = None,
    rand: Callable[[], float] = random.random,
) -> timedelta | None:
    """Delay before the next attempt after `attempts_made` attempts; None when exhausted.

    Jitter spreads a burst of retries (±10 %); Retry-After wins when it asks for longer.
    """
    if attempts_made >= len(SCHEDULE):
        return None
    base = SCHEDULE[attempts_made]
    delay = timedelta(seconds=base * (1 + JITTER * (2 * rand() - 1)))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def parse_retry_after(value: str | None, *, now: datetime) -> timedelta | None:
    """Retry-After as delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        # Any number at all may arrive: past nine digits (31 years) it is the cap anyway, and
        # neither int() nor timedelta takes every longer one.
        if len(value) > 9:
            return MAX_RETRY_AFTER
        return min(timedelta(seconds=int(value)), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(timedelta(0), when - now)


# Ranges `ipaddress` calls global on Python 3.11 (or may in another version) that must never
# be a target: 6to4 and Teredo carry an IPv4 address a relay may forward to (a private one
# included), NAT64 prefixes reach IPv4 through a gateway, site-local is a private range in all
# but name, and the rest are documentation, benchmarking, discard or relay ranges.
FORBIDDEN_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "192.88.99.0/24",
        "198.18.0.0/15",
        "2002::/16",
        "2001::/32",
        "fec0::/10",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001:db8::/32",
        "3fff::/20",
        "5f00::/16",
        "::ffff:0:0:0/96",
    )
)
# A host name as DNS knows it after IDNA: labels of letters, digits, hyphens (underscores
# occur in real names), at most 63 characters each.
LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class TargetPolicy:
    """Which URLs a tenant may register and Sourcer posts to. Production: https only, on the
    listed ports. Development (tests, `make dev`): also plain http, any port."""

    https_only: bool = True
    ports: frozenset[int] | None = frozenset({443, 8443})  # None: any port
    allow_loopback: bool = False


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # ASCII (IDNA-encoded), lower case, no trailing dot; or an IP literal
    port: int


def check_url(url: str, *, policy: TargetPolicy) -> Target:
    """The scheme, host and port of an acceptable target URL (before DNS)."""
    if len(url) > 2048:
        raise UnsafeTargetError("webhook_url_invalid", "The URL is too long.")
    try:
        # The same parser (and IDNA encoding) the sender uses, so what passes here is what
        # is connected to.
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise UnsafeTargetError(
            "webhook_url_invalid", "The URL or its host name is invalid."
        ) from exc
    if parsed.scheme not in ("https", "http"):
        raise UnsafeTargetError("webhook_url_invalid", "Only https URLs are accepted.")
    if parsed.scheme == "http" and policy.https_only:
        raise UnsafeTargetError("webhook_https_required", "Only https URLs are accepted.")
    if parsed.userinfo:
        raise UnsafeTargetError("webhook_url_invalid", "URLs with credentials are refused.")
    host = check_host(parsed.raw_host.decode("ascii"))
    default = 443 if parsed.scheme == "https" else 80
    port = default if parsed.port is None else parsed.port
    if not 0 < port < 65536:
        raise UnsafeTargetError("webhook_url_invalid", "The URL's port is invalid.")
    if policy.ports is not None and port not in policy.ports:
        allowed = ", ".join(str(p) for p in sorted(policy.ports))
        raise UnsafeTargetError("webhook_port_forbidden", f"Only ports {allowed} are accepted.")
    return Target(parsed.scheme, host, port)


def check_host(host: str) -> str:
    """The host in the form it is resolved and connected by; refuses what DNS cannot carry."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    name = host.lower().removesuffix(".")
    labels = name.split(".")
    if not name or len(name) > 253 or not all(LABEL.match(label) for label in labels):
        raise UnsafeTargetError("webhook_url_invalid", "The URL's host name is invalid.")
    return name


def parse_address(value: str) -> Address:
    return ipaddress.ip_address(value.split("%", 1)[0])


def check_addresses(addresses: Iterable[str], *, allow_loopback: bool) -> list[Address]:
    """Refuse targets resolving to any non-public address; every resolved address counts,
    because an attacker's DNS can answer differently on the next lookup."""
    parsed = [parse_address(a) for a in addresses]
    if not parsed:
        raise UnsafeTargetError("webhook_target_unresolvable", "The host does not resolve.")
    for address in parsed:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if address.is_loopback and allow_loopback:
            continue
        if not is_public(address):
            raise UnsafeTargetError(
                "webhook_target_forbidden",
                "The URL resolves to a private, loopback, link-local or reserved address.",
            )
    return parsed


def is_public(address: Address) -> bool:
    return (
        address.is_global
        and not (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
        )
        and not any(address in network for network in FORBIDDEN_NETWORKS)
    )

"""Webhook delivery rules as data: the retry schedule, Retry-After, SSRF address checks.

Pure code; the sender and the scheduler apply these with a real or an injected clock.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from sourcer.runtime.errors import DomainError

# Standard Webhooks' recommended schedule: delay before attempt 1, 2, ... 8.
SCHEDULE: tuple[float, ...] = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
JITTER = 0.1
MAX_RETRY_AFTER = timedelta(hours=24)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTargetError(DomainError):
    """The target is not a public http(s) address; `code` is stable."""


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


def check_url(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an acceptable target URL (before DNS)."""
    if len(url) > 2048:
        raise UnsafeTargetError("webhook_url_invalid", "The URL is too long.")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http"):
        raise UnsafeTargetError("webhook_url_invalid", "Only http and https URLs are accepted.")
    if parts.username or parts.password:
        raise UnsafeTargetError("webhook_url_invalid", "URLs with credentials are refused.")
    host = parts.hostname
    if not host:
        raise UnsafeTargetError("webhook_url_invalid", "The URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeTargetError("webhook_url_invalid", "The URL's port is invalid.") from exc
    return parts.scheme, host, port


def check_addresses(addresses: Iterable[str], *, allow_loopback: bool) -> list[Address]:
    """Refuse targets resolving to any non-public address; every resolved address counts,
    because an attacker's DNS can answer differently on the next lookup."""
    parsed = [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
    if not parsed:
        raise UnsafeTargetError("webhook_target_unresolvable", "The host does not resolve.")
    for address in parsed:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if address.is_loopback and allow_loopback:
            continue
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
            or not address.is_global
        ):
            raise UnsafeTargetError(
                "webhook_target_forbidden",
                "The URL resolves to a private, loopback, link-local or reserved address.",
            )
    return parsed

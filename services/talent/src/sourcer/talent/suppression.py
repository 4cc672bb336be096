"""Suppression entries: who declined, remembered without keeping their personal data.

An entry holds only a keyed hash of one identifier (platform profile id, profile URL or email),
so an erased person cannot be read back from it, but sourcing them again is recognised.
"""

from __future__ import annotations

import hashlib
import hmac
from enum import StrEnum


class IdentifierKind(StrEnum):
    PROFILE_ID = "profile_id"
    PROFILE_URL = "profile_url"
    EMAIL = "email"


def normalize(kind: IdentifierKind, value: str) -> str:
    value = value.strip()
    if kind is IdentifierKind.EMAIL:
        return value.lower()
    if kind is IdentifierKind.PROFILE_URL:
        return value.rstrip("/").lower()
    return value.lower()


def suppression_hash(*, key: bytes, tenant_id: str, kind: IdentifierKind, value: str) -> str:
    """HMAC-SHA256 with a service secret: a plain hash of an email could be brute-forced."""
    message = f"{tenant_id}\x1f{kind.value}\x1f{normalize(kind, value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def suppression_id(*, key: bytes, tenant_id: str, kind: IdentifierKind, value: str) -> str:
    """Document `_id` of the entry, so writing it twice is an upsert, never a duplicate."""
    return suppression_hash(key=key, tenant_id=tenant_id, kind=kind, value=value)

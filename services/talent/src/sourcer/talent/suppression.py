"""Suppression entries: who declined, remembered without keeping their personal data.

An entry holds only a keyed hash of one identifier (platform profile, profile URL or email),
so an erased person cannot be read back from it, but sourcing them again is recognised.

A profile is identified by its platform *and* its profile id: `john-smith` on LinkedIn and
`john-smith` on Xing are different people. Entries written before the platform was part of the
hash have the kind `profile_id` (`LEGACY_PROFILE_ID`); they are no longer looked up, and kept:
each of them was written together with a `profile_url` entry for the same source, and the
canonical URL names the platform, so the person stays suppressed on the platform they declined
on, and nobody else is.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

LEGACY_PROFILE_ID = "profile_id"


class IdentifierKind(StrEnum):
    PLATFORM_PROFILE = "platform_profile"
    PROFILE_URL = "profile_url"
    EMAIL = "email"


def normalize(kind: IdentifierKind, value: str) -> str:
    value = value.strip()
    if kind is IdentifierKind.EMAIL:
        return value.lower()
    if kind is IdentifierKind.PROFILE_URL:
        return value.rstrip("/").lower()
    return value.lower()


def platform_profile(*, platform: str, profile_id: str) -> str:
    """The value hashed for a platform profile: `linkedin:john-smith`."""
    return f"{platform.strip().lower()}:{profile_id.strip()}"


def suppression_hash(*, key: bytes, tenant_id: str, kind: IdentifierKind, value: str) -> str:
    """HMAC-SHA256 with a service secret: a plain hash of an email could be brute-forced."""
    message = f"{tenant_id}\x1f{kind.value}\x1f{normalize(kind, value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def suppression_id(*, key: bytes, tenant_id: str, kind: IdentifierKind, value: str) -> str:
    """Document `_id` of the entry, so writing it twice is an upsert, never a duplicate."""
    return suppression_hash(key=key, tenant_id=tenant_id, kind=kind, value=value)


def identifiers(
    *, sources: Iterable[Mapping[str, Any]], emails: Iterable[str]
) -> list[tuple[IdentifierKind, str]]:
    """What a person is suppressed by: each source's platform profile and URL, each email.
    One definition for writing entries and for looking them up, so the two cannot drift."""
    pairs: list[tuple[IdentifierKind, str]] = []
    for source in sources:
        platform = str(source["platform"])
        pairs.append(
            (
                IdentifierKind.PLATFORM_PROFILE,
                platform_profile(platform=platform, profile_id=source["profile_id"]),
            )
        )
        pairs.append((IdentifierKind.PROFILE_URL, source["profile_url"]))
    pairs.extend((IdentifierKind.EMAIL, email) for email in emails)
    return pairs


def suppression_ids(
    *, key: bytes, tenant_id: str, sources: Iterable[Mapping[str, Any]], emails: Iterable[str]
) -> list[str]:
    return [
        suppression_id(key=key, tenant_id=tenant_id, kind=kind, value=value)
        for kind, value in identifiers(sources=sources, emails=emails)
    ]


def suppression_entries(
    *, key: bytes, tenant_id: str, talent: Mapping[str, Any], reason: str, at: datetime
) -> list[dict[str, Any]]:
    """Entries holding only a keyed hash, the kind and why: nothing readable of the person."""
    pairs = identifiers(sources=talent.get("sources", []), emails=talent.get("emails") or [])
    entries = {}
    for kind, value in pairs:
        _id = suppression_id(key=key, tenant_id=tenant_id, kind=kind, value=value)
        entries[_id] = {
            "_id": _id,
            "tenant_id": tenant_id,
            "kind": kind.value,
            "reason": reason,
            "at": at,
        }
    return list(entries.values())

"""Person keys: how every service finds the records that show one person, without the bus or
an index carrying the person's identifiers in clear.

A key is a SHA-256 of the tenant and one identifier: a platform profile (platform and profile
id, so a LinkedIn `john-smith` is never a Xing `john-smith`), an email address, or a talent id.
A service stores the keys of what a record shows next to it (under an index) and `talent.erased`
carries the keys of the erased talent, so each owner deletes every record that shows the person
with one indexed query, whoever sourced them and whether or not they were ever submitted.

The keys are pseudonyms, not anonymous: whoever can guess an identifier can compute its key. They
sit only next to records that hold the identifier anyway, and in erasure events.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def _key(tenant_id: str, kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{tenant_id}\x1f{kind}\x1f{value}".encode()).hexdigest()
    return f"pk_{digest[:40]}"


def profile_person_key(*, tenant_id: str, platform: str, profile_id: str) -> str:
    return _key(tenant_id, "profile", f"{platform.lower()}:{profile_id.strip().lower()}")


def email_person_key(*, tenant_id: str, email: str) -> str:
    return _key(tenant_id, "email", email.strip().lower())


def talent_person_key(*, tenant_id: str, talent_id: str) -> str:
    return _key(tenant_id, "talent", talent_id)


def person_keys(
    *,
    tenant_id: str,
    profiles: Iterable[tuple[str, str]] = (),
    emails: Iterable[str] = (),
    talent_ids: Iterable[str | None] = (),
) -> list[str]:
    """The sorted keys of `(platform, profile_id)` pairs, emails and talent ids."""
    keys = {
        *(profile_person_key(tenant_id=tenant_id, platform=p, profile_id=i) for p, i in profiles),
        *(email_person_key(tenant_id=tenant_id, email=e) for e in emails if e.strip()),
        *(talent_person_key(tenant_id=tenant_id, talent_id=t) for t in talent_ids if t),
    }
    return sorted(keys)

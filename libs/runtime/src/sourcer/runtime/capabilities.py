"""What each role may do: the one table every role check and `GET /v1/me` read.

A route that only some roles may call depends on `edge.require_capability(...)`, and code that
decides inside a handler asks `Caller.may(...)`; both look here, so the capabilities the gateway
reports to the extension are the rules the services enforce, not a copy of them.
"""

from __future__ import annotations

from enum import StrEnum

from sourcer.proto.envelope import Role


class Capability(StrEnum):
    """Something only some roles may do (every role may source, read and submit talents)."""

    UNLOCK_CONSENT = "unlock"
    """Unlock a talent manually without consent, and see the erasure schedule."""
    MANAGE_WEBHOOKS = "manage_webhooks"
    """Register, list, delete and redeliver consent-outcome webhooks."""
    MANAGE_SETTINGS = "manage_settings"
    """Change the tenant's statuses, languages and data-controller details."""
    MANAGE_SESSIONS_OF_OTHERS = "manage_sessions_of_others"
    """See every platform session of the tenant, add shared ones, disable or delete anyone's,
    and set the tenant's session policy."""
    DELETE_POOLS = "delete_pools"
    """Delete an empty talent pool."""
    DELETE_NOTES_OF_OTHERS = "delete_notes_of_others"
    """Delete a note another recruiter wrote on a talent."""


ROLES_FOR: dict[Capability, tuple[Role, ...]] = {
    Capability.UNLOCK_CONSENT: (Role.ADMIN,),
    Capability.MANAGE_WEBHOOKS: (Role.ADMIN,),
    Capability.MANAGE_SETTINGS: (Role.ADMIN,),
    Capability.MANAGE_SESSIONS_OF_OTHERS: (Role.ADMIN,),
    Capability.DELETE_POOLS: (Role.SUPER_RECRUITER, Role.ADMIN),
    Capability.DELETE_NOTES_OF_OTHERS: (Role.SUPER_RECRUITER, Role.ADMIN),
}


def role_may(role: Role, capability: Capability) -> bool:
    return role in ROLES_FOR[capability]


def capabilities_of(role: Role) -> frozenset[Capability]:
    return frozenset(c for c in Capability if role_may(role, c))

"""The consent restrictions (`sourcer.proto.restrictions`) on the talent service's commands.

The talent service is the one writer of `talents`, so its API is where a change that the
talent's consent state does not allow yet is refused, whoever calls it.
"""

from __future__ import annotations

from typing import Any

from sourcer.proto.envelope import Role
from sourcer.proto.restrictions import CONSENT_REQUIRED, Action, allowed, refusal_detail
from sourcer.runtime.errors import DomainError
from sourcer.runtime.store import Document


def consent_state_of(talent: Document) -> str | None:
    consent: dict[str, Any] | None = talent.get("consent")
    return consent["state"] if consent else None


def consent_required(action: Action) -> DomainError:
    return DomainError(CONSENT_REQUIRED, refusal_detail(action))


def check(action: Action, *, talent: Document, caller: str, role: Role | None) -> None:
    """Raise `consent_required` unless `caller` may do `action` to the talent now."""
    if not allowed(
        action,
        consent_state=consent_state_of(talent),
        caller=caller,
        role=role,
        sourced_by=talent["created_by"],
    ):
        raise consent_required(action)

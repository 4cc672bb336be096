"""What may be done with a talent before they consented, and what only after.

A sourced talent never agreed to be in the pool (GDPR Art. 14). Until they grant consent or an
admin unlocks them, the talent is restricted: only the recruiter who sourced them and the
tenant's admins work with the data (on the controller's legitimate interest, Art. 6(1)(f), kept
as narrow as that balancing allows), and nothing leaves Sourcer. Granted or unlocked, the
restrictions on the talent's data are lifted: an unlock really enables what was locked.

This table is the one answer to "may this caller do this to this talent now?". Every service
that enforces a row asks `allowed`; `docs/consent.md` shows the table as `sourcer-docs`
renders it from here, so the documentation cannot drift from the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sourcer.proto.consent_record import ConsentState
from sourcer.proto.envelope import Role

CONSENT_REQUIRED = "consent_required"
"""The problem code (403) of an action the talent's consent state does not allow yet."""

LIFTING_STATES = frozenset({ConsentState.GRANTED.value, ConsentState.UNLOCKED_MANUALLY.value})
"""Consent states in which a talent is no longer restricted."""


class Action(StrEnum):
    VIEW = "view"
    BROWSE = "browse"
    REQUEST_CONSENT = "request_consent"
    EDIT_NOTES = "edit_notes"
    CHANGE_STATUS_LANGUAGE = "change_status_language"
    CHANGE_POOLS = "change_pools"
    RESOURCE = "resource"
    EXPORT = "export"
    WEBHOOK_PERSONAL_DATA = "webhook_personal_data"


class Who(StrEnum):
    """Who of the talent's tenant may act."""

    NOBODY = "nobody"
    SOURCER_AND_ADMINS = "sourcer_and_admins"
    TENANT = "tenant"

    @property
    def label(self) -> str:
        return {
            Who.NOBODY: "nobody",
            Who.SOURCER_AND_ADMINS: "the sourcing recruiter and admins",
            Who.TENANT: "everyone in the tenant",
        }[self]


@dataclass(frozen=True, kw_only=True)
class Restriction:
    action: Action
    description: str
    before: Who
    after: Who
    where: str
    refusal: str

    def who(self, consent_state: str | None) -> Who:
        return self.after if consent_state in LIFTING_STATES else self.before


RESTRICTIONS: tuple[Restriction, ...] = (
    Restriction(
        action=Action.VIEW,
        description="See the talent's profile",
        before=Who.SOURCER_AND_ADMINS,
        after=Who.TENANT,
        where="`GET /v1/talents/{id}` (gateway)",
        refusal=f"403 `{CONSENT_REQUIRED}`",
    ),
    Restriction(
        action=Action.BROWSE,
        description="Find the talent when browsing",
        before=Who.SOURCER_AND_ADMINS,
        after=Who.TENANT,
        where="`GET /v1/talents` (gateway)",
        refusal="left out of the list",
    ),
    Restriction(
        action=Action.REQUEST_CONSENT,
        # After a grant the consent service answers 409 `consent_already_granted`; after an
        # unlock, asking opens a new request and so restricts the talent again until they
        # answer (and erases them if they deny or do not): a step for the same few to take.
        description="Ask the talent for consent (after an unlock: opens a new request)",
        before=Who.SOURCER_AND_ADMINS,
        after=Who.SOURCER_AND_ADMINS,
        where="`POST /v1/talents/{id}/consent-requests` (consent service)",
        refusal=f"403 `{CONSENT_REQUIRED}`",
    ),
    Restriction(
        action=Action.EDIT_NOTES,
        description="Add notes, remove them (removing: their author, super recruiters, admins)",
        before=Who.SOURCER_AND_ADMINS,
        after=Who.TENANT,
        where="`POST /v1/talents/{id}/notes`, `DELETE .../notes/{note_id}` (talent service)",
        refusal=f"403 `{CONSENT_REQUIRED}`",
    ),
    Restriction(
        action=Action.CHANGE_STATUS_LANGUAGE,
        description="Change status or preferred language",
        before=Who.SOURCER_AND_ADMINS,
        after=Who.TENANT,
        where="`PATCH /v1/talents/{id}` (talent service)",
        refusal=f"403 `{CONSENT_REQUIRED}`",
    ),
    Restriction(
        action=Action.CHANGE_POOLS,
        description="Add to or remove from a pool",
        before=Who.SOURCER_AND_ADMINS,
        after=Who.TENANT,
        where="`POST /v1/talents/{id}/pools`, `DELETE .../pools/{pool_id}` (talent service)",
        refusal=f"403 `{CONSENT_REQUIRED}`",
    ),
    Restriction(
        action=Action.RESOURCE,
        description="Source the talent again (submit an update)",
        before=Who.SOURCER_AND_ADMINS,
        after=Who.TENANT,
        where="`POST /v1/sourcing-requests/{id}/submit` of an existing talent (talent service)",
        refusal=f"403 `{CONSENT_REQUIRED}`",
    ),
    Restriction(
        action=Action.EXPORT,
        description="Export the talent's data (CRM import)",
        before=Who.NOBODY,
        after=Who.TENANT,
        where="`GET /v1/talents/{id}/export` (gateway)",
        refusal=f"403 `{CONSENT_REQUIRED}`",
    ),
    Restriction(
        action=Action.WEBHOOK_PERSONAL_DATA,
        description="Personal data in talent webhooks to the tenant's endpoints",
        before=Who.NOBODY,
        after=Who.TENANT,
        where="webhook fan-out (consent service, see [webhooks.md](webhooks.md))",
        refusal="carry personal data only after consent",
    ),
)

BY_ACTION = {r.action: r for r in RESTRICTIONS}


def is_restricted(consent_state: str | None) -> bool:
    """True until the talent granted consent or an admin unlocked them (None: never asked)."""
    return consent_state not in LIFTING_STATES


def allowed(
    action: Action,
    *,
    consent_state: str | None,
    caller: str,
    role: Role | None,
    sourced_by: str,
) -> bool:
    """May `caller` of the talent's tenant (`role` None: not a user) do `action` to it now?"""
    who = BY_ACTION[action].who(consent_state)
    if who is Who.TENANT:
        return True
    if who is Who.SOURCER_AND_ADMINS:
        return role == Role.ADMIN or caller == sourced_by
    return False


def refusal_detail(action: Action) -> str:
    """What a refused caller can do about it."""
    if BY_ACTION[action].before is Who.NOBODY:
        return (
            "This waits for the talent's consent: request consent, or ask an admin to unlock "
            "the talent."
        )
    return (
        "Until the talent consents, only the recruiter who sourced them and admins may do this: "
        "ask them to request consent, or ask an admin to unlock the talent."
    )


def markdown_table() -> str:
    """The table of `docs/consent.md`."""
    rows = [
        "| Action | Before consent | After consent (granted / unlocked) | Endpoint "
        "| Problem code (or effect) |",
        "|---|---|---|---|---|",
    ]
    for r in RESTRICTIONS:
        rows.append(
            f"| {r.description} (`{r.action.value}`) | {r.before.label} | {r.after.label} "
            f"| {r.where} | {r.refusal} |"
        )
    return "\n".join(rows)

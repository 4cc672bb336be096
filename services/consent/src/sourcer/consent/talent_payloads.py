"""What a talent event's webhook carries, by the talent's consent state: the one rule.

Before the talent granted consent or an admin unlocked them (not_requested, requested, denied,
expired, withdrawn), a payload holds ids, states, times and the NAMES of changed fields only.
Once granted or unlocked_manually, `talent.created` carries the talent's data and
`talent.updated` the new values of the changed fields among it. `talent.erased` and
`talent.erasure_scheduled` never carry personal data. docs/webhooks.md states the same rule for
integrators; no I/O here, the state and the record are read by the caller at fan-out time.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from sourcer.proto.consent_record import ConsentState
from sourcer.proto.events import (
    TalentCreated,
    TalentErased,
    TalentErasureScheduled,
    TalentUpdated,
)
from sourcer.proto.talent_record import TalentRecord

DATA_ALLOWED = frozenset({ConsentState.GRANTED, ConsentState.UNLOCKED_MANUALLY})
"""States in which a talent's data may go to the customer's systems."""

# The talent's data a webhook may carry, and the stored fields each is made of: a change of
# `experience` is sent as the new current position, a change of `sources` as the profile URLs.
DATA_FIELDS: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "emails": ("emails",),
    "profile_urls": ("sources", "profile_urls"),
    "headline": ("headline",),
    "current_position": ("experience",),
    "status": ("status",),
    "preferred_language": ("preferred_language",),
    "pools": ("pools",),
}


def talent_data(talent: TalentRecord) -> dict[str, Any]:
    """The talent's data as a webhook shows it; notes, work history and provenance stay out."""
    current = next((job for job in talent.experience if job.is_current), None)
    return {
        "first_name": talent.first_name,
        "last_name": talent.last_name,
        "emails": list(talent.emails),
        "profile_urls": [source.profile_url for source in talent.sources],
        "headline": talent.headline,
        "current_position": (
            {"title": current.title, "company": current.company} if current else None
        ),
        "status": talent.status,
        "preferred_language": talent.preferred_language,
        "pools": list(talent.pools),
    }


def changed_data_fields(changed: list[str]) -> list[str]:
    """The webhook data fields a change of these stored fields touches."""
    touched = set(changed)
    return [name for name, stored in DATA_FIELDS.items() if touched.intersection(stored)]


def talent_payload(
    *, payload: BaseModel, state: ConsentState, talent: TalentRecord | None
) -> dict[str, Any]:
    """The `data` of a talent event's webhook (the tenant and event ids are added to it).

    `state` is the talent's consent state now; `talent` the stored record now (None once
    erased). Personal data only in a `talent` object, and only when `state` allows it.
    """
    allowed = state in DATA_ALLOWED and talent is not None
    data: dict[str, Any] = {"consent_state": state.value}
    if isinstance(payload, TalentCreated):
        data.update(talent_id=payload.talent_id, request_id=payload.request_id)
        if allowed and talent is not None:
            data["talent"] = talent_data(talent)
    elif isinstance(payload, TalentUpdated):
        changed = sorted(set(payload.fields))
        data.update(talent_id=payload.talent_id, request_id=payload.request_id, changed=changed)
        if allowed and talent is not None:
            values = talent_data(talent)
            data["talent"] = {name: values[name] for name in changed_data_fields(changed)}
    elif isinstance(payload, TalentErased):
        data.update(talent_id=payload.talent_id, reason=payload.reason)
    elif isinstance(payload, TalentErasureScheduled):
        data.update(
            talent_id=payload.talent_id,
            reason=payload.reason,
            erase_after=payload.erase_after.isoformat().replace("+00:00", "Z"),
            sourced_by=payload.sourced_by,
        )
    else:
        raise TypeError(f"{type(payload).__name__} is not a talent event")
    return data


def carries_personal_data(data: dict[str, Any]) -> bool:
    return bool(data.get("talent"))

"""Which events an endpoint receives, and the signed body of one event.

An endpoint chooses its event types among `WEBHOOK_EVENTS`; one stored before endpoints chose
(no `events` field) receives the consent outcomes, as it always did.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sourcer.consent.webhook_store import Doc
from sourcer.proto.consent_api import CONSENT_OUTCOME_EVENTS, WEBHOOK_EVENTS
from sourcer.proto.envelope import Envelope
from sourcer.runtime.errors import DomainError


def webhook_body(envelope: Envelope[Any], data: dict[str, Any] | None = None) -> str:
    """The signed body; `data` (ids added) or, by default, the event's whole payload."""
    fields = data if data is not None else envelope.payload.model_dump(mode="json")
    document = {
        "type": envelope.type,
        "timestamp": envelope.occurred_at.isoformat().replace("+00:00", "Z"),
        "data": {"tenant_id": envelope.tenant_id, "event_id": envelope.event_id, **fields},
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True)


def event_types_of(endpoint: Doc) -> list[str]:
    """The types an endpoint receives; stored before endpoints chose any: the consent outcomes."""
    chosen: list[str] | None = endpoint.get("events")
    return list(CONSENT_OUTCOME_EVENTS) if chosen is None else chosen


def checked_event_types(event_types: list[str]) -> list[str]:
    unknown = sorted(set(event_types) - set(WEBHOOK_EVENTS))
    if unknown or not event_types:
        raise DomainError(
            "webhook_events_invalid",
            f"unknown event types: {', '.join(unknown) or 'none given'}; "
            f"known: {', '.join(WEBHOOK_EVENTS)}",
        )
    return sorted(set(event_types))


@dataclass(frozen=True)
class TalentBody:
    """What a talent event's deliveries carry (`talent_payloads`): `data` is signed and sent;
    when it holds personal data, `redacted` is what replaces it once the talent is erased."""

    talent_id: str
    data: dict[str, Any]
    redacted: dict[str, Any] | None = None

"""Consent events: building them from the record, and checking an outcome event against it.

Each decision records the id of the event that announces it, so a consumer can tell a genuine
outcome from one some other process put on the bus with another tenant's (or talent's) ids.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sourcer.consent.domain import Consent, ConsentState
from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import (
    ConsentDenied,
    ConsentExpired,
    ConsentGranted,
    ConsentOutcome,
    ConsentUnlocked,
    ConsentWithdrawn,
    event_type_of,
)

SERVICE_ACTOR = Actor(kind=ActorKind.SERVICE, id="consent")
OUTCOMES: dict[ConsentState, type[ConsentOutcome]] = {
    ConsentState.GRANTED: ConsentGranted,
    ConsentState.DENIED: ConsentDenied,
    ConsentState.EXPIRED: ConsentExpired,
    ConsentState.WITHDRAWN: ConsentWithdrawn,
    ConsentState.UNLOCKED_MANUALLY: ConsentUnlocked,
}
STATES: dict[type[ConsentOutcome], ConsentState] = {m: s for s, m in OUTCOMES.items()}


def envelope_for(consent: Consent, payload: Any, actor: Actor) -> dict[str, Any]:
    envelope: Envelope[Any] = Envelope[Any](
        type=event_type_of(payload),
        tenant_id=consent.tenant_id,
        correlation_id=consent.consent_id,
        actor=actor,
        payload=payload,
    )
    return envelope.model_dump(mode="json")


def outcome_event(consent: Consent, actor: Actor) -> tuple[Consent, dict[str, Any]]:
    """The event announcing the last decision, and the record with the decision marked by it."""
    decision = consent.last_decision
    assert decision is not None
    model = OUTCOMES[decision.state]
    fields: dict[str, Any] = {
        "consent_id": consent.consent_id,
        "talent_id": consent.talent_id,
        "channel": consent.channel,
        "decided_at": decision.at,
        "text_version": decision.text_version,
        "language": decision.language,
        "decided_via": decision.token_channel,
        "from_issuer_address": decision.from_issuer_address,
    }
    if model is ConsentUnlocked:
        fields["reason"] = decision.reason or ""
    event = envelope_for(consent, model(**fields), actor)
    marked = replace(decision, event_id=event["event_id"])
    return replace(consent, decisions=(*consent.decisions[:-1], marked)), event


def holds_outcome(consent: Consent | None, envelope: Envelope[ConsentOutcome]) -> bool:
    """Whether the stored record (looked up by the event's tenant and talent) has the decision
    the event claims to announce: same event id, request, outcome and evidence flag."""
    if consent is None or consent.talent_id != envelope.payload.talent_id:
        return False
    payload = envelope.payload
    state = STATES.get(type(payload))
    return consent.tenant_id == envelope.tenant_id and any(
        d.event_id == envelope.event_id
        and d.consent_id == payload.consent_id
        and d.state is state
        and d.from_issuer_address == payload.from_issuer_address
        for d in consent.decisions
    )

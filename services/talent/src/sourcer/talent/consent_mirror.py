"""Consent outcomes in the talent service: mirror the state, erase on denied/withdrawn/expired.

Runs here because the talent service owns `talents`, `previews` and `suppressions`. Erasure
(`erasure.TalentEraser`) is real deletion and, for a person who declined, leaves suppression
entries so a later sourcing of the same person shows "this person declined". Any mirrored state
(requested, granted, unlocked) means the talent was asked or unlocked, so it also clears an
erasure scheduled because nobody asked (`never_asked`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sourcer.proto.envelope import Envelope
from sourcer.proto.events import ConsentOutcome, ConsentRequested
from sourcer.proto.talent_record import ConsentMirror as ConsentState
from sourcer.proto.talent_record import TalentRecord
from sourcer.runtime.store import Store
from sourcer.talent.erasure import ACTOR, Erasure, TalentEraser, talent_ref
from sourcer.talent.previews import Publisher
from sourcer.talent.repository import TALENTS
from sourcer.talent.suppression import suppression_entries

__all__ = ["ACTOR", "ConsentMirror", "consent_state", "suppression_entries", "talent_ref"]

ERASING = {
    "consent.denied": "denied",
    "consent.withdrawn": "withdrawn",
    "consent.expired": "expired",
}
STATES = {
    "consent.requested": "requested",
    "consent.granted": "granted",
    "consent.unlocked": "unlocked_manually",
    **ERASING,
}


def consent_state(envelope: Envelope[Any]) -> dict[str, Any]:
    """The state to store on the talent, checked against the talent contract."""
    payload = envelope.payload
    state: dict[str, Any] = {
        "state": STATES[envelope.type],
        "consent_id": payload.consent_id,
        "channel": payload.channel.value,
        "at": envelope.occurred_at,
        "event_id": envelope.event_id,
    }
    if isinstance(payload, ConsentRequested):
        state["expires_at"] = payload.expires_at
    if isinstance(payload, ConsentOutcome):
        state["text_version"] = payload.text_version
        state["language"] = payload.language
    if envelope.type == "consent.unlocked":
        state["unlocked_by"] = envelope.actor.id
        state["reason"] = getattr(payload, "reason", None)
    return ConsentState.model_validate(state).model_dump()


class ConsentMirror:
    def __init__(self, *, store: Store, publisher: Publisher, suppression_key: bytes) -> None:
        self.store = store
        self.publisher = publisher
        self.key = suppression_key
        self.eraser = TalentEraser(
            store=store, publisher=publisher, suppression_key=suppression_key
        )

    async def mirror(self, envelope: Envelope[Any]) -> None:
        """Record the announced consent state on the talent."""
        state = consent_state(envelope)
        # Events may arrive out of order after retries: an older state never overwrites a newer.
        await self.store.collection(TALENTS).update_one(
            {
                "_id": envelope.payload.talent_id,
                "tenant_id": envelope.tenant_id,
                "$or": [{"consent.at": {"$lt": envelope.occurred_at}}, {"consent": None}],
            },
            {
                "$set": {
                    **TalentRecord.set_fields(consent=state, erasure_scheduled=None),
                    "updated_at": datetime.now(UTC),
                },
                "$inc": {"version": 1},
            },
        )

    async def erase(self, envelope: Envelope[Any]) -> None:
        """Suppress, leave a tombstone, erase from every registered collection, announce."""
        await self.eraser.erase(
            Erasure(
                tenant_id=envelope.tenant_id,
                talent_id=envelope.payload.talent_id,
                reason=ERASING[envelope.type],
                suppress=True,
                correlation_id=envelope.correlation_id,
                causation_id=envelope.event_id,
                consent_id=envelope.payload.consent_id,
                event_id=envelope.event_id,
            )
        )

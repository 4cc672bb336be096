"""Consent outcomes in the talent service: mirror the state, erase on denied/withdrawn/expired.

Runs here because the talent service owns `talents`, `previews` and `suppressions`. Erasure is
real deletion: every collection the catalog registers an eraser for (`repository.CATALOG`) is
cleared of the person, a tombstone without personal data (`talent_erasures`) records that and
why, and suppression entries (keyed hashes of profile id, profile URL and each email) make a
later sourcing of the same person show "this person declined". Every step is idempotent, so a
redelivered event finishes an erasure a crash interrupted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import ConsentOutcome, ConsentRequested, TalentErased
from sourcer.proto.talent_record import ConsentMirror as ConsentState
from sourcer.proto.talent_record import TalentRecord
from sourcer.runtime.catalog import TalentRef
from sourcer.runtime.store import Store
from sourcer.talent.previews import Publisher
from sourcer.talent.repository import ERASURES, SUPPRESSIONS, TALENTS
from sourcer.talent.suppression import IdentifierKind, suppression_id

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
ACTOR = Actor(kind=ActorKind.SERVICE, id="talent")


def suppression_entries(
    *, key: bytes, tenant_id: str, talent: dict[str, Any], reason: str, at: datetime
) -> list[dict[str, Any]]:
    """Entries holding only a keyed hash, the kind and why: nothing readable of the person."""
    pairs: list[tuple[IdentifierKind, str]] = []
    for source in talent.get("sources", []):
        pairs.append((IdentifierKind.PROFILE_ID, source["profile_id"]))
        pairs.append((IdentifierKind.PROFILE_URL, source["profile_url"]))
    pairs.extend((IdentifierKind.EMAIL, email) for email in talent.get("emails") or [])
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


def talent_ref(tenant_id: str, talent: TalentRecord, request_ids: list[str]) -> TalentRef:
    """Everything that identifies the talent's data in any collection."""
    return TalentRef(
        tenant_id=tenant_id,
        talent_id=talent.id,
        request_ids=tuple(request_ids),
        profile_urls=tuple(s.profile_url for s in talent.sources),
        profile_ids=tuple(s.profile_id for s in talent.sources),
        emails=tuple(talent.emails),
    )


class ConsentMirror:
    def __init__(self, *, store: Store, publisher: Publisher, suppression_key: bytes) -> None:
        self.store = store
        self.publisher = publisher
        self.key = suppression_key

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
                "$set": {**TalentRecord.set_fields(consent=state), "updated_at": datetime.now(UTC)},
                "$inc": {"version": 1},
            },
        )

    async def erase(self, envelope: Envelope[Any]) -> None:
        """Suppress, leave a tombstone, erase from every registered collection, announce."""
        reason = ERASING[envelope.type]
        tenant_id, talent_id = envelope.tenant_id, envelope.payload.talent_id
        now = datetime.now(UTC)
        doc = await self.store.collection(TALENTS).find_one(
            {"_id": talent_id, "tenant_id": tenant_id}
        )
        tombstone_id = f"{tenant_id}:{talent_id}"
        request_ids: list[str] = []
        if doc is not None:
            talent = TalentRecord.from_document(doc)
            for entry in suppression_entries(
                key=self.key, tenant_id=tenant_id, talent=doc, reason=reason, at=now
            ):
                await self.store.collection(SUPPRESSIONS).update_one(
                    {"_id": entry["_id"]}, {"$setOnInsert": entry}, upsert=True
                )
            request_ids = list(talent.applied_requests)
            await self.store.collection(ERASURES).update_one(
                {"_id": tombstone_id},
                {
                    "$setOnInsert": {
                        "tenant_id": tenant_id,
                        "talent_id": talent_id,
                        "reason": reason,
                        "consent_id": envelope.payload.consent_id,
                        "event_id": envelope.event_id,
                        "request_ids": request_ids,
                        "erased_at": now,
                    }
                },
                upsert=True,
            )
            await self.store.erase_talent(talent_ref(tenant_id, talent, request_ids))
        else:
            tombstone = await self.store.collection(ERASURES).find_one({"_id": tombstone_id})
            if tombstone is None:
                return  # never existed here: nothing to erase, nothing to announce
            request_ids = list(tombstone.get("request_ids", []))
        await self.publisher.emit(
            TalentErased(talent_id=talent_id, reason=reason, request_ids=request_ids),
            tenant_id=tenant_id,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
            actor=ACTOR,
        )

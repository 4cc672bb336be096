"""Consent outcomes in the talent service: mirror the state, erase on denied/withdrawn/expired.

Runs here because the talent service owns `talents`, `previews` and `suppressions`. Erasure is
real deletion: the talent document and every preview holding the person's profile are deleted,
a tombstone without personal data (`talent_erasures`) records that and why, and suppression
entries (keyed hashes of profile id, profile URL and each email) make a later sourcing of the
same person show "this person declined". Every step is idempotent, so a redelivered event
finishes an erasure a crash interrupted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING

from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import ConsentOutcome, ConsentRequested, TalentErased
from sourcer.runtime.consumer import RetryPolicy
from sourcer.runtime.store import IndexSpec, Store
from sourcer.talent.repository import IDENTITIES
from sourcer.talent.suppression import COLLECTION as SUPPRESSIONS
from sourcer.talent.suppression import IdentifierKind, suppression_id
from sourcer.talent.wiring import TalentDeps

CONSUMER = "talent.consent"
KEYS = [
    "consent.requested",
    "consent.granted",
    "consent.denied",
    "consent.expired",
    "consent.withdrawn",
    "consent.unlocked",
]
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
TALENTS, PREVIEWS, ERASURES = "talents", "previews", "talent_erasures"
ACTOR = Actor(kind=ActorKind.SERVICE, id="talent")
INDEXES = [IndexSpec(ERASURES, [("tenant_id", ASCENDING)], name="erasures_by_tenant")]


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
    return state


class ConsentMirror:
    def __init__(self, *, store: Store, publisher: Any, suppression_key: bytes) -> None:
        self.db = store.db
        self.publisher = publisher
        self.key = suppression_key

    async def handle(self, envelope: Envelope[Any]) -> None:
        if envelope.type in ERASING:
            await self.erase(envelope, reason=ERASING[envelope.type])
            return
        state = consent_state(envelope)
        # Events may arrive out of order after retries: an older state never overwrites a newer.
        await self.db[TALENTS].update_one(
            {
                "_id": envelope.payload.talent_id,
                "tenant_id": envelope.tenant_id,
                "$or": [{"consent.at": {"$lt": envelope.occurred_at}}, {"consent": None}],
            },
            {"$set": {"consent": state, "updated_at": datetime.now(UTC)}, "$inc": {"version": 1}},
        )

    async def erase(self, envelope: Envelope[Any], *, reason: str) -> None:
        tenant_id, talent_id = envelope.tenant_id, envelope.payload.talent_id
        now = datetime.now(UTC)
        talent = await self.db[TALENTS].find_one({"_id": talent_id, "tenant_id": tenant_id})
        tombstone_id = f"{tenant_id}:{talent_id}"
        request_ids: list[str] = []
        if talent is not None:
            for entry in suppression_entries(
                key=self.key, tenant_id=tenant_id, talent=talent, reason=reason, at=now
            ):
                await self.db[SUPPRESSIONS].update_one(
                    {"_id": entry["_id"]}, {"$setOnInsert": entry}, upsert=True
                )
            request_ids = list(talent.get("applied_requests", []))
            await self.db[ERASURES].update_one(
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
            await self._delete_previews(tenant_id, talent_id, talent, request_ids)
            await self.db[IDENTITIES].delete_many({"tenant_id": tenant_id, "talent_id": talent_id})
            await self.db[TALENTS].delete_one({"_id": talent_id, "tenant_id": tenant_id})
        else:
            tombstone = await self.db[ERASURES].find_one({"_id": tombstone_id})
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

    async def _delete_previews(
        self, tenant_id: str, talent_id: str, talent: dict[str, Any], request_ids: list[str]
    ) -> None:
        """Previews copy the extracted profile: delete every one that shows this person."""
        urls = [s["profile_url"] for s in talent.get("sources", [])]
        ids = [s["profile_id"] for s in talent.get("sources", [])]
        emails = list(talent.get("emails") or [])
        await self.db[PREVIEWS].delete_many(
            {
                "tenant_id": tenant_id,
                "$or": [
                    {"_id": {"$in": request_ids}},
                    {"talent_id": talent_id},
                    {"submitted.talent_id": talent_id},
                    {"profile.source.profile_url": {"$in": urls}},
                    {"profile.source.profile_id": {"$in": ids}},
                    {"profile.emails": {"$in": emails}},
                ],
            }
        )


async def start(deps: TalentDeps) -> None:
    """Register with `CONSUMERS.append(consent_mirror.start)` in the talent bootstrap."""
    await deps.store.ensure_indexes(INDEXES)
    mirror = ConsentMirror(
        store=deps.store,
        publisher=deps.bus,
        suppression_key=deps.settings.suppression_key.get_secret_value().encode(),
    )
    await deps.bus.consume(
        name=CONSUMER,
        keys=KEYS,
        handler=mirror.handle,
        concurrency=deps.settings.consumer_concurrency,
        retry=RetryPolicy((1.0, 10.0, 60.0, 300.0)),
        processed=deps.processed,
    )

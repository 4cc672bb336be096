"""Erasing a talent: real deletion of the person's data wherever Sourcer holds it.

Every collection the catalog registers an eraser for (`repository.CATALOG`) is cleared of the
person, a tombstone without personal data (`talent_erasures`) records that and why, and
`talent.erased` carries the talent's request ids and person keys (`sourcer.proto.person_keys`),
so the other services delete every record that shows the person, whoever sourced them and
whether or not it was submitted. When the person declined, suppression entries (keyed hashes of
each platform profile, profile URL and email) make a later sourcing show "this person
declined"; erasure by retention does not suppress, since that person never declined.

Every step is idempotent, so a redelivered event or the next run of a job finishes an erasure
a crash interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sourcer.proto.envelope import Actor, ActorKind
from sourcer.proto.events import TalentErased
from sourcer.proto.person_keys import person_keys
from sourcer.proto.talent_record import TalentRecord
from sourcer.runtime.catalog import TalentRef
from sourcer.runtime.store import Store
from sourcer.talent.previews import Publisher
from sourcer.talent.repository import ERASURES, SUPPRESSIONS, TALENTS
from sourcer.talent.suppression import suppression_entries

ACTOR = Actor(kind=ActorKind.SERVICE, id="talent")


def talent_ref(tenant_id: str, talent: TalentRecord, request_ids: list[str]) -> TalentRef:
    """Everything that identifies the talent's data in any collection."""
    return TalentRef(
        tenant_id=tenant_id,
        talent_id=talent.id,
        request_ids=tuple(request_ids),
        profile_urls=tuple(s.profile_url for s in talent.sources),
        profile_ids=tuple(s.profile_id for s in talent.sources),
        emails=tuple(talent.emails),
        person_keys=tuple(talent_person_keys(tenant_id, talent)),
    )


def talent_person_keys(tenant_id: str, talent: TalentRecord) -> list[str]:
    return person_keys(
        tenant_id=tenant_id,
        profiles=[(s.platform.value, s.profile_id) for s in talent.sources],
        emails=talent.emails,
        talent_ids=[talent.id],
    )


@dataclass(frozen=True)
class Erasure:
    """One talent to erase, why, and what caused it (for the tombstone and the event)."""

    tenant_id: str
    talent_id: str
    reason: str
    suppress: bool
    correlation_id: str
    causation_id: str | None = None
    consent_id: str | None = None
    event_id: str | None = None
    # Erase only while the talent still matches this (e.g. still past its retention).
    only_if: dict[str, Any] | None = None


class TalentEraser:
    def __init__(self, *, store: Store, publisher: Publisher, suppression_key: bytes) -> None:
        self.store = store
        self.publisher = publisher
        self.key = suppression_key

    async def erase(self, erasure: Erasure) -> bool:
        """Suppress (if declined), leave a tombstone, erase from every registered collection,
        announce. False when the talent never existed here: nothing erased, nothing announced."""
        tenant_id, talent_id = erasure.tenant_id, erasure.talent_id
        now = datetime.now(UTC)
        doc = await self.store.collection(TALENTS).find_one(
            {**(erasure.only_if or {}), "_id": talent_id, "tenant_id": tenant_id}
        )
        tombstone_id = f"{tenant_id}:{talent_id}"
        if doc is not None:
            talent = TalentRecord.from_document(doc)
            if erasure.suppress:
                await self.suppress(tenant_id=tenant_id, doc=doc, reason=erasure.reason, at=now)
            request_ids = list(talent.applied_requests)
            keys = talent_person_keys(tenant_id, talent)
            await self.store.collection(ERASURES).update_one(
                {"_id": tombstone_id},
                {
                    "$setOnInsert": {
                        "tenant_id": tenant_id,
                        "talent_id": talent_id,
                        "reason": erasure.reason,
                        "consent_id": erasure.consent_id,
                        "event_id": erasure.event_id,
                        "request_ids": request_ids,
                        # Pseudonyms only, so a redelivery after the talent is gone can still
                        # tell the other services what to delete.
                        "person_keys": keys,
                        "erased_at": now,
                    }
                },
                upsert=True,
            )
            await self.store.erase_talent(talent_ref(tenant_id, talent, request_ids))
        else:
            tombstone = await self.store.collection(ERASURES).find_one({"_id": tombstone_id})
            if tombstone is None:
                return False
            request_ids = list(tombstone.get("request_ids", []))
            keys = list(tombstone.get("person_keys", []))
        await self.publisher.emit(
            TalentErased(
                talent_id=talent_id,
                reason=erasure.reason,
                request_ids=request_ids,
                person_keys=keys,
            ),
            tenant_id=tenant_id,
            correlation_id=erasure.correlation_id,
            causation_id=erasure.causation_id,
            actor=ACTOR,
        )
        return True

    async def suppress(
        self, *, tenant_id: str, doc: dict[str, Any], reason: str, at: datetime
    ) -> None:
        for entry in suppression_entries(
            key=self.key, tenant_id=tenant_id, talent=doc, reason=reason, at=at
        ):
            await self.store.collection(SUPPRESSIONS).update_one(
                {"_id": entry["_id"]}, {"$setOnInsert": entry}, upsert=True
            )

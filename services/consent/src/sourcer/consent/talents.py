"""Read access to the talent service's `talents` collection, through its contract model
(`sourcer.proto.talent_record.TalentRecord`), and to its erasure tombstones
(`talent_erasures`); the talent service writes both.

The consent service needs a talent's contact data only at the moment it writes an email, and
a talent's record only while it fans a talent event out, so it keeps no copy: after erasure
nothing of the person is left here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sourcer.proto.talent_record import TalentRecord
from sourcer.runtime.store import Store

TALENTS = "talents"
TALENT_ERASURES = "talent_erasures"
"""Tombstones (tenant, talent id, reason; `_id` = `tenant:talent`) of erased talents."""


@dataclass(frozen=True)
class TalentContact:
    talent_id: str
    first_name: str | None
    last_name: str | None
    emails: tuple[str, ...]
    preferred_language: str | None
    platform: str | None
    profile_url: str | None
    # Who sourced the talent: until they consent, only they and admins ask them.
    sourced_by: str

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or ""


class TalentDirectory(Protocol):
    async def contact(self, *, tenant_id: str, talent_id: str) -> TalentContact | None: ...


def contact_of(talent: TalentRecord) -> TalentContact:
    source = talent.sources[0] if talent.sources else None
    return TalentContact(
        talent_id=talent.id,
        first_name=talent.first_name,
        last_name=talent.last_name,
        emails=tuple(dict.fromkeys(talent.emails)),
        preferred_language=talent.preferred_language,
        platform=source.platform.value if source else None,
        profile_url=source.profile_url if source else None,
        sourced_by=talent.created_by,
    )


class MongoTalentDirectory:
    def __init__(self, store: Store) -> None:
        self._c = store.collection(TALENTS)

    async def contact(self, *, tenant_id: str, talent_id: str) -> TalentContact | None:
        doc = await self._c.find_one({"_id": talent_id, "tenant_id": tenant_id})
        return contact_of(TalentRecord.from_document(doc)) if doc is not None else None


class InMemoryTalentDirectory:
    """For unit tests and the demo."""

    def __init__(self) -> None:
        self.talents: dict[tuple[str, str], TalentContact] = {}

    def add(self, tenant_id: str, contact: TalentContact) -> None:
        self.talents[(tenant_id, contact.talent_id)] = contact

    async def contact(self, *, tenant_id: str, talent_id: str) -> TalentContact | None:
        return self.talents.get((tenant_id, talent_id))


class TalentRecords(Protocol):
    """What checks a talent event against the stored talent before it is fanned out."""

    async def record(self, *, tenant_id: str, talent_id: str) -> TalentRecord | None: ...

    async def erasure_reason(self, *, tenant_id: str, talent_id: str) -> str | None:
        """Why the talent service erased this talent of this tenant; None if it did not."""
        ...


class MongoTalentRecords:
    def __init__(self, store: Store) -> None:
        self._talents = store.collection(TALENTS)
        self._erasures = store.collection(TALENT_ERASURES)

    async def record(self, *, tenant_id: str, talent_id: str) -> TalentRecord | None:
        doc = await self._talents.find_one({"_id": talent_id, "tenant_id": tenant_id})
        return TalentRecord.from_document(doc) if doc is not None else None

    async def erasure_reason(self, *, tenant_id: str, talent_id: str) -> str | None:
        doc = await self._erasures.find_one({"tenant_id": tenant_id, "talent_id": talent_id})
        return str(doc["reason"]) if doc is not None else None

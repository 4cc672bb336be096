"""Read access to the talent service's `talents` collection, through its contract model
(`sourcer.proto.talent_record.TalentRecord`); the talent service writes it.

The consent service needs a talent's contact data only at the moment it writes an email, so
it keeps no copy: after erasure nothing of the person is left here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sourcer.proto.talent_record import TalentRecord
from sourcer.runtime.store import Store

TALENTS = "talents"


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

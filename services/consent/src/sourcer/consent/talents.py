"""Read access to the talent service's `talents` collection (the talent service writes it).

The consent service needs a talent's contact data only at the moment it writes an email, so
it keeps no copy: after erasure nothing of the person is left here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

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

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or ""


class TalentDirectory(Protocol):
    async def contact(self, *, tenant_id: str, talent_id: str) -> TalentContact | None: ...


def _value(field: Any) -> Any:
    """Fields may carry provenance: `{"value": ..., "source": ...}`."""
    if isinstance(field, dict) and "value" in field:
        return field["value"]
    return field


def _emails(doc: dict[str, Any]) -> tuple[str, ...]:
    raw = _value(doc.get("emails"))
    if raw is None:
        raw = _value((doc.get("profile") or {}).get("emails"))
    emails: list[str] = []
    for item in raw or []:
        value = _value(item)
        if isinstance(value, str) and "@" in value and value not in emails:
            emails.append(value)
    return tuple(emails)


def contact_from_document(doc: dict[str, Any]) -> TalentContact:
    profile = doc.get("profile") or {}
    sources = doc.get("sources") or []
    source = (sources[0] if sources else None) or _value(doc.get("source")) or {}

    def field(name: str) -> Any:
        value = _value(doc.get(name))
        return value if value is not None else _value(profile.get(name))

    return TalentContact(
        talent_id=str(doc.get("talent_id") or doc["_id"]),
        first_name=field("first_name"),
        last_name=field("last_name"),
        emails=_emails(doc),
        preferred_language=field("preferred_language"),
        platform=(source or {}).get("platform") or doc.get("platform"),
        profile_url=(source or {}).get("profile_url") or doc.get("profile_url"),
    )


class MongoTalentDirectory:
    def __init__(self, store: Store) -> None:
        self._c = store.db[TALENTS]

    async def contact(self, *, tenant_id: str, talent_id: str) -> TalentContact | None:
        doc = await self._c.find_one(
            {"tenant_id": tenant_id, "$or": [{"_id": talent_id}, {"talent_id": talent_id}]}
        )
        if doc is None or doc.get("erased"):
            return None
        return contact_from_document(doc)


class InMemoryTalentDirectory:
    """For unit tests and the demo."""

    def __init__(self) -> None:
        self.talents: dict[tuple[str, str], TalentContact] = {}

    def add(self, tenant_id: str, contact: TalentContact) -> None:
        self.talents[(tenant_id, contact.talent_id)] = contact

    async def contact(self, *, tenant_id: str, talent_id: str) -> TalentContact | None:
        return self.talents.get((tenant_id, talent_id))

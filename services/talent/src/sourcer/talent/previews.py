"""On `profile.extracted`: check suppressions, match within the tenant, compute the preview.

Matching order: platform profile id or canonical URL, then email, then a possible duplicate on
name plus current company. A person who declined is recognised by suppression hashes and gets
a preview without any of their data, which is also not stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel

from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import (
    FieldChange,
    Preview,
    PreviewKind,
    ProfileExtracted,
    SourcingPreviewReady,
)
from sourcer.proto.person_keys import person_keys
from sourcer.proto.records import Profile
from sourcer.runtime.store import Document
from sourcer.talent import suppression
from sourcer.talent.diff import compute_changes
from sourcer.talent.identity import profile_lookup
from sourcer.talent.repository import TalentRepository

MATCH_LIMIT = 50
SERVICE_ACTOR = Actor(kind=ActorKind.SERVICE, id="talent")

MESSAGES = {
    PreviewKind.NEW: "New talent.",
    PreviewKind.EXISTING: "This talent already exists!",
    PreviewKind.POSSIBLE_DUPLICATE: (
        "A talent with the same name and current company exists; check before submitting."
    ),
    PreviewKind.SUPPRESSED: "This person declined to be in your talent pool.",
}


class Publisher(Protocol):
    async def emit(
        self,
        payload: BaseModel,
        *,
        tenant_id: str,
        correlation_id: str,
        actor: Actor,
        causation_id: str | None = None,
    ) -> Any: ...


def suppression_ids(*, key: bytes, tenant_id: str, profile: Profile) -> list[str]:
    """Hashes of the identifiers a suppression entry may have been written for."""
    return suppression.suppression_ids(
        key=key,
        tenant_id=tenant_id,
        sources=[profile.source.model_dump(mode="json")],
        emails=profile.emails,
    )


def preview_person_keys(*, tenant_id: str, preview: Preview) -> list[str]:
    """What the preview shows (profile, emails, the matched talent), for erasure to find it."""
    profile = preview.profile
    return person_keys(
        tenant_id=tenant_id,
        profiles=[(profile.source.platform.value, profile.source.profile_id)] if profile else [],
        emails=profile.emails if profile else [],
        talent_ids=[preview.talent_id],
    )


async def match(
    *, repo: TalentRepository, tenant_id: str, profile: Profile
) -> tuple[PreviewKind, Document | None, str | None]:
    """One query for every key, then the strongest match wins."""
    keys = profile_lookup(profile)
    rules: list[tuple[str, dict[str, Any]]] = [
        ("profile_id", {"profile_keys": keys["profile_key"]}),
        ("profile_id", {"profile_urls": keys["profile_url"]}),
    ]
    if keys["email_keys"]:
        rules.append(("email", {"email_keys": {"$in": keys["email_keys"]}}))
    if keys["name_company_key"]:
        rules.append(("name_company", {"name_company_key": keys["name_company_key"]}))
    found = await repo.find_talents(
        tenant_id=tenant_id, query={"$or": [rule for _, rule in rules]}, limit=MATCH_LIMIT
    )
    for matched_by, _ in rules:
        for doc in found:
            if _holds(doc, keys, matched_by):
                kind = (
                    PreviewKind.POSSIBLE_DUPLICATE
                    if matched_by == "name_company"
                    else (PreviewKind.EXISTING)
                )
                return kind, doc, matched_by
    return PreviewKind.NEW, None, None


def _holds(doc: Document, keys: dict[str, Any], matched_by: str) -> bool:
    if matched_by == "profile_id":
        return keys["profile_key"] in doc.get("profile_keys", []) or keys["profile_url"] in doc.get(
            "profile_urls", []
        )
    if matched_by == "email":
        return bool(set(keys["email_keys"]) & set(doc.get("email_keys", [])))
    return (
        bool(keys["name_company_key"]) and doc.get("name_company_key") == keys["name_company_key"]
    )


class PreviewHandler:
    def __init__(
        self,
        *,
        repo: TalentRepository,
        publisher: Publisher,
        suppression_key: bytes,
    ) -> None:
        self.repo = repo
        self.publisher = publisher
        self.suppression_key = suppression_key

    async def preview(self, *, tenant_id: str, extracted: ProfileExtracted) -> Preview:
        profile = extracted.profile
        ids = suppression_ids(key=self.suppression_key, tenant_id=tenant_id, profile=profile)
        if await self.repo.suppressed(ids=ids):
            return Preview(kind=PreviewKind.SUPPRESSED, message=MESSAGES[PreviewKind.SUPPRESSED])
        kind, talent, matched_by = await match(repo=self.repo, tenant_id=tenant_id, profile=profile)
        changes: list[FieldChange] = []
        if kind is PreviewKind.EXISTING and talent is not None:
            changes = compute_changes(talent=talent, profile=profile)
        talent_id = talent["_id"] if talent is not None else None
        settings = await self.repo.tenant_settings(tenant_id=tenant_id) if talent_id else None
        return Preview(
            kind=kind,
            talent_id=talent_id,
            crm_url=settings.crm_url(talent_id) if settings and talent_id else None,
            matched_by=matched_by,
            message=MESSAGES[kind],
            profile=profile,
            changes=changes,
        )

    async def handle(self, envelope: Envelope[Any]) -> None:
        extracted = envelope.payload
        assert isinstance(extracted, ProfileExtracted)
        tenant_id = envelope.tenant_id
        preview = await self.preview(tenant_id=tenant_id, extracted=extracted)
        await self.repo.save_preview(
            doc={
                "_id": extracted.request_id,
                "tenant_id": tenant_id,
                "kind": preview.kind.value,
                "talent_id": preview.talent_id,
                "profile": preview.profile.model_dump(mode="json") if preview.profile else None,
                "changes": [c.model_dump(mode="json") for c in preview.changes],
                "person_keys": preview_person_keys(tenant_id=tenant_id, preview=preview),
                "created_at": datetime.now(UTC),
            }
        )
        await self.publisher.emit(
            SourcingPreviewReady(request_id=extracted.request_id, preview=preview),
            tenant_id=tenant_id,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
            actor=SERVICE_ACTOR,
        )

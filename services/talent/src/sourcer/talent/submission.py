"""Submitting a preview: create the talent or apply the accepted changes, exactly once.

The talent id of a created talent derives from the tenant and the sourcing request, and an
updated talent remembers the request ids it applied, so a repeated submit (a double click,
a retried call, a redelivered `talent.submit`) finds its earlier effect and changes nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sourcer.proto.envelope import Actor
from sourcer.proto.events import (
    FieldChange,
    PreviewKind,
    TalentCreated,
    TalentSubmit,
    TalentUpdated,
)
from sourcer.proto.records import Profile
from sourcer.proto.restrictions import CONSENT_REQUIRED, Action, allowed, refusal_detail
from sourcer.runtime.errors import DomainError
from sourcer.runtime.store import Document, KeyChurnError
from sourcer.talent.diff import apply_changes, selected, sort_experience
from sourcer.talent.identity import index_fields, profile_key
from sourcer.talent.previews import Publisher, match, suppression_ids
from sourcer.talent.repository import AlreadyExistsError, TalentRepository
from sourcer.talent.restrictions import consent_state_of

OVERRIDABLE = ("first_name", "last_name", "headline", "location")
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "emails",
    "headline",
    "location",
    "experience",
    "education",
    "skills",
    "languages",
)
MAX_APPLIED = 200
MAX_ATTEMPTS = 5
# A claim on a profile whose talent was not stored within this time is left from a submit
# that died in between, and may be taken over.
IDENTITY_CLAIM_STALE = timedelta(minutes=1)


class SubmitError(DomainError):
    """A submit that cannot succeed as sent; its `code` goes to the caller."""


@dataclass(frozen=True)
class SubmitResult:
    talent_id: str
    created: bool
    version: int


def talent_exists(talent_id: str) -> SubmitError:
    return SubmitError(
        "talent_exists",
        f"This talent was added meanwhile as {talent_id}: source the profile again to see "
        "what is new.",
    )


def talent_id_for(*, tenant_id: str, request_id: str) -> str:
    digest = hashlib.sha256(f"{tenant_id}\x1f{request_id}".encode()).hexdigest()
    return f"tal_{digest[:24]}"


def new_note(*, text: str, author: str, at: datetime) -> dict[str, Any]:
    return {"id": f"note_{uuid.uuid4().hex[:16]}", "text": text, "author": author, "at": at}


def _edited(actor: Actor, at: datetime) -> dict[str, Any]:
    return {"edited_by": actor.id, "at": at}


def apply_decisions(
    doc: Document, command: TalentSubmit, *, actor: Actor, at: datetime
) -> Document:
    """Status, language, overrides, pools and notes the recruiter set in the preview."""
    doc = {**doc, "provenance": dict(doc.get("provenance", {}))}
    for field, value in command.overrides.items():
        doc[field] = value
        doc["provenance"][field] = _edited(actor, at)
    for field in ("status", "preferred_language"):
        value = getattr(command, field)
        if value is not None:
            doc[field] = value
            doc["provenance"][field] = _edited(actor, at)
    doc["pools"] = [
        *doc.get("pools", []),
        *(p for p in command.pools if p not in doc.get("pools", [])),
    ]
    doc["notes"] = [
        *doc.get("notes", []),
        *(new_note(text=t, author=actor.id, at=at) for t in command.notes),
    ]
    return doc


async def validate(
    *, repo: TalentRepository, tenant_id: str, command: TalentSubmit, changes: list[FieldChange]
) -> None:
    settings = await repo.tenant_settings(tenant_id=tenant_id)
    if command.status is not None and command.status not in settings.statuses:
        raise SubmitError("unknown_status", f"Status {command.status!r} is not configured.")
    if (
        command.preferred_language is not None
        and command.preferred_language not in settings.languages
    ):
        raise SubmitError("unknown_language", "The preferred language is not configured.")
    unknown = set(command.overrides) - set(OVERRIDABLE)
    if unknown or any(not isinstance(v, str | None) for v in command.overrides.values()):
        raise SubmitError("invalid_override", f"Only {', '.join(OVERRIDABLE)} can be edited.")
    pools = list(dict.fromkeys(command.pools))
    if pools and await repo.existing_pools(tenant_id=tenant_id, pool_ids=pools) != set(pools):
        raise SubmitError("unknown_pool", "A pool does not exist in your tenant.")
    if command.accept is not None and set(command.accept) - {c.key for c in changes}:
        raise SubmitError("unknown_change", "An accepted change is not in the preview.")


def declined() -> SubmitError:
    return SubmitError("talent_suppressed", "This person declined to be in your talent pool.")


class SubmitHandler:
    def __init__(
        self, *, repo: TalentRepository, publisher: Publisher, suppression_key: bytes
    ) -> None:
        self.repo = repo
        self.publisher = publisher
        self.key = suppression_key

    async def _suppressed(self, tenant_id: str, preview: Document) -> bool:
        profile = Profile.model_validate(preview["profile"])
        ids = suppression_ids(key=self.key, tenant_id=tenant_id, profile=profile)
        return await self.repo.suppressed(ids=ids)

    async def _refuse_declined(self, tenant_id: str, preview: Document) -> SubmitError:
        """The person declined since the preview was made: the preview keeps nothing of them."""
        await self.repo.mark_preview(
            tenant_id=tenant_id,
            request_id=preview["_id"],
            fields={"kind": PreviewKind.SUPPRESSED.value, "profile": None, "changes": []},
        )
        return declined()

    async def submit(self, *, tenant_id: str, command: TalentSubmit, actor: Actor) -> SubmitResult:
        preview = await self.repo.get_preview(tenant_id=tenant_id, request_id=command.request_id)
        if preview is None:
            raise SubmitError("preview_not_found", "No preview for this sourcing request.")
        kind = PreviewKind(preview["kind"])
        if kind is PreviewKind.SUPPRESSED:
            raise declined()
        # Checked again here, not only when the preview was made: an erasure of the person may
        # have run since, and must not be undone by a submit of an older preview.
        if await self._suppressed(tenant_id, preview):
            raise await self._refuse_declined(tenant_id, preview)
        changes = [FieldChange.model_validate(c) for c in preview.get("changes", [])]
        done = preview.get("submitted")
        if done is None:
            await validate(repo=self.repo, tenant_id=tenant_id, command=command, changes=changes)
        now = datetime.now(UTC)
        if kind is PreviewKind.EXISTING:
            result, fields = await self._update(tenant_id, preview, changes, command, actor, now)
        else:
            result, fields = await self._create(tenant_id, preview, command, actor, now)
        if done is None or not done.get("published"):
            event = (
                TalentCreated(talent_id=result.talent_id, request_id=command.request_id)
                if result.created
                else TalentUpdated(
                    talent_id=result.talent_id, request_id=command.request_id, fields=fields
                )
            )
            await self.publisher.emit(
                event, tenant_id=tenant_id, correlation_id=command.request_id, actor=actor
            )
            await self.repo.mark_preview(
                tenant_id=tenant_id,
                request_id=command.request_id,
                fields={
                    "submitted": {
                        "talent_id": result.talent_id,
                        "created": result.created,
                        "published": True,
                        "at": now,
                        "by": actor.id,
                    }
                },
            )
        return result

    async def _create(
        self, tenant_id: str, preview: Document, command: TalentSubmit, actor: Actor, now: datetime
    ) -> tuple[SubmitResult, list[str]]:
        talent_id = talent_id_for(tenant_id=tenant_id, request_id=command.request_id)
        profile = preview["profile"]
        source = profile["source"]
        await self._refuse_a_second_talent(
            tenant_id, talent_id, Profile.model_validate(profile), now
        )
        stamp = {"source": source["platform"], "at": now}
        doc: Document = {
            "_id": talent_id,
            "tenant_id": tenant_id,
            "version": 1,
            **{field: profile.get(field) for field in PROFILE_FIELDS},
            "sources": [
                {
                    "platform": source["platform"],
                    "profile_url": source["profile_url"],
                    "profile_id": source["profile_id"],
                }
            ],
            "provenance": {f: stamp for f in PROFILE_FIELDS if profile.get(f) not in (None, [])},
            "pools": [],
            "notes": [],
            "status": None,
            "preferred_language": None,
            "applied_requests": [command.request_id],
            "created_at": now,
            "updated_at": now,
            "created_by": actor.id,
        }
        doc["experience"] = sort_experience(doc["experience"] or [])
        doc = apply_decisions(doc, command, actor=actor, at=now)
        if doc["status"] is None:
            doc["status"] = (await self.repo.tenant_settings(tenant_id=tenant_id)).default_status
        doc.update(index_fields(doc))
        version = 1
        try:
            await self.repo.insert_talent(doc=doc)
        except AlreadyExistsError:
            existing = await self.repo.get_talent(tenant_id=tenant_id, talent_id=talent_id)
            version = existing["version"] if existing else 1
        # And again once stored: an erasure may have written its suppressions since the first
        # check. It writes them before it deletes the talent it erases, so either this check
        # sees them, or that talent still existed when this submit matched (`talent_exists`).
        # What was created goes, unannounced.
        if await self._suppressed(tenant_id, preview):
            await self.repo.discard_created_talent(tenant_id=tenant_id, talent_id=talent_id)
            raise await self._refuse_declined(tenant_id, preview)
        return SubmitResult(talent_id=talent_id, created=True, version=version), []

    async def _refuse_a_second_talent(
        self, tenant_id: str, talent_id: str, extracted: Profile, now: datetime
    ) -> None:
        """A second talent for one person is what recruiters least want in their pool. The
        preview said "new", but another request may have added the person since (matched again
        by profile and email) or be adding them right now (the profile's claim)."""
        kind, holder, _ = await match(repo=self.repo, tenant_id=tenant_id, profile=extracted)
        if kind is PreviewKind.EXISTING and holder is not None and holder["_id"] != talent_id:
            raise talent_exists(holder["_id"])
        in_progress = SubmitError(
            "submit_in_progress",
            "Another submit is adding this person right now; try again in a moment.",
        )
        try:
            claim = await self.repo.claim_identity(
                tenant_id=tenant_id,
                profile_key=profile_key(extracted.source),
                talent_id=talent_id,
                now=now,
            )
        except KeyChurnError as exc:
            raise in_progress from exc
        if claim is None:
            return
        if await self.repo.get_talent(tenant_id=tenant_id, talent_id=claim["talent_id"]):
            raise talent_exists(claim["talent_id"])
        # Claimed for a talent not stored (yet): a submit adding the person right now, or one
        # that died between its claim and its insert, whose claim is taken over once stale.
        stale = now - claim["at"] > IDENTITY_CLAIM_STALE
        if stale and await self.repo.take_over_identity(claim=claim, talent_id=talent_id, now=now):
            return
        raise in_progress

    async def _update(
        self,
        tenant_id: str,
        preview: Document,
        changes: list[FieldChange],
        command: TalentSubmit,
        actor: Actor,
        now: datetime,
    ) -> tuple[SubmitResult, list[str]]:
        talent_id = preview["talent_id"]
        source = preview["profile"]["source"]
        for _ in range(MAX_ATTEMPTS):
            talent = await self.repo.get_talent(tenant_id=tenant_id, talent_id=talent_id)
            if talent is None:
                raise SubmitError("talent_gone", "The talent was erased; source them again.")
            if command.request_id in talent.get("applied_requests", []):
                return SubmitResult(
                    talent_id=talent_id, created=False, version=talent["version"]
                ), []
            if not allowed(
                Action.RESOURCE,
                consent_state=consent_state_of(talent),
                caller=actor.id,
                role=actor.role,
                sourced_by=talent["created_by"],
            ):
                raise SubmitError(CONSENT_REQUIRED, refusal_detail(Action.RESOURCE))
            doc, fields = apply_changes(
                talent,
                selected(changes, command.accept),
                provenance={"source": source["platform"], "at": now},
            )
            doc = apply_decisions(doc, command, actor=actor, at=now)
            sources = doc.get("sources", [])
            if not any(s["profile_url"] == source["profile_url"] for s in sources):
                doc["sources"] = [
                    *sources,
                    {k: source[k] for k in ("platform", "profile_url", "profile_id")},
                ]
            doc.update(index_fields(doc))
            doc["applied_requests"] = [*talent.get("applied_requests", []), command.request_id][
                -MAX_APPLIED:
            ]
            doc["version"] = talent["version"] + 1
            doc["updated_at"] = now
            if await self.repo.replace_talent(doc=doc, expected_version=talent["version"]):
                changed = sorted(
                    {
                        *fields,
                        *(
                            f
                            for f in (
                                "status",
                                "preferred_language",
                                "pools",
                                "notes",
                                *command.overrides,
                            )
                            if doc.get(f) != talent.get(f)
                        ),
                    }
                )
                return SubmitResult(
                    talent_id=talent_id, created=False, version=doc["version"]
                ), changed
        raise SubmitError("concurrent_update", "The talent kept changing; submit again.")

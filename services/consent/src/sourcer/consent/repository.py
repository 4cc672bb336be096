"""Storage of consents: one document per talent (`_id` = tenant:talent), versioned.

A change and the events it causes are written in one single-document update (the events
go to the document's `outbox`), so a crash between storing and publishing loses nothing:
the relay publishes what is left. No multi-document transaction is needed.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import datetime
from typing import Any, Protocol

from pymongo import ASCENDING
from pymongo.errors import AutoReconnect, DuplicateKeyError, OperationFailure

from sourcer.consent.domain import Consent, ConsentState, Decision, IssuedToken, Mail
from sourcer.proto.events import ConsentChannel
from sourcer.runtime.store import IndexSpec, Store

CONSENTS = "consents"

INDEXES = [
    IndexSpec(CONSENTS, [("token_hashes", ASCENDING)], name="by_token"),
    IndexSpec(CONSENTS, [("retired_token_hashes", ASCENDING)], name="by_retired_token"),
    IndexSpec(CONSENTS, [("state", ASCENDING), ("expires_at", ASCENDING)], name="by_deadline"),
    IndexSpec(CONSENTS, [("tenant_id", ASCENDING), ("state", ASCENDING)], name="by_tenant"),
    IndexSpec(CONSENTS, [("consent_id", ASCENDING)], unique=True, name="consent_id"),
    IndexSpec(CONSENTS, [("outbox_pending", ASCENDING)], name="by_outbox"),
    IndexSpec(CONSENTS, [("mail_due_at", ASCENDING)], name="by_mail_due"),
]


async def _transient_retry(write: Any) -> Any:
    """Retry a write the server refused for a passing reason (a failover, or a busy
    SQLite-backed FerretDB); versioned updates make the repetition safe."""
    for attempt in range(4):
        try:
            return await write()
        except (AutoReconnect, OperationFailure) as exc:
            if isinstance(exc, DuplicateKeyError) or attempt == 3:
                raise
            if isinstance(exc, OperationFailure) and "locked" not in str(exc).lower():
                raise
            await asyncio.sleep(0.05 * 2**attempt)
    return None


class VersionConflictError(Exception):
    """Someone else changed the consent since it was read; reload and apply again."""


class ConsentRepository(Protocol):
    async def get(self, *, tenant_id: str, talent_id: str) -> Consent | None: ...

    async def by_token(self, *, token_hash: str) -> tuple[Consent, bool] | None:
        """The consent and whether the token was retired by a renewal."""
        ...

    async def save(self, *, consent: Consent, outbox: list[dict[str, Any]]) -> Consent: ...

    async def due(self, *, now: datetime, limit: int) -> list[Consent]:
        """Pending requests past their deadline or their reminder time, or with mails due."""
        ...

    async def expiring(self, *, tenant_id: str, before: datetime, limit: int) -> list[Consent]: ...

    async def outbox(self, *, limit: int) -> list[tuple[str, list[dict[str, Any]]]]: ...

    async def remove_from_outbox(self, *, key: str, event_ids: list[str]) -> None: ...


def _mail_due(consent: Consent) -> datetime | None:
    due = [m.next_attempt_at for m in consent.mails if m.status in ("pending", "sending")]
    return min((d for d in due if d is not None), default=None)


def to_document(consent: Consent) -> dict[str, Any]:
    doc = asdict(consent)
    doc["_id"] = consent.key
    doc["state"] = consent.state.value
    doc["channel"] = consent.channel.value
    doc["tokens"] = [asdict(t) for t in consent.tokens]
    doc["token_hashes"] = list(consent.token_hashes)  # indexed: the landing page looks up by it
    doc["retired_token_hashes"] = list(consent.retired_token_hashes)
    doc["mails"] = [asdict(m) for m in consent.mails]
    doc["decisions"] = [{**asdict(d), "state": d.state.value} for d in consent.decisions]
    doc["mail_due_at"] = _mail_due(consent)
    pending = consent.state is ConsentState.REQUESTED
    # Sparse-free "due" marker: the scheduler queries one indexed date per document.
    doc["deadline_due_at"] = (
        min(d for d in (consent.expires_at, consent.reminder_at) if d is not None)
        if pending and consent.reminder_sent_at is None and consent.reminder_at
        else (consent.expires_at if pending else None)
    )
    return doc


def _tokens(doc: dict[str, Any]) -> tuple[IssuedToken, ...]:
    if "tokens" in doc:
        return tuple(IssuedToken(**t) for t in doc["tokens"])
    # Issued before channel and issuer were recorded: the hashes alone, nothing made up.
    return tuple(IssuedToken(hash=h) for h in doc.get("token_hashes", ()))


def from_document(doc: dict[str, Any]) -> Consent:
    return Consent(
        tenant_id=doc["tenant_id"],
        talent_id=doc["talent_id"],
        consent_id=doc["consent_id"],
        state=ConsentState(doc["state"]),
        channel=ConsentChannel(doc["channel"]),
        language=doc["language"],
        requested_at=doc["requested_at"],
        requested_by=doc["requested_by"],
        expires_at=doc.get("expires_at"),
        reminder_at=doc.get("reminder_at"),
        reminder_sent_at=doc.get("reminder_sent_at"),
        tokens=_tokens(doc),
        retired_token_hashes=tuple(doc.get("retired_token_hashes", ())),
        mails=tuple(Mail(**m) for m in doc.get("mails", ())),
        decisions=tuple(
            Decision(**{**d, "state": ConsentState(d["state"])}) for d in doc.get("decisions", ())
        ),
        version=doc.get("version", 0),
    )


class MongoConsentRepository:
    def __init__(self, store: Store) -> None:
        self._c = store.collection(CONSENTS)

    async def get(self, *, tenant_id: str, talent_id: str) -> Consent | None:
        doc = await self._c.find_one({"_id": f"{tenant_id}:{talent_id}", "tenant_id": tenant_id})
        return from_document(doc) if doc else None

    async def by_token(self, *, token_hash: str) -> tuple[Consent, bool] | None:
        doc = await self._c.find_one({"token_hashes": token_hash})
        if doc is not None:
            return from_document(doc), False
        doc = await self._c.find_one({"retired_token_hashes": token_hash})
        return (from_document(doc), True) if doc is not None else None

    async def save(self, *, consent: Consent, outbox: list[dict[str, Any]]) -> Consent:
        doc = to_document(consent)
        doc["version"] = consent.version + 1
        doc["outbox_pending"] = bool(outbox) or None
        if consent.version == 0:
            doc["outbox"] = outbox
            try:
                await _transient_retry(lambda: self._c.insert_one(doc))
            except DuplicateKeyError as exc:
                raise VersionConflictError(consent.key) from exc
        else:
            doc.pop("_id")
            update: dict[str, Any] = {"$set": doc}
            if outbox:
                update["$push"] = {"outbox": {"$each": outbox}}
            else:
                del doc["outbox_pending"]  # keep the relay's marker as it is
            result = await _transient_retry(
                lambda: self._c.update_one({"_id": consent.key, "version": consent.version}, update)
            )
            if result.matched_count != 1:
                raise VersionConflictError(consent.key)
        return from_document({**to_document(consent), "version": consent.version + 1})

    async def due(self, *, now: datetime, limit: int) -> list[Consent]:
        cursor = self._c.find(
            {"$or": [{"deadline_due_at": {"$lte": now}}, {"mail_due_at": {"$lte": now}}]}
        ).limit(limit)
        return [from_document(doc) async for doc in cursor]

    async def expiring(self, *, tenant_id: str, before: datetime, limit: int) -> list[Consent]:
        cursor = (
            self._c.find(
                {
                    "tenant_id": tenant_id,
                    "state": ConsentState.REQUESTED.value,
                    "expires_at": {"$lte": before},
                }
            )
            .sort("expires_at", ASCENDING)
            .limit(limit)
        )
        return [from_document(doc) async for doc in cursor]

    async def outbox(self, *, limit: int) -> list[tuple[str, list[dict[str, Any]]]]:
        cursor = self._c.find({"outbox_pending": True}, {"outbox": 1}).limit(limit)
        return [(doc["_id"], list(doc.get("outbox", []))) async for doc in cursor]

    async def remove_from_outbox(self, *, key: str, event_ids: list[str]) -> None:
        await self._c.update_one(
            {"_id": key}, {"$pull": {"outbox": {"event_id": {"$in": event_ids}}}}
        )
        # Clear the marker only when nothing was added meanwhile.
        await self._c.update_one(
            {"_id": key, "outbox": {"$size": 0}}, {"$set": {"outbox_pending": None}}
        )

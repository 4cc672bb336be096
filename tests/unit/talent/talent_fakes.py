"""In-memory fakes of the talent service's Protocols (repository, publisher, consent records)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from sourcer.consent import repository as consent_repository
from sourcer.consent.domain import Consent, ConsentState
from sourcer.proto.consent_record import ConsentRecordView
from sourcer.proto.envelope import Actor
from sourcer.proto.events import ConsentChannel
from sourcer.proto.tenant_settings import TenantSettings
from sourcer.talent.repository import AlreadyExistsError, identity_id


def _matches(doc: dict[str, Any], query: dict[str, Any]) -> bool:
    for key, want in query.items():
        if key == "$or":
            if not any(_matches(doc, q) for q in want):
                return False
            continue
        have = doc.get(key)
        values = have if isinstance(have, list) else [have]
        if isinstance(want, dict) and "$in" in want:
            if not set(values) & set(want["$in"]):
                return False
        elif want not in values:
            return False
    return True


class FakeTalentRepository:
    def __init__(self) -> None:
        self.talents: dict[str, dict[str, Any]] = {}
        self.previews: dict[str, dict[str, Any]] = {}
        self.pools: dict[str, str] = {}
        self.suppressions: set[str] = set()
        self.settings: dict[str, TenantSettings] = {}
        self.identities: dict[str, dict[str, Any]] = {}

    async def find_talents(
        self, *, tenant_id: str, query: dict[str, Any], limit: int
    ) -> list[dict[str, Any]]:
        found = [
            copy.deepcopy(doc)
            for doc in self.talents.values()
            if doc["tenant_id"] == tenant_id and _matches(doc, query)
        ]
        return found[:limit]

    async def get_talent(self, *, tenant_id: str, talent_id: str) -> Any:
        doc = self.talents.get(talent_id)
        return copy.deepcopy(doc) if doc and doc["tenant_id"] == tenant_id else None

    async def insert_talent(self, *, doc: dict[str, Any]) -> None:
        if doc["_id"] in self.talents:
            raise AlreadyExistsError(doc["_id"])
        self.talents[doc["_id"]] = copy.deepcopy(doc)

    async def replace_talent(self, *, doc: dict[str, Any], expected_version: int) -> bool:
        current = self.talents.get(doc["_id"])
        if current is None or current["version"] != expected_version:
            return False
        self.talents[doc["_id"]] = copy.deepcopy(doc)
        return True

    async def update_talent(self, **_: Any) -> Any:
        raise NotImplementedError

    async def get_preview(self, *, tenant_id: str, request_id: str) -> Any:
        doc = self.previews.get(request_id)
        return copy.deepcopy(doc) if doc and doc["tenant_id"] == tenant_id else None

    async def save_preview(self, *, doc: dict[str, Any]) -> None:
        self.previews[doc["_id"]] = copy.deepcopy(doc)

    async def mark_preview(self, *, tenant_id: str, request_id: str, fields: Any) -> None:
        self.previews[request_id].update(copy.deepcopy(fields))

    async def suppressed(self, *, ids: Iterable[str]) -> bool:
        return bool(set(ids) & self.suppressions)

    async def discard_created_talent(self, *, tenant_id: str, talent_id: str) -> None:
        if talent_id in self.talents and self.talents[talent_id]["tenant_id"] == tenant_id:
            del self.talents[talent_id]
        for key in [k for k, v in self.identities.items() if v["talent_id"] == talent_id]:
            del self.identities[key]

    async def existing_pools(self, *, tenant_id: str, pool_ids: list[str]) -> set[str]:
        return {p for p in pool_ids if self.pools.get(p) == tenant_id}

    async def tenant_settings(self, *, tenant_id: str) -> TenantSettings:
        return self.settings.get(tenant_id, TenantSettings())

    async def claim_identity(
        self, *, tenant_id: str, profile_key: str, talent_id: str, now: datetime
    ) -> Any:
        key = identity_id(tenant_id=tenant_id, profile_key=profile_key)
        claim = {"_id": key, "tenant_id": tenant_id, "talent_id": talent_id, "at": now}
        held = self.identities.setdefault(key, claim)
        return None if held["talent_id"] == talent_id else copy.deepcopy(held)

    async def take_over_identity(
        self, *, claim: dict[str, Any], talent_id: str, now: datetime
    ) -> bool:
        held = self.identities.get(claim["_id"])
        if held is None or (held["talent_id"], held["at"]) != (claim["talent_id"], claim["at"]):
            return False
        held.update(talent_id=talent_id, at=now)
        return True


class FakePublisher:
    def __init__(self) -> None:
        self.events: list[tuple[str, BaseModel]] = []

    async def emit(
        self,
        payload: BaseModel,
        *,
        tenant_id: str,
        correlation_id: str,
        actor: Actor,
        causation_id: str | None = None,
    ) -> None:
        self.events.append((tenant_id, payload))


def stored(state: ConsentState, *, tenant: str = "acme") -> ConsentRecordView:
    """A record exactly as the consent service stores it, read through the view."""
    consent = Consent(
        tenant_id=tenant,
        talent_id="tal_1",
        consent_id="con_1",
        state=state,
        channel=ConsentChannel.LINK,
        language="en",
        requested_at=datetime(2026, 11, 2, tzinfo=UTC),
        requested_by="alice",
    )
    return ConsentRecordView.from_document(consent_repository.to_document(consent))


class FakeRecords:
    def __init__(self, *records: ConsentRecordView) -> None:
        self.records = records

    async def get(self, *, tenant_id: str, talent_id: str) -> ConsentRecordView | None:
        return next(
            (r for r in self.records if (r.tenant_id, r.talent_id) == (tenant_id, talent_id)),
            None,
        )

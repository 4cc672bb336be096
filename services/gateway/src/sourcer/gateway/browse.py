"""Browsing a tenant's talents: filters, a name/company search, a stable order, opaque cursors.

Every query starts with the caller's tenant and meets one of the browse indexes the talent
service declares on `talents` (it owns them): the tenant, the one equality filter a query leads
with, then the sort key, so pages stay index walks at 100,000 talents per tenant.
A cursor carries the last row's sort value and id, so a page never repeats or skips a talent
that was written meanwhile, and it is bound to the filters it was made for.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sourcer.proto.consent_record import ConsentState
from sourcer.proto.records import Platform
from sourcer.proto.talent_record import TalentRecord, search_tokens
from sourcer.runtime.errors import DomainError


class TalentSort(StrEnum):
    UPDATED_DESC = "-updated_at"
    UPDATED_ASC = "updated_at"
    CREATED_DESC = "-created_at"
    CREATED_ASC = "created_at"

    @property
    def field(self) -> str:
        return self.value.lstrip("-")

    @property
    def direction(self) -> int:
        return -1 if self.value.startswith("-") else 1


@dataclass(frozen=True, kw_only=True)
class TalentFilters:
    pool: str | None = None
    status: str | None = None
    consent_state: ConsentState | None = None
    platform: Platform | None = None
    sourced_by: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    q: str | None = None
    email: str | None = None
    profile_url: str | None = None
    deleting_soon: bool | None = None

    def query(self, *, tenant_id: str) -> dict[str, Any]:
        """The filter document; equality filters first, so the leading one meets its index."""
        query: dict[str, Any] = {"tenant_id": tenant_id}
        field = TalentRecord.field
        if self.email is not None:
            query[field("email_keys")] = self.email.strip().lower()
        if self.profile_url is not None:
            query[field("profile_urls")] = self.profile_url
        if self.pool is not None:
            query[field("pools")] = self.pool
        if self.status is not None:
            query[field("status")] = self.status
        if self.consent_state is not None:
            # A talent never asked has no consent at all, which `null` matches.
            state = self.consent_state
            query[f"{field('consent')}.state"] = (
                None if state is ConsentState.NOT_REQUESTED else state.value
            )
        if self.deleting_soon is not None:
            # Any scheduled erasure has a reason; a talent without one has no schedule.
            query[f"{field('erasure_scheduled')}.reason"] = (
                {"$type": "string"} if self.deleting_soon else None
            )
        if self.platform is not None:
            query[f"{field('sources')}.platform"] = self.platform.value
        if self.sourced_by is not None:
            query[field("created_by")] = self.sourced_by
        tokens = search_tokens(self.q or "")
        if self.q is not None and not tokens:
            raise DomainError("invalid_query", "Search for at least two letters or digits.")
        if tokens:
            query[field("search_keys")] = {"$all": tokens}
        for name, low, high in (
            ("created_at", self.created_from, self.created_to),
            ("updated_at", self.updated_from, self.updated_to),
        ):
            if low is not None and high is not None and low >= high:
                raise DomainError(
                    "invalid_query", f"{name}: the range's start is not before its end."
                )
            bounds = {op: at for op, at in (("$gte", low), ("$lt", high)) if at is not None}
            if bounds:
                query[field(name)] = bounds
        return query

    def fingerprint(self, sort: TalentSort) -> str:
        """Binds a cursor to the filters and order it was made for."""
        text = json.dumps([repr(self), sort.value])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Cursor:
    after_value: datetime
    after_id: str
    fingerprint: str

    def encode(self) -> str:
        raw = json.dumps([self.after_value.isoformat(), self.after_id, self.fingerprint])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, *, fingerprint: str) -> Cursor:
        try:
            padded = text + "=" * (-len(text) % 4)
            value, talent_id, bound_to = json.loads(base64.urlsafe_b64decode(padded))
            cursor = cls(datetime.fromisoformat(value), str(talent_id), str(bound_to))
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
            raise DomainError("invalid_cursor", "The cursor is not one this API gave.") from exc
        if cursor.fingerprint != fingerprint:
            raise DomainError(
                "invalid_cursor", "The cursor belongs to other filters or another order."
            )
        return cursor


def page_query(base: dict[str, Any], *, sort: TalentSort, cursor: Cursor | None) -> dict[str, Any]:
    """Rows strictly after the cursor in (sort key, _id) order."""
    if cursor is None:
        return base
    past = "$lt" if sort.direction < 0 else "$gt"
    after = {
        "$or": [
            {sort.field: {past: cursor.after_value}},
            {sort.field: cursor.after_value, "_id": {past: cursor.after_id}},
        ]
    }
    return {"$and": [base, after]}


def sort_spec(sort: TalentSort) -> list[tuple[str, int]]:
    return [(sort.field, sort.direction), ("_id", sort.direction)]

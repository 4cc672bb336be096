"""The documents of the talent service that other services read: `talents` and `pools`.

The talent service owns and writes them, always through these models (whole documents with
`to_document`, partial updates with `set_fields`); the gateway serves reads from them and the
consent service reads a talent's contact details, both through `from_document`. A field renamed
here breaks every reader's tests instead of leaving them to guess at shapes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from sourcer.proto.records import Education, Experience, Language, Platform, ProfileSource

# Prefixes of a word from this length up to the longest, so "Schn" finds "Schneider".
SEARCH_PREFIX_MIN, SEARCH_PREFIX_MAX, SEARCH_TERMS_MAX = 2, 20, 5
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _words(text: str) -> list[str]:
    """Folded to ASCII, lower case, cut to the longest prefix kept, each once."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w[:SEARCH_PREFIX_MAX] for w in _NOT_WORD.split(folded) if len(w) >= SEARCH_PREFIX_MIN]
    return list(dict.fromkeys(words))


def search_tokens(text: str) -> list[str]:
    """The words of a search, as the stored keys match them."""
    return _words(text)[:SEARCH_TERMS_MAX]


def search_keys(texts: Iterable[str | None]) -> list[str]:
    """Every prefix of every word of the texts, the keys `search_tokens` looks up."""
    keys: set[str] = set()
    for text in texts:
        for word in _words(text) if text else []:
            keys.update(word[:n] for n in range(SEARCH_PREFIX_MIN, len(word) + 1))
    return sorted(keys)


class StoredModel(BaseModel):
    """A stored document: `_id` in the database is `id` here; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(alias="_id", description="Document id.")
    tenant_id: str = Field(description="Tenant the document belongs to.", examples=["acme"])

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Self:
        return cls.model_validate(doc)

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)

    @classmethod
    def field(cls, name: str) -> str:
        """The stored name of a field, for queries: a renamed field fails here, not silently."""
        if name not in cls.model_fields:
            raise KeyError(f"{cls.__name__} has no field {name!r}")
        alias = cls.model_fields[name].alias
        return alias or name

    @classmethod
    def set_fields(cls, **values: Any) -> dict[str, Any]:
        """A `$set` document for a partial update, each value checked against its field."""
        checked: dict[str, Any] = {}
        for name, value in values.items():
            if name not in cls.model_fields or name in ("id", "tenant_id"):
                raise KeyError(f"{cls.__name__} has no writable field {name!r}")
            checked[name] = _adapter(cls, name).dump_python(
                _adapter(cls, name).validate_python(value)
            )
        return checked


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    annotation = model.model_fields[name].annotation
    assert annotation is not None
    return TypeAdapter(annotation)


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Note id.", examples=["note_1a2b3c"])
    text: str = Field(description="What the recruiter wrote.", examples=["Open to offers."])
    author: str = Field(description="User who wrote it.", examples=["alice"])
    at: datetime = Field(description="When it was written.")


class FieldOrigin(BaseModel):
    """Where a field's value came from: a platform (`source`) or a person (`edited_by`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Platform | None = Field(default=None, description="Extracted from this platform.")
    edited_by: str | None = Field(default=None, description="Set by this user.")
    at: datetime = Field(description="When.")


class ConsentMirror(BaseModel):
    """The talent's consent state as the consent service last announced it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    state: str = Field(description="requested, granted, unlocked_manually, ...")
    consent_id: str = Field(description="Consent request id.")
    channel: str = Field(description="link, email or manual.")
    at: datetime = Field(description="When the state was reached.")
    event_id: str = Field(description="The event that announced it.")
    expires_at: datetime | None = Field(default=None, description="Deadline of a request.")
    text_version: str | None = Field(default=None, description="Consent text shown.")
    language: str | None = Field(default=None, description="Language shown.")
    unlocked_by: str | None = Field(default=None, description="Admin who unlocked.")
    reason: str | None = Field(default=None, description="Why an admin unlocked.")


class ErasureSchedule(BaseModel):
    """A talent's erasure is due unless someone acts first: the "deleting soon" flag."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str = Field(
        description="consent_not_requested: nobody asked the talent for consent within the "
        "notice period."
    )
    scheduled_at: datetime = Field(description="When the erasure was scheduled.")
    erase_after: datetime = Field(description="When the talent is erased unless cancelled.")
    event_id: str = Field(
        description="Id of the `talent.erasure_scheduled` event announcing it; a publish retried "
        "after a failure reuses it."
    )
    announced_at: datetime | None = Field(
        default=None, description="When the broker confirmed that event; empty until then."
    )


class TalentRecord(StoredModel):
    """A talent in a tenant's pool (`talents`)."""

    version: int = Field(ge=1, description="Bumped by every change; the API's ETag.")
    first_name: str | None = None
    last_name: str | None = None
    emails: list[str] = Field(default_factory=list)
    headline: str | None = None
    location: str | None = None
    experience: list[Experience] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    sources: list[ProfileSource] = Field(
        default_factory=list, description="Profiles the talent was sourced from."
    )
    provenance: dict[str, FieldOrigin] = Field(
        default_factory=dict, description="Per field: where its value came from."
    )
    pools: list[str] = Field(default_factory=list, description="Pool ids.")
    notes: list[Note] = Field(default_factory=list)
    status: str | None = Field(default=None, description="One of the tenant's statuses.")
    preferred_language: str | None = Field(default=None, description="ISO 639-1 code.")
    consent: ConsentMirror | None = Field(default=None, description="Consent state.")
    erasure_scheduled: ErasureSchedule | None = Field(
        default=None, description="Set while the talent is due for erasure unless cancelled."
    )
    applied_requests: list[str] = Field(
        default_factory=list, description="Sourcing requests applied, newest last (bounded)."
    )
    created_at: datetime
    updated_at: datetime
    created_by: str = Field(description="User who first submitted the talent.")
    # Lookup keys, derived from the fields above on every write; readers may query by them.
    profile_keys: list[str] = Field(default_factory=list, description="`platform:profile_id`.")
    profile_urls: list[str] = Field(default_factory=list, description="Canonical profile URLs.")
    email_keys: list[str] = Field(default_factory=list, description="Lower-cased emails.")
    name_company_key: str | None = Field(
        default=None, description="`first-last|company` for possible-duplicate checks."
    )
    search_keys: list[str] = Field(
        default_factory=list,
        description="Prefixes of the words of the name and companies, for the name/company search.",
    )

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def deleting_soon(self) -> dict[str, Any] | None:
        """What the API shows of a scheduled erasure: why, and when it happens."""
        scheduled = self.erasure_scheduled
        if scheduled is None:
            return None
        return {"reason": scheduled.reason, "erase_after": scheduled.erase_after}


class PoolRecord(StoredModel):
    """A named pool of talents (`pools`)."""

    name: str = Field(description="Name as entered.")
    name_key: str = Field(description="Name folded for uniqueness per tenant.")
    description: str | None = None
    version: int = Field(ge=1)
    created_at: datetime
    created_by: str

"""API schemas: `XCreate` bodies, `XUpdate` patches and `XRead` answers, with examples."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sourcer.gateway.consent_options import ConsentOption
from sourcer.proto.envelope import Role
from sourcer.proto.events import Preview
from sourcer.proto.records import Education, Experience, Language, Platform


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestStatus(StrEnum):
    QUEUED = "queued"
    EXTRACTING = "extracting"
    READY = "ready"
    FAILED = "failed"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    CANCELLED = "cancelled"


IN_FLIGHT = (RequestStatus.QUEUED, RequestStatus.EXTRACTING)
STREAM_ENDS = (
    RequestStatus.READY,
    RequestStatus.FAILED,
    RequestStatus.SUBMITTED,
    RequestStatus.CANCELLED,
)


class SourcingRequestCreate(ApiModel):
    url: str = Field(
        max_length=4096,
        description="Profile URL as the browser shows it; canonicalized by Sourcer.",
        examples=["https://de.linkedin.com/in/jane-doe/?originalSubdomain=de"],
    )


class RequestError(BaseModel):
    code: str = Field(description="Stable error code.", examples=["profile_unavailable"])
    message: str = Field(
        description="What happened, for the recruiter.",
        examples=["The profile is not available: it was removed or is private."],
    )
    retryable: bool = Field(description="Sourcing again later may succeed.", examples=[False])


class RequestLinks(BaseModel):
    self: str = Field(examples=["https://api.sourcer.example/v1/sourcing-requests/req_1"])
    events: str = Field(examples=["https://api.sourcer.example/v1/sourcing-requests/req_1/events"])
    submit: str = Field(examples=["https://api.sourcer.example/v1/sourcing-requests/req_1/submit"])
    talent: str | None = Field(default=None, description="The talent, once submitted.")


class SourcingRequestRead(BaseModel):
    """A sourcing request and where it stands."""

    id: str = Field(examples=["req_5f0c2a9b1e2d4c6f8a7b3c1d"])
    status: RequestStatus = Field(examples=["ready"])
    url: str = Field(
        description="Canonical URL.", examples=["https://www.linkedin.com/in/jane-doe/"]
    )
    platform: Platform = Field(examples=["linkedin"])
    profile_id: str = Field(examples=["jane-doe"])
    version: int = Field(description="Increases with every status change.", examples=[3])
    queue_reason: str | None = Field(
        default=None,
        description="Why a queued request waits, e.g. waiting_for_session.",
        examples=["waiting_for_session"],
    )
    next_slot_at: datetime | None = Field(
        default=None, description="When a platform session is expected to be free."
    )
    created_at: datetime
    updated_at: datetime
    preview: Preview | None = Field(default=None, description="Set when ready.")
    error: RequestError | None = Field(default=None, description="Set when failed.")
    talent_id: str | None = Field(default=None, description="Set when submitted.")
    consent_options: list[ConsentOption] | None = Field(
        default=None,
        description="Set when submitted: the ways the caller may ask the talent for consent, "
        "with their warnings; empty once the talent granted.",
    )
    links: RequestLinks


class SubmitCreate(ApiModel):
    """What the recruiter decided in the preview."""

    status: str | None = Field(
        default=None, max_length=64, description="Talent status.", examples=["new"]
    )
    preferred_language: str | None = Field(
        default=None, max_length=16, description="Preferred language.", examples=["de"]
    )
    pools: list[str] = Field(
        default_factory=list, max_length=50, description="Pool ids.", examples=[["pool_1"]]
    )
    notes: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Notes to add.",
        examples=[["Met at PyCon, open to offers in Q3."]],
    )
    accept: list[str] | None = Field(
        default=None,
        max_length=500,
        description="Keys of preview changes to apply; omitted = all except conflicts.",
        examples=[["experience:acme-gmbh:2024-03", "skills:rust"]],
    )
    overrides: dict[str, Any] = Field(
        default_factory=dict,
        description="Values the recruiter edited: first_name, last_name, headline, location.",
        examples=[{"first_name": "Jane"}],
    )


class NoteRead(BaseModel):
    id: str = Field(examples=["note_1a2b"])
    text: str = Field(examples=["Open to offers in Q3."])
    author: str = Field(examples=["alice"])
    at: datetime


class SourceRead(BaseModel):
    platform: Platform
    profile_url: str
    profile_id: str


class TalentDeletingSoon(BaseModel):
    """The talent is erased at `erase_after` unless someone acts first."""

    reason: str = Field(
        description="consent_not_requested: nobody requested the talent's consent within the "
        "notice period (GDPR Art. 14(3)(a)); requesting consent, or an admin unlock, before "
        "`erase_after` cancels the erasure.",
        examples=["consent_not_requested"],
    )
    erase_after: datetime = Field(
        description="When the talent is erased.", examples=["2026-12-09T10:00:00Z"]
    )


class TalentRead(BaseModel):
    """A talent of the caller's tenant. `version` is also the ETag."""

    id: str = Field(examples=["tal_3b1f9c"])
    version: int = Field(examples=[2])
    first_name: str | None = Field(default=None, examples=["Jane"])
    last_name: str | None = Field(default=None, examples=["Doe"])
    emails: list[str] = Field(default_factory=list, examples=[["jane@example.org"]])
    headline: str | None = None
    location: str | None = None
    experience: list[Experience] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list, examples=[["Python"]])
    languages: list[Language] = Field(default_factory=list)
    sources: list[SourceRead] = Field(default_factory=list)
    status: str | None = Field(default=None, examples=["new"])
    preferred_language: str | None = Field(default=None, examples=["de"])
    pools: list[str] = Field(default_factory=list, examples=[["pool_1"]])
    notes: list[NoteRead] = Field(default_factory=list)
    provenance: dict[str, Any] = Field(
        default_factory=dict,
        description="Per field: where its value came from.",
        examples=[{"first_name": {"source": "linkedin", "at": "2026-11-25T09:00:00Z"}}],
    )
    consent: dict[str, Any] | None = Field(default=None, description="Consent state.")
    deleting_soon: TalentDeletingSoon | None = Field(
        default=None, description="Set while the talent's erasure is scheduled; null otherwise."
    )
    crm_url: str | None = Field(default=None, description="The talent in the CRM.")
    created_at: datetime
    updated_at: datetime


class TalentExport(BaseModel):
    """A talent's data for import into a CRM (only after consent or an admin's unlock)."""

    exported_at: datetime = Field(description="When this export was made (UTC).")
    talent: TalentRead


class TalentList(BaseModel):
    items: list[TalentRead]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; absent on the last."
    )


class TalentUpdate(ApiModel):
    status: str | None = Field(default=None, max_length=64, examples=["contacted"])
    preferred_language: str | None = Field(default=None, max_length=16, examples=["en"])


class TalentPoolCreate(ApiModel):
    pool_id: str = Field(min_length=1, max_length=64, examples=["pool_1"])


class NoteCreate(ApiModel):
    text: str = Field(min_length=1, max_length=5000, examples=["Called, prefers email."])


class PoolCreate(ApiModel):
    name: str = Field(min_length=1, max_length=200, examples=["Backend Berlin"])
    description: str | None = Field(default=None, max_length=2000)


class PoolUpdate(ApiModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class PoolRead(BaseModel):
    id: str = Field(examples=["pool_1"])
    name: str = Field(examples=["Backend Berlin"])
    description: str | None = None
    version: int = Field(examples=[1])
    created_at: datetime
    created_by: str = Field(examples=["alice"])


class PoolList(BaseModel):
    items: list[PoolRead]


class TenantSettingsRead(BaseModel):
    statuses: list[str] = Field(examples=[["new", "contacted", "interested"]])
    default_status: str = Field(examples=["new"])
    languages: list[str] = Field(examples=[["de", "en"]])
    crm_url_template: str | None = Field(
        default=None, examples=["https://crm.acme.example/candidates/{talent_id}"]
    )
    version: int = Field(default=0, examples=[0])


class TenantSettingsUpdate(ApiModel):
    statuses: list[str] | None = Field(default=None, min_length=1, max_length=50)
    default_status: str | None = Field(default=None, max_length=64)
    languages: list[str] | None = Field(default=None, min_length=1, max_length=50)
    crm_url_template: str | None = Field(
        default=None,
        max_length=500,
        description="https link to a talent in the CRM with {talent_id}; null removes it.",
        examples=["https://crm.acme.example/candidates/{talent_id}"],
    )


class CapabilitiesRead(BaseModel):
    """What the caller's role allows beyond sourcing, reading and submitting talents; the
    extension shows or hides actions by these (the routes enforce the same rules)."""

    can_unlock: bool = Field(
        description="Unlock a talent manually without consent; see the erasure schedule."
    )
    can_manage_webhooks: bool = Field(description="Register and manage consent webhooks.")
    can_manage_settings: bool = Field(
        description="Change statuses, languages and the data-controller details."
    )
    can_manage_sessions_of_others: bool = Field(
        description="See and manage every platform session of the tenant and its policy."
    )
    can_delete_pools: bool = Field(description="Delete an empty talent pool.")
    can_delete_notes_of_others: bool = Field(description="Delete another recruiter's note.")


class MeRead(BaseModel):
    """The caller as the gateway sees them, from the verified token."""

    sub: str = Field(description="The user id (`sub` claim).", examples=["u_8f14e45f"])
    name: str | None = Field(
        default=None, description="Display name, when the token has one.", examples=["Jane Doe"]
    )
    email: str | None = Field(
        default=None,
        description="Email address, when the token has one.",
        examples=["jane.doe@acme.example"],
    )
    role: Role = Field(examples=["recruiter"])
    tenant_id: str = Field(description="The tenant (`tenant` claim).", examples=["acme"])
    capabilities: CapabilitiesRead

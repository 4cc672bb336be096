"""Payloads of every event on the bus, and the registry that maps event types to them.

Facts are named in the past tense (`profile.extracted`), commands in the imperative
(`talent.submit`). The event type is also the routing key on the `sourcer.events` exchange.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from sourcer.proto.envelope import Envelope
from sourcer.proto.records import Platform, Profile, Record


class SourcingRequested(Record):
    """A recruiter asked Sourcer to extract a profile (gateway → extractor)."""

    request_id: str = Field(description="Sourcing request id.", examples=["req_01HZX3"])
    url: str = Field(
        description="Canonical profile URL, already checked against the allowlist.",
        examples=["https://www.linkedin.com/in/jane-doe/"],
    )
    platform: Platform = Field(description="Platform of the URL.", examples=["linkedin"])
    profile_id: str = Field(description="Platform slug from the URL.", examples=["jane-doe"])


class ExtractionStarted(Record):
    """The extractor began rendering a requested profile (extractor → gateway)."""

    request_id: str = Field(description="Sourcing request id.", examples=["req_01HZX3"])
    attempt: int = Field(default=1, ge=1, description="Attempt number.", examples=[1])


class QueueReason(StrEnum):
    WAITING_FOR_SESSION = "waiting_for_session"


class ExtractionQueued(Record):
    """A requested profile waits, e.g. for a free platform session (extractor → gateway)."""

    request_id: str = Field(description="Sourcing request id.", examples=["req_01HZX3"])
    reason: QueueReason = Field(description="Why it waits.", examples=["waiting_for_session"])
    next_slot_at: datetime | None = Field(
        default=None, description="When a session is expected to be free, if known."
    )


class SourcingCancelled(Record):
    """The recruiter cancelled a sourcing request; its job is skipped or abandoned (gateway →
    extractor)."""

    request_id: str = Field(description="Sourcing request id.", examples=["req_01HZX3"])


class ProfileExtracted(Record):
    """A profile was rendered and parsed (extractor → talent)."""

    request_id: str = Field(description="Sourcing request id.", examples=["req_01HZX3"])
    profile: Profile = Field(description="The extracted profile.")
    extraction_ms: int = Field(
        default=0, ge=0, description="Time the extractor spent, in milliseconds.", examples=[2150]
    )


class ExtractionErrorCode(StrEnum):
    """Stable codes for extraction failures."""

    SESSION_EXPIRED = "session_expired"
    CHECKPOINT = "checkpoint"
    RATE_LIMITED = "rate_limited"
    PROFILE_UNAVAILABLE = "profile_unavailable"
    LAYOUT_CHANGED = "layout_changed"
    TIMEOUT = "timeout"
    BROWSER_CRASHED = "browser_crashed"
    UNSUPPORTED_URL = "unsupported_url"
    NO_SESSION_CONNECTED = "no_session_connected"
    NO_SESSION_AVAILABLE = "no_session_available"
    EXTRACTION_LOST = "extraction_lost"


class ProfileExtractionFailed(Record):
    """A profile could not be extracted (extractor → gateway)."""

    request_id: str = Field(description="Sourcing request id.", examples=["req_01HZX3"])
    code: ExtractionErrorCode = Field(description="Stable error code.", examples=["checkpoint"])
    retryable: bool = Field(description="Trying again later may succeed.", examples=[False])
    message: str = Field(
        description="What happened, in words a recruiter understands.",
        examples=["The profile is not available: it was removed or is private."],
    )


class PreviewKind(StrEnum):
    NEW = "new"
    EXISTING = "existing"
    POSSIBLE_DUPLICATE = "possible_duplicate"
    SUPPRESSED = "suppressed"


class FieldChange(Record):
    """One difference between an extracted profile and the stored talent."""

    key: str = Field(
        description="Stable key of the change, used to accept it on submit.",
        examples=["experience:acme-gmbh:staff-engineer:2024-03"],
    )
    field: str = Field(description="Field that changed.", examples=["experience"])
    kind: str = Field(description="added, changed or removed.", examples=["added"])
    old: Any = Field(default=None, description="Stored value, when any.")
    new: Any = Field(default=None, description="Extracted value.")


class Preview(Record):
    """What the recruiter sees before submitting."""

    kind: PreviewKind = Field(description="New talent, existing talent, ...", examples=["new"])
    talent_id: str | None = Field(default=None, description="Matching talent, when one exists.")
    crm_url: str | None = Field(default=None, description="Link to the talent in the CRM.")
    matched_by: str | None = Field(
        default=None, description="profile_id, profile_url, email or name_company."
    )
    message: str = Field(description="Human summary.", examples=["This talent already exists!"])
    profile: Profile | None = Field(
        default=None, description="Extracted profile; empty when the person declined."
    )
    changes: list[FieldChange] = Field(default_factory=list, description="What is new.")


class SourcingPreviewReady(Record):
    """The preview for a sourcing request is ready (talent → gateway)."""

    request_id: str = Field(description="Sourcing request id.", examples=["req_01HZX3"])
    preview: Preview = Field(description="The preview.")


class TalentSubmit(Record):
    """Create or update a talent from a previewed sourcing request (gateway → talent)."""

    request_id: str = Field(description="Sourcing request id.", examples=["req_01HZX3"])
    status: str | None = Field(default=None, description="Talent status.", examples=["new"])
    preferred_language: str | None = Field(
        default=None, description="Preferred language (ISO 639-1).", examples=["de"]
    )
    pools: list[str] = Field(default_factory=list, description="Pool ids to add the talent to.")
    notes: list[str] = Field(default_factory=list, description="Notes to add.")
    accept: list[str] | None = Field(
        default=None,
        description="Keys of the preview changes to apply; all when empty.",
    )
    overrides: dict[str, Any] = Field(
        default_factory=dict,
        description="Field values the recruiter edited in the preview.",
        examples=[{"first_name": "Jane"}],
    )


class TalentCreated(Record):
    """A talent was created (talent → gateway, consent)."""

    talent_id: str = Field(description="Talent id.", examples=["tal_01HZX4"])
    request_id: str | None = Field(default=None, description="Originating sourcing request.")


class TalentUpdated(Record):
    """A talent was updated."""

    talent_id: str = Field(description="Talent id.", examples=["tal_01HZX4"])
    request_id: str | None = Field(default=None, description="Originating sourcing request.")
    fields: list[str] = Field(default_factory=list, description="Fields that changed.")


class TalentErased(Record):
    """A talent's personal data was erased."""

    talent_id: str = Field(description="Talent id.", examples=["tal_01HZX4"])
    reason: str = Field(
        description="denied, withdrawn, expired, retention (no contact for the retention "
        "period), or consent_not_requested (nobody asked for consent in time).",
        examples=["denied"],
    )
    request_ids: list[str] = Field(
        default_factory=list,
        description="Sourcing requests that brought this talent in; their owners scrub them.",
        examples=[["req_01HZX3"]],
    )
    person_keys: list[str] = Field(
        default_factory=list,
        description="Keys (sourcer.proto.person_keys) of the talent's id, platform profiles "
        "and emails: owners delete every record carrying one, whoever sourced the person.",
        examples=[["pk_5d41402abc4b2a76b9719d911017c592ab12cd34"]],
    )


class TalentErasureScheduled(Record):
    """A talent nobody asked for consent will be erased unless consent is requested before
    `erase_after` (GDPR Art. 14(3)(a)): the reminder to the sourcing recruiter and the customer's
    systems."""

    talent_id: str = Field(description="Talent id.", examples=["tal_01HZX4"])
    reason: str = Field(
        description="Why the talent is due for erasure: consent_not_requested (no consent "
        "request within the notice period).",
        examples=["consent_not_requested"],
    )
    sourced_by: str | None = Field(
        default=None, description="User id of the recruiter who sourced the talent."
    )
    erase_after: datetime = Field(
        description="When the talent is erased unless consent is requested first.",
        examples=["2026-02-01T00:00:00Z"],
    )


class SessionValidate(Record):
    """Load one page with a newly connected platform session and say whether it is logged in
    (extractor API → extractor)."""

    session_id: str = Field(description="Platform session id.", examples=["ses_3f2a9c"])


class SessionStateChanged(Record):
    """A platform session changed state, e.g. expired or hit a checkpoint: its owner sees it,
    ops alert on it (extractor → anyone)."""

    session_id: str = Field(description="Platform session id.", examples=["ses_3f2a9c"])
    platform: Platform = Field(description="Platform of the session.", examples=["linkedin"])
    owner: str | None = Field(
        default=None, description="Recruiter whose own session it is; empty for shared ones."
    )
    previous: str | None = Field(default=None, description="State before.", examples=["connected"])
    state: str = Field(description="State now.", examples=["expired"])
    needs_person: bool = Field(
        description="Only a person can fix it (log in again, pass a security check).",
        examples=[True],
    )


class ConsentChannel(StrEnum):
    LINK = "link"
    EMAIL = "email"
    MANUAL = "manual"


class ConsentRequested(Record):
    """Consent was requested from a talent."""

    consent_id: str = Field(description="Consent request id.", examples=["con_01HZX5"])
    talent_id: str = Field(description="Talent id.", examples=["tal_01HZX4"])
    channel: ConsentChannel = Field(description="How the talent is asked.", examples=["email"])
    language: str = Field(description="Language of the request.", examples=["de"])
    expires_at: datetime = Field(description="When the request expires unanswered.")


class ConsentOutcome(Record):
    """Common shape of consent outcomes."""

    consent_id: str = Field(description="Consent request id.", examples=["con_01HZX5"])
    talent_id: str = Field(description="Talent id.", examples=["tal_01HZX4"])
    channel: ConsentChannel = Field(description="Channel of the request.", examples=["link"])
    decided_at: datetime = Field(description="When the outcome happened.")
    text_version: str | None = Field(
        default=None, description="Version of the consent text shown.", examples=["2026-11"]
    )
    language: str | None = Field(default=None, description="Language shown.", examples=["en"])
    decided_via: str | None = Field(
        default=None,
        description=(
            "A talent's answer: how the link they used reached them. `email`: sent to the "
            "talent's address, never shown to a recruiter; `link`: handed to the recruiter who "
            "asked, to forward. Null for outcomes nobody answered (expired, unlocked)."
        ),
        examples=["email"],
    )
    from_issuer_address: bool | None = Field(
        default=None,
        description=(
            "True when the answer came from the IP address a recruiter asked for this "
            "talent's consent from (keyed hashes compared; no address is stored): the "
            "recruiter may have answered in the talent's place. Null when either address is "
            "unknown or nobody answered."
        ),
        examples=[False],
    )


class ConsentGranted(ConsentOutcome):
    """The talent granted consent."""


class ConsentDenied(ConsentOutcome):
    """The talent denied consent; their data is erased."""


class ConsentExpired(ConsentOutcome):
    """The talent did not answer in time; their data is erased."""


class ConsentWithdrawn(ConsentOutcome):
    """The talent withdrew a granted consent; their data is erased."""


class ConsentUnlocked(ConsentOutcome):
    """An admin unlocked the talent without consent; logged with a reason."""

    reason: str = Field(description="Why the admin unlocked.", examples=["Talent agreed by phone"])


EVENTS: dict[str, type[BaseModel]] = {
    "sourcing.requested": SourcingRequested,
    "sourcing.extraction_started": ExtractionStarted,
    "sourcing.queued": ExtractionQueued,
    "sourcing.cancelled": SourcingCancelled,
    "session.validate": SessionValidate,
    "session.state_changed": SessionStateChanged,
    "profile.extracted": ProfileExtracted,
    "profile.extraction_failed": ProfileExtractionFailed,
    "sourcing.preview_ready": SourcingPreviewReady,
    "talent.submit": TalentSubmit,
    "talent.created": TalentCreated,
    "talent.updated": TalentUpdated,
    "talent.erased": TalentErased,
    "talent.erasure_scheduled": TalentErasureScheduled,
    "consent.requested": ConsentRequested,
    "consent.granted": ConsentGranted,
    "consent.denied": ConsentDenied,
    "consent.expired": ConsentExpired,
    "consent.withdrawn": ConsentWithdrawn,
    "consent.unlocked": ConsentUnlocked,
}
"""Event type (= routing key) → payload model."""

EVENT_TYPES: dict[type[BaseModel], str] = {model: name for name, model in EVENTS.items()}


class UnknownEventTypeError(ValueError):
    pass


def event_type_of(payload: BaseModel) -> str:
    try:
        return EVENT_TYPES[type(payload)]
    except KeyError:
        raise UnknownEventTypeError(f"{type(payload).__name__} is not a registered event") from None


def parse_envelope(body: bytes | str) -> Envelope[Any]:
    """Parse a message body into an envelope whose payload is the registered model.

    Raises pydantic.ValidationError (invalid JSON or fields) or UnknownEventTypeError.
    """
    raw = Envelope[dict[str, Any]].model_validate_json(body)
    model = EVENTS.get(raw.type)
    if model is None:
        raise UnknownEventTypeError(f"unknown event type {raw.type!r}")
    payload = model.model_validate(raw.payload)
    return Envelope[Any].model_validate({**raw.model_dump(exclude={"payload"}), "payload": payload})

"""Request and response bodies of the consent and webhook API.

The gateway documents them in its OpenAPI; the consent service, which owns the writes, serves
them on its internal API. Keeping them here gives both one definition.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from sourcer.proto.records import Record

CONSENT_OUTCOME_EVENTS = (
    "consent.granted",
    "consent.denied",
    "consent.expired",
    "consent.withdrawn",
    "consent.unlocked",
)
TALENT_EVENTS = (
    "talent.created",
    "talent.updated",
    "talent.erased",
    "talent.erasure_scheduled",
)
WEBHOOK_EVENTS = (*CONSENT_OUTCOME_EVENTS, *TALENT_EVENTS)
"""Every event type an endpoint may choose; one created without a choice gets the consent
outcomes only."""


# The recruiter's address, as the gateway saw it, on its call to the consent service's internal
# API: kept as a keyed hash with the link, so an answer from the same address is flagged.
CLIENT_IP_HEADER = "X-Sourcer-Client-Ip"


def single_line(value: str) -> str:
    """Refuse line breaks and other control characters: these values go into mail headers."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value):
        raise ValueError("must be one line without control characters")
    return value


SingleLine = Annotated[str, AfterValidator(single_line)]


class RequestChannel(StrEnum):
    LINK = "link"
    EMAIL = "email"


class ConsentRequestCreate(Record):
    """Ask a talent for consent by a link the recruiter sends, or by email."""

    channel: RequestChannel = Field(description="link or email.", examples=["email"])
    language: str | None = Field(
        default=None,
        pattern="^(de|en)$",
        description="Language of the email and page; the talent's preferred language if empty.",
        examples=["de"],
    )


class ConsentRead(Record):
    """The consent state of one talent."""

    consent_id: str = Field(description="Current consent request.", examples=["con_5f2a..."])
    talent_id: str = Field(description="Talent id.", examples=["tal_01HZX4"])
    state: str = Field(
        description="not_requested, requested, granted, denied, expired, withdrawn or "
        "unlocked_manually.",
        examples=["requested"],
    )
    channel: str = Field(description="link, email or manual.", examples=["link"])
    language: str = Field(description="Language of the request.", examples=["en"])
    requested_at: datetime = Field(description="When the request was opened.")
    requested_by: str = Field(description="Who opened it.", examples=["alice"])
    expires_at: datetime | None = Field(default=None, description="Deadline of the request.")
    reminder_sent_at: datetime | None = Field(default=None, description="When reminded.")
    decided_at: datetime | None = Field(default=None, description="When the outcome happened.")
    decided_by: str | None = Field(
        default=None, description="`talent`, `deadline`, or the admin who unlocked."
    )
    reason: str | None = Field(default=None, description="Reason of a manual unlock.")
    text_version: str | None = Field(default=None, description="Consent text version shown.")
    decided_via: str | None = Field(
        default=None,
        description="A talent's answer: `email` (the link sent to the talent only) or `link` "
        "(a link handed to a recruiter to forward).",
        examples=["email"],
    )
    from_issuer_address: bool | None = Field(
        default=None,
        description="True when the answer came from the IP address a recruiter asked for "
        "this talent's consent from: the recruiter may have answered in the talent's place. "
        "Null when either address is unknown or nobody answered.",
        examples=[False],
    )
    email_status: str | None = Field(
        default=None, description="pending, sending, sent or failed.", examples=["sent"]
    )
    consent_url: str | None = Field(
        default=None,
        description="Link for the talent (channel link). Shown only in this response: the "
        "service stores a hash of the token. Asking again issues another valid link.",
        examples=["https://consent.sourcer.example/c/Jx3...Q"],
    )


class ConsentUnlockCreate(Record):
    """Why an admin unlocks a talent without their consent."""

    reason: str = Field(
        min_length=10,
        max_length=1000,
        description=(
            "Required; recorded with the admin and the time, and kept as evidence after the "
            "talent's data is erased, so it must not hold personal data."
        ),
        examples=["The talent agreed by phone on 2026-11-20; written consent follows."],
    )


class ControllerUpdate(Record):
    """Who the talent is told processes their data (GDPR Art. 14(1)(a)), per tenant."""

    name: SingleLine = Field(min_length=2, max_length=200, examples=["ACME Recruiting GmbH"])
    contact: SingleLine = Field(
        min_length=3, max_length=200, description="Email or URL.", examples=["privacy@acme.de"]
    )
    address: SingleLine = Field(default="", max_length=300, examples=["Hauptstr. 1, 10115 Berlin"])
    dpo: SingleLine = Field(
        default="",
        max_length=200,
        description="Data-protection officer contact.",
        examples=["dpo@acme.de"],
    )


class DeletingSoonRead(Record):
    """A talent whose consent request runs out soon; their data is then erased."""

    talent_id: str = Field(description="Talent id.", examples=["tal_01HZX4"])
    consent_id: str = Field(description="Consent request id.", examples=["con_5f2a..."])
    channel: str = Field(description="link or email.", examples=["email"])
    expires_at: datetime = Field(description="When the data is erased without an answer.")
    reminder_sent_at: datetime | None = Field(default=None, description="When reminded.")


class WebhookCreate(Record):
    """A receiver of consent outcomes and talent events."""

    url: str = Field(
        max_length=2048,
        description="https URL; it must resolve to a public address.",
        examples=["https://hooks.example.com/sourcer"],
    )
    description: str | None = Field(default=None, max_length=200, examples=["ATS sync"])
    event_types: list[str] | None = Field(
        default=None,
        max_length=len(WEBHOOK_EVENTS),
        description="Event types to deliver: any of " + ", ".join(WEBHOOK_EVENTS) + ". The "
        "consent outcomes only when left out; an unknown type is refused "
        "(`webhook_events_invalid`).",
        examples=[["consent.granted", "talent.created", "talent.updated", "talent.erased"]],
    )
    events: list[str] | None = Field(
        default=None,
        max_length=len(WEBHOOK_EVENTS),
        json_schema_extra={"deprecated": True},
        description="Former name of `event_types`, still accepted; give one of the two.",
    )


class WebhookUpdate(Record):
    """A new choice of event types for an endpoint."""

    event_types: list[str] = Field(
        max_length=len(WEBHOOK_EVENTS),
        description="Event types to deliver from now on (see `WebhookCreate.event_types`).",
        examples=[["consent.granted", "talent.erased"]],
    )


class WebhookRead(Record):
    """A webhook endpoint; the secret is never shown again after creation."""

    id: str = Field(description="Endpoint id.", examples=["whe_8c1d..."])
    url: str = Field(description="Target URL.", examples=["https://hooks.example.com/sourcer"])
    description: str | None = Field(default=None, description="Free text.")
    event_types: list[str] = Field(description="Delivered event types.")
    events: list[str] = Field(
        json_schema_extra={"deprecated": True},
        description="Same as `event_types`, under its former name.",
    )
    enabled: bool = Field(description="False after the receiver answered 410 Gone.")
    disabled_reason: str | None = Field(default=None, description="Why it was disabled.")
    created_at: datetime = Field(description="When it was created.")
    created_by: str = Field(description="Admin who created it.", examples=["alice"])


class WebhookCreated(WebhookRead):
    """The new endpoint with its signing secret, shown this once."""

    secret: str = Field(
        description="Signing secret (`whsec_` + base64); store it now.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class AttemptRead(Record):
    """One HTTP attempt of a delivery."""

    at: datetime = Field(description="When it was made.")
    status_code: int | None = Field(default=None, description="HTTP status, when answered.")
    error: str | None = Field(
        default=None,
        description="Why it failed, as a category: target_refused, dns_failed, connect_failed, "
        "tls_failed, timeout, http_status (answered, not 2xx) or delivery_error. Exact errors "
        "and timings stay in the operators' logs.",
        examples=["connect_failed"],
    )


class DeliveryRead(Record):
    """A delivery of one event to one endpoint, with its attempts."""

    id: str = Field(description="Delivery id, also the `webhook-id` header.", examples=["msg_"])
    endpoint_id: str = Field(description="Endpoint id.")
    event_type: str = Field(description="Event type.", examples=["consent.granted"])
    event_id: str = Field(description="Event id.")
    status: str = Field(description="pending, delivered, failed or cancelled.")
    attempts: list[AttemptRead] = Field(default_factory=list, description="Attempts made.")
    next_attempt_at: datetime | None = Field(default=None, description="Next attempt.")
    created_at: datetime = Field(description="When the event occurred.")

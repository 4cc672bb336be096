"""The envelope every event travels in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from sourcer.proto.records import Record

EXCHANGE = "sourcer.events"
"""The topic exchange all events are published to; the routing key is the event type."""

P = TypeVar("P")


class ActorKind(StrEnum):
    USER = "user"
    SERVICE = "service"


class Role(StrEnum):
    """Roles a user token carries."""

    RECRUITER = "recruiter"
    SUPER_RECRUITER = "super_recruiter"
    ADMIN = "admin"


class Actor(Record):
    """Who caused an event: a user acting through the API, or a service."""

    kind: ActorKind = Field(description="User or service.", examples=["user"])
    id: str = Field(description="User subject or service name.", examples=["alice"])
    role: Role | None = Field(default=None, description="The user's role, for users.")


def new_event_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel, Generic[P]):
    """Metadata common to every event, around a typed payload."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: str = Field(
        default_factory=new_event_id,
        min_length=1,
        max_length=64,
        description="Unique id of this event; consumers deduplicate on it.",
        examples=["7d0b7c0e-4ad5-4b39-9d3c-2f3f3cb8b0a4"],
    )
    type: str = Field(
        min_length=1,
        description="Event type, also the routing key.",
        examples=["profile.extracted"],
    )
    version: int = Field(default=1, ge=1, description="Payload schema version.", examples=[1])
    occurred_at: datetime = Field(
        default_factory=utc_now, description="When the fact happened (UTC)."
    )
    tenant_id: str = Field(
        min_length=1, max_length=64, description="Tenant the event belongs to.", examples=["acme"]
    )
    correlation_id: str = Field(
        min_length=1,
        max_length=64,
        description="Id of the original sourcing request; follows every event it causes.",
        examples=["req_01HZX3"],
    )
    causation_id: str | None = Field(
        default=None, description="Event id of the event that caused this one."
    )
    actor: Actor = Field(description="Who caused the event.")
    payload: P = Field(description="The event's typed payload.")

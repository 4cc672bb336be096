"""Platform sessions: whose they are, which one renders a request, health, pacing (no I/O).

A session is a logged-in LinkedIn or Xing login of one tenant: either one recruiter's own (their
seat) or one of the tenant's shared pool. A request renders with the requesting recruiter's own
session for that platform; if they have none and the tenant allows its shared pool, with one of
the tenant's shared sessions; never with another tenant's, nor another recruiter's own. What one
person's login sees (contact details, out-of-network profiles) is theirs.

Only one worker at a time may use a session (a lease with an expiry, so a crashed worker cannot
hold it forever); after each use it rests for a random pause, and it renders at most
`daily_cap` profiles a day. A checkpoint or expired login takes it out of rotation until its
owner connects it again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sourcer.extractor.parsing.classify import Failure
from sourcer.proto.events import ExtractionErrorCode as Code
from sourcer.proto.records import Platform


class SessionState(StrEnum):
    VALIDATING = "validating"  # connected by its owner, its first page load not done yet
    CONNECTED = "connected"
    EXPIRED = "expired"
    CHECKPOINT = "checkpoint"
    RATE_LIMITED = "rate_limited"
    DISABLED = "disabled"


# States a session leaves only when a person acts (connects it again, an admin enables it).
NEEDS_PERSON = {SessionState.EXPIRED, SessionState.CHECKPOINT}


class UseOutcome(StrEnum):
    """How a use of a session ended, as far as the session's health is concerned."""

    OK = "ok"
    EXPIRED = "expired"
    CHECKPOINT = "checkpoint"
    RATE_LIMITED = "rate_limited"


NEXT_STATE = {
    UseOutcome.OK: SessionState.CONNECTED,
    UseOutcome.EXPIRED: SessionState.EXPIRED,
    UseOutcome.CHECKPOINT: SessionState.CHECKPOINT,
    UseOutcome.RATE_LIMITED: SessionState.RATE_LIMITED,
}


@dataclass(frozen=True)
class Pacing:
    pause_min: float
    pause_max: float
    daily_cap: int
    lease_seconds: float
    rate_limit_cooldown: float

    def next_use_at(self, now: datetime, rng: random.Random | None = None) -> datetime:
        pick = (rng or random).uniform(self.pause_min, max(self.pause_min, self.pause_max))
        return now + timedelta(seconds=pick)


@dataclass(frozen=True)
class Requester:
    """Who a request is rendered for: the recruiter, their tenant, and the tenant's policy."""

    tenant_id: str
    user: str
    shared_pool: bool


@dataclass(frozen=True)
class SessionSummary:
    """What lists and the API show: never the login itself."""

    session_id: str
    tenant_id: str
    platform: Platform
    owner: str | None
    label: str | None
    state: SessionState
    used_today: int
    daily_cap: int
    leased_by: str | None
    next_use_at: datetime | None
    cooldown_until: datetime | None
    connected_at: datetime | None
    last_used_at: datetime | None
    state_since: datetime | None

    @property
    def shared(self) -> bool:
        return self.owner is None

    def next_free_at(self, now: datetime) -> datetime | None:
        """When this session can render again, as far as pacing, caps and cooldowns tell."""
        if self.state in (*NEEDS_PERSON, SessionState.DISABLED, SessionState.VALIDATING):
            return None
        waits = [self.next_use_at or now]
        if self.state is SessionState.RATE_LIMITED and self.cooldown_until:
            waits.append(self.cooldown_until)
        if self.used_today >= self.daily_cap:
            tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
            waits.append(tomorrow)
        return max(max(waits), now)


@dataclass(frozen=True)
class Lease:
    session_id: str
    platform: Platform
    owner: str | None
    lease_id: str
    storage_state: dict[str, object]


class NoSession(StrEnum):
    """Why no session was leased."""

    NONE_CONNECTED = "none_connected"  # nothing this request may ever use: fail at once
    EXPIRED = "expired"  # the recruiter's own session needs them to connect it again
    BUSY = "busy"  # sessions exist but are leased, resting or capped: wait


@dataclass(frozen=True)
class Waiting:
    reason: NoSession
    next_free_at: datetime | None = None


def usable_by(summary: SessionSummary, requester: Requester) -> bool:
    """The sessions a request may ever render with: the requester's own, or (if allowed) the
    tenant's shared ones."""
    if summary.tenant_id != requester.tenant_id:
        return False
    if summary.owner is not None:
        return summary.owner == requester.user
    return requester.shared_pool


def why_none_free(sessions: list[SessionSummary], requester: Requester, now: datetime) -> Waiting:
    """With no session leasable now: fail at once, or wait until when?"""
    mine = [s for s in sessions if usable_by(s, requester)]
    live = [s for s in mine if s.next_free_at(now) is not None or s.leased_by is not None]
    if live:
        times = [t for s in live if (t := s.next_free_at(now)) is not None]
        return Waiting(NoSession.BUSY, min(times) if times else None)
    own = [s for s in mine if s.owner == requester.user]
    if any(s.state in NEEDS_PERSON for s in own):
        return Waiting(NoSession.EXPIRED)
    return Waiting(NoSession.NONE_CONNECTED)


class SessionRepository(Protocol):
    async def lease(
        self, *, platform: Platform, requester: Requester, holder: str, now: datetime
    ) -> Lease | Waiting: ...

    async def release(
        self,
        *,
        lease: Lease,
        now: datetime,
        outcome: UseOutcome,
        storage_state: dict[str, object] | None,
        counted: bool,
    ) -> SessionState: ...

    async def shared_pool(self, *, tenant_id: str) -> bool: ...


PLATFORM_NAMES = {Platform.LINKEDIN: "LinkedIn", Platform.XING: "Xing"}


def session_failure(code: Code, platform: Platform) -> Failure:
    """What a recruiter reads when their request ended for want of a working session, and what
    to do about it."""
    name = PLATFORM_NAMES[platform]
    messages = {
        Code.NO_SESSION_CONNECTED: (
            False,
            f"Connect your {name} session in the Sourcer extension to source {name} profiles.",
        ),
        Code.SESSION_EXPIRED: (
            False,
            f"Your {name} session has expired: reconnect your {name} session in the Sourcer "
            "extension, then source the profile again.",
        ),
        Code.CHECKPOINT: (
            False,
            f"{name} asked for a security check on your session. Open {name} in your browser, "
            f"complete the check, then reconnect your {name} session in the Sourcer extension.",
        ),
        Code.NO_SESSION_AVAILABLE: (
            True,
            f"No {name} session was free in time (sessions rest between profiles and have a "
            "daily limit). Try again later.",
        ),
    }
    retryable, message = messages[code]
    return Failure(code, retryable, message)

"""Platform accounts: health states, leases, pacing and daily caps (domain, no I/O).

An account is a logged-in platform session of a real recruiter seat. Only one worker at a
time may use it (a lease with an expiry, so a crashed worker cannot hold it forever); after
each use it rests for a random pause, and it renders at most `daily_cap` profiles a day.
A checkpoint or expired session takes it out of rotation until a person looks at it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sourcer.proto.records import Platform


class AccountState(StrEnum):
    HEALTHY = "healthy"
    EXPIRED = "expired"
    CHECKPOINT = "checkpoint"
    RATE_LIMITED = "rate_limited"
    DISABLED = "disabled"


class UseOutcome(StrEnum):
    """How a use of an account ended, as far as the account's health is concerned."""

    OK = "ok"
    EXPIRED = "expired"
    CHECKPOINT = "checkpoint"
    RATE_LIMITED = "rate_limited"


NEXT_STATE = {
    UseOutcome.OK: AccountState.HEALTHY,
    UseOutcome.EXPIRED: AccountState.EXPIRED,
    UseOutcome.CHECKPOINT: AccountState.CHECKPOINT,
    UseOutcome.RATE_LIMITED: AccountState.RATE_LIMITED,
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
class AccountSummary:
    """What `accounts list` shows: never the session itself."""

    account_id: str
    platform: Platform
    state: AccountState
    used_today: int
    leased_by: str | None
    next_use_at: datetime | None
    cooldown_until: datetime | None


@dataclass(frozen=True)
class Lease:
    account_id: str
    platform: Platform
    lease_id: str
    storage_state: dict[str, object]


class AccountRepository(Protocol):
    async def upsert(
        self, *, account_id: str, platform: Platform, storage_state: dict[str, object]
    ) -> None: ...

    async def list(self) -> list[AccountSummary]: ...

    async def disable(self, *, account_id: str) -> bool: ...

    async def lease(self, *, platform: Platform, holder: str, now: datetime) -> Lease | None: ...

    async def release(
        self,
        *,
        lease: Lease,
        now: datetime,
        outcome: UseOutcome,
        storage_state: dict[str, object] | None,
        counted: bool,
    ) -> AccountState: ...


class NoAccountAvailableError(Exception):
    """Every account of the platform is leased, resting, capped or unhealthy."""

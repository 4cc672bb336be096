"""Platform accounts in MongoDB (`platform_accounts`, owned by the extractor).

A lease is a document in `platform_account_leases` whose `_id` is the account id: inserting
it can succeed for one worker only, whatever the server's isolation of read-modify-write
operations (a conditional `find_one_and_update` proved not to be exclusive on every
MongoDB-compatible server). The lease on the account document is a copy for `accounts list`.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from bson import Binary
from prometheus_client import Counter
from pymongo.errors import DuplicateKeyError

from sourcer.extractor.accounts import (
    NEXT_STATE,
    AccountState,
    AccountSummary,
    Lease,
    Pacing,
    UseOutcome,
)
from sourcer.extractor.crypto import SessionCipher
from sourcer.proto.records import Platform
from sourcer.runtime.catalog import Catalog, CollectionSpec
from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import IndexSpec, Store

log = get_logger(__name__)

COLLECTION = "platform_accounts"
LEASES = "platform_account_leases"
CATALOG = Catalog(
    service="extractor",
    owns=(
        CollectionSpec(
            COLLECTION,
            "Platform sessions (encrypted), their state, pacing and daily use.",
            exempt="recruiters' own platform sessions, nothing of the talents they render",
            indexes=(IndexSpec(COLLECTION, [("platform", 1), ("state", 1), ("next_use_at", 1)]),),
        ),
        CollectionSpec(
            LEASES,
            "Exclusive leases of sessions by workers.",
            exempt="session and worker ids and times only",
        ),
    ),
)

ACCOUNT_TRANSITIONS = Counter(
    "sourcer_extractor_account_transitions_total",
    "Accounts entering a state; alert on checkpoint and expired.",
    ["platform", "state"],
)


def _day(now: datetime) -> str:
    return now.date().isoformat()


class MongoAccountRepository:
    def __init__(self, *, store: Store, cipher: SessionCipher, pacing: Pacing) -> None:
        self._accounts = store.collection(COLLECTION)
        self._leases = store.collection(LEASES)
        self._cipher = cipher
        self._pacing = pacing

    def _seal(self, account_id: str, storage_state: dict[str, object]) -> Binary:
        plain = json.dumps(storage_state, separators=(",", ":")).encode()
        return Binary(self._cipher.encrypt(plain, account_id=account_id))

    def _open(self, account_id: str, blob: bytes) -> dict[str, object]:
        state: dict[str, object] = json.loads(self._cipher.decrypt(blob, account_id=account_id))
        return state

    async def upsert(
        self, *, account_id: str, platform: Platform, storage_state: dict[str, object]
    ) -> None:
        """Import or refresh a session; a re-import makes the account healthy again."""
        now = datetime.now(UTC)
        await self._accounts.update_one(
            {"_id": account_id},
            {
                "$set": {
                    "platform": platform.value,
                    "session": self._seal(account_id, storage_state),
                    "state": AccountState.HEALTHY.value,
                    "state_since": now,
                    "cooldown_until": None,
                    "updated_at": now,
                },
                "$setOnInsert": {
                    "lease": None,
                    "next_use_at": now,
                    "day": _day(now),
                    "used_today": 0,
                },
            },
            upsert=True,
        )

    async def list(self) -> list[AccountSummary]:
        found = []
        async for doc in self._accounts.find({}).sort("_id", 1):
            lease = doc.get("lease") or {}
            found.append(
                AccountSummary(
                    account_id=doc["_id"],
                    platform=Platform(doc["platform"]),
                    state=AccountState(doc["state"]),
                    used_today=int(doc.get("used_today", 0)),
                    leased_by=lease.get("holder"),
                    next_use_at=doc.get("next_use_at"),
                    cooldown_until=doc.get("cooldown_until"),
                )
            )
        return found

    async def disable(self, *, account_id: str) -> bool:
        result = await self._accounts.update_one(
            {"_id": account_id},
            {"$set": {"state": AccountState.DISABLED.value, "state_since": datetime.now(UTC)}},
        )
        return result.matched_count == 1

    async def lease(self, *, platform: Platform, holder: str, now: datetime) -> Lease | None:
        await self._accounts.update_many(
            {"platform": platform.value, "day": {"$ne": _day(now)}},
            {"$set": {"day": _day(now), "used_today": 0}},
        )
        await self._accounts.update_many(
            {
                "platform": platform.value,
                "state": AccountState.RATE_LIMITED.value,
                "cooldown_until": {"$lte": now},
            },
            {"$set": {"state": AccountState.HEALTHY.value, "state_since": now}},
        )
        candidates = self._accounts.find(
            {
                "platform": platform.value,
                "state": AccountState.HEALTHY.value,
                "used_today": {"$lt": self._pacing.daily_cap},
                "next_use_at": {"$lte": now},
            }
        ).sort("next_use_at", 1)
        async for doc in candidates:
            lease = await self._claim(doc, platform=platform, holder=holder, now=now)
            if lease is not None:
                return lease
        return None

    async def _claim(
        self, doc: dict[str, Any], *, platform: Platform, holder: str, now: datetime
    ) -> Lease | None:
        account_id = doc["_id"]
        held = await self._leases.find_one({"_id": account_id})
        if held is not None:
            if held["until"] >= now.timestamp():
                return None
            # The holder died without releasing: its lease has run out.
            await self._leases.delete_one({"_id": account_id, "lease_id": held["lease_id"]})
        lease_id = uuid.uuid4().hex
        lock = {
            "lease_id": lease_id,
            "holder": holder,
            "until": now.timestamp() + self._pacing.lease_seconds,
        }
        try:
            await self._leases.insert_one({"_id": account_id, **lock})
        except DuplicateKeyError:
            return None  # another worker was faster
        await self._accounts.update_one(
            {"_id": account_id}, {"$set": {"lease": {"id": lease_id, **lock}}}
        )
        return Lease(
            account_id=account_id,
            platform=platform,
            lease_id=lease_id,
            storage_state=self._open(account_id, doc["session"]),
        )

    async def release(
        self,
        *,
        lease: Lease,
        now: datetime,
        outcome: UseOutcome,
        storage_state: dict[str, object] | None,
        counted: bool,
    ) -> AccountState:
        state = NEXT_STATE[outcome]
        update: dict[str, Any] = {
            "lease": None,
            "next_use_at": self._pacing.next_use_at(now),
            "state": state.value,
            "updated_at": now,
        }
        if state is AccountState.RATE_LIMITED:
            update["cooldown_until"] = datetime.fromtimestamp(
                now.timestamp() + self._pacing.rate_limit_cooldown, tz=now.tzinfo
            )
        if storage_state is not None:
            update["session"] = self._seal(lease.account_id, storage_state)
        previous = await self._accounts.find_one_and_update(
            {"_id": lease.account_id},
            {"$set": update, "$inc": {"used_today": 1 if counted else 0}},
        )
        released = await self._leases.delete_one(
            {"_id": lease.account_id, "lease_id": lease.lease_id}
        )
        if previous is None or released.deleted_count == 0:
            log.warning("account.lease_lost", account_id=lease.account_id)
            return state
        if previous.get("state") != state.value:
            await self._accounts.update_one(
                {"_id": lease.account_id}, {"$set": {"state_since": now}}
            )
            ACCOUNT_TRANSITIONS.labels(lease.platform.value, state.value).inc()
            log.warning(
                "account.state_changed",
                account_id=lease.account_id,
                platform=lease.platform.value,
                previous=previous.get("state"),
                state=state.value,
                needs_person=state in (AccountState.CHECKPOINT, AccountState.EXPIRED),
            )
        return state

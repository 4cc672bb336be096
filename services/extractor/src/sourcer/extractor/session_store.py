"""Platform sessions in MongoDB: encrypted logins, exclusive leases, pacing, tenant policies.

Leases are exclusive through a unique lock document per session (`platform_session_leases`,
keyed by session id): inserting it is the claim, a duplicate key means another worker holds
it. A recruiter has at most one own session per platform (`own_key`, unique where present), so
connecting again replaces it. Secrets are sealed with AES-GCM bound to the session id and never
leave this module in clear except inside a `Lease`.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bson.binary import Binary
from prometheus_client import Counter
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from sourcer.extractor.crypto import SessionCipher
from sourcer.extractor.sessions import (
    NEXT_STATE,
    Lease,
    Pacing,
    Requester,
    SessionState,
    SessionSummary,
    UseOutcome,
    Waiting,
    usable_by,
    why_none_free,
)
from sourcer.extractor.settings import ExtractorSettings
from sourcer.proto.records import Platform
from sourcer.runtime.catalog import Catalog, CollectionSpec
from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import Document, IndexSpec, Store

log = get_logger(__name__)

SESSIONS = "platform_sessions"
LEASES = "platform_session_leases"
POLICIES = "platform_session_policies"
CANCELLATIONS = "sourcing_cancellations"

SESSION_TRANSITIONS = Counter(
    "sourcer_extractor_session_transitions_total",
    "Sessions entering a state; alert on checkpoint and expired.",
    ["platform", "state"],
)

CATALOG = Catalog(
    service="extractor",
    owns=(
        CollectionSpec(
            SESSIONS,
            "Platform logins (encrypted) of recruiters and tenants' shared pools: state, "
            "pacing, daily use.",
            exempt="recruiters' own logins, nothing of the talents they render; deleted on "
            "disconnect and with the recruiter or tenant",
            indexes=(
                IndexSpec(SESSIONS, [("tenant_id", 1), ("platform", 1), ("state", 1)]),
                IndexSpec(
                    SESSIONS,
                    [("own_key", 1)],
                    unique=True,
                    name="one_own_session_per_platform",
                    options={"sparse": True},
                ),
            ),
        ),
        CollectionSpec(
            LEASES,
            "Exclusive leases of sessions by workers.",
            exempt="session and worker ids and times only",
        ),
        CollectionSpec(
            POLICIES,
            "Per tenant: whether requests may use the tenant's shared sessions.",
            exempt="tenant settings only",
        ),
        CollectionSpec(
            CANCELLATIONS,
            "Sourcing requests cancelled by their recruiter, so their jobs are skipped.",
            exempt="request ids and times only",
            indexes=(IndexSpec(CANCELLATIONS, [("created_at", 1)], name="by_age"),),
        ),
    ),
)


def _day(now: datetime) -> str:
    return now.date().isoformat()


def _as_of(doc: Document, now: datetime) -> Document:
    """The session as it stands at `now`: a new day resets its count, a rate limit whose rest
    is over is lifted. Written back only when the session is leased."""
    current = dict(doc)
    if current.get("day") != _day(now):
        current["day"], current["used_today"] = _day(now), 0
    cooldown = current.get("cooldown_until")
    if current["state"] == SessionState.RATE_LIMITED.value and cooldown and cooldown <= now:
        current["state"] = SessionState.CONNECTED.value
    return current


def own_key(*, tenant_id: str, owner: str, platform: Platform) -> str:
    return f"{tenant_id}\x1f{owner}\x1f{platform.value}"


@dataclass(frozen=True)
class Released:
    previous: SessionState | None
    state: SessionState

    @property
    def changed(self) -> bool:
        return self.previous is not None and self.previous is not self.state


def summary(doc: Document, *, daily_cap: int) -> SessionSummary:
    lease = doc.get("lease") or {}
    return SessionSummary(
        session_id=doc["_id"],
        tenant_id=doc["tenant_id"],
        platform=Platform(doc["platform"]),
        owner=doc.get("owner"),
        label=doc.get("label"),
        state=SessionState(doc["state"]),
        used_today=int(doc.get("used_today", 0)),
        daily_cap=daily_cap,
        leased_by=lease.get("holder"),
        next_use_at=doc.get("next_use_at"),
        cooldown_until=doc.get("cooldown_until"),
        connected_at=doc.get("connected_at"),
        last_used_at=doc.get("last_used_at"),
        state_since=doc.get("state_since"),
    )


class MongoSessionRepository:
    def __init__(self, *, store: Store, cipher: SessionCipher, pacing: Pacing) -> None:
        self._sessions = store.collection(SESSIONS)
        self._leases = store.collection(LEASES)
        self._policies = store.collection(POLICIES)
        self._cipher = cipher
        self._pacing = pacing

    def _seal(self, session_id: str, storage_state: dict[str, object]) -> Binary:
        plain = json.dumps(storage_state, separators=(",", ":")).encode()
        return Binary(self._cipher.encrypt(plain, account_id=session_id))

    def _open(self, session_id: str, blob: bytes) -> dict[str, object]:
        state: dict[str, object] = json.loads(self._cipher.decrypt(blob, account_id=session_id))
        return state

    def _summary(self, doc: Document) -> SessionSummary:
        return summary(doc, daily_cap=self._pacing.daily_cap)

    # --- connecting and managing --------------------------------------------------------------

    async def connect(
        self,
        *,
        tenant_id: str,
        platform: Platform,
        owner: str | None,
        storage_state: dict[str, object],
        by: str,
        label: str | None = None,
        now: datetime | None = None,
    ) -> SessionSummary:
        """Store a login as `validating`: a recruiter's own replaces their previous one for the
        platform (same id, counters kept); a shared one is added to the tenant's pool."""
        now = now or datetime.now(UTC)
        key = own_key(tenant_id=tenant_id, owner=owner, platform=platform) if owner else None
        existing = await self._sessions.find_one({"own_key": key}) if key else None
        session_id = existing["_id"] if existing else f"ses_{uuid.uuid4().hex[:20]}"
        fields: Document = {
            "tenant_id": tenant_id,
            "platform": platform.value,
            "owner": owner,
            "label": label,
            "session": self._seal(session_id, storage_state),
            "state": SessionState.VALIDATING.value,
            "state_since": now,
            "cooldown_until": None,
            "updated_at": now,
            "updated_by": by,
        }
        if key:
            fields["own_key"] = key
        doc = await self._sessions.find_one_and_update(
            {"_id": session_id},
            {
                "$set": fields,
                "$setOnInsert": {
                    "lease": None,
                    "next_use_at": now,
                    "day": _day(now),
                    "used_today": 0,
                    "created_at": now,
                    "connected_at": None,
                    "last_used_at": None,
                },
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None  # upserted
        return self._summary(doc)

    async def get(self, *, session_id: str) -> SessionSummary | None:
        doc = await self._sessions.find_one({"_id": session_id})
        return self._summary(_as_of(doc, datetime.now(UTC))) if doc is not None else None

    async def list(
        self, *, tenant_id: str | None = None, owner: str | None = None
    ) -> list[SessionSummary]:
        query: Document = {}
        if tenant_id is not None:
            query["tenant_id"] = tenant_id
        if owner is not None:
            query["owner"] = owner
        cursor = self._sessions.find(query, {"session": 0}).sort([("tenant_id", 1), ("_id", 1)])
        now = datetime.now(UTC)
        return [self._summary(_as_of(doc, now)) async for doc in cursor]

    async def delete(self, *, tenant_id: str, query: Document) -> int:
        """Erase sessions of the tenant matching `query`, their secrets with them."""
        ids = [
            doc["_id"]
            async for doc in self._sessions.find({"tenant_id": tenant_id, **query}, {"_id": 1})
        ]
        if not ids:
            return 0
        result = await self._sessions.delete_many({"tenant_id": tenant_id, "_id": {"$in": ids}})
        await self._leases.delete_many({"_id": {"$in": ids}})
        log.info("session.deleted", tenant_id=tenant_id, count=result.deleted_count)
        return result.deleted_count

    async def set_state(self, *, session_id: str, state: SessionState, now: datetime) -> Released:
        fields: Document = {"state": state.value, "state_since": now, "updated_at": now}
        if state is SessionState.CONNECTED:
            fields["connected_at"] = now
        previous = await self._sessions.find_one_and_update({"_id": session_id}, {"$set": fields})
        if previous is None:
            return Released(previous=None, state=state)
        released = Released(previous=SessionState(previous["state"]), state=state)
        if released.changed:
            SESSION_TRANSITIONS.labels(previous["platform"], state.value).inc()
        return released

    async def shared_pool(self, *, tenant_id: str) -> bool:
        doc = await self._policies.find_one({"_id": tenant_id})
        return bool(doc and doc.get("shared_pool"))

    async def set_shared_pool(self, *, tenant_id: str, allowed: bool, by: str) -> None:
        await self._policies.update_one(
            {"_id": tenant_id},
            {"$set": {"shared_pool": allowed, "updated_by": by, "updated_at": datetime.now(UTC)}},
            upsert=True,
        )

    # --- leasing -------------------------------------------------------------------------------

    async def lease(
        self, *, platform: Platform, requester: Requester, holder: str, now: datetime
    ) -> Lease | Waiting:
        """The requester's own session, else (if allowed) a shared one of their tenant; or why
        none is free and until when. One read: jobs that wait look often, and cheaply."""
        owners: list[str | None] = [requester.user]
        if requester.shared_pool:
            owners.append(None)
        docs = [
            _as_of(doc, now)
            async for doc in self._sessions.find(
                {
                    "tenant_id": requester.tenant_id,
                    "platform": platform.value,
                    "owner": {"$in": owners},
                },
                {"session": 0},
            )
        ]
        sessions = [self._summary(doc) for doc in docs]
        free = sorted(
            (
                s
                for s in sessions
                if usable_by(s, requester)
                and s.state is SessionState.CONNECTED
                and s.used_today < self._pacing.daily_cap
                and (s.next_use_at is None or s.next_use_at <= now)
            ),
            # The recruiter's own login first: it sees what they see.
            key=lambda s: (s.owner is None, s.next_use_at or now),
        )
        for candidate in free:
            lease = await self.claim(candidate.session_id, holder=holder, now=now)
            if lease is not None:
                return lease
        return why_none_free(sessions, requester, now)

    async def claim(self, session_id: str, *, holder: str, now: datetime) -> Lease | None:
        """Take the session's lock; None when another worker holds it."""
        held = await self._leases.find_one({"_id": session_id})
        if held is not None:
            if held["until"] >= now.timestamp():
                return None
            # The holder died without releasing: its lease has run out.
            await self._leases.delete_one({"_id": session_id, "lease_id": held["lease_id"]})
        lease_id = uuid.uuid4().hex
        lock = {
            "lease_id": lease_id,
            "holder": holder,
            "until": now.timestamp() + self._pacing.lease_seconds,
        }
        try:
            await self._leases.insert_one({"_id": session_id, **lock})
        except DuplicateKeyError:
            return None  # another worker was faster
        # Held now: a new day's count and a rest that is over are written with the lease.
        doc = await self._sessions.find_one({"_id": session_id})
        if doc is None:  # disconnected meanwhile
            await self._leases.delete_one({"_id": session_id, "lease_id": lease_id})
            return None
        current = _as_of(doc, now)
        await self._sessions.update_one(
            {"_id": session_id},
            {
                "$set": {
                    "lease": {"id": lease_id, **lock},
                    "day": current["day"],
                    "used_today": current["used_today"],
                    "state": current["state"],
                }
            },
        )
        return Lease(
            session_id=session_id,
            platform=Platform(doc["platform"]),
            owner=doc.get("owner"),
            lease_id=lease_id,
            storage_state=self._open(session_id, doc["session"]),
        )

    async def release(
        self,
        *,
        lease: Lease,
        now: datetime,
        outcome: UseOutcome,
        storage_state: dict[str, object] | None,
        counted: bool,
    ) -> Released:
        state = NEXT_STATE[outcome]
        update: dict[str, Any] = {
            "lease": None,
            "next_use_at": self._pacing.next_use_at(now),
            "state": state.value,
            "updated_at": now,
            "last_used_at": now,
        }
        if state is SessionState.RATE_LIMITED:
            update["cooldown_until"] = datetime.fromtimestamp(
                now.timestamp() + self._pacing.rate_limit_cooldown, tz=now.tzinfo
            )
        if storage_state is not None:
            update["session"] = self._seal(lease.session_id, storage_state)
        previous = await self._sessions.find_one_and_update(
            {"_id": lease.session_id},
            {"$set": update, "$inc": {"used_today": 1 if counted else 0}},
        )
        released = await self._leases.delete_one(
            {"_id": lease.session_id, "lease_id": lease.lease_id}
        )
        if previous is None or released.deleted_count == 0:
            log.warning("session.lease_lost", session_id=lease.session_id)
            return Released(previous=None, state=state)
        result = Released(previous=SessionState(previous["state"]), state=state)
        if result.changed:
            await self._sessions.update_one(
                {"_id": lease.session_id}, {"$set": {"state_since": now}}
            )
            SESSION_TRANSITIONS.labels(lease.platform.value, state.value).inc()
        return result

    # --- keys ----------------------------------------------------------------------------------

    async def rekey(self) -> int:
        """Seal every stored login again under the current key (the cipher still opens those
        sealed under a previous one); returns how many were re-sealed."""
        count = 0
        async for doc in self._sessions.find({}, {"session": 1}):
            plain = self._open(doc["_id"], doc["session"])
            await self._sessions.update_one(
                {"_id": doc["_id"], "session": doc["session"]},
                {"$set": {"session": self._seal(doc["_id"], plain)}},
            )
            count += 1
        return count


def pacing_from(settings: ExtractorSettings) -> Pacing:
    return Pacing(
        pause_min=settings.pace_min_seconds,
        pause_max=settings.pace_max_seconds,
        daily_cap=settings.daily_cap,
        lease_seconds=settings.lease_seconds,
        rate_limit_cooldown=settings.rate_limit_cooldown,
    )


def session_repository(settings: ExtractorSettings, store: Store) -> MongoSessionRepository:
    cipher = SessionCipher(
        settings.accounts_key.get_secret_value(),
        previous=tuple(k.get_secret_value() for k in settings.accounts_previous_keys),
    )
    return MongoSessionRepository(store=store, cipher=cipher, pacing=pacing_from(settings))

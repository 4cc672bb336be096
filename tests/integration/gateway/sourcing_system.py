"""Helpers: the gateway and the talent service in this process, on real RabbitMQ and Mongo.

The gateway runs as the runtime runs it (store, bus, status consumers); the talent service runs
its consumers on a bus of its own and answers the gateway's internal calls through an in-process
transport. The test plays the extractor by publishing its events.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from support import eventually

from sourcer.gateway.settings import GatewaySettings
from sourcer.proto.envelope import Actor, ActorKind, Role
from sourcer.proto.events import (
    ConsentChannel,
    ConsentGranted,
    ConsentRequested,
    ConsentUnlocked,
    ExtractionErrorCode,
    ExtractionStarted,
    ProfileExtracted,
    ProfileExtractionFailed,
)
from sourcer.proto.records import Profile
from sourcer.runtime.auth import AuthSettings, mint_token
from sourcer.runtime.bus import Bus
from sourcer.runtime.store import Store

SECRET = "integration-secret-0123456789abcdef"
SUPPRESSION_KEY = "integration-suppression-key"
EXTRACTOR = Actor(kind=ActorKind.SERVICE, id="extractor")
CONSENT = Actor(kind=ActorKind.SERVICE, id="consent")


def auth_settings() -> AuthSettings:
    return AuthSettings(mode="development", jwt_secret=SECRET)


def token(*, tenant: str = "acme", sub: str = "alice", role: Role = Role.RECRUITER) -> str:
    return mint_token(secret=SECRET, sub=sub, tenant=tenant, role=role)


def auth(
    *, tenant: str = "acme", sub: str = "alice", role: Role = Role.RECRUITER
) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(tenant=tenant, sub=sub, role=role)}"}


@dataclass
class System:
    client: httpx.AsyncClient
    bus: Bus
    store: Store

    async def source(self, url: str, *, tenant: str = "acme", sub: str = "alice") -> dict[str, Any]:
        response = await self.client.post(
            "/v1/sourcing-requests", json={"url": url}, headers=auth(tenant=tenant, sub=sub)
        )
        assert response.status_code in (200, 202), response.text
        body: dict[str, Any] = response.json()
        return body

    async def extracted(self, request_id: str, profile: Profile, *, tenant: str = "acme") -> None:
        await self.bus.emit(
            ExtractionStarted(request_id=request_id),
            tenant_id=tenant,
            correlation_id=request_id,
            actor=EXTRACTOR,
        )
        await self.bus.emit(
            ProfileExtracted(request_id=request_id, profile=profile, extraction_ms=1200),
            tenant_id=tenant,
            correlation_id=request_id,
            actor=EXTRACTOR,
        )

    async def failed(
        self, request_id: str, code: ExtractionErrorCode, *, tenant: str = "acme"
    ) -> None:
        await self.bus.emit(
            ProfileExtractionFailed(
                request_id=request_id,
                code=code,
                retryable=False,
                message="The profile is not available: it was removed or is private.",
            ),
            tenant_id=tenant,
            correlation_id=request_id,
            actor=EXTRACTOR,
        )

    async def consented(
        self, talent_id: str, *, unlocked_by: str | None = None, tenant: str = "acme"
    ) -> None:
        """The consent service announces that the talent granted consent (or an admin unlocked
        them); returns once the talent service mirrored it onto the talent."""
        now = datetime.now(UTC)
        outcome = {
            "consent_id": f"con_{uuid.uuid4().hex[:12]}",
            "talent_id": talent_id,
            "decided_at": now,
        }
        if unlocked_by is None:
            event: ConsentGranted = ConsentGranted(
                **outcome, channel=ConsentChannel.LINK, text_version="2026-11", language="en"
            )
            actor, state = CONSENT, "granted"
        else:
            event = ConsentUnlocked(
                **outcome, channel=ConsentChannel.MANUAL, reason="Agreed in writing (ticket 4711)."
            )
            actor = Actor(kind=ActorKind.USER, id=unlocked_by, role=Role.ADMIN)
            state = "unlocked_manually"
        await self.bus.emit(event, tenant_id=tenant, correlation_id=talent_id, actor=actor)
        await self._mirrored(talent_id, state, tenant=tenant)

    async def consent_requested(self, talent_id: str, *, tenant: str = "acme") -> None:
        """The consent service announces a request to the talent, not yet answered."""
        requested = ConsentRequested(
            consent_id=f"con_{uuid.uuid4().hex[:12]}",
            talent_id=talent_id,
            channel=ConsentChannel.LINK,
            language="en",
            expires_at=datetime.now(UTC) + timedelta(days=30),
        )
        await self.bus.emit(requested, tenant_id=tenant, correlation_id=talent_id, actor=CONSENT)
        await self._mirrored(talent_id, "requested", tenant=tenant)

    async def _mirrored(self, talent_id: str, state: str, *, tenant: str) -> None:
        async def done() -> bool:
            doc = await self.store.db["talents"].find_one({"_id": talent_id, "tenant_id": tenant})
            return bool(doc and (doc.get("consent") or {}).get("state") == state)

        await eventually(done)

    async def wait_status(
        self, request_id: str, status: str, *, tenant: str = "acme"
    ) -> dict[str, Any]:
        latest: dict[str, Any] = {}

        async def reached() -> bool:
            nonlocal latest
            response = await self.client.get(
                f"/v1/sourcing-requests/{request_id}", headers=auth(tenant=tenant)
            )
            latest = response.json()
            return bool(latest.get("status") == status)

        await eventually(reached)
        return latest

    async def preview(
        self, url: str, profile: Profile, *, tenant: str = "acme", sub: str = "alice"
    ) -> dict[str, Any]:
        request = await self.source(url, tenant=tenant, sub=sub)
        await self.extracted(request["id"], profile, tenant=tenant)
        return await self.wait_status(request["id"], "ready", tenant=tenant)


def gateway_settings(
    *, amqp_url: str, mongodb_url: str, db_name: str, namespace: str, **overrides: Any
) -> GatewaySettings:
    return GatewaySettings(
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        mongodb_db=db_name,
        bus_namespace=namespace,
        sse_poll_interval=0.05,
        **overrides,
    )

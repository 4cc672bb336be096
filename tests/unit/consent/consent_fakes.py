"""Fakes of the consent service's Protocols: in memory, same behaviour, no I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sourcer.consent.domain import Consent, ConsentState
from sourcer.consent.ports import MailError
from sourcer.consent.repository import VersionConflictError
from sourcer.consent.texts import Controller
from sourcer.consent.webhook_sender import SendResult
from sourcer.proto.envelope import Envelope


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


class InMemoryConsentRepository:
    def __init__(self) -> None:
        self.docs: dict[str, Consent] = {}
        self.outboxes: dict[str, list[dict[str, Any]]] = {}

    async def get(self, *, tenant_id: str, talent_id: str) -> Consent | None:
        return self.docs.get(f"{tenant_id}:{talent_id}")

    async def by_token(self, *, token_hash: str) -> tuple[Consent, bool] | None:
        for consent in self.docs.values():
            if token_hash in consent.token_hashes:
                return consent, False
        for consent in self.docs.values():
            if token_hash in consent.retired_token_hashes:
                return consent, True
        return None

    async def save(self, *, consent: Consent, outbox: list[dict[str, Any]]) -> Consent:
        current = self.docs.get(consent.key)
        if (current.version if current else 0) != consent.version:
            raise VersionConflictError(consent.key)
        saved = replace(consent, version=consent.version + 1)
        self.docs[consent.key] = saved
        self.outboxes.setdefault(consent.key, []).extend(outbox)
        return saved

    async def due(self, *, now: datetime, limit: int) -> list[Consent]:
        due = []
        for c in self.docs.values():
            pending = c.state is ConsentState.REQUESTED
            deadline = pending and c.expires_at is not None and c.expires_at <= now
            remind = pending and c.reminder_at and c.reminder_at <= now and not c.reminder_sent_at
            mail = any(
                m.status in ("pending", "sending")
                and m.next_attempt_at
                and m.next_attempt_at <= now
                for m in c.mails
            )
            if deadline or remind or mail:
                due.append(c)
        return due[:limit]

    async def expiring(self, *, tenant_id: str, before: datetime, limit: int) -> list[Consent]:
        rows = [
            c
            for c in self.docs.values()
            if c.tenant_id == tenant_id
            and c.state is ConsentState.REQUESTED
            and c.expires_at
            and c.expires_at <= before
        ]
        return sorted(rows, key=lambda c: c.expires_at or before)[:limit]

    async def outbox(self, *, limit: int) -> list[tuple[str, list[dict[str, Any]]]]:
        return [(k, list(v)) for k, v in self.outboxes.items() if v][:limit]

    async def remove_from_outbox(self, *, key: str, event_ids: list[str]) -> None:
        self.outboxes[key] = [
            e for e in self.outboxes.get(key, []) if e["event_id"] not in event_ids
        ]


class FakePublisher:
    def __init__(self) -> None:
        self.published: list[Envelope[Any]] = []
        self.failing = False

    async def publish(self, envelope: Envelope[Any]) -> None:
        if self.failing:
            raise RuntimeError("broker down")
        self.published.append(envelope)

    def types(self) -> list[str]:
        return [e.type for e in self.published]


class FakeLimiter:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    async def hit(self, *, key: str, limit: int, window_seconds: int, now: datetime) -> bool:
        window = f"{key}:{int(now.timestamp()) // window_seconds}"
        self.counts[window] = self.counts.get(window, 0) + 1
        return self.counts[window] <= limit


class FakeControllers:
    def __init__(self) -> None:
        self.unset: set[str] = set()  # tenants that never set their controller

    async def controller(self, *, tenant_id: str) -> Controller | None:
        if tenant_id in self.unset:
            return None
        return Controller(
            name=f"{tenant_id.capitalize()} GmbH", contact=f"privacy@{tenant_id}.example"
        )


class FakeMailer:
    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []
        self.failures: list[MailError] = []

    async def send(self, *, to: str, subject: str, body: str, message_id: str) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append({"to": to, "subject": subject, "body": body, "message_id": message_id})


class FakeSender:
    """Answers from a script of (status, retry_after) and records what it was sent."""

    def __init__(self, script: list[tuple[int | None, str | None]] | None = None) -> None:
        self.script = list(script or [])
        self.requests: list[dict[str, Any]] = []

    async def send(self, *, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        self.requests.append({"url": url, "body": body, "headers": headers})
        status, retry_after = self.script.pop(0) if self.script else (200, None)
        error = None if status else "ConnectError: refused"
        return SendResult(status, retry_after, error, 1)

"""Consent use cases: ask, unlock, read, and the talent's decisions on the landing page.

Every write loads the talent's consent, applies a pure transition from `domain`, and saves it
with its events in one versioned update; the events are then published (see `relay`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sourcer.consent import domain
from sourcer.consent.domain import Consent, ConsentError, ConsentState, Deadlines
from sourcer.consent.outcomes import SERVICE_ACTOR, envelope_for, holds_outcome, outcome_event
from sourcer.consent.ports import Clock, Controllers, Publisher, RateLimiter
from sourcer.consent.repository import ConsentRepository, VersionConflictError
from sourcer.consent.talents import TalentContact, TalentDirectory
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import (
    ConsentChannel,
    ConsentOutcome,
    ConsentRequested,
    parse_envelope,
)
from sourcer.proto.restrictions import CONSENT_REQUIRED, Action, allowed, refusal_detail
from sourcer.runtime.auth import Caller
from sourcer.runtime.errors import DomainError, FinalError
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)


class NotFoundError(DomainError):
    """No such talent or consent for this tenant."""

    def __init__(self, talent_id: str) -> None:
        super().__init__("talent_not_found", "No such talent.")
        self.talent_id = talent_id


class RateLimitedError(DomainError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "consent_email_rate_limited",
            "Too many consent emails for this tenant; try again later.",
            retry_after=retry_after,
        )


@dataclass(frozen=True)
class ServiceConfig:
    deadlines: Deadlines
    public_base_url: str
    text_version: str
    email_rate_per_hour: int
    # Keys the IP hashes and derives mail link tokens (`SOURCER_CONSENT_SECRET_KEY`).
    key: bytes

    def link(self, token: str) -> str:
        return f"{self.public_base_url.rstrip('/')}/c/{token}"


class ConsentService:
    def __init__(
        self,
        *,
        repo: ConsentRepository,
        talents: TalentDirectory,
        publisher: Publisher,
        limiter: RateLimiter,
        controllers: Controllers,
        clock: Clock,
        config: ServiceConfig,
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.repo = repo
        self.talents = talents
        self.publisher = publisher
        self.limiter = limiter
        self.controllers = controllers
        self.clock = clock
        self.config = config
        self._wake = wake

    async def _talent(self, caller: Caller, talent_id: str) -> TalentContact:
        contact = await self.talents.contact(tenant_id=caller.tenant, talent_id=talent_id)
        if contact is None:
            raise NotFoundError(talent_id)
        return contact

    async def _write(
        self, load: Callable[[], Awaitable[Consent | None]], change: Callable[..., Any]
    ) -> Any:
        """Apply `change(consent) -> (new, outbox, result)` until no one else wrote between."""
        for _ in range(5):
            current = await load()
            new, outbox, result = change(current)
            try:
                await self.repo.save(consent=new, outbox=outbox)
            except VersionConflictError:
                continue
            if outbox:
                await self.relay_events(outbox, key=new.key)
            return result
        raise ConsentError("consent_conflict", "The consent changed concurrently; try again.")

    def ip_hash(self, ip: str | None) -> str | None:
        return domain.keyed_hash(key=self.config.key, value=ip) if ip else None

    async def request(
        self,
        *,
        caller: Caller,
        talent_id: str,
        channel: ConsentChannel,
        language: str | None,
        client_ip: str | None = None,
    ) -> tuple[Consent, str | None, bool]:
        """Open or join the pending request; returns it, a link (channel link) and `created`.

        `client_ip` is the requesting recruiter's address: its keyed hash is kept with the
        link or mail, so an answer from the same address is flagged."""
        contact = await self._talent(caller, talent_id)
        # This service's own record, not the talent's mirror of it, which may lag behind.
        recorded = await self.repo.get(tenant_id=caller.tenant, talent_id=talent_id)
        state = recorded.state if recorded else ConsentState.NOT_REQUESTED
        # A granted consent is answered as such (409 below) to anyone, not as a restriction.
        if state is not ConsentState.GRANTED and not allowed(
            Action.REQUEST_CONSENT,
            consent_state=state.value,
            caller=caller.sub,
            role=caller.role,
            sourced_by=contact.sourced_by,
        ):
            raise ConsentError(CONSENT_REQUIRED, refusal_detail(Action.REQUEST_CONSENT))
        if await self.controllers.controller(tenant_id=caller.tenant) is None:
            # The talent must be told who the controller is (Art. 14(1)(a)), not a placeholder.
            raise ConsentError(
                "controller_not_set",
                "Your tenant has not set its data controller; an admin sets it first "
                "(PUT /v1/consent/controller).",
            )
        if channel is ConsentChannel.EMAIL and not contact.emails:
            raise ConsentError("consent_email_unavailable", "The talent has no email address.")
        lang = domain.pick_language(language, contact.preferred_language)
        now = self.clock()
        ip_hash = self.ip_hash(client_ip)

        def change(current: Consent | None) -> tuple[Consent, list[dict[str, Any]], Any]:
            consent, created = domain.open_request(
                existing=current,
                tenant_id=caller.tenant,
                talent_id=talent_id,
                channel=channel,
                language=lang,
                actor=caller.sub,
                now=now,
                deadlines=self.config.deadlines,
            )
            token = None
            if channel is ConsentChannel.LINK:
                consent, token = domain.issue_token(
                    consent, issued_by=caller.sub, now=now, issuer_ip_hash=ip_hash
                )
            elif not consent.has_mail("request"):
                consent = domain.add_mail(
                    consent,
                    kind="request",
                    now=now,
                    requested_by=caller.sub,
                    requested_ip_hash=ip_hash,
                )
            outbox = []
            if created:
                payload = ConsentRequested(
                    consent_id=consent.consent_id,
                    talent_id=talent_id,
                    channel=channel,
                    language=lang,
                    expires_at=consent.expires_at or now,
                )
                outbox.append(envelope_for(consent, payload, caller.actor()))
            return consent, outbox, (consent, token, created)

        if channel is ConsentChannel.EMAIL:
            existing = await self.repo.get(tenant_id=caller.tenant, talent_id=talent_id)
            if existing is None or not (existing.is_pending(now) and existing.has_mail("request")):
                await self._rate_limit(caller.tenant, now)

        async def load() -> Consent | None:
            return await self.repo.get(tenant_id=caller.tenant, talent_id=talent_id)

        consent, token, created = await self._write(load, change)
        if channel is ConsentChannel.EMAIL:
            self._wake()
        link = self.config.link(token) if token else None
        consent = await self.repo.get(tenant_id=caller.tenant, talent_id=talent_id) or consent
        return consent, link, created

    async def _rate_limit(self, tenant_id: str, now: datetime) -> None:
        ok = await self.limiter.hit(
            key=f"consent-mail:{tenant_id}",
            limit=self.config.email_rate_per_hour,
            window_seconds=3600,
            now=now,
        )
        if not ok:
            window_end = int(now.timestamp()) // 3600 * 3600 + 3600
            raise RateLimitedError(max(1, window_end - int(now.timestamp())))

    async def unlock(self, *, caller: Caller, talent_id: str, reason: str) -> Consent:
        await self._talent(caller, talent_id)
        now = self.clock()

        def change(current: Consent | None) -> tuple[Consent, list[dict[str, Any]], Any]:
            base = current or domain.unlocked(
                tenant_id=caller.tenant, talent_id=talent_id, actor=caller.sub, now=now
            )
            consent = domain.decide(
                base, state=ConsentState.UNLOCKED_MANUALLY, now=now, by=caller.sub, reason=reason
            )
            consent, event = outcome_event(consent, caller.actor())
            return consent, [event], consent

        async def load() -> Consent | None:
            return await self.repo.get(tenant_id=caller.tenant, talent_id=talent_id)

        result: Consent = await self._write(load, change)
        log.warning("consent.unlocked_manually", talent_id=talent_id, admin=caller.sub)
        return result

    async def get(self, *, caller: Caller, talent_id: str) -> Consent:
        consent = await self.repo.get(tenant_id=caller.tenant, talent_id=talent_id)
        if consent is None:
            await self._talent(caller, talent_id)
            return domain.unlocked(
                tenant_id=caller.tenant, talent_id=talent_id, actor="", now=self.clock()
            )
        return consent

    async def deleting_soon(self, *, caller: Caller, within: timedelta) -> list[Consent]:
        before = self.clock() + within
        return await self.repo.expiring(tenant_id=caller.tenant, before=before, limit=500)

    async def by_token(self, token: str) -> tuple[Consent, bool] | None:
        if not 20 <= len(token) <= 100:
            return None
        return await self.repo.by_token(token_hash=domain.hash_token(token))

    async def decide(
        self,
        *,
        token: str,
        state: ConsentState,
        language: str,
        user_agent: str | None,
        ip: str | None,
    ) -> Consent:
        """The talent's answer; raises ConsentError when the link no longer allows it."""
        now = self.clock()
        ip_hash = self.ip_hash(ip)

        async def load() -> Consent | None:
            found = await self.by_token(token)
            if found is None or found[1]:
                raise ConsentError("consent_token_unknown", "The link is not valid.")
            return found[0]

        def change(current: Consent | None) -> tuple[Consent, list[dict[str, Any]], Any]:
            assert current is not None
            consent = domain.decide(
                current,
                state=state,
                now=now,
                by="talent",
                text_version=self.config.text_version,
                language=language,
                user_agent=user_agent,
                ip_hash=ip_hash,
                token_hash=domain.hash_token(token),
            )
            consent, event = outcome_event(consent, SERVICE_ACTOR)
            return consent, [event], consent

        result: Consent = await self._write(load, change)
        return result

    async def check_outcome(self, envelope: Envelope[ConsentOutcome]) -> None:
        """Raise FinalError unless the stored consent of the event's tenant and talent holds the
        decision the event announces: the bus is shared, and an outcome reaches the tenant's
        systems (webhooks), so its tenant is not taken on trust."""
        payload = envelope.payload
        stored = await self.repo.get(tenant_id=envelope.tenant_id, talent_id=payload.talent_id)
        if not holds_outcome(stored, envelope):
            log.error(
                "consent.outcome_mismatch",
                event_id=envelope.event_id,
                event_type=envelope.type,
                tenant_id=envelope.tenant_id,
                talent_id=payload.talent_id,
                consent_id=payload.consent_id,
                stored=stored is not None,
            )
            raise FinalError(
                f"{envelope.type} {envelope.event_id} does not match the stored consent of "
                "its tenant and talent"
            )

    async def relay_events(self, entries: list[dict[str, Any]], *, key: str) -> None:
        """Publish stored events, then drop them from the outbox; the scheduler retries."""
        published: list[str] = []
        try:
            for entry in entries:
                await self.publisher.publish(parse_envelope(json.dumps(entry)))
                published.append(entry["event_id"])
        except Exception as exc:
            log.warning("outbox.publish_failed", key=key, error=repr(exc))
        if published:
            await self.repo.remove_from_outbox(key=key, event_ids=published)

    async def relay(self, *, limit: int = 100) -> int:
        count = 0
        for key, entries in await self.repo.outbox(limit=limit):
            await self.relay_events(entries, key=key)
            count += len(entries)
        return count

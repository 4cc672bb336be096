"""The consent worker's periodic pass: deadlines, reminders, emails, the event outbox.

Driven by the injected clock: tests call `tick()` after moving a fake clock forward by days,
the process calls it every `scheduler_interval` seconds (sooner when woken by a new request).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sourcer.consent import domain
from sourcer.consent.domain import Consent, ConsentError, ConsentState, Mail
from sourcer.consent.mail import render_mail
from sourcer.consent.ports import Mailer, MailError
from sourcer.consent.repository import VersionConflictError
from sourcer.consent.service import SERVICE_ACTOR, ConsentService, outcome_event
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

SEND_LEASE = timedelta(minutes=2)


class ConsentScheduler:
    def __init__(self, *, service: ConsentService, mailer: Mailer, mail_max_attempts: int) -> None:
        self.service = service
        self.mailer = mailer
        self.mail_max_attempts = mail_max_attempts

    async def tick(self, *, limit: int = 200) -> None:
        now = self.service.clock()
        for consent in await self.service.repo.due(now=now, limit=limit):
            try:
                await self._advance(consent, now)
            except (VersionConflictError, ConsentError):
                continue  # changed meanwhile; the next pass sees the new state
            except Exception as exc:
                log.error("consent.tick_failed", consent_id=consent.consent_id, error=repr(exc))
        await self.service.relay()

    async def _save(self, consent: Consent, outbox: list[dict[str, Any]] | None = None) -> Consent:
        saved = await self.service.repo.save(consent=consent, outbox=outbox or [])
        if outbox:
            await self.service.relay_events(outbox, key=consent.key)
        return saved

    async def _advance(self, consent: Consent, now: datetime) -> None:
        if (
            consent.state is ConsentState.REQUESTED
            and consent.expires_at
            and consent.expires_at <= now
        ):
            expired = domain.decide(consent, state=ConsentState.EXPIRED, now=now, by="deadline")
            await self._save(expired, [outcome_event(expired, SERVICE_ACTOR)])
            log.info("consent.expired", consent_id=consent.consent_id)
            return
        if (
            consent.state is ConsentState.REQUESTED
            and consent.reminder_at
            and consent.reminder_at <= now
            and consent.reminder_sent_at is None
        ):
            reminded = replace(consent, reminder_sent_at=now)
            if consent.channel.value == "email":
                reminded = domain.add_mail(reminded, kind="reminder", now=now)
            consent = await self._save(reminded)
        for index, mail in enumerate(consent.mails):
            due = mail.next_attempt_at is not None and mail.next_attempt_at <= now
            if mail.status in ("pending", "sending") and due:
                await self._send(consent, index, now)
                return

    def _with_mail(self, consent: Consent, index: int, mail: Mail) -> Consent:
        mails = list(consent.mails)
        mails[index] = mail
        return replace(consent, mails=tuple(mails))

    async def _send(self, consent: Consent, index: int, now: datetime) -> None:
        mail = consent.mails[index]
        # Claim first (a stale claim expires after the lease), then send, then record.
        claimed, token = domain.issue_token(consent)
        claimed = self._with_mail(
            claimed,
            index,
            replace(
                mail, status="sending", attempts=mail.attempts + 1, next_attempt_at=now + SEND_LEASE
            ),
        )
        claimed = await self._save(claimed)
        mail = claimed.mails[index]
        contact = await self.service.talents.contact(
            tenant_id=consent.tenant_id, talent_id=consent.talent_id
        )
        if contact is None or not contact.emails:
            await self._record(claimed, index, status="failed", error="talent has no email")
            return
        controller = await self.service.controllers.controller(tenant_id=consent.tenant_id)
        subject, body = render_mail(
            kind=mail.kind,
            language=consent.language,
            contact=contact,
            controller=controller,
            link=self.service.config.link(token),
            deadline=consent.expires_at,
        )
        try:
            await self.mailer.send(
                to=contact.emails[0], subject=subject, body=body, message_id=mail.message_id
            )
        except MailError as exc:
            final = exc.permanent or mail.attempts >= self.mail_max_attempts
            log.warning("consent.mail_failed", consent_id=consent.consent_id, error=str(exc))
            await self._record(
                claimed,
                index,
                status="failed" if final else "pending",
                error=str(exc)[:500],
                retry_at=None if final else now + domain.mail_backoff(mail.attempts),
            )
            return
        await self._record(claimed, index, status="sent", sent_at=self.service.clock())
        log.info("consent.mail_sent", consent_id=consent.consent_id, kind=mail.kind)

    async def _record(
        self,
        consent: Consent,
        index: int,
        *,
        status: str,
        error: str | None = None,
        retry_at: datetime | None = None,
        sent_at: datetime | None = None,
    ) -> None:
        """Store the outcome of a send; retried on conflicts because the mail is already out."""
        for _ in range(10):
            mail = replace(
                consent.mails[index],
                status=status,
                last_error=error,
                next_attempt_at=retry_at,
                sent_at=sent_at,
            )
            try:
                await self._save(self._with_mail(consent, index, mail))
                return
            except VersionConflictError:
                reloaded = await self.service.repo.get(
                    tenant_id=consent.tenant_id, talent_id=consent.talent_id
                )
                if reloaded is None:
                    return
                consent = reloaded
        log.error("consent.mail_record_failed", consent_id=consent.consent_id)

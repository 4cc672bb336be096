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
from sourcer.consent.mail import render_mail, without_addresses
from sourcer.consent.outcomes import SERVICE_ACTOR, outcome_event
from sourcer.consent.ports import Mailer, MailError
from sourcer.consent.repository import VersionConflictError
from sourcer.consent.service import ConsentService
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
            expired, event = outcome_event(expired, SERVICE_ACTOR)
            await self._save(expired, [event])
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
                first = next((m for m in consent.mails if m.kind == "request"), None)
                reminded = domain.add_mail(
                    reminded,
                    kind="reminder",
                    now=now,
                    requested_by=(first.requested_by if first else None) or consent.requested_by,
                    requested_ip_hash=first.requested_ip_hash if first else None,
                )
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
        if mail.attempts >= self.mail_max_attempts:
            # Its last claim ended without an outcome (the process died mid-send): give up.
            error = mail.last_error or "no outcome recorded for the last attempt"
            await self._record(consent, index, status="failed", error=error)
            return
        # Claim first (a stale claim expires after the lease), then send, then record. The
        # claim counts the attempt, whatever happens next.
        claimed, token = domain.mail_link_token(
            consent, index, key=self.service.config.key, now=now
        )
        claimed = self._with_mail(
            claimed,
            index,
            replace(
                claimed.mails[index],
                status="sending",
                attempts=mail.attempts + 1,
                next_attempt_at=now + SEND_LEASE,
            ),
        )
        claimed = await self._save(claimed)
        mail = claimed.mails[index]
        try:
            await self._build_and_send(claimed, mail, token)
        except Exception as exc:  # building or sending: every failure is an attempt
            permanent = isinstance(exc, MailError) and exc.permanent
            final = permanent or mail.attempts >= self.mail_max_attempts
            detail = str(exc) if isinstance(exc, MailError) else f"{type(exc).__name__}: {exc}"
            detail = without_addresses(detail)[:500]
            log.warning(
                "consent.mail_failed",
                consent_id=consent.consent_id,
                attempt=mail.attempts,
                final=final,
                error=detail,
            )
            await self._record(
                claimed,
                index,
                status="failed" if final else "pending",
                error=detail,
                retry_at=None if final else now + domain.mail_backoff(mail.attempts),
            )
            return
        await self._record(claimed, index, status="sent", sent_at=self.service.clock())
        log.info("consent.mail_sent", consent_id=consent.consent_id, kind=mail.kind)

    async def _build_and_send(self, consent: Consent, mail: Mail, token: str) -> None:
        contact = await self.service.talents.contact(
            tenant_id=consent.tenant_id, talent_id=consent.talent_id
        )
        if contact is None or not contact.emails:
            raise MailError("talent has no email", permanent=True)
        controller = await self.service.controllers.controller(tenant_id=consent.tenant_id)
        if controller is None:
            raise MailError("the tenant's controller is not set")
        subject, body = render_mail(
            kind=mail.kind,
            language=consent.language,
            contact=contact,
            controller=controller,
            link=self.service.config.link(token),
            deadline=consent.expires_at,
        )
        await self.mailer.send(
            to=contact.emails[0], subject=subject, body=body, message_id=mail.message_id
        )

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
            if not mail.open:  # nothing will send it again: drop what its link derives from
                mail = replace(mail, token_seed=None)
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

"""Consent requests as data: states, tokens, deadlines and the transitions between them.

Pure code: no I/O, no clock of its own (every function takes `now`), so the rules can be tested
with plain values. The service layer loads a `Consent`, applies a transition and saves it
with a version check; a lost race reloads and applies again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sourcer.consent import evidence
from sourcer.consent.evidence import IssuedToken, hash_token, keyed_hash, new_token
from sourcer.proto.consent_record import ConsentState
from sourcer.proto.events import ConsentChannel
from sourcer.runtime.errors import DomainError

__all__ = ["ConsentState", "IssuedToken", "hash_token", "keyed_hash", "new_token"]

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "en"


ERASING_STATES = frozenset({ConsentState.DENIED, ConsentState.EXPIRED, ConsentState.WITHDRAWN})


class ConsentError(DomainError):
    """A transition the rules refuse; `code` is stable and shown to API clients."""


def new_consent_id() -> str:
    return "con_" + secrets.token_hex(12)


def pick_language(*candidates: str | None) -> str:
    for candidate in candidates:
        if candidate and candidate.lower()[:2] in LANGUAGES:
            return candidate.lower()[:2]
    return DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Mail:
    """An email to send, kept in the consent document until SMTP accepted it."""

    kind: str  # "request" or "reminder"
    message_id: str
    status: str = "pending"  # pending, sending, sent, failed
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    requested_by: str | None = None
    requested_ip_hash: str | None = None
    # Its link token is derived from this with the service key (`evidence.mail_token`), so every
    # attempt sends the same link and none is stored in clear; dropped when the mail ends.
    token_seed: str | None = None

    @property
    def open(self) -> bool:
        return self.status in ("pending", "sending")


@dataclass(frozen=True)
class Decision:
    """Who decided, how and when: the proof a data-protection officer asks for."""

    state: ConsentState
    at: datetime
    by: str  # "talent" or the admin's subject
    text_version: str | None = None
    language: str | None = None
    user_agent: str | None = None
    ip_hash: str | None = None
    reason: str | None = None
    consent_id: str | None = None  # the request it answered (a renewal opens a new one)
    event_id: str | None = None  # the outcome event that announced it
    # A talent's answer: the link used, how it reached them, who caused it, and whether the
    # answer came from the address of someone who asked (see `evidence`).
    token_hash: str | None = None
    token_channel: str | None = None
    token_issued_by: str | None = None
    from_issuer_address: bool | None = None


@dataclass(frozen=True)
class Consent:
    tenant_id: str
    talent_id: str
    consent_id: str
    state: ConsentState
    channel: ConsentChannel
    language: str
    requested_at: datetime
    requested_by: str
    expires_at: datetime | None = None
    reminder_at: datetime | None = None
    reminder_sent_at: datetime | None = None
    tokens: tuple[IssuedToken, ...] = ()
    retired_token_hashes: tuple[str, ...] = ()
    mails: tuple[Mail, ...] = ()
    decisions: tuple[Decision, ...] = ()
    version: int = 0

    @property
    def key(self) -> str:
        return f"{self.tenant_id}:{self.talent_id}"

    @property
    def token_hashes(self) -> tuple[str, ...]:
        return tuple(t.hash for t in self.tokens)

    @property
    def last_decision(self) -> Decision | None:
        return self.decisions[-1] if self.decisions else None

    def is_pending(self, now: datetime) -> bool:
        return self.state is ConsentState.REQUESTED and (
            self.expires_at is None or self.expires_at > now
        )

    def has_mail(self, kind: str) -> bool:
        return any(m.kind == kind and m.status != "failed" for m in self.mails)


@dataclass(frozen=True)
class Deadlines:
    deadline: timedelta
    reminder_before: timedelta

    def for_request(self, now: datetime) -> tuple[datetime, datetime | None]:
        expires = now + self.deadline
        reminder = expires - self.reminder_before
        return expires, (reminder if self.reminder_before and reminder > now else None)


def open_request(
    *,
    existing: Consent | None,
    tenant_id: str,
    talent_id: str,
    channel: ConsentChannel,
    language: str,
    actor: str,
    now: datetime,
    deadlines: Deadlines,
) -> tuple[Consent, bool]:
    """Join the talent's one pending request, or open (renew) one; says whether it is new."""
    if existing is not None and existing.state is ConsentState.GRANTED:
        raise ConsentError("consent_already_granted", "The talent has already granted consent.")
    if existing is not None and existing.is_pending(now):
        if channel is ConsentChannel.EMAIL:
            return replace(existing, channel=ConsentChannel.EMAIL), False
        if existing.channel is ConsentChannel.EMAIL:
            # A link handed to the recruiter would let them answer in the talent's name for a
            # request the talent is being asked by email.
            raise ConsentError(
                "consent_pending_by_email",
                "The talent is being asked by email; no link is issued for this request.",
            )
        return existing, False
    expires, reminder = deadlines.for_request(now)
    retired: tuple[str, ...] = ()
    if existing is not None:
        retired = (*existing.retired_token_hashes, *existing.token_hashes)
    consent = Consent(
        tenant_id=tenant_id,
        talent_id=talent_id,
        consent_id=new_consent_id(),
        state=ConsentState.REQUESTED,
        channel=channel,
        language=language,
        requested_at=now,
        requested_by=actor,
        expires_at=expires,
        reminder_at=reminder,
        retired_token_hashes=retired,
        decisions=existing.decisions if existing is not None else (),
        version=existing.version if existing is not None else 0,
    )
    return consent, True


def issue_token(
    consent: Consent, *, issued_by: str, now: datetime, issuer_ip_hash: str | None = None
) -> tuple[Consent, str]:
    """One more valid link for the recruiter to forward; the plaintext leaves with the caller."""
    token = new_token()
    issued = IssuedToken(
        hash=hash_token(token),
        channel=evidence.LINK,
        issued_by=issued_by,
        issued_at=now,
        issuer_ip_hash=issuer_ip_hash,
    )
    return replace(consent, tokens=(*consent.tokens, issued)), token


def add_mail(
    consent: Consent,
    *,
    kind: str,
    now: datetime,
    requested_by: str,
    requested_ip_hash: str | None = None,
) -> Consent:
    """Queue an email; its link token is issued when it is sent, so none is stored in clear."""
    message_id = f"<{consent.consent_id}.{kind}.{len(consent.mails)}@sourcer>"
    mail = Mail(
        kind=kind,
        message_id=message_id,
        next_attempt_at=now,
        requested_by=requested_by,
        requested_ip_hash=requested_ip_hash,
        token_seed=evidence.new_seed(),
    )
    return replace(consent, mails=(*consent.mails, mail))


def mail_link_token(
    consent: Consent, index: int, *, key: bytes, now: datetime
) -> tuple[Consent, str]:
    """The link token of a mail, the same at every attempt; recorded as issued the first time."""
    mail = consent.mails[index]
    if mail.token_seed is None:  # queued before seeds were kept
        mails = list(consent.mails)
        mails[index] = mail = replace(mail, token_seed=evidence.new_seed())
        consent = replace(consent, mails=tuple(mails))
    assert mail.token_seed is not None
    token = evidence.mail_token(key=key, seed=mail.token_seed)
    if hash_token(token) not in consent.token_hashes:
        issued = IssuedToken(
            hash=hash_token(token),
            channel=evidence.EMAIL,
            issued_by=mail.requested_by or consent.requested_by,
            issued_at=now,
            issuer_ip_hash=mail.requested_ip_hash,
        )
        consent = replace(consent, tokens=(*consent.tokens, issued))
    return consent, token


def decide(
    consent: Consent,
    *,
    state: ConsentState,
    now: datetime,
    by: str,
    text_version: str | None = None,
    language: str | None = None,
    user_agent: str | None = None,
    ip_hash: str | None = None,
    reason: str | None = None,
    token_hash: str | None = None,
) -> Consent:
    """Apply an outcome; refuses what the current state does not allow. A talent's answer
    names the link (`token_hash`) it came through."""
    allowed = {
        # A manual unlock does not take the talent's own answer away from them.
        ConsentState.GRANTED: {ConsentState.REQUESTED, ConsentState.UNLOCKED_MANUALLY},
        ConsentState.DENIED: {ConsentState.REQUESTED, ConsentState.UNLOCKED_MANUALLY},
        ConsentState.EXPIRED: {ConsentState.REQUESTED},
        ConsentState.WITHDRAWN: {ConsentState.GRANTED},
        ConsentState.UNLOCKED_MANUALLY: {
            ConsentState.NOT_REQUESTED,
            ConsentState.REQUESTED,
        },
    }[state]
    answering = state in (ConsentState.GRANTED, ConsentState.DENIED)
    if consent.state not in allowed or (answering and not consent.token_hashes):
        raise ConsentError("consent_already_decided", f"The consent is {consent.state.value}.")
    if answering and consent.state is ConsentState.REQUESTED and not consent.is_pending(now):
        raise ConsentError("consent_expired", "The consent request has expired.")
    decision = Decision(
        state=state,
        at=now,
        by=by,
        text_version=text_version,
        language=language,
        user_agent=(user_agent or "")[:512] or None,
        ip_hash=ip_hash,
        reason=reason,
        consent_id=consent.consent_id,
    )
    token = next((t for t in consent.tokens if t.hash == token_hash), None)
    if token is not None:
        decision = replace(
            decision,
            token_hash=token.hash,
            token_channel=token.channel,
            token_issued_by=token.issued_by,
            from_issuer_address=evidence.from_issuer_address(
                ip_hash=ip_hash, tokens=consent.tokens
            ),
        )
    # Unsent mails are pointless once the talent has answered.
    mails = tuple(
        replace(m, status="failed", last_error="superseded", token_seed=None)
        if m.status == "pending"
        else m
        for m in consent.mails
    )
    return replace(consent, state=state, decisions=(*consent.decisions, decision), mails=mails)


def unlocked(*, tenant_id: str, talent_id: str, actor: str, now: datetime) -> Consent:
    """A consent record for a talent nobody asked yet, to be unlocked by an admin."""
    return Consent(
        tenant_id=tenant_id,
        talent_id=talent_id,
        consent_id=new_consent_id(),
        state=ConsentState.NOT_REQUESTED,
        channel=ConsentChannel.MANUAL,
        language=DEFAULT_LANGUAGE,
        requested_at=now,
        requested_by=actor,
    )


def mail_backoff(attempts: int) -> timedelta:
    """Wait before the next SMTP attempt: 30 s, 1 min, 2 min ... capped at one hour."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))

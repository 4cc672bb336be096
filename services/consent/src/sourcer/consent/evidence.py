"""Consent links as evidence: how each token reached the talent, who caused it, and from where.

A recruiter who asks for a link sees its token (they forward it), so a decision made with that
token proves only that someone holding the link answered. The record therefore keeps, per token,
its channel (`link`: the requester saw it; `email`: only the talent's mailbox did) and issuer,
and, per decision, the token used and the decider's keyed IP hash, so a decision made from the
requester's own address stands out. Pure code, no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

LINK = "link"
EMAIL = "email"


@dataclass(frozen=True)
class IssuedToken:
    """One valid link of a request. Fields other than `hash` are None only on tokens issued
    before they were recorded."""

    hash: str
    channel: str | None = None  # LINK or EMAIL
    issued_by: str | None = None  # the user who asked for the link or the mail
    issued_at: datetime | None = None
    # Keyed hash of the address the issuer asked from (the recruiter's, relayed by the gateway).
    issuer_ip_hash: str | None = None


def new_token() -> str:
    """256 bits from the OS CSPRNG; only its hash is ever stored."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(*, key: bytes, value: str) -> str:
    """For IP addresses: a plain hash of an IPv4 address is reversed by enumeration."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def new_seed() -> str:
    return secrets.token_urlsafe(32)


def mail_token(*, key: bytes, seed: str) -> str:
    """The link token of one email, derived from its stored random seed with the service key.

    Every attempt to send the mail carries the same link, and neither the token nor anything
    that yields it without the key is stored; the seed is dropped once the mail is sent or given
    up. Same shape as `new_token` (256 bits, base64url).
    """
    digest = hmac.new(key, b"consent-mail-link:" + seed.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def from_issuer_address(*, ip_hash: str | None, tokens: Iterable[IssuedToken]) -> bool | None:
    """Whether a decision came from an address someone asked for this talent's consent from.

    None when it cannot be told: the decider's or every issuer's address is unknown.
    """
    known = {t.issuer_ip_hash for t in tokens if t.issuer_ip_hash}
    if ip_hash is None or not known:
        return None
    return ip_hash in known

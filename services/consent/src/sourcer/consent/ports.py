"""The adapters the consent service depends on, as Protocols; unit tests use fakes of these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from sourcer.consent.texts import Controller
from sourcer.proto.envelope import Envelope

Clock = Callable[[], datetime]


class Publisher(Protocol):
    async def publish(self, envelope: Envelope[Any]) -> None: ...


class MailError(Exception):
    """SMTP did not accept the mail; `permanent` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Mailer(Protocol):
    async def send(self, *, to: str, subject: str, body: str, message_id: str) -> None:
        """Raise MailError unless the server accepted the message."""
        ...


class RateLimiter(Protocol):
    async def hit(self, *, key: str, limit: int, window_seconds: int, now: datetime) -> bool:
        """Count one use; False when the window is already full."""
        ...


class Controllers(Protocol):
    async def controller(self, *, tenant_id: str) -> Controller | None:
        """The tenant's controller; None until it is set (no placeholder is ever shown)."""
        ...

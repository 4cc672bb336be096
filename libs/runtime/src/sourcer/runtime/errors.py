"""Errors handlers raise to steer retries, and the error a failed publish raises."""

from __future__ import annotations


class RetryableError(Exception):
    """Trying again later may succeed (a timeout, a busy dependency)."""

    def __init__(self, message: str, *, delay: float | None = None, defer: bool = False) -> None:
        super().__init__(message)
        self.delay = delay  # overrides the policy's next delay when set
        # A deferral (waiting for a free resource, not a failure) does not use up an attempt;
        # it is bounded separately by RetryPolicy.max_defers.
        self.defer = defer


class FinalError(Exception):
    """Trying again cannot succeed; the message goes to the parking queue."""


class PublishError(Exception):
    """The broker did not confirm a publish; the caller must not treat it as sent."""


class DomainError(Exception):
    """A rule of the domain refused the request: `code` is stable and meant for programs,
    `message` for people. Domain code raises these and knows nothing of HTTP; each service maps
    codes to statuses at its edge (`sourcer.runtime.problems`).

    `retry_after` (seconds) tells a caller when trying again may succeed.
    """

    def __init__(self, code: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after

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

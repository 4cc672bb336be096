"""Errors handlers raise to steer retries, and the error a failed publish raises."""

from __future__ import annotations

from pydantic import ValidationError


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


def validation_summary(error: ValidationError) -> str:
    """A pydantic error without the values that failed: pydantic's own text quotes each
    `input_value` (a name, an email, a whole profile), which must not reach message headers
    or log lines. Keeps where and why: `payload.profile.email: value is not a valid email`."""
    problems = [
        f"{'.'.join(str(part) for part in item['loc']) or '(root)'}: {item['msg']} "
        f"[type={item['type']}]"
        for item in error.errors(include_url=False, include_context=False, include_input=False)
    ]
    count = error.error_count()
    head = f"{count} validation error{'s' if count != 1 else ''} for {error.title}"
    return "; ".join([head, *problems])


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def has_input_values(error: BaseException) -> bool:
    """Whether the error or one it came from quotes input values (a pydantic error): its
    traceback must not be logged as it is."""
    return any(isinstance(e, ValidationError) for e in _chain(error))


def describe_error(error: BaseException) -> str:
    """`Type: message` for headers and logs, with pydantic errors rendered without inputs
    (also one the error was raised from, which a traceback would otherwise print)."""
    if isinstance(error, ValidationError):
        return f"ValidationError: {validation_summary(error)}"
    text = f"{type(error).__name__}: {error}"
    cause = next((e for e in _chain(error) if isinstance(e, ValidationError)), None)
    return text if cause is None else f"{text} (from {describe_error(cause)})"

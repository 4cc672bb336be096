"""Structured logging: JSON lines in production, a readable console in development.

Context bound with `bind_event_context` (correlation id, tenant, event) appears on every line
logged while an event is handled, including lines from library code that uses the stdlib logger.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import structlog
from pydantic import ValidationError

from sourcer.runtime.errors import describe_error, has_input_values

# pydantic's error text: `... [type=string_type, input_value='Jane Doe', input_type=str]`.
_INPUT_VALUE = re.compile(r"input_value=.*?(?=, input_type=)", re.DOTALL)


def _exception_of(exc_info: Any) -> BaseException | None:
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        return exc_info[1] if isinstance(exc_info[1], BaseException) else None
    if exc_info is True:
        return sys.exc_info()[1]
    return None


def drop_input_values(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """No log line carries the input values of a pydantic error (names, emails, profiles):
    a traceback of one is replaced by its summary without inputs, and pydantic error text
    that code put into a field loses its `input_value=...` parts."""
    exc = _exception_of(event_dict.get("exc_info"))
    if exc is not None and has_input_values(exc):
        event_dict.pop("exc_info")
        event_dict.setdefault("error", describe_error(exc))
    for key, value in event_dict.items():
        if isinstance(value, ValidationError):
            event_dict[key] = describe_error(value)
        elif isinstance(value, str) and "input_value=" in value:
            event_dict[key] = _INPUT_VALUE.sub("input_value=<hidden>", value)
    return event_dict


_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
    drop_input_values,
]


def configure_logging(
    *, fmt: Literal["json", "console"] = "json", level: str = "INFO", service: str = ""
) -> None:
    renderer: Any
    if fmt == "json":
        renderer = structlog.processors.JSONRenderer()
        processors = [*_SHARED_PROCESSORS, structlog.processors.format_exc_info]
    else:
        renderer = structlog.dev.ConsoleRenderer()
        processors = list(_SHARED_PROCESSORS)
    structlog.configure(
        processors=[*processors, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processor=renderer, foreign_pre_chain=[structlog.stdlib.ExtraAdder(), *processors]
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Library chatter at INFO (connection pools, each HTTP request) drowns the events.
    for noisy in ("aiormq", "aio_pika", "pymongo", "uvicorn.access", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if service:
        structlog.contextvars.bind_contextvars(service=service)


@contextmanager
def bind_event_context(
    *, correlation_id: str, tenant_id: str, event_id: str, event_type: str
) -> Iterator[None]:
    with structlog.contextvars.bound_contextvars(
        correlation_id=correlation_id,
        tenant_id=tenant_id,
        event_id=event_id,
        event_type=event_type,
    ):
        yield


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)

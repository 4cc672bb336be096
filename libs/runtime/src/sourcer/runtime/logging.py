"""Structured logging: JSON lines in production, a readable console in development.

Context bound with `bind_event_context` (correlation id, tenant, event) appears on every line
logged while an event is handled, including lines from library code that uses the stdlib logger.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import structlog

_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
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

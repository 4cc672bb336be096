"""Consumers as data: what a consumer takes, which entrypoint handles each event, how it retries.

A service exports its `ConsumerSpec`s (the `sourcer.consumers` entry point group names them), so
the bus, the tests, the docs and `sourcer-bus consumers` all derive queue names and routing keys
from the same declaration instead of keeping copies. Each route pairs a payload model with an
entrypoint `async def on_x(container, event: Envelope[X])`: the handler gets the typed payload,
and the routing key is the model's registered event type.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from sourcer.proto.envelope import Envelope
from sourcer.proto.events import EVENT_TYPES

C = TypeVar("C")
P = TypeVar("P", bound=BaseModel)

PARKED_TTL_SECONDS = 14 * 24 * 3600.0
"""How long a parked message is kept for ops to look at and replay (14 days): parked messages
carry whole profiles, so they must not stay forever."""
PARKED_MAX_LENGTH = 10_000
"""Parked messages kept per consumer; beyond it the oldest is dropped (drop-head)."""


@dataclass(frozen=True)
class RetryPolicy:
    """Delays in seconds before attempt 2, 3, ...; attempts = len(delays) + 1.

    `extra_delays` are further waits a handler may ask for (`RetryableError(delay=...)`, e.g. a
    deferral while no resource is free). Every delay queue is declared up front from these, so
    a consumer's queues are known before it runs; a handler asking for another wait gets the
    next longer declared one.
    """

    delays: tuple[float, ...] = (1.0, 10.0, 60.0)
    extra_delays: tuple[float, ...] = ()
    delivery_limit: int = 10  # redeliveries after crashes before the broker parks a message
    max_defers: int = 2880  # e.g. a day of 30 s waits for a free resource
    parked_ttl: float = PARKED_TTL_SECONDS  # seconds a parked message is kept
    parked_max_length: int = PARKED_MAX_LENGTH  # parked messages kept; the oldest goes first

    @property
    def max_attempts(self) -> int:
        return len(self.delays) + 1

    @property
    def delays_ms(self) -> tuple[int, ...]:
        """Every declared wait in milliseconds, ascending and without repeats."""
        return tuple(sorted({int(d * 1000) for d in (*self.delays, *self.extra_delays)}))

    def declared_delay_ms(self, wanted: float) -> int:
        """The declared wait for a wanted one: the shortest that is at least as long, else the
        longest declared."""
        declared = self.delays_ms
        index = bisect.bisect_left(declared, int(wanted * 1000))
        return declared[min(index, len(declared) - 1)]


def parked_queue_name(queue_name: str) -> str:
    return f"{queue_name}.parked"


def delay_queue_name(queue_name: str, delay_ms: int) -> str:
    return f"{queue_name}.delay.{delay_ms}"


def dead_letter_exchange_name(queue_name: str) -> str:
    """The consumer's own direct exchange for delays, parking and dead-lettering."""
    return f"{queue_name}.dlx"


EventHandler = Callable[[C, Envelope[Any]], Awaitable[None]]
# Told before a parsed message is parked (kind: exhausted, deferrals_exhausted, final,
# delivery_limit, unhandled_type), e.g. to end the request the message stood for.
ParkedHook = Callable[[C, Envelope[Any], str, str], Awaitable[None]]


@dataclass(frozen=True)
class On(Generic[C, P]):
    """One event type a consumer takes, and the entrypoint that handles it."""

    payload: type[P]
    handler: Callable[[C, Envelope[P]], Awaitable[None]]

    @property
    def event_type(self) -> str:
        return EVENT_TYPES[self.payload]


@dataclass(frozen=True)
class ConsumerSpec(Generic[C]):
    """A consumer: its own durable queue `name`, the events it takes, its retry policy."""

    name: str
    description: str
    routes: tuple[On[C, Any], ...]
    retry: RetryPolicy = dataclasses.field(default_factory=RetryPolicy)
    on_parked: ParkedHook[C] | None = None

    def __post_init__(self) -> None:
        types = [route.event_type for route in self.routes]
        if not types or len(types) != len(set(types)):
            raise ValueError(f"consumer {self.name}: each event type needs exactly one route")

    @property
    def keys(self) -> list[str]:
        """Routing keys the queue is bound to: the event types of its routes."""
        return [route.event_type for route in self.routes]

    def queue(self, namespace: str = "") -> str:
        return f"{namespace}{self.name}"

    def queue_names(self, namespace: str = "") -> set[str]:
        """Every queue this consumer declares: its own, its parking queue, its delay queues."""
        queue = self.queue(namespace)
        delays = {delay_queue_name(queue, ms) for ms in self.retry.delays_ms}
        return {queue, parked_queue_name(queue), *delays}

    def exchange_names(self, namespace: str = "") -> set[str]:
        """The exchanges this consumer declares (its dead-letter exchange)."""
        return {dead_letter_exchange_name(self.queue(namespace))}

    def with_retry(self, retry: RetryPolicy) -> ConsumerSpec[C]:
        """The same consumer with waits from settings (tests and benchmarks shorten them)."""
        return dataclasses.replace(self, retry=retry)

    def bind(self, context: C) -> dict[str, Callable[[Envelope[Any]], Awaitable[None]]]:
        """Event type → handler with the service's container filled in."""

        def bound(route: On[C, Any]) -> Callable[[Envelope[Any]], Awaitable[None]]:
            async def handle(envelope: Envelope[Any]) -> None:
                await route.handler(context, envelope)

            return handle

        return {route.event_type: bound(route) for route in self.routes}

    def bind_parked(
        self, context: C
    ) -> Callable[[Envelope[Any], str, str], Awaitable[None]] | None:
        hook = self.on_parked
        if hook is None:
            return None

        async def parked(envelope: Envelope[Any], kind: str, error: str) -> None:
            await hook(context, envelope, kind, error)

        return parked


def queue_names(specs: Iterable[ConsumerSpec[Any]], namespace: str = "") -> set[str]:
    """Every queue a set of consumers declares, e.g. to delete them after a test run."""
    names: set[str] = set()
    for spec in specs:
        names |= spec.queue_names(namespace)
    return names


def exchange_names(specs: Iterable[ConsumerSpec[Any]], namespace: str = "") -> set[str]:
    """Every per-consumer exchange a set of consumers declares."""
    names: set[str] = set()
    for spec in specs:
        names |= spec.exchange_names(namespace)
    return names

"""The event bus: one robust RabbitMQ connection per process, confirmed persistent publishes.

A publish counts as done only when the broker confirmed it within `publish_timeout`; anything
else raises `PublishError`, so callers never mistake a lost message for a sent one. Consumers
(see `consumer.py`) get their own channel on the same connection.
"""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar

import aio_pika
from aio_pika.abc import AbstractExchange, AbstractRobustChannel, AbstractRobustConnection
from pydantic import BaseModel

from sourcer.proto.envelope import EXCHANGE, Actor, Envelope
from sourcer.proto.events import event_type_of
from sourcer.runtime.consumer import Consumer
from sourcer.runtime.consumer_spec import ConsumerSpec, exchange_names, queue_names
from sourcer.runtime.errors import PublishError
from sourcer.runtime.idempotency import ProcessedEvents
from sourcer.runtime.logging import get_logger
from sourcer.runtime.metrics import EVENTS_PUBLISHED, PUBLISH_FAILURES
from sourcer.runtime.topology import ensure_events_exchange

log = get_logger(__name__)

C = TypeVar("C")

COMMANDS = frozenset({"sourcing.requested", "talent.submit", "session.validate"})
"""Commands must reach a consumer: with no queue bound the publish fails instead of the
broker dropping it. Facts may have no subscriber yet."""


def encode_envelope(envelope: Envelope[Any]) -> aio_pika.Message:
    return aio_pika.Message(
        body=envelope.model_dump_json().encode(),
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=envelope.event_id,
        correlation_id=envelope.correlation_id,
        type=envelope.type,
        timestamp=envelope.occurred_at,
        headers={"x-sourcer-tenant": envelope.tenant_id},
    )


class Bus:
    def __init__(
        self,
        *,
        url: str,
        namespace: str = "",
        publish_timeout: float = 10.0,
        name: str = "",
        publishes: frozenset[str] | None = None,
    ) -> None:
        self.url = url
        # The event types this process may publish (its service's declaration; None: any).
        # The broker enforces the same list through the service's user; checking here too
        # gives a clear error instead of a channel the broker closed.
        self.publishes = publishes
        self.namespace = namespace
        self.publish_timeout = publish_timeout
        self.name = name or "sourcer"
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._consumers: list[Consumer] = []
        self._specs: list[ConsumerSpec[Any]] = []

    @property
    def exchange_name(self) -> str:
        return f"{self.namespace}{EXCHANGE}"

    def queue_name(self, consumer: str) -> str:
        return f"{self.namespace}{consumer}"

    @property
    def connection(self) -> AbstractRobustConnection:
        if self._connection is None:
            raise RuntimeError("bus is not connected")
        return self._connection

    async def connect(self) -> None:
        self._connection = await aio_pika.connect_robust(
            self.url, client_properties={"connection_name": self.name}
        )
        # Returned (unroutable) mandatory messages raise instead of vanishing.
        self._channel = await self._connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        await ensure_events_exchange(self._connection, self.exchange_name)
        self._exchange = await self._channel.declare_exchange(self.exchange_name, passive=True)

    def is_ready(self) -> bool:
        return (
            self._connection is not None
            and not self._connection.is_closed
            and self._channel is not None
            and not self._channel.is_closed
        )

    async def wait_ready(self, timeout: float = 30.0) -> None:
        """Wait until a lost connection is back, e.g. before retrying a failed publish."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.is_ready():
            if loop.time() > deadline:
                raise PublishError("broker connection not restored in time")
            await asyncio.sleep(0.1)

    async def publish(self, envelope: Envelope[Any]) -> None:
        """Publish and wait for the broker's confirm; raise PublishError otherwise."""
        if self.publishes is not None and envelope.type not in self.publishes:
            PUBLISH_FAILURES.labels(envelope.type).inc()
            raise PublishError(f"{self.name} does not declare publishing {envelope.type}")
        if self._exchange is None or self._channel is None or self._channel.is_closed:
            PUBLISH_FAILURES.labels(envelope.type).inc()
            raise PublishError("broker channel is not open")
        try:
            await self._exchange.publish(
                encode_envelope(envelope),
                routing_key=envelope.type,
                mandatory=envelope.type in COMMANDS,
                timeout=self.publish_timeout,
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            PUBLISH_FAILURES.labels(envelope.type).inc()
            raise PublishError(f"publish of {envelope.type} not confirmed: {exc!r}") from exc
        EVENTS_PUBLISHED.labels(envelope.type).inc()

    async def emit(
        self,
        payload: BaseModel,
        *,
        tenant_id: str,
        correlation_id: str,
        actor: Actor,
        causation_id: str | None = None,
    ) -> Envelope[Any]:
        """Wrap a payload in an envelope of its registered type and publish it."""
        envelope: Envelope[Any] = Envelope[Any](
            type=event_type_of(payload),
            tenant_id=tenant_id,
            correlation_id=correlation_id,
            causation_id=causation_id,
            actor=actor,
            payload=payload,
        )
        await self.publish(envelope)
        return envelope

    async def consume(
        self,
        spec: ConsumerSpec[C],
        *,
        context: C,
        concurrency: int = 1,
        processed: ProcessedEvents | None = None,
    ) -> Consumer:
        """Start consuming `spec`'s queue, its handlers given `context` (the service's
        container); prefetch = `concurrency`."""
        consumer = Consumer(
            connection=self.connection,
            exchange_name=self.exchange_name,
            name=spec.name,
            queue_name=spec.queue(self.namespace),
            keys=spec.keys,
            routes=spec.bind(context),
            on_parked=spec.bind_parked(context),
            concurrency=concurrency,
            retry=spec.retry,
            processed=processed,
            publish_timeout=self.publish_timeout,
        )
        await consumer.start()
        self._consumers.append(consumer)
        self._specs.append(spec)
        return consumer

    def declared_queues(self) -> set[str]:
        """Every queue this bus's consumers declared, delay queues included (tests delete
        them afterwards); known from the specs, so also after the consumers stopped."""
        return queue_names(self._specs, self.namespace)

    def declared_exchanges(self) -> set[str]:
        """The consumers' own exchanges (not the shared events exchange)."""
        return exchange_names(self._specs, self.namespace)

    async def drain(self, timeout: float = 30.0) -> None:
        """Stop taking messages and let in-flight handlers finish (SIGTERM)."""
        await asyncio.gather(*(c.stop(timeout=timeout) for c in self._consumers))
        self._consumers.clear()

    async def close(self, timeout: float = 30.0) -> None:
        await self.drain(timeout)
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
            self._channel = None
            self._exchange = None

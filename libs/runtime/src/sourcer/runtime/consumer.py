"""A consumer: its own durable quorum queue, bounded retries through delay queues, a parking queue.

Queue topology for a consumer named `talent`:
- `talent`: quorum queue bound to the consumer's routing keys. A delivery limit dead-letters
  a message that keeps killing its consumer into the parking queue, so no crash loop is endless.
- `talent.delay.<ms>`: one per delay; messages wait out the TTL and are dead-lettered back
  into `talent` through the consumer's own exchange `talent.dlx` (see `topology.py`).
- `talent.parked`: final failures, exhausted retries and invalid envelopes, with the error in
  the headers (never input values: see `errors.describe_error`), kept for a bounded time;
  ops list and replay them with `sourcer-bus parked`.

A message is acked only after the handler returned (its effect stored, its follow-up events
confirmed) or after its retry or parking copy was confirmed, so nothing is lost in between.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel as Channel
from aio_pika.abc import (
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)
from pydantic import ValidationError

from sourcer.proto.envelope import Envelope
from sourcer.proto.events import UnknownEventTypeError, parse_envelope
from sourcer.runtime.consumer_spec import (
    RetryPolicy,
    dead_letter_exchange_name,
    delay_queue_name,
    parked_queue_name,
)
from sourcer.runtime.errors import FinalError, RetryableError, describe_error, has_input_values
from sourcer.runtime.idempotency import ProcessedEvents
from sourcer.runtime.logging import bind_event_context, get_logger
from sourcer.runtime.metrics import EVENTS_HANDLED, HANDLING_SECONDS, IN_FLIGHT
from sourcer.runtime.topology import (
    declare_queue,
    delay_queue_arguments,
    ensure_events_exchange,
    main_queue_arguments,
    parked_queue_arguments,
)

log = get_logger(__name__)

Handler = Callable[[Envelope[Any]], Awaitable[None]]
ParkedHandler = Callable[[Envelope[Any], str, str], Awaitable[None]]
UNHANDLED = "unhandled_type"
# Set by quorum queues on redelivered messages: how often the message was returned before.
DELIVERY_COUNT_HEADER = "x-delivery-count"

ATTEMPT_HEADER = "x-sourcer-attempt"
DEFERS_HEADER = "x-sourcer-defers"
ERROR_HEADER = "x-sourcer-error"
ERROR_KIND_HEADER = "x-sourcer-error-kind"
CONSUMER_HEADER = "x-sourcer-consumer"
PARKED_AT_HEADER = "x-sourcer-parked-at"
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class Delivery:
    """What a handler may know about the message it handles."""

    attempt: int
    max_attempts: int
    defers: int = 0  # how often it was deferred already (waiting for a resource)

    @property
    def is_last_attempt(self) -> bool:
        return self.attempt >= self.max_attempts


current_delivery: contextvars.ContextVar[Delivery] = contextvars.ContextVar("current_delivery")


def _counter(message: AbstractIncomingMessage, header: str, default: int) -> int:
    value = (message.headers or {}).get(header, default)
    return value if isinstance(value, int) and value >= default else default


class Consumer:
    def __init__(
        self,
        *,
        connection: AbstractRobustConnection,
        exchange_name: str,
        name: str,
        queue_name: str,
        keys: list[str],
        routes: dict[str, Handler],
        on_parked: ParkedHandler | None = None,
        concurrency: int,
        retry: RetryPolicy,
        processed: ProcessedEvents | None,
        publish_timeout: float,
    ) -> None:
        self.name = name
        self.queue_name = queue_name
        self._connection = connection
        self._exchange_name = exchange_name
        self._keys = keys
        self._routes = routes
        self._on_parked = on_parked
        self._concurrency = concurrency
        self._retry = retry
        self._processed = processed
        self._publish_timeout = publish_timeout
        self._channel: Channel | None = None
        self._dlx: AbstractExchange | None = None
        self._queue: AbstractQueue | None = None
        self._tag: str | None = None
        self._delay_queues: set[int] = set()
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopped = False

    async def start(self) -> None:
        connection = self._connection
        dlx_name = dead_letter_exchange_name(self.queue_name)
        await ensure_events_exchange(connection, self._exchange_name)
        # Each declaration on a channel of its own: a queue declared by an earlier release with
        # other arguments is refused, closing the channel, and is then used as it is.
        await declare_queue(
            connection,
            parked_queue_name(self.queue_name),
            arguments=parked_queue_arguments(self._retry),
        )
        await declare_queue(
            connection,
            self.queue_name,
            arguments=main_queue_arguments(self.queue_name, self._retry),
        )
        channel = await connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=self._concurrency)
        self._channel = channel
        self._dlx = await channel.declare_exchange(
            dlx_name, aio_pika.ExchangeType.DIRECT, durable=True
        )
        parked = await channel.declare_queue(parked_queue_name(self.queue_name), passive=True)
        await parked.bind(self._dlx, routing_key=parked.name)
        queue = await channel.declare_queue(self.queue_name, passive=True)
        await queue.bind(self._dlx, routing_key=queue.name)
        exchange = await channel.declare_exchange(self._exchange_name, passive=True)
        for key in self._keys:
            await queue.bind(exchange, routing_key=key)
        for delay_ms in self._retry.delays_ms:
            await self._declare_delay_queue(delay_ms)
        self._queue = queue
        self._tag = await queue.consume(self._on_message)
        log.info("consumer.started", consumer=self.name, queue=self.queue_name, keys=self._keys)

    async def stop(self, *, timeout: float) -> None:
        """Cancel the subscription first so nothing new arrives, then wait for in-flight work."""
        if self._stopped:
            return
        self._stopped = True
        if self._queue is not None and self._tag is not None:
            try:
                await self._queue.cancel(self._tag)
            except Exception as exc:  # the channel may already be gone; work still drains
                log.warning("consumer.cancel_failed", consumer=self.name, error=repr(exc))
            self._tag = None
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.error("consumer.drain_timeout", consumer=self.name, in_flight=self._in_flight)
        if self._channel is not None and not self._channel.is_closed:
            await self._channel.close()
        log.info("consumer.stopped", consumer=self.name)

    @property
    def queue_names(self) -> set[str]:
        delays = {delay_queue_name(self.queue_name, ms) for ms in self._delay_queues}
        return {self.queue_name, parked_queue_name(self.queue_name), *delays}

    @property
    def in_flight(self) -> int:
        return self._in_flight

    async def _declare_delay_queue(self, delay_ms: int) -> str:
        name = delay_queue_name(self.queue_name, delay_ms)
        if delay_ms not in self._delay_queues:
            assert self._channel is not None and self._dlx is not None
            await declare_queue(
                self._connection,
                name,
                arguments=delay_queue_arguments(self.queue_name, delay_ms),
            )
            queue = await self._channel.declare_queue(name, passive=True)
            await queue.bind(self._dlx, routing_key=name)
            self._delay_queues.add(delay_ms)
        return name

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self._in_flight += 1
        self._idle.clear()
        IN_FLIGHT.labels(self.name).inc()
        try:
            await self._process(message)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Retry copy or parking copy not confirmed: hand the message back to the broker
            # rather than hold it unacked for the life of the channel.
            log.error("event.requeued", consumer=self.name, error=repr(exc))
            await asyncio.sleep(1.0)
            try:
                await message.nack(requeue=True)
            except Exception as nack_exc:
                log.warning("event.nack_failed", consumer=self.name, error=repr(nack_exc))
        finally:
            self._in_flight -= 1
            IN_FLIGHT.labels(self.name).dec()
            if self._in_flight == 0:
                self._idle.set()

    async def _process(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = parse_envelope(message.body)
        except (ValidationError, UnknownEventTypeError, UnicodeDecodeError) as exc:
            log.error(
                "event.invalid_envelope",
                consumer=self.name,
                message_id=message.message_id,
                size=len(message.body),
                error=describe_error(exc)[:MAX_ERROR_CHARS],
            )
            await self._park(message, kind="invalid_envelope", error=describe_error(exc))
            return
        with bind_event_context(
            correlation_id=envelope.correlation_id,
            tenant_id=envelope.tenant_id,
            event_id=envelope.event_id,
            event_type=envelope.type,
        ):
            await self._handle(message, envelope)

    async def _handle(self, message: AbstractIncomingMessage, envelope: Envelope[Any]) -> None:
        if self._processed and await self._processed.seen(
            consumer=self.name, event_id=envelope.event_id
        ):
            log.info("event.duplicate", consumer=self.name)
            await self._ack(message, outcome="duplicate")
            return
        handler = self._routes.get(envelope.type)
        if handler is None:
            # Bound to this queue by an older binding or a wildcard: nothing here handles it.
            log.error("event.unhandled_type", consumer=self.name)
            await self._park(
                message, kind=UNHANDLED, error=f"no route for {envelope.type}", envelope=envelope
            )
            return
        returned = (message.headers or {}).get(DELIVERY_COUNT_HEADER)
        if isinstance(returned, int) and returned >= self._retry.delivery_limit:
            # It kept killing its consumer: the broker would drop it into the parking queue on
            # this return without telling anyone; park it here, so its owner hears of it.
            log.error("event.delivery_limit", consumer=self.name, returned=returned)
            await self._park(
                message, kind="delivery_limit", error="kept failing its consumer",
                envelope=envelope,
            )  # fmt: skip
            return
        attempt = _counter(message, ATTEMPT_HEADER, 1)
        current_delivery.set(
            Delivery(
                attempt=attempt,
                max_attempts=self._retry.max_attempts,
                defers=_counter(message, DEFERS_HEADER, 0),
            )
        )
        started = time.perf_counter()
        try:
            await handler(envelope)
        except RetryableError as exc:
            if exc.defer:
                await self._defer_or_park(message, envelope, attempt=attempt, error=exc)
            else:
                await self._retry_or_park(
                    message, envelope, attempt=attempt, error=exc, delay=exc.delay
                )
            return
        except FinalError as exc:
            log.warning("event.final_error", consumer=self.name, error=describe_error(exc))
            await self._park(message, kind="final", error=describe_error(exc), envelope=envelope)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # An unexpected error may be transient (a dropped connection), so it is retried,
            # but within the same bound as any retryable error.
            if has_input_values(exc):
                # A traceback would print the invalid input, i.e. personal data.
                log.error("event.handler_crashed", consumer=self.name, error=describe_error(exc))
            else:
                log.exception("event.handler_crashed", consumer=self.name)
            await self._retry_or_park(message, envelope, attempt=attempt, error=exc, delay=None)
            return
        finally:
            elapsed = time.perf_counter() - started
            HANDLING_SECONDS.labels(self.name).observe(elapsed)
        if self._processed:
            await self._processed.mark(consumer=self.name, event_id=envelope.event_id)
        handler_ms = round(elapsed * 1000, 1)
        log.debug("event.handled", consumer=self.name, attempt=attempt, handler_ms=handler_ms)
        await self._ack(message, outcome="ok")

    async def _retry_or_park(
        self,
        message: AbstractIncomingMessage,
        envelope: Envelope[Any],
        *,
        attempt: int,
        error: BaseException,
        delay: float | None,
    ) -> None:
        text = describe_error(error)
        if attempt >= self._retry.max_attempts:
            log.warning("event.retries_exhausted", consumer=self.name, attempt=attempt, error=text)
            await self._park(
                message, kind="exhausted", error=text, attempt=attempt, envelope=envelope
            )
            return
        wait = delay if delay is not None else self._retry.delays[attempt - 1]
        queue = await self._declare_delay_queue(self._retry.declared_delay_ms(wait))
        headers = {**(message.headers or {}), ATTEMPT_HEADER: attempt + 1, ERROR_HEADER: text}
        await self._republish(message, routing_key=queue, headers=headers)
        log.info("event.retry_scheduled", consumer=self.name, attempt=attempt, delay=wait)
        await self._ack(message, outcome="retried")

    async def _defer_or_park(
        self,
        message: AbstractIncomingMessage,
        envelope: Envelope[Any],
        *,
        attempt: int,
        error: RetryableError,
    ) -> None:
        defers = _counter(message, DEFERS_HEADER, 0) + 1
        text = describe_error(error)
        if defers > self._retry.max_defers:
            await self._park(
                message, kind="deferrals_exhausted", error=text, attempt=attempt, envelope=envelope
            )
            return
        wait = error.delay if error.delay is not None else self._retry.delays[0]
        queue = await self._declare_delay_queue(self._retry.declared_delay_ms(wait))
        headers = {**(message.headers or {}), DEFERS_HEADER: defers, ERROR_HEADER: text}
        await self._republish(message, routing_key=queue, headers=headers)
        log.info("event.deferred", consumer=self.name, defers=defers, delay=wait)
        await self._ack(message, outcome="deferred")

    async def _park(
        self,
        message: AbstractIncomingMessage,
        *,
        kind: str,
        error: str,
        attempt: int = 1,
        envelope: Envelope[Any] | None = None,
    ) -> None:
        if envelope is not None and self._on_parked is not None:
            # Before the park: if telling fails, the message is handed back and told again.
            await self._on_parked(envelope, kind, error)
        headers = {
            **(message.headers or {}),
            ERROR_HEADER: error[:MAX_ERROR_CHARS],
            ERROR_KIND_HEADER: kind,
            CONSUMER_HEADER: self.name,
            ATTEMPT_HEADER: attempt,
            PARKED_AT_HEADER: datetime.now(UTC).isoformat(),
        }
        await self._republish(
            message, routing_key=parked_queue_name(self.queue_name), headers=headers
        )
        await self._ack(message, outcome="parked")

    async def _republish(
        self, message: AbstractIncomingMessage, *, routing_key: str, headers: dict[str, Any]
    ) -> None:
        """Publish a copy through the consumer's own exchange and wait for the confirm.

        If this fails the original stays unacked and is redelivered: nothing is lost.
        """
        assert self._dlx is not None
        copy = aio_pika.Message(
            body=message.body,
            headers=headers,
            content_type=message.content_type,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=message.message_id,
            correlation_id=message.correlation_id,
            type=message.type,
            timestamp=message.timestamp,
        )
        await self._dlx.publish(copy, routing_key=routing_key, timeout=self._publish_timeout)

    async def _ack(self, message: AbstractIncomingMessage, *, outcome: str) -> None:
        EVENTS_HANDLED.labels(self.name, outcome).inc()
        try:
            await message.ack()
        except Exception as exc:
            # The channel died after the effect: the broker redelivers, idempotency absorbs it.
            log.warning("event.ack_failed", consumer=self.name, error=repr(exc))

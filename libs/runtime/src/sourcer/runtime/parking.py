"""Operations on a consumer's parking queue: list, replay into the consumer, purge."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from sourcer.runtime.consumer import (
    ATTEMPT_HEADER,
    CONSUMER_HEADER,
    ERROR_HEADER,
    ERROR_KIND_HEADER,
    PARKED_AT_HEADER,
)
from sourcer.runtime.consumer_spec import dead_letter_exchange_name, parked_queue_name
from sourcer.runtime.logging import drop_input_values

_BODY_PREVIEW = 300


@dataclass(frozen=True)
class ParkedMessage:
    message_id: str | None
    type: str | None
    error_kind: str | None
    error: str | None
    parked_at: str | None
    attempts: int | None
    size: int
    body_preview: str

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)


def _without_inputs(error: str) -> str:
    # Messages parked by an earlier release may carry pydantic input values in their error.
    return str(drop_input_values(None, "", {"error": error})["error"])


def _describe(message: AbstractIncomingMessage) -> ParkedMessage:
    headers: dict[str, Any] = dict(message.headers or {})
    kind = headers.get(ERROR_KIND_HEADER)
    if kind is None and headers.get("x-first-death-reason") == "delivery_limit":
        kind = "delivery_limit"
    return ParkedMessage(
        message_id=message.message_id,
        type=message.type,
        error_kind=str(kind) if kind is not None else None,
        error=_without_inputs(str(headers[ERROR_HEADER])) if ERROR_HEADER in headers else None,
        parked_at=str(headers.get(PARKED_AT_HEADER)) if PARKED_AT_HEADER in headers else None,
        attempts=int(headers[ATTEMPT_HEADER]) if ATTEMPT_HEADER in headers else None,
        size=len(message.body),
        body_preview=message.body[:_BODY_PREVIEW].decode("utf-8", errors="replace"),
    )


class ParkingLot:
    def __init__(self, *, url: str, queue_name: str, timeout: float = 10.0) -> None:
        self.url = url
        self.queue_name = queue_name
        self.parked_name = parked_queue_name(queue_name)
        self.timeout = timeout

    async def list(self, *, limit: int = 100) -> list[ParkedMessage]:
        """Peek without consuming: messages are fetched unacked, then handed back on close."""
        connection = await aio_pika.connect(self.url)
        try:
            channel = await connection.channel()
            queue = await channel.declare_queue(self.parked_name, passive=True)
            found: list[ParkedMessage] = []
            while len(found) < limit:
                message = await queue.get(no_ack=False, fail=False, timeout=self.timeout)
                if message is None:
                    break
                found.append(_describe(message))
            return found
        finally:
            await connection.close()

    async def replay(self, *, limit: int | None = None) -> int:
        """Move parked messages back to the consumer's queue with a fresh attempt count.

        Bounded by the number parked at the start, so a message that fails again and is
        parked anew during the replay is not replayed in a loop.
        """
        connection = await aio_pika.connect(self.url)
        replayed = 0
        try:
            channel = await connection.channel(publisher_confirms=True)
            queue = await channel.declare_queue(self.parked_name, passive=True)
            # Through the consumer's own exchange, which its queue is bound to: nobody needs
            # to write to the default exchange (see topology.py).
            exchange = await channel.declare_exchange(
                dead_letter_exchange_name(self.queue_name), passive=True
            )
            assert queue.declaration_result is not None
            todo = int(queue.declaration_result.message_count or 0)
            if limit is not None:
                todo = min(todo, limit)
            for _ in range(todo):
                message = await queue.get(no_ack=False, fail=False, timeout=self.timeout)
                if message is None:
                    break
                headers = {
                    key: value
                    for key, value in (message.headers or {}).items()
                    if key
                    not in (ERROR_HEADER, ERROR_KIND_HEADER, PARKED_AT_HEADER, CONSUMER_HEADER)
                    and not key.startswith("x-death")
                    and not key.startswith("x-first-death")
                    and not key.startswith("x-last-death")
                }
                headers[ATTEMPT_HEADER] = 1
                await exchange.publish(
                    aio_pika.Message(
                        body=message.body,
                        headers=headers,
                        content_type=message.content_type,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        message_id=message.message_id,
                        correlation_id=message.correlation_id,
                        type=message.type,
                        timestamp=message.timestamp,
                    ),
                    routing_key=self.queue_name,
                    timeout=self.timeout,
                )
                await message.ack()
                replayed += 1
            return replayed
        finally:
            await connection.close()

    async def purge(self) -> int:
        connection = await aio_pika.connect(self.url)
        try:
            channel = await connection.channel()
            queue = await channel.declare_queue(self.parked_name, passive=True)
            result = await queue.purge()
            return int(result.message_count or 0)
        finally:
            await connection.close()

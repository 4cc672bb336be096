"""A consumer's queues and exchanges, and how they are declared on a broker that outlives code.

Every consumer gets, besides its quorum queue bound to the topic exchange `sourcer.events`:
- `<queue>.dlx`, a direct exchange of its own. Delay copies, parked copies, dead-lettering and
  the return from a delay queue all go through it (routing key = the target queue's name),
  never through the default exchange: writing to the default exchange lets a user put a
  message into *any* queue by name, and RabbitMQ's topic permissions do not apply to it
  (they guard topic exchanges only). So a service's broker user needs write access to its
  own `.dlx` exchanges and the events exchange, and nothing else (see `bus_permissions.py`).
- `<queue>.parked`, bounded in time and length: parked messages carry whole profiles, so
  they expire after `RetryPolicy.parked_ttl` (14 days by default) and the oldest is dropped
  beyond `RetryPolicy.parked_max_length` (10,000).

Queue arguments cannot change in place. A queue declared by an older release keeps its
arguments; it is used as it is and a warning names the migration (docs/operations.md), so a
deployment does not stop on it.
"""

from __future__ import annotations

from typing import Any

import aio_pika
from aio_pika.abc import AbstractConnection
from aiormq.exceptions import ChannelNotFoundEntity, ChannelPreconditionFailed

from sourcer.runtime.consumer_spec import RetryPolicy, dead_letter_exchange_name, parked_queue_name
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)


def main_queue_arguments(queue_name: str, policy: RetryPolicy) -> dict[str, Any]:
    return {
        "x-queue-type": "quorum",
        "x-delivery-limit": policy.delivery_limit,
        "x-dead-letter-exchange": dead_letter_exchange_name(queue_name),
        "x-dead-letter-routing-key": parked_queue_name(queue_name),
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


def delay_queue_arguments(queue_name: str, delay_ms: int) -> dict[str, Any]:
    return {
        "x-queue-type": "quorum",
        "x-message-ttl": delay_ms,
        "x-dead-letter-exchange": dead_letter_exchange_name(queue_name),
        "x-dead-letter-routing-key": queue_name,
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


def parked_queue_arguments(policy: RetryPolicy) -> dict[str, Any]:
    # No dead-letter exchange: an expired or dropped parked message is gone, on purpose.
    return {
        "x-queue-type": "quorum",
        "x-message-ttl": int(policy.parked_ttl * 1000),
        "x-max-length": policy.parked_max_length,
        "x-overflow": "drop-head",
    }


MIGRATION_HINT = (
    "the queue was declared with other arguments by an earlier release and is used as it is; "
    "see 'Queues declared by an earlier release' in docs/operations.md"
)


async def declare_queue(
    connection: AbstractConnection, name: str, *, arguments: dict[str, Any]
) -> bool:
    """Declare a durable queue on a channel of its own (a refused declaration closes the
    channel). Returns False, with a warning, when the queue exists with other arguments."""
    channel = await connection.channel()
    try:
        await channel.declare_queue(name, durable=True, arguments=arguments)
        return True
    except ChannelPreconditionFailed as exc:
        log.warning("queue.arguments_differ", queue=name, error=str(exc), hint=MIGRATION_HINT)
        return False
    finally:
        if not channel.is_closed:
            await channel.close()


async def ensure_events_exchange(connection: AbstractConnection, name: str) -> None:
    """Make sure the topic exchange exists without needing the right to configure it: a
    service's broker user may only use it (ops create it with `sourcer-bus permissions
    --apply`); a broker where it does not exist yet (tests, a fresh dev broker with full
    rights) gets it declared."""
    channel = await connection.channel()
    try:
        await channel.declare_exchange(name, passive=True)
        return
    except ChannelNotFoundEntity:
        pass
    finally:
        if not channel.is_closed:
            await channel.close()
    channel = await connection.channel()
    try:
        await channel.declare_exchange(name, aio_pika.ExchangeType.TOPIC, durable=True)
    finally:
        if not channel.is_closed:
            await channel.close()

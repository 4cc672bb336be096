"""Each service's broker user and what it may do, derived from the service's declarations.

A service may publish the routing keys of the events it declares (`ServiceSpec.publishes`) and
bind its queues to the keys its consumers take (`ConsumerSpec.keys`): RabbitMQ topic
permissions on the events exchange hold both. Its ordinary permissions cover its own queues
(`<consumer>`, `.parked`, `.delay.<ms>`) and its consumers' own exchanges (`.dlx`), plus
write and read on the events exchange to publish and bind. Not the default exchange: writing
to it puts a message into any queue by name, and topic permissions do not apply to it.
Not configure on the events exchange either: a service cannot delete or redeclare it; ops
create it (`sourcer-bus permissions --apply`).

RabbitMQ's checks (access-control guide): queue.declare needs configure on the queue (and,
with a dead-letter exchange, write on that exchange and read on the queue); queue.bind needs
write on the queue and read on the exchange, plus topic read on the key; basic.publish needs
write on the exchange, plus topic write on the key; basic.consume and basic.get need read on
the queue.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from sourcer.proto.envelope import EXCHANGE
from sourcer.runtime.service import ServiceSpec

USER_PREFIX = "sourcer-"
# What follows a consumer's queue name in the names of its other queues and its exchange.
_SUFFIXES = r"(?:\.parked|\.delay\.[0-9]+|\.dlx)?"
NOTHING = "^$"
"""A pattern no resource or routing key of ours matches (empty names are not used)."""


@dataclass(frozen=True)
class BrokerPermissions:
    """One service's user on the broker: `rabbitmqctl set_permissions` and
    `set_topic_permissions` take these patterns as they are."""

    service: str
    user: str
    configure: str
    write: str
    read: str
    exchange: str  # the topic exchange the topic patterns apply to
    topic_write: str  # routing keys it may publish
    topic_read: str  # routing keys it may bind its queues to
    publishes: tuple[str, ...]
    consumes: tuple[str, ...]
    queues: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _alternatives(names: list[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names))


def _exactly(names: list[str]) -> str:
    return f"^(?:{_alternatives(names)})$" if names else NOTHING


def permissions_for(
    service: ServiceSpec[Any, Any], *, namespace: str = "", user_prefix: str = USER_PREFIX
) -> BrokerPermissions:
    queues = sorted(spec.queue(namespace) for spec in service.consumers)
    exchange = f"{namespace}{EXCHANGE}"
    own = f"(?:{_alternatives(queues)}){_SUFFIXES}" if queues else None
    configure = f"^{own}$" if own else NOTHING
    use = f"^(?:{re.escape(exchange)}|{own})$" if own else f"^{re.escape(exchange)}$"
    return BrokerPermissions(
        service=service.name,
        user=f"{user_prefix}{service.name}",
        configure=configure,
        write=use,
        read=use,
        exchange=exchange,
        topic_write=_exactly(service.published_types),
        topic_read=_exactly(service.consumed_types),
        publishes=tuple(service.published_types),
        consumes=tuple(service.consumed_types),
        queues=tuple(queues),
    )

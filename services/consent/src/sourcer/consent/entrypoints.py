"""Bus consumers of the consent service: thin, they parse and hand over to the handlers."""

from __future__ import annotations

from typing import Any

from sourcer.consent.bootstrap import Container
from sourcer.proto.consent_api import CONSENT_OUTCOME_EVENTS
from sourcer.proto.envelope import Envelope
from sourcer.runtime.bus import Bus
from sourcer.runtime.consumer import Consumer, RetryPolicy
from sourcer.runtime.idempotency import MongoProcessedEvents

WEBHOOKS_CONSUMER = "consent.webhooks"


async def start_consumers(*, bus: Bus, container: Container) -> list[Consumer]:
    async def on_outcome(envelope: Envelope[Any]) -> None:
        await container.webhooks.fan_out(envelope)

    consumer = await bus.consume(
        name=WEBHOOKS_CONSUMER,
        keys=list(CONSENT_OUTCOME_EVENTS),
        handler=on_outcome,
        concurrency=container.settings.consumer_concurrency,
        retry=RetryPolicy((1.0, 10.0, 60.0, 300.0)),
        processed=MongoProcessedEvents(container.store),
    )
    return [consumer]

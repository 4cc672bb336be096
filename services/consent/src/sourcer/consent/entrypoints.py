"""The consent service's consumer: consent outcomes fan out to the tenant's webhook endpoints."""

from __future__ import annotations

from sourcer.consent.container import Container
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import (
    ConsentDenied,
    ConsentExpired,
    ConsentGranted,
    ConsentOutcome,
    ConsentUnlocked,
    ConsentWithdrawn,
)
from sourcer.runtime.consumer_spec import ConsumerSpec, On, RetryPolicy


async def on_outcome(c: Container, event: Envelope[ConsentOutcome]) -> None:
    # Any process with a bus credential could publish an outcome naming any tenant: only one
    # the stored record holds reaches that tenant's webhooks (else parked as a final error).
    await c.service.check_outcome(event)
    await c.webhooks.fan_out(event)


WEBHOOKS: ConsumerSpec[Container] = ConsumerSpec(
    name="consent.webhooks",
    description="One signed webhook delivery per subscribed endpoint for each consent outcome.",
    routes=tuple(
        On(outcome, on_outcome)
        for outcome in (
            ConsentGranted,
            ConsentDenied,
            ConsentExpired,
            ConsentWithdrawn,
            ConsentUnlocked,
        )
    ),
    retry=RetryPolicy((1.0, 10.0, 60.0, 300.0)),
)

CONSUMERS = (WEBHOOKS,)

"""The consent service's consumers: consent outcomes and talent events fan out to the tenant's
webhook endpoints that chose their type."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from sourcer.consent.container import Container
from sourcer.consent.outcomes import OUTCOMES
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import (
    ConsentDenied,
    ConsentExpired,
    ConsentGranted,
    ConsentOutcome,
    ConsentRequested,
    ConsentUnlocked,
    ConsentWithdrawn,
    TalentCreated,
    TalentErased,
    TalentErasureScheduled,
    TalentUpdated,
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


async def on_talent_event(c: Container, event: Envelope[Any]) -> None:
    # Checked against the stored talent (or its tombstone) first: see `talent_fanout`.
    await c.talent_fanout.handle(event)


TALENT_WEBHOOKS: ConsumerSpec[Container] = ConsumerSpec(
    name="consent.talent_webhooks",
    description="One signed webhook delivery per subscribed endpoint for each talent event, "
    "with the talent's data only as far as their consent allows; redacts earlier deliveries of "
    "an erased talent.",
    routes=tuple(
        On(event, on_talent_event)
        for event in (TalentCreated, TalentUpdated, TalentErased, TalentErasureScheduled)
    ),
    retry=RetryPolicy((1.0, 10.0, 60.0, 300.0)),
)

CONSUMERS = (WEBHOOKS, TALENT_WEBHOOKS)


PUBLISHES: tuple[type[BaseModel], ...] = (ConsentRequested, *OUTCOMES.values())
"""Events this service publishes: its broker user may publish these routing keys only."""

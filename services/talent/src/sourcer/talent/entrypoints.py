"""The talent service's consumers: thin entrypoints that hand the typed event to a handler."""

from __future__ import annotations

from pydantic import BaseModel

from sourcer.proto.envelope import Envelope
from sourcer.proto.events import (
    ConsentDenied,
    ConsentExpired,
    ConsentGranted,
    ConsentRequested,
    ConsentUnlocked,
    ConsentWithdrawn,
    ProfileExtracted,
    SourcingPreviewReady,
    TalentCreated,
    TalentErased,
    TalentErasureScheduled,
    TalentSubmit,
    TalentUpdated,
)
from sourcer.runtime.consumer_spec import ConsumerSpec, On, RetryPolicy
from sourcer.runtime.errors import FinalError
from sourcer.talent.consent_records import ConsentNotEndedError, confirm_no_consent
from sourcer.talent.container import Container
from sourcer.talent.submission import SubmitError

RETRY = RetryPolicy((1.0, 10.0, 60.0))


async def on_profile_extracted(c: Container, event: Envelope[ProfileExtracted]) -> None:
    """Match, diff, `sourcing.preview_ready`."""
    await c.previews.handle(event)


async def on_submit(c: Container, event: Envelope[TalentSubmit]) -> None:
    """`talent.submit` commands from integrations; the gateway uses the internal API."""
    try:
        await c.submit.submit(tenant_id=event.tenant_id, command=event.payload, actor=event.actor)
    except SubmitError as exc:
        raise FinalError(f"{exc.code}: {exc.message}") from exc


async def on_consent_state(
    c: Container, event: Envelope[ConsentRequested | ConsentGranted | ConsentUnlocked]
) -> None:
    await c.mirror.mirror(event)


async def on_consent_ended(
    c: Container, event: Envelope[ConsentDenied | ConsentExpired | ConsentWithdrawn]
) -> None:
    """No consent: the talent's data is erased, once the consent record confirms it."""
    try:
        await confirm_no_consent(
            c.consents, tenant_id=event.tenant_id, talent_id=event.payload.talent_id,
            claimed=event.type,
        )  # fmt: skip
    except ConsentNotEndedError as exc:
        raise FinalError(str(exc)) from exc
    await c.mirror.erase(event)


PREVIEWS: ConsumerSpec[Container] = ConsumerSpec(
    name="talent.previews",
    description="Turns an extracted profile into a preview: new, existing with what is new, "
    "possible duplicate, or declined.",
    routes=(On(ProfileExtracted, on_profile_extracted),),
    retry=RETRY,
)
SUBMITS: ConsumerSpec[Container] = ConsumerSpec(
    name="talent.submits",
    description="Creates or updates talents from `talent.submit` commands.",
    routes=(On(TalentSubmit, on_submit),),
    retry=RETRY,
)
CONSENT: ConsumerSpec[Container] = ConsumerSpec(
    name="talent.consent",
    description="Mirrors consent states on talents; erases a talent who denied, withdrew or "
    "never answered.",
    routes=(
        On(ConsentRequested, on_consent_state),
        On(ConsentGranted, on_consent_state),
        On(ConsentUnlocked, on_consent_state),
        On(ConsentDenied, on_consent_ended),
        On(ConsentExpired, on_consent_ended),
        On(ConsentWithdrawn, on_consent_ended),
    ),
    retry=RetryPolicy((1.0, 10.0, 60.0, 300.0)),
)

CONSUMERS = (PREVIEWS, SUBMITS, CONSENT)


PUBLISHES: tuple[type[BaseModel], ...] = (
    SourcingPreviewReady,
    TalentCreated,
    TalentUpdated,
    TalentErased,
    TalentErasureScheduled,
)
"""Events this service publishes: its broker user may publish these routing keys only."""

"""Thin entrypoints: parse the envelope's payload, call the handler, map errors to retries."""

from __future__ import annotations

from typing import Any

from sourcer.proto.envelope import Envelope
from sourcer.proto.events import TalentSubmit
from sourcer.runtime.consumer import RetryPolicy
from sourcer.runtime.errors import FinalError
from sourcer.talent.submission import SubmitError
from sourcer.talent.wiring import TalentDeps

RETRY = RetryPolicy((1.0, 10.0, 60.0))
PREVIEWS_CONSUMER = "talent.previews"
SUBMITS_CONSUMER = "talent.submits"


async def start_previews(deps: TalentDeps) -> None:
    """`profile.extracted` → match, diff, `sourcing.preview_ready`."""
    await deps.bus.consume(
        name=PREVIEWS_CONSUMER,
        keys=["profile.extracted"],
        handler=deps.previews.handle,
        concurrency=deps.settings.consumer_concurrency,
        retry=RETRY,
        processed=deps.processed,
    )


async def start_submits(deps: TalentDeps) -> None:
    """`talent.submit` commands from integrations; the gateway uses the internal API."""

    async def handle(envelope: Envelope[Any]) -> None:
        command = envelope.payload
        assert isinstance(command, TalentSubmit)
        try:
            await deps.submit.submit(
                tenant_id=envelope.tenant_id, command=command, actor=envelope.actor
            )
        except SubmitError as exc:
            raise FinalError(f"{exc.code}: {exc.message}") from exc

    await deps.bus.consume(
        name=SUBMITS_CONSUMER,
        keys=["talent.submit"],
        handler=handle,
        concurrency=deps.settings.consumer_concurrency,
        retry=RETRY,
        processed=deps.processed,
    )

"""The extractor's consumer: `sourcing.requested` → render and parse → the outcome event."""

from __future__ import annotations

from sourcer.extractor.container import Container
from sourcer.extractor.jobs import ACCOUNT_RETRY_DELAY
from sourcer.extractor.settings import ExtractorSettings
from sourcer.proto.envelope import Envelope
from sourcer.proto.events import SourcingRequested
from sourcer.runtime.consumer_spec import ConsumerSpec, On, RetryPolicy


async def on_sourcing_requested(c: Container, event: Envelope[SourcingRequested]) -> None:
    await c.jobs.handle(event)


EXTRACTION: ConsumerSpec[Container] = ConsumerSpec(
    name="extractor",
    description="Renders a requested LinkedIn or Xing profile with a leased session and "
    "publishes the extracted profile or a classified failure.",
    routes=(On(SourcingRequested, on_sourcing_requested),),
    # The defaults of ExtractorSettings.retry_delays and .no_account_retry_delay.
    retry=RetryPolicy(delays=(30.0, 120.0, 600.0), extra_delays=(ACCOUNT_RETRY_DELAY, 30.0)),
)


def extraction(settings: ExtractorSettings) -> ConsumerSpec[Container]:
    """The consumer with the waits the settings give: before a retry, and while no session is
    free (a deferral), or after a session failed."""
    return EXTRACTION.with_retry(
        RetryPolicy(
            delays=settings.retry_delays,
            extra_delays=(ACCOUNT_RETRY_DELAY, settings.no_account_retry_delay),
        )
    )


CONSUMERS = (EXTRACTION,)

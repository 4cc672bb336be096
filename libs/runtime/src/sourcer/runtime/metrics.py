"""Prometheus metrics of the runtime, on the default registry served at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS_PUBLISHED = Counter(
    "sourcer_events_published_total", "Events confirmed by the broker.", ["type"]
)
PUBLISH_FAILURES = Counter(
    "sourcer_publish_failures_total", "Publishes the broker did not confirm.", ["type"]
)
EVENTS_HANDLED = Counter(
    "sourcer_events_handled_total",
    "Messages a consumer finished, by outcome (ok, duplicate, retried, parked).",
    ["consumer", "outcome"],
)
HANDLING_SECONDS = Histogram("sourcer_event_handling_seconds", "Time a handler took.", ["consumer"])
IN_FLIGHT = Gauge("sourcer_events_in_flight", "Messages being handled.", ["consumer"])

"""Runtime pieces that need no broker: retry policy, settings, ops endpoints, parking CLI."""

from __future__ import annotations

import asyncio

import pytest
from starlette.testclient import TestClient

from sourcer.runtime.bus_cli import build_parser
from sourcer.runtime.consumer_spec import RetryPolicy
from sourcer.runtime.http import ops_app
from sourcer.runtime.idempotency import InMemoryProcessedEvents
from sourcer.runtime.jobs import Job, run_job
from sourcer.runtime.settings import ServiceSettings
from sourcer.runtime.topology import main_queue_arguments

pytestmark = pytest.mark.unit


def test_retry_policy_allows_one_attempt_more_than_it_has_delays() -> None:
    assert RetryPolicy((1.0, 2.0)).max_attempts == 3


def test_main_queue_is_a_quorum_queue_that_parks_crash_loops() -> None:
    arguments = main_queue_arguments("talent", RetryPolicy(delivery_limit=5))
    assert arguments["x-queue-type"] == "quorum"
    assert arguments["x-delivery-limit"] == 5
    assert arguments["x-dead-letter-routing-key"] == "talent.parked"


def test_settings_read_the_standard_infrastructure_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AMQP_URL", "amqp://broker:5672/")
    monkeypatch.setenv("MONGODB_URL", "mongodb://store:27017/")
    settings = ServiceSettings()
    assert settings.amqp_url == "amqp://broker:5672/"
    assert settings.mongodb_url == "mongodb://store:27017/"


def test_readyz_reports_each_failing_dependency() -> None:
    async def ok() -> bool:
        return True

    async def down() -> bool:
        return False

    client = TestClient(ops_app({"broker": ok, "store": down}))
    assert client.get("/healthz").json() == {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "not_ready", "checks": {"broker": True, "store": False}}
    assert "sourcer_events_handled_total" in client.get("/metrics").text


async def test_in_memory_processed_events_remember_per_consumer() -> None:
    processed = InMemoryProcessedEvents()
    await processed.mark(consumer="a", event_id="e1")
    assert await processed.seen(consumer="a", event_id="e1")
    assert not await processed.seen(consumer="b", event_id="e1")


def test_the_parking_cli_requires_a_consumer() -> None:
    args = build_parser().parse_args(["parked", "replay", "--consumer", "talent"])
    assert (args.group, args.action, args.consumer) == ("parked", "replay", "talent")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["parked", "list"])


async def test_a_periodic_job_goes_on_after_a_failed_run_until_stopped() -> None:
    runs: list[int] = []
    third = asyncio.Event()

    async def job() -> None:
        runs.append(len(runs))
        if len(runs) == 3:
            third.set()
        if len(runs) == 1:
            raise ConnectionError("store away")

    stop = asyncio.Event()
    task = asyncio.create_task(run_job(Job(name="test", interval=0.001, run=job), stop=stop))
    await asyncio.wait_for(third.wait(), timeout=10)
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    assert task.done() and runs[:3] == [0, 1, 2]

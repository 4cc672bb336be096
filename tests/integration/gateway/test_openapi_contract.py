"""Schemathesis over the gateway's OpenAPI document, against real gateway and talent processes.

Zero server errors is the bar: whatever a client sends, the answer is a documented status with
a problem+json body, never a 5xx. Examples are bounded per operation (the whole run grows with
the API: a few minutes on a busy two-core machine), and the examples are the same on every
run, so CI answers the same for the same code. To look further,
draw fresh random examples, as many as you like:

    SOURCER_CONTRACT_EXPLORE=1 SOURCER_CONTRACT_EXAMPLES=500 uv run pytest \
        tests/integration/gateway/test_openapi_contract.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from e2e.fleet import Fleet, free_port, running_fleet, start_process, stop, wait_http
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    status_code_conformance,
)

from sourcer.proto.envelope import Role

pytestmark = pytest.mark.integration

EXAMPLES = int(os.environ.get("SOURCER_CONTRACT_EXAMPLES", "25"))
EXPLORE = os.environ.get("SOURCER_CONTRACT_EXPLORE") == "1"


@pytest.fixture(scope="module")
def contract_fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    amqp_url, mongodb_url = os.environ.get("AMQP_URL"), os.environ.get("MONGODB_URL")
    if not amqp_url or not mongodb_url:
        pytest.fail("set AMQP_URL and MONGODB_URL (see deploy/local/README.md)", pytrace=False)
    log_dir: Path = tmp_path_factory.mktemp("contract-logs")
    # Every service the API relays to runs, the extractor (sessions API) against the simulator.
    port = free_port()
    simulator = start_process(
        "simulator", ["-m", "sourcer.simulator", "--port", str(port)], dict(os.environ), log_dir
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/_sim/profiles", simulator)
        with running_fleet(
            amqp_url=amqp_url,
            mongodb_url=mongodb_url,
            log_dir=log_dir,
            extractor=True,
            extra_env={"SOURCER_SIMULATOR_URL": f"http://127.0.0.1:{port}"},
        ) as fleet:
            headers = fleet.headers(role=Role.ADMIN)
            httpx.post(f"{fleet.gateway_url}/v1/pools", json={"name": "Seed"}, headers=headers)
            yield fleet
    finally:
        stop(simulator)


# Every operation of the API in one run: longer than the suite's default limit per test.
@pytest.mark.timeout(600)
def test_no_server_errors(contract_fleet: Fleet) -> None:
    schema = schemathesis.openapi.from_url(f"{contract_fleet.gateway_url}/openapi.json")
    auth = contract_fleet.headers(role=Role.ADMIN)
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=not EXPLORE,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: Any) -> None:
            headers = {**(case.headers or {}), **auth}
            response = case.call(base_url=contract_fleet.gateway_url, headers=headers, timeout=10)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: "
                f"{response.text[:500]}\n{contract_fleet.logs()}"
            )
            case.validate_response(
                response, checks=[status_code_conformance, content_type_conformance]
            )

        run()
        checked += 1
    assert checked >= 12

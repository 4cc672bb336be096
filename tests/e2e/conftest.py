"""E2E fixtures: the platform simulator and the fleet of services as real processes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fleet import Fleet, Proc, free_port, running_fleet, start_process, stop, wait_http


@pytest.fixture(scope="session")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The platform simulator on a free port; its base URL."""
    port = free_port()
    log_dir: Path = tmp_path_factory.mktemp("simulator")
    proc: Proc = start_process(
        "simulator", ["-m", "sourcer.simulator", "--port", str(port)], dict(os.environ), log_dir
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/_sim/profiles", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture
def fleet(simulator: str, tmp_path: Path) -> Iterator[Fleet]:
    """Gateway, talent and extractor processes on a fresh database and bus namespace."""
    amqp_url, mongodb_url = os.environ.get("AMQP_URL"), os.environ.get("MONGODB_URL")
    if not amqp_url or not mongodb_url:
        pytest.fail("set AMQP_URL and MONGODB_URL (see deploy/local/README.md)", pytrace=False)
    with running_fleet(
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        log_dir=tmp_path,
        extractor=True,
        extra_env={"SOURCER_SIMULATOR_URL": simulator},
    ) as running:
        yield running

"""Fixtures for real infrastructure.

RabbitMQ and the MongoDB-compatible server come from AMQP_URL / MONGODB_URL. When unset and a
Docker engine answers, testcontainers starts them; otherwise the run fails saying how to start
local infrastructure. Every test gets its own queue prefix and database, so tests and runs do
not see each other.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from oidc_provider import oidc_provider  # noqa: F401 (the local OpenID provider, any tier)
from support import delete_topology

from sourcer.runtime.bus import Bus
from sourcer.runtime.store import Store, connect_store

RUN_ID = uuid.uuid4().hex[:8]

# Chromium refuses to start sandboxed as root, and tests and CI run as root in containers: the
# extractor's explicit opt-in (docs/operations.md) is set for them and the processes they start.
# tests/integration/extractor/test_browser_sandbox.py runs the sandboxed default as another user.
if os.geteuid() == 0:
    os.environ.setdefault("SOURCER_EXTRACTOR_CHROMIUM_NO_SANDBOX", "true")

HOW_TO_START = (
    "no {what} available: set {var}, or run `make infra` (starts RabbitMQ and FerretDB on "
    "this machine, see deploy/local/README.md) and `eval $(bash deploy/local/infra.sh env)`, "
    "or start a Docker engine so testcontainers can run them."
)


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
    except Exception:
        return False
    return True


@pytest.fixture(scope="session")
def amqp_url() -> Iterator[str]:
    url = os.environ.get("AMQP_URL")
    if url:
        yield url
        return
    if not _docker_answers():
        pytest.fail(HOW_TO_START.format(what="RabbitMQ", var="AMQP_URL"), pytrace=False)
    from testcontainers.rabbitmq import RabbitMqContainer

    with RabbitMqContainer("rabbitmq:3.13-management") as container:
        params = container.get_connection_params()
        yield f"amqp://guest:guest@{params.host}:{params.port}/"


@pytest.fixture(scope="session")
def mongodb_url() -> Iterator[str]:
    url = os.environ.get("MONGODB_URL")
    if url:
        yield url
        return
    if not _docker_answers():
        pytest.fail(HOW_TO_START.format(what="MongoDB", var="MONGODB_URL"), pytrace=False)
    from testcontainers.mongodb import MongoDbContainer

    with MongoDbContainer("mongo:7") as container:
        yield container.get_connection_url()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[-40:]


@pytest.fixture
def namespace(request: pytest.FixtureRequest) -> str:
    """Exchange and queue prefix unique to this test in this run."""
    return f"test.{RUN_ID}.{_slug(request.node.name)}.{uuid.uuid4().hex[:4]}."


@pytest.fixture
def db_name(request: pytest.FixtureRequest) -> str:
    return f"t_{RUN_ID}_{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def store(mongodb_url: str, db_name: str) -> AsyncIterator[Store]:
    store = await connect_store(mongodb_url, db_name)
    yield store
    await store.client.drop_database(db_name)
    await store.close()


@pytest.fixture
async def bus(amqp_url: str, namespace: str) -> AsyncIterator[Bus]:
    bus = Bus(url=amqp_url, namespace=namespace, publish_timeout=10.0, name="test")
    await bus.connect()
    yield bus
    queues = bus.declared_queues()
    await bus.close(timeout=10.0)
    await delete_topology(amqp_url, namespace, queues)


@pytest.hookimpl(trylast=True)  # after pytest's own reordering by fixture parameters
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The extension's browser tests run last. They drive Chromium through Playwright's sync API,
    whose event loop runs on the main thread for as long as their session-scoped browser is open
    (one per language); an asyncio test after them would find a running loop and fail."""
    items.sort(key=lambda item: item.get_closest_marker("extension") is not None)

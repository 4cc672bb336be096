"""Each service's broker permissions come from its declarations and match nothing else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from support import sourcing_requested

from sourcer.proto.events import EVENTS
from sourcer.runtime.bus import Bus
from sourcer.runtime.bus_permissions import permissions_for
from sourcer.runtime.errors import PublishError
from sourcer.runtime.registry import installed_services

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
NAMESPACE = "prod-1."


def test_a_service_may_publish_exactly_what_it_declares_and_bind_what_it_consumes() -> None:
    for service in installed_services():
        p = permissions_for(service, namespace=NAMESPACE)
        for event_type in EVENTS:
            published = re.fullmatch(p.topic_write, event_type) is not None
            assert published == (event_type in service.published_types), (service.name, event_type)
            bound = re.fullmatch(p.topic_read, event_type) is not None
            assert bound == (event_type in service.consumed_types), (service.name, event_type)


def test_a_service_may_use_its_own_queues_and_exchanges_and_no_other() -> None:
    services = installed_services()
    for service in services:
        p = permissions_for(service, namespace=NAMESPACE)
        for other in services:
            for consumer in other.consumers:
                names = consumer.queue_names(NAMESPACE) | consumer.exchange_names(NAMESPACE)
                for name in names:
                    mine = other is service
                    for pattern in (p.configure, p.write, p.read):
                        assert (re.fullmatch(pattern, name) is not None) == mine, (p.user, name)
        events = f"{NAMESPACE}sourcer.events"
        assert re.fullmatch(p.write, events) and re.fullmatch(p.read, events)
        assert not re.fullmatch(p.configure, events), "a service could delete the shared exchange"
        for elsewhere in ("amq.default", "", "sourcer.events", "talent.consent"):
            # the default exchange (any queue by name), other namespaces
            assert not re.fullmatch(p.write, elsewhere), (p.user, elsewhere)


def test_every_event_a_service_builds_is_one_it_declares() -> None:
    """The declaration is checked against the code: every registered event model a service's
    code constructs is in its `publishes`, and it declares none it never mentions."""
    models = {model.__name__ for model in EVENTS.values()}
    for service in installed_services():
        built: set[str] = set()
        mentioned: set[str] = set()
        for path in (ROOT / "services" / service.name / "src").rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Name) and node.id in models:
                    mentioned.add(node.id)
                    continue
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                    continue
                if node.func.id in models:
                    built.add(node.func.id)
        declared = {model.__name__ for model in service.publishes}
        assert built <= declared, f"{service.name} publishes undeclared {built - declared}"
        assert declared <= mentioned, f"{service.name} declares unused {declared - mentioned}"


async def test_the_bus_refuses_to_publish_an_undeclared_event() -> None:
    bus = Bus(url="amqp://unused/", name="talent", publishes=frozenset({"talent.created"}))
    with pytest.raises(PublishError, match=r"does not declare publishing sourcing\.requested"):
        await bus.publish(sourcing_requested(1))

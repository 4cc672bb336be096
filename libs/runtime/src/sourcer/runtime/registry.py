"""The services installed in this environment, found through the `sourcer.services` entry points.

Each service package names its `ServiceSpec` there, so ops tools (`sourcer-bus consumers`), docs
and tests learn consumers, queues and collections from the code itself; the runtime never
imports a service by name.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from sourcer.runtime.service import ServiceSpec

GROUP = "sourcer.services"


def installed_services() -> list[ServiceSpec[Any, Any]]:
    specs: list[ServiceSpec[Any, Any]] = []
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        spec = entry.load()
        if not isinstance(spec, ServiceSpec):
            raise TypeError(f"entry point {entry.value} is not a ServiceSpec")
        specs.append(spec)
    return specs

"""Writes sourcer/files/consumers.json: the queues the chart's KEDA triggers watch, per service,
read from the services' consumer specs (never typed by hand).

    uv run python deploy/k8s/consumers.py          # rewrite the file
    uv run python deploy/k8s/consumers.py --check  # exit 1 when the file is stale

The extractor scales on the queue of the consumer that takes `sourcing.requested` (its session
checks and cancellations are a page or a write each, no reason for another browser); talent and
consent on every queue they consume; the gateway scales on CPU and is not listed.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from sourcer.proto.events import EVENT_TYPES, SourcingRequested

OUTPUT = Path(__file__).resolve().parent / "sourcer" / "files" / "consumers.json"
SCALED_ON_QUEUES = ("extractor", "talent", "consent")


def scaling_queues() -> dict[str, list[str]]:
    services: dict[str, Any] = {ep.name: ep.load() for ep in entry_points(group="sourcer.services")}
    queues: dict[str, list[str]] = {}
    for name in SCALED_ON_QUEUES:
        specs = services[name].consumers
        if name == "extractor":
            specs = [s for s in specs if EVENT_TYPES[SourcingRequested] in s.keys]
        queues[name] = [spec.name for spec in specs]
    return queues


def render() -> str:
    return json.dumps(scaling_queues(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when the file is stale")
    args = parser.parse_args(argv)
    if args.check:
        if OUTPUT.read_text() != render():
            print(f"{OUTPUT} is stale: run python deploy/k8s/consumers.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())

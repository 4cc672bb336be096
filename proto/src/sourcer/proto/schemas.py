"""Generates the JSON Schemas and the AsyncAPI 3.0 document from the proto models.

`make schemas` (or `sourcer-schemas`) writes them under proto/schemas/; a test regenerates them
in memory and fails when the checked-in files are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sourcer.proto.envelope import EXCHANGE, Envelope
from sourcer.proto.events import EVENTS

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas"

# Who publishes and who consumes each event, for the AsyncAPI operations.
PUBLISHERS: dict[str, str] = {
    "sourcing.requested": "gateway",
    "sourcing.extraction_started": "extractor",
    "profile.extracted": "extractor",
    "profile.extraction_failed": "extractor",
    "sourcing.preview_ready": "talent",
    "talent.submit": "gateway",
    "talent.created": "talent",
    "talent.updated": "talent",
    "talent.erased": "talent",
    "talent.erasure_scheduled": "talent",
    "consent.requested": "consent",
    "consent.granted": "consent",
    "consent.denied": "consent",
    "consent.expired": "consent",
    "consent.withdrawn": "consent",
    "consent.unlocked": "consent",
}


def _channel_id(event_type: str) -> str:
    return event_type.replace(".", "_")


def envelope_schema(model: type[BaseModel]) -> dict[str, Any]:
    return Envelope[model].model_json_schema(mode="serialization")  # type: ignore[valid-type]


def json_schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema of the event's envelope with its typed payload."""
    return {f"{name}.json": envelope_schema(model) for name, model in EVENTS.items()}


def asyncapi_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for name, model in EVENTS.items():
        channel = _channel_id(name)
        messages[channel] = {
            "name": name,
            "title": name,
            "summary": (model.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/json",
            "payload": envelope_schema(model),
        }
        channels[channel] = {
            "address": name,
            "description": f"Routing key `{name}` on the topic exchange `{EXCHANGE}`.",
            "messages": {channel: {"$ref": f"#/components/messages/{channel}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {"name": EXCHANGE, "type": "topic", "durable": True},
                }
            },
        }
        operations[f"publish_{channel}"] = {
            "action": "send",
            "summary": f"Published by the {PUBLISHERS.get(name, 'unknown')} service.",
            "channel": {"$ref": f"#/channels/{channel}"},
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Sourcer events",
            "version": "1.0.0",
            "description": (
                "Events exchanged by the Sourcer services over RabbitMQ. Every message is an "
                "envelope with a typed payload; persistent, published with confirms."
            ),
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def rendered() -> dict[str, str]:
    """Relative path → file content, exactly as written to disk."""
    files = {name: _dump(schema) for name, schema in json_schemas().items()}
    files["asyncapi.json"] = _dump(asyncapi_document())
    return files


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in rendered().items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def main() -> int:
    for path in write():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

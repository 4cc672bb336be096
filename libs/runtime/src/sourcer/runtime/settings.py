"""Settings shared by every service.

Infrastructure locations come from the unprefixed variables every tool understands
(`AMQP_URL`, `MONGODB_URL`); a service subclasses `ServiceSettings` and sets its own
`env_prefix` for everything else. Settings are built in a service's bootstrap, never at import.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOURCER_", extra="ignore", populate_by_name=True)

    amqp_url: str = Field(
        default="amqp://guest:guest@127.0.0.1:5672/",
        validation_alias=AliasChoices("amqp_url", "AMQP_URL"),
        description="RabbitMQ connection URL.",
    )
    mongodb_url: str = Field(
        default="mongodb://127.0.0.1:27017/",
        validation_alias=AliasChoices("mongodb_url", "MONGODB_URL"),
        description="MongoDB connection URL.",
    )
    mongodb_db: str = Field(
        default="sourcer",
        validation_alias=AliasChoices("mongodb_db", "MONGODB_DB"),
        description="Database name.",
    )
    bus_namespace: str = Field(
        default="",
        validation_alias=AliasChoices("bus_namespace", "SOURCER_BUS_NAMESPACE"),
        description="Prefix of the exchange and queue names; isolates environments on one broker.",
    )
    log_format: Literal["json", "console"] = Field(
        default="json",
        validation_alias=AliasChoices("log_format", "SOURCER_LOG_FORMAT"),
        description="json in production, console for people.",
    )
    log_level: str = Field(
        default="INFO", validation_alias=AliasChoices("log_level", "SOURCER_LOG_LEVEL")
    )
    http_host: str = Field(default="127.0.0.1", description="Address the service listens on.")
    http_port: int = Field(
        default=0,
        description="Port of the service's API and of /healthz, /readyz and /metrics; 0 picks "
        "a free one.",
    )
    publish_timeout: float = Field(
        default=10.0, gt=0, description="Seconds to wait for the broker to confirm a publish."
    )
    drain_timeout: float = Field(
        default=30.0, gt=0, description="Seconds in-flight work may take after SIGTERM."
    )

"""Settings shared by every service.

Infrastructure locations come from the unprefixed variables every tool understands
(`AMQP_URL`, `MONGODB_URL`); a service subclasses `ServiceSettings` and sets its own
`env_prefix` for everything else. Settings are built in a service's bootstrap, never at import.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, ValidationError
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
    http_host: str = Field(
        default="127.0.0.1", description="Address of the public listener (gateway, consent)."
    )
    http_port: int = Field(
        default=0,
        description="Port of the public listener: the routes the public may reach (the "
        "gateway's API, the consent landing page); services without any open none. 0 picks one.",
    )
    internal_host: str = Field(
        default="127.0.0.1",
        description="Address of the internal listener; never reachable from outside the cluster.",
    )
    internal_port: int = Field(
        default=0,
        description="Port of the internal listener: the service's internal API (called by the "
        "gateway) and /healthz, /readyz, /metrics. 0 picks a free one.",
    )
    keep_alive_seconds: float = Field(
        default=75.0,
        gt=0,
        description="Seconds an idle keep-alive connection stays open; longer than the idle "
        "timeout of the clients and load balancers in front, so they close it first.",
    )
    publish_timeout: float = Field(
        default=10.0, gt=0, description="Seconds to wait for the broker to confirm a publish."
    )
    drain_timeout: float = Field(
        default=30.0, gt=0, description="Seconds in-flight work may take after SIGTERM."
    )


def config_error_message(service: str, exc: ValidationError) -> str:
    """One line per problem, naming the variable where pydantic knows it, without the input
    (which may be a secret)."""
    lines = [f"sourcer-{service}: the configuration is incomplete or invalid:"]
    for error in exc.errors(include_input=False, include_url=False):
        where = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(f"  {where}: {message}" if where else f"  {message}")
    return "\n".join(lines)

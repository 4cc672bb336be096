"""Gateway settings: `SOURCER_GATEWAY_*`, plus the shared infrastructure and auth variables."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from sourcer.runtime.cors import check_origin
from sourcer.runtime.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SOURCER_GATEWAY_", extra="ignore", populate_by_name=True
    )

    http_host: str = Field(default="127.0.0.1", description="Address the API listens on.")
    http_port: int = Field(default=8000, description="Port the API listens on.")
    internal_port: int = Field(default=8100, description="Port of the ops endpoints.")
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Base of links in responses."
    )
    cors_origins: list[str] = Field(
        default=[],
        description="Browser origins allowed to call the API (CORS), exact, as a JSON list, e.g. "
        '["chrome-extension://<extension id>"]; none by default.',
    )
    talent_api_url: str = Field(
        default="http://127.0.0.1:8101", description="Internal API of the talent service."
    )
    talent_api_timeout: float = Field(default=5.0, gt=0, description="Seconds per talent call.")
    consent_api_url: str = Field(
        default="http://127.0.0.1:8104", description="Internal API of the consent service."
    )
    consent_api_timeout: float = Field(default=5.0, gt=0, description="Seconds per consent call.")
    extractor_api_url: str = Field(
        default="http://127.0.0.1:8102", description="Internal sessions API of the extractor."
    )
    extractor_api_timeout: float = Field(
        default=10.0, gt=0, description="Seconds per extractor call."
    )
    lost_after_minutes: float = Field(
        default=30.0,
        gt=0,
        description="A request in flight that has not moved for this long is failed "
        "extraction_lost (longer than any wait for a session plus the extractor's retries).",
    )
    max_body_bytes: int = Field(default=16_384, gt=0, description="Largest request body.")
    max_in_flight: int = Field(
        default=256,
        ge=1,
        description="Requests the API works on at once; more are answered 503 with Retry-After "
        "at once (an SSE stream counts until its headers are sent).",
    )
    rate_limit_per_minute: float = Field(
        default=60.0, gt=0, description="Sourcing requests a user may start per minute."
    )
    rate_limit_burst: int = Field(default=20, ge=1, description="Requests allowed in a burst.")
    sse_poll_interval: float = Field(
        default=0.1, gt=0, description="Seconds between status checks of an SSE stream."
    )
    sse_keepalive: float = Field(default=15.0, gt=0, description="Seconds between keep-alives.")
    sse_max_seconds: float = Field(
        default=600.0, gt=0, description="Longest an SSE stream stays open."
    )
    consumer_concurrency: int = Field(default=16, ge=1, description="Status events in parallel.")
    request_retention_days: int = Field(
        default=30,
        ge=1,
        description="Days a sourcing request (with its preview of the person) is kept.",
    )

    @field_validator("cors_origins")
    @classmethod
    def _exact_origins(cls, value: list[str]) -> list[str]:
        return [check_origin(origin) for origin in value]

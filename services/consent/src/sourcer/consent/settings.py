"""Consent settings: `SOURCER_CONSENT_*`, plus the shared infrastructure and auth variables."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from sourcer.proto.consent_api import single_line
from sourcer.runtime.settings import ServiceSettings


class ConsentSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SOURCER_CONSENT_", extra="ignore", populate_by_name=True
    )

    http_host: str = Field(default="127.0.0.1", description="Address of page, API and ops.")
    http_port: int = Field(default=8103, description="Port of the landing page and internal API.")
    public_base_url: str = Field(
        default="http://127.0.0.1:8103",
        description="Base of the consent links talents open (the landing page as seen publicly).",
    )
    secret_key: SecretStr = Field(
        description="Keys the IP hash and the CSRF tokens; no default on purpose."
    )
    deadline_days: float = Field(
        default=30.0, gt=0, description="Days a request waits for an answer (GDPR Art. 14)."
    )
    reminder_days_before: float = Field(
        default=7.0, ge=0, description="Days before the deadline the reminder email goes out."
    )
    text_version: str = Field(default="2026-11", description="Version of the consent text.")
    scheduler_interval: float = Field(
        default=5.0, gt=0, description="Seconds between expiry, reminder and delivery passes."
    )
    email_rate_per_hour: int = Field(
        default=200, ge=1, description="Consent emails one tenant may request per hour."
    )
    smtp_host: str = Field(default="127.0.0.1", description="SMTP server.")
    smtp_port: int = Field(default=25, description="SMTP port.")
    smtp_username: str | None = Field(default=None, description="SMTP login, when required.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_starttls: bool = Field(default=False, description="Upgrade the connection with STARTTLS.")
    smtp_timeout: float = Field(default=15.0, gt=0, description="Seconds per SMTP conversation.")
    mail_from: str = Field(
        default="Sourcer <consent@sourcer.example>", description="Sender of consent emails."
    )
    mail_max_attempts: int = Field(default=8, ge=1, description="SMTP attempts per email.")
    controller_name: str | None = Field(
        default=None,
        description=(
            "Data controller for every tenant that has not set its own (single-company "
            "deployments). Unset by default: a tenant without a controller gets no consent mail "
            "or link (409 controller_not_set) until an admin sets it."
        ),
    )
    controller_contact: str | None = Field(
        default=None, description="Contact of that controller (with controller_name)."
    )
    controller_address: str = Field(default="", description="Address of that controller.")
    dpo_contact: str = Field(default="", description="Its data-protection officer contact.")
    webhook_allow_loopback: bool = Field(
        default=False,
        description="Allow webhook targets on 127.0.0.1/::1: tests and local development only.",
    )
    webhook_timeout: float = Field(default=10.0, gt=0, description="Seconds per delivery.")
    webhook_concurrency: int = Field(default=32, ge=1, description="Deliveries in parallel.")
    webhook_write_concurrency: int = Field(
        default=1, ge=1, description="Delivery results stored in parallel (1 for FerretDB/SQLite)."
    )
    consumer_concurrency: int = Field(default=8, ge=1, description="Events handled in parallel.")

    @field_validator("controller_name", "controller_contact", "controller_address", "dpo_contact")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        # They go into mail headers: a line break there fails every consent mail.
        return single_line(value) if value is not None else None

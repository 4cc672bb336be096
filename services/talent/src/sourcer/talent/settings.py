"""Talent service settings: `SOURCER_TALENT_*`, plus the shared infrastructure variables."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from sourcer.runtime.settings import ServiceSettings


class TalentSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SOURCER_TALENT_", extra="ignore", populate_by_name=True
    )

    suppression_key: SecretStr = Field(
        description="HMAC key of suppression hashes; shared by every talent replica, no default."
    )
    internal_port: int = Field(
        default=8101, description="Port of the internal API and the ops endpoints; 0 picks one."
    )
    consumer_concurrency: int = Field(default=8, ge=1, description="Events handled in parallel.")
    preview_retention_days: int = Field(
        default=30,
        ge=1,
        description="Days a preview (the extracted profile) is kept, submitted or not.",
    )
    last_contact_retention_days: int = Field(
        default=730,
        ge=1,
        description="Days after a talent's last change or contact (submit, edit, consent "
        "request or answer) after which the talent is erased, as the consent texts promise.",
    )
    consent_notice_days: int = Field(
        default=30,
        ge=1,
        description="Days after a talent's creation without a consent request after which the "
        "sourcing recruiter is reminded and the talent's erasure is scheduled (GDPR Art. "
        "14(3)(a): inform the person within a month).",
    )
    erasure_grace_days: int = Field(
        default=7,
        ge=1,
        description="Days between that reminder and the erasure of a talent still not asked for "
        "consent; a consent request or an admin unlock meanwhile cancels it.",
    )

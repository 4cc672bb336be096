"""Talent service settings: `SOURCER_TALENT_*`, plus the shared infrastructure variables."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
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
    crm_url_template: str = Field(
        default="https://crm.example/talents/{talent_id}",
        validation_alias=AliasChoices("crm_url_template", "SOURCER_CRM_URL_TEMPLATE"),
        description="Link to a talent in the customer's CRM; {talent_id} is replaced.",
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

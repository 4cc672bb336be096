"""A tenant's settings (`tenant_settings`): what its recruiters pick from and where its CRM is.

The talent service owns and writes them; the gateway reads the CRM link template from them to
link every talent it serves, so the model lives with the other shared records.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator, model_validator

DEFAULT_STATUSES = [
    "new",
    "contacted",
    "interested",
    "not_interested",
    "in_process",
    "placed",
    "archived",
]
DEFAULT_LANGUAGES = ["de", "en", "fr", "es", "it", "nl", "pl", "pt"]
TALENT_ID_PLACEHOLDER = "{talent_id}"
_BRACES = re.compile(r"[{}]")


class TenantSettings(BaseModel):
    statuses: list[str] = Field(default_factory=lambda: list(DEFAULT_STATUSES))
    default_status: str = "new"
    languages: list[str] = Field(default_factory=lambda: list(DEFAULT_LANGUAGES))
    crm_url_template: str | None = Field(
        default=None,
        description="Link to a talent in the tenant's CRM, an https URL with {talent_id}; "
        "no link until an admin sets it.",
        examples=["https://crm.acme.example/candidates/{talent_id}"],
    )
    version: int = 0

    @field_validator("crm_url_template")
    @classmethod
    def _crm_link(cls, template: str | None) -> str | None:
        if template is None:
            return None
        check_crm_url_template(template)
        return template

    @model_validator(mode="after")
    def _default_is_a_status(self) -> TenantSettings:
        if self.default_status not in self.statuses:
            raise ValueError("default_status must be one of statuses")
        if len(set(self.statuses)) != len(self.statuses):
            raise ValueError("statuses must be unique")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages must be unique")
        for value in [*self.statuses, *self.languages]:
            if not value or len(value) > 64:
                raise ValueError("every status and language needs 1 to 64 characters")
        return self

    def crm_url(self, talent_id: str) -> str | None:
        return crm_url(self.crm_url_template, talent_id)


def check_crm_url_template(template: str) -> None:
    """An https link with exactly one {talent_id} and no other placeholder.

    Recruiters open it from the extension, so any other scheme (javascript:, data:) would run
    in their browser; a format string with other fields could read attributes of the id.
    """
    if len(template) > 500 or any(ord(c) < 0x21 for c in template):
        raise ValueError("crm_url_template must be a URL of at most 500 characters, no spaces")
    if template.count(TALENT_ID_PLACEHOLDER) != 1:
        raise ValueError("crm_url_template must contain {talent_id} exactly once")
    if _BRACES.search(template.replace(TALENT_ID_PLACEHOLDER, "")):
        raise ValueError("crm_url_template may contain no placeholder but {talent_id}")
    parts = urlsplit(template.replace(TALENT_ID_PLACEHOLDER, "x"))
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("crm_url_template must be an https URL with a host")


def crm_url(template: str | None, talent_id: str) -> str | None:
    # Replaced, not str.format: the template is tenant input.
    return template.replace(TALENT_ID_PLACEHOLDER, talent_id) if template else None

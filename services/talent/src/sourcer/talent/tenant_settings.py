"""Per-tenant choices recruiters pick from, with defaults until an admin changes them."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

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


class TenantSettings(BaseModel):
    statuses: list[str] = Field(default_factory=lambda: list(DEFAULT_STATUSES))
    default_status: str = "new"
    languages: list[str] = Field(default_factory=lambda: list(DEFAULT_LANGUAGES))
    version: int = 0

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

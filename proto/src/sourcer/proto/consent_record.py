"""What other services may read of a stored consent (`consents`, owned by the consent service).

The talent service erases a person only when the consent record itself says there is no
consent: an event on the bus is a claim, the record is the evidence. This read-only view names
the few fields it needs, so a renamed field breaks the reader's tests instead of making every
check fail (or pass) silently.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

CONSENTS = "consents"
"""The collection of consent records; the consent service writes it, others only read it."""


class ConsentState(StrEnum):
    """A talent's consent states; `not_requested` is a talent never asked (no record)."""

    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    GRANTED = "granted"
    DENIED = "denied"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    UNLOCKED_MANUALLY = "unlocked_manually"


NO_CONSENT_STATES = frozenset({"denied", "withdrawn", "expired"})
"""States in which the talent's data must be erased."""


class ConsentRecordView(BaseModel):
    """One talent's consent record as readers see it; other stored fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    tenant_id: str = Field(description="Tenant of the talent.", examples=["acme"])
    talent_id: str = Field(description="Talent id.", examples=["tal_01HZX4"])
    consent_id: str = Field(description="Current consent request id.", examples=["con_01HZX5"])
    state: str = Field(description="Consent state.", examples=["denied"])

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Self:
        return cls.model_validate(doc)

    @property
    def says_no_consent(self) -> bool:
        """Denied, withdrawn or expired: the talent's data must go."""
        return self.state in NO_CONSENT_STATES

    @staticmethod
    def query(*, tenant_id: str, talent_id: str) -> dict[str, str]:
        """The record of one talent, always within the tenant."""
        return {"tenant_id": tenant_id, "talent_id": talent_id}

"""The consent records the talent service checks before erasing anyone.

A `consent.denied` (or withdrawn, expired) event is only a claim: any process that can publish
it, or a bug, could make the talent service erase people who consented. So before erasing, the
handler re-reads the consent service's record of that tenant and talent and erases only when
the record itself says there is no consent; otherwise the event is parked as a final error.
"""

from __future__ import annotations

from typing import Protocol

from sourcer.proto.consent_record import CONSENTS, ConsentRecordView
from sourcer.runtime.store import Store


class ConsentRecords(Protocol):
    async def get(self, *, tenant_id: str, talent_id: str) -> ConsentRecordView | None: ...


class MongoConsentRecords:
    """Reads `consents` (declared as read in the talent catalog); never writes it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, *, tenant_id: str, talent_id: str) -> ConsentRecordView | None:
        doc = await self.store.collection(CONSENTS).find_one(
            ConsentRecordView.query(tenant_id=tenant_id, talent_id=talent_id)
        )
        return None if doc is None else ConsentRecordView.from_document(doc)


class ConsentNotEndedError(Exception):
    """The consent record does not confirm the event's claim: nothing is erased."""


async def confirm_no_consent(
    records: ConsentRecords, *, tenant_id: str, talent_id: str, claimed: str
) -> None:
    record = await records.get(tenant_id=tenant_id, talent_id=talent_id)
    if record is None:
        raise ConsentNotEndedError(f"no consent record for this talent; {claimed} not confirmed")
    if not record.says_no_consent:
        raise ConsentNotEndedError(
            f"consent record says {record.state}; {claimed} not confirmed, nothing erased"
        )

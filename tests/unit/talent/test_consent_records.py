"""Before erasing, the talent service asks the consent record, not the event."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sourcer.consent import repository as consent_repository
from sourcer.consent.domain import ERASING_STATES, Consent, ConsentState
from sourcer.proto.consent_record import CONSENTS, NO_CONSENT_STATES, ConsentRecordView
from sourcer.proto.events import ConsentChannel
from sourcer.talent.consent_records import ConsentNotEndedError, confirm_no_consent

pytestmark = pytest.mark.unit


def stored(state: ConsentState, *, tenant: str = "acme") -> ConsentRecordView:
    """A record exactly as the consent service stores it, read through the view."""
    consent = Consent(
        tenant_id=tenant,
        talent_id="tal_1",
        consent_id="con_1",
        state=state,
        channel=ConsentChannel.LINK,
        language="en",
        requested_at=datetime(2026, 11, 2, tzinfo=UTC),
        requested_by="alice",
    )
    return ConsentRecordView.from_document(consent_repository.to_document(consent))


class FakeRecords:
    def __init__(self, *records: ConsentRecordView) -> None:
        self.records = records

    async def get(self, *, tenant_id: str, talent_id: str) -> ConsentRecordView | None:
        return next(
            (r for r in self.records if (r.tenant_id, r.talent_id) == (tenant_id, talent_id)),
            None,
        )


def test_the_view_reads_the_consent_services_documents() -> None:
    assert consent_repository.CONSENTS == CONSENTS
    assert {state.value for state in ERASING_STATES} == NO_CONSENT_STATES
    record = stored(ConsentState.DENIED)
    assert (record.tenant_id, record.talent_id, record.consent_id) == ("acme", "tal_1", "con_1")
    assert record.says_no_consent


@pytest.mark.parametrize(
    "state", [ConsentState.DENIED, ConsentState.WITHDRAWN, ConsentState.EXPIRED]
)
async def test_a_record_that_says_no_consent_confirms_the_erasure(state: ConsentState) -> None:
    records = FakeRecords(stored(state))
    await confirm_no_consent(records, tenant_id="acme", talent_id="tal_1", claimed="consent.x")


@pytest.mark.parametrize(
    ("records", "reason"),
    [
        (FakeRecords(stored(ConsentState.GRANTED)), "says granted"),
        (FakeRecords(stored(ConsentState.REQUESTED)), "says requested"),
        (FakeRecords(stored(ConsentState.UNLOCKED_MANUALLY)), "says unlocked_manually"),
        (FakeRecords(), "no consent record"),
        # Another tenant's denial of a talent with the same id.
        (FakeRecords(stored(ConsentState.DENIED, tenant="other")), "no consent record"),
    ],
)
async def test_a_claim_the_record_does_not_confirm_erases_nothing(
    records: FakeRecords, reason: str
) -> None:
    with pytest.raises(ConsentNotEndedError, match=reason):
        await confirm_no_consent(
            records, tenant_id="acme", talent_id="tal_1", claimed="consent.denied"
        )

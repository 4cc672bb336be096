"""Before erasing, the talent service asks the consent record, not the event."""

from __future__ import annotations

import pytest
from talent_fakes import FakeRecords, stored

from sourcer.consent import repository as consent_repository
from sourcer.consent.domain import ERASING_STATES, ConsentState
from sourcer.proto.consent_record import CONSENTS, NO_CONSENT_STATES
from sourcer.talent.consent_records import ConsentNotEndedError, confirm_no_consent

pytestmark = pytest.mark.unit


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

"""What a talent event's webhook carries in each consent state (`talent_payloads`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support import talent_document

from sourcer.consent.talent_payloads import (
    DATA_ALLOWED,
    carries_personal_data,
    changed_data_fields,
    talent_payload,
)
from sourcer.proto.consent_record import ConsentState
from sourcer.proto.events import (
    TalentCreated,
    TalentErased,
    TalentErasureScheduled,
    TalentUpdated,
)
from sourcer.proto.talent_record import TalentRecord

TALENT = TalentRecord.from_document(
    {
        **talent_document("tal_1"),
        "pools": ["pool_backend"],
        "experience": [
            {"title": "Intern", "company": "Old GmbH"},
            {"title": "Backend Engineer", "company": "ACME GmbH", "is_current": True},
        ],
        "notes": [
            {
                "id": "note_1",
                "text": "Call back in May.",
                "author": "alice",
                "at": datetime.now(UTC),
            }
        ],
    }
)
PERSONAL = ("Jana", "Novakova", "jana.novakova@example.org", "linkedin.com", "ACME", "May")
CREATED = TalentCreated(talent_id="tal_1", request_id="req_1")
UPDATED = TalentUpdated(talent_id="tal_1", fields=["emails", "skills", "status"])


def personal_data_in(data: dict[str, object]) -> list[str]:
    return [value for value in PERSONAL if value in str(data)]


def created_in(state: ConsentState) -> dict[str, object]:
    return talent_payload(payload=CREATED, state=state, talent=TALENT)


def updated_in(state: ConsentState) -> dict[str, object]:
    return talent_payload(payload=UPDATED, state=state, talent=TALENT)


def assert_ids_and_names_only(state: ConsentState) -> None:
    created, updated = created_in(state), updated_in(state)
    assert created == {"consent_state": state.value, "talent_id": "tal_1", "request_id": "req_1"}
    assert updated == {
        "consent_state": state.value,
        "talent_id": "tal_1",
        "request_id": None,
        "changed": ["emails", "skills", "status"],
    }
    assert not personal_data_in(created) and not personal_data_in(updated)
    assert not carries_personal_data(created) and not carries_personal_data(updated)


def assert_talent_data(state: ConsentState) -> None:
    created, updated = created_in(state), updated_in(state)
    assert created["talent"] == {
        "first_name": "Jana",
        "last_name": "Novakova",
        "emails": ["jana.novakova@example.org"],
        "profile_urls": ["https://www.linkedin.com/in/jana-novakova-4711/"],
        "headline": "Jana Novakova, Backend Engineer",
        "current_position": {"title": "Backend Engineer", "company": "ACME GmbH"},
        "status": "new",
        "preferred_language": "de",
        "pools": ["pool_backend"],
    }
    assert "Call back" not in str(created)  # notes stay out
    # The changed names always; the new values of the changed data fields only.
    assert updated["changed"] == ["emails", "skills", "status"]
    assert updated["talent"] == {"emails": ["jana.novakova@example.org"], "status": "new"}
    assert carries_personal_data(created) and carries_personal_data(updated)


def test_not_requested_carries_ids_states_and_changed_names_only() -> None:
    assert_ids_and_names_only(ConsentState.NOT_REQUESTED)


def test_requested_carries_ids_states_and_changed_names_only() -> None:
    assert_ids_and_names_only(ConsentState.REQUESTED)


def test_denied_carries_ids_states_and_changed_names_only() -> None:
    assert_ids_and_names_only(ConsentState.DENIED)


def test_expired_carries_ids_states_and_changed_names_only() -> None:
    assert_ids_and_names_only(ConsentState.EXPIRED)


def test_withdrawn_carries_ids_states_and_changed_names_only() -> None:
    assert_ids_and_names_only(ConsentState.WITHDRAWN)


def test_granted_carries_the_talents_data() -> None:
    assert_talent_data(ConsentState.GRANTED)


def test_unlocked_manually_carries_the_talents_data() -> None:
    assert_talent_data(ConsentState.UNLOCKED_MANUALLY)


def test_every_state_is_decided() -> None:
    assert {ConsentState.GRANTED, ConsentState.UNLOCKED_MANUALLY} == DATA_ALLOWED
    assert len(ConsentState) == 7  # a new state needs its own test above


@pytest.mark.parametrize("state", list(ConsentState))
def test_erased_never_carries_personal_data(state: ConsentState) -> None:
    erased = TalentErased(
        talent_id="tal_1", reason="denied", request_ids=["req_1"], person_keys=["pk_1"]
    )
    data = talent_payload(payload=erased, state=state, talent=TALENT)
    assert data == {"consent_state": state.value, "talent_id": "tal_1", "reason": "denied"}


def test_erasure_scheduled_carries_the_deadline_not_the_person() -> None:
    scheduled = TalentErasureScheduled(
        talent_id="tal_1",
        reason="consent_not_requested",
        sourced_by="alice",
        erase_after=datetime(2027, 1, 2, tzinfo=UTC),
    )
    data = talent_payload(payload=scheduled, state=ConsentState.GRANTED, talent=TALENT)
    assert data == {
        "consent_state": "granted",
        "talent_id": "tal_1",
        "reason": "consent_not_requested",
        "erase_after": "2027-01-02T00:00:00Z",
        "sourced_by": "alice",
    }


def test_an_erased_talent_has_no_data_to_send_whatever_the_state() -> None:
    data = talent_payload(payload=UPDATED, state=ConsentState.GRANTED, talent=None)
    assert "talent" not in data and data["changed"] == ["emails", "skills", "status"]


def test_stored_fields_map_to_the_data_fields_they_change() -> None:
    assert changed_data_fields(["experience", "sources", "notes", "skills"]) == [
        "profile_urls",
        "current_position",
    ]

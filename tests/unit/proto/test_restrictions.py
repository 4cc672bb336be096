"""The consent restrictions table: who may do what before and after consent, and its doc."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcer.proto.consent_record import ConsentState
from sourcer.proto.envelope import Role
from sourcer.proto.restrictions import (
    CONSENT_REQUIRED,
    RESTRICTIONS,
    Action,
    allowed,
    is_restricted,
    markdown_table,
)
from sourcer.runtime.text_catalog import TEXTS

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
SOURCER = "alice"


def may(action: Action, state: str | None, caller: str, role: Role = Role.RECRUITER) -> bool:
    return allowed(action, consent_state=state, caller=caller, role=role, sourced_by=SOURCER)


@pytest.mark.parametrize("state", list(ConsentState))
def test_only_a_grant_or_an_unlock_lifts_the_restrictions(state: ConsentState) -> None:
    lifting = {ConsentState.GRANTED, ConsentState.UNLOCKED_MANUALLY}
    assert is_restricted(state.value) is (state not in lifting)
    assert is_restricted(None)


@pytest.mark.parametrize("state", [None, "requested", "expired"])
def test_before_consent_only_the_sourcing_recruiter_and_admins_work_with_the_talent(
    state: str | None,
) -> None:
    for action in (Action.VIEW, Action.BROWSE, Action.EDIT_NOTES, Action.RESOURCE):
        assert may(action, state, SOURCER)
        assert may(action, state, "root", Role.ADMIN)
        assert not may(action, state, "bob")
        assert not may(action, state, "sue", Role.SUPER_RECRUITER)
    # Nothing leaves Sourcer before consent, not even by an admin.
    assert not may(Action.EXPORT, state, SOURCER)
    assert not may(Action.EXPORT, state, "root", Role.ADMIN)
    # An integration's service actor (no role) is nobody's sourcing recruiter.
    assert not allowed(
        Action.RESOURCE, consent_state=state, caller="crm-sync", role=None, sourced_by=SOURCER
    )


@pytest.mark.parametrize("state", ["granted", "unlocked_manually"])
def test_a_grant_or_an_unlock_lifts_every_restriction_on_the_talents_data(state: str) -> None:
    for row in RESTRICTIONS:
        if row.action is Action.REQUEST_CONSENT:
            # A new request would restrict the talent again: still theirs to decide.
            assert may(row.action, state, SOURCER) and not may(row.action, state, "bob")
            continue
        assert may(row.action, state, "bob"), row.action


def test_every_action_has_one_row() -> None:
    assert [row.action for row in RESTRICTIONS] == list(Action)


def test_every_row_of_the_table_is_in_the_consent_doc() -> None:
    """docs/consent.md shows the table as the code has it (`sourcer-docs` writes it)."""
    doc = (ROOT / "docs" / "consent.md").read_text(encoding="utf-8")
    assert markdown_table() in doc
    for row in RESTRICTIONS:
        assert f"(`{row.action.value}`)" in doc


def test_the_refusal_has_texts_in_english_and_german() -> None:
    # Each says what to do: request consent, or ask an admin to unlock.
    for language, unlock in (("en", "unlock"), ("de", "freizuschalten")):
        title, text = TEXTS[CONSENT_REQUIRED][language]
        assert title
        assert unlock in text

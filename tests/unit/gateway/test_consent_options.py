"""The consent options a submit answer offers, by consent state, emails, role and caller."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sourcer.gateway.consent_options import consent_options
from sourcer.proto.envelope import Role
from sourcer.proto.talent_record import TalentRecord

pytestmark = pytest.mark.unit

AT = datetime(2026, 11, 1, tzinfo=UTC)


def talent(*, emails: list[str], state: str | None) -> TalentRecord:
    fields: dict[str, Any] = {
        "_id": "tal_1",
        "tenant_id": "acme",
        "version": 1,
        "emails": emails,
        "created_at": AT,
        "updated_at": AT,
        "created_by": "alice",
    }
    if state is not None:
        fields["consent"] = {
            "state": state,
            "consent_id": "con_1",
            "channel": "link",
            "at": AT,
            "event_id": "e",
        }
    return TalentRecord.model_validate(fields)


@pytest.mark.parametrize(
    ("emails", "state", "role", "channels"),
    [
        (["j@example.org"], None, Role.RECRUITER, ["link", "email"]),
        ([], None, Role.RECRUITER, ["link"]),
        ([], None, Role.SUPER_RECRUITER, ["link"]),
        (["j@example.org"], None, Role.ADMIN, ["link", "email", "manual"]),
        (["j@example.org"], "requested", Role.ADMIN, ["link", "email", "manual"]),
        (["j@example.org"], "unlocked_manually", Role.ADMIN, ["link", "email"]),
        (["j@example.org"], "granted", Role.ADMIN, []),
    ],
)
def test_options(emails: list[str], state: str | None, role: Role, channels: list[str]) -> None:
    options = consent_options(
        talent=talent(emails=emails, state=state),
        caller="alice",
        role=role,
        base_url="https://api.example/",
    )
    assert [o.channel for o in options] == channels
    for option in options:
        assert option.href.startswith("https://api.example/v1/talents/tal_1/")


@pytest.mark.parametrize("state", [None, "requested", "unlocked_manually"])
def test_a_recruiter_who_did_not_source_the_talent_is_offered_no_way_to_ask(
    state: str | None,
) -> None:
    """Asking is for the sourcing recruiter and admins (the consent restrictions)."""
    for role in (Role.RECRUITER, Role.SUPER_RECRUITER):
        options = consent_options(
            talent=talent(emails=["j@example.org"], state=state),
            caller="bob",
            role=role,
            base_url="https://api.example/",
        )
        assert options == []
    admin = consent_options(
        talent=talent(emails=["j@example.org"], state=state),
        caller="root",
        role=Role.ADMIN,
        base_url="https://api.example/",
    )
    assert admin

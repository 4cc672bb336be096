"""The talent service's consent mirror: what erasure remembers and how states are mirrored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sourcer.proto.envelope import Actor, ActorKind, Envelope
from sourcer.proto.events import ConsentChannel, ConsentUnlocked
from sourcer.talent.consent_mirror import consent_state, suppression_entries
from sourcer.talent.suppression import IdentifierKind, suppression_id

pytestmark = pytest.mark.unit

TALENT = {
    "_id": "tal_1",
    "first_name": "Jana",
    "emails": ["Jana@Example.org", "j@example.net"],
    "sources": [
        {
            "platform": "linkedin",
            "profile_id": "jana-n",
            "profile_url": "https://www.linkedin.com/in/jana-n/",
        }
    ],
}


def test_suppression_entries_hold_hashes_only() -> None:
    at = datetime(2026, 11, 2, tzinfo=UTC)
    entries = suppression_entries(key=b"k", tenant_id="acme", talent=TALENT, reason="denied", at=at)
    assert len(entries) == 4
    text = str(entries)
    for needle in ("Jana", "jana", "example", "linkedin.com"):
        assert needle not in text
    email_id = suppression_id(
        key=b"k", tenant_id="acme", kind=IdentifierKind.EMAIL, value="jana@example.org"
    )
    assert email_id in {e["_id"] for e in entries}  # normalized: a later lookup matches
    assert {e["kind"] for e in entries} == {"platform_profile", "profile_url", "email"}


def test_unlock_is_mirrored_with_admin_and_reason() -> None:
    envelope: Envelope[Any] = Envelope[Any](
        type="consent.unlocked",
        tenant_id="acme",
        correlation_id="con_1",
        actor=Actor(kind=ActorKind.USER, id="ada"),
        payload=ConsentUnlocked(
            consent_id="con_1",
            talent_id="tal_1",
            channel=ConsentChannel.MANUAL,
            decided_at=datetime(2026, 11, 2, tzinfo=UTC),
            reason="Agreed in writing",
        ),
    )
    state = consent_state(envelope)
    assert state["state"] == "unlocked_manually"
    assert state["unlocked_by"] == "ada" and state["reason"] == "Agreed in writing"

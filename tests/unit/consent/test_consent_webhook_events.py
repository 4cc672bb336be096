"""Which event types an endpoint receives, and what a choice of them may hold."""

from __future__ import annotations

import pytest

from sourcer.consent.webhook_events import checked_event_types, event_types_of
from sourcer.proto.consent_api import CONSENT_OUTCOME_EVENTS, TALENT_EVENTS, WEBHOOK_EVENTS
from sourcer.runtime.errors import DomainError


def test_an_endpoint_stored_without_a_choice_receives_the_consent_outcomes() -> None:
    assert event_types_of({"_id": "whe_1"}) == list(CONSENT_OUTCOME_EVENTS)
    assert event_types_of({"_id": "whe_1", "events": ["talent.erased"]}) == ["talent.erased"]


def test_a_choice_is_kept_sorted_and_once() -> None:
    chosen = checked_event_types(["talent.updated", "consent.granted", "talent.updated"])
    assert chosen == ["consent.granted", "talent.updated"]
    assert checked_event_types(list(WEBHOOK_EVENTS)) == sorted(WEBHOOK_EVENTS)
    assert set(TALENT_EVENTS) <= set(WEBHOOK_EVENTS)


@pytest.mark.parametrize("choice", [[], ["talent.moved"], ["consent.granted", "Consent.denied"]])
def test_an_unknown_or_empty_choice_is_refused_with_its_code(choice: list[str]) -> None:
    with pytest.raises(DomainError) as refused:
        checked_event_types(choice)
    assert refused.value.code == "webhook_events_invalid"

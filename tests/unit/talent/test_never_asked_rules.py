"""Talents never asked for consent: when the reminder is due, what it announces, when the erasure
is due, and what keeps a talent (the rules; the store runs them in the integration tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from support import talent_document
from talent_fakes import FakeRecords, stored

from sourcer.consent.domain import ConsentState
from sourcer.proto.events import EVENTS, TalentErasureScheduled
from sourcer.proto.talent_record import TalentRecord
from sourcer.talent.never_asked import REASON, NeverAskedPolicy, announcement
from sourcer.talent.settings import TalentSettings

pytestmark = pytest.mark.unit

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)
POLICY = NeverAskedPolicy(notice=timedelta(days=30), grace=timedelta(days=7))


def test_the_defaults_are_a_month_of_notice_and_a_week_of_grace() -> None:
    fields = TalentSettings.model_fields
    assert fields["consent_notice_days"].default == 30  # Art. 14(3)(a): within a month
    assert fields["erasure_grace_days"].default == 7


def test_the_reminder_is_due_for_talents_never_asked_past_the_notice_and_not_scheduled() -> None:
    assert POLICY.notice_due(NOW) == {
        "consent.state": None,
        "erasure_scheduled": None,
        "created_at": {"$lt": NOW - timedelta(days=30)},
    }


def test_a_schedule_gives_the_grace_period_and_keeps_its_event_id() -> None:
    schedule = POLICY.schedule(now=NOW, event_id="evt_1")
    assert schedule.reason == REASON == "consent_not_requested"
    assert schedule.scheduled_at == NOW
    assert schedule.erase_after == NOW + timedelta(days=7)
    assert schedule.event_id == "evt_1" and schedule.announced_at is None


def test_the_erasure_is_due_only_when_announced_past_its_date_and_still_never_asked() -> None:
    assert POLICY.erasure_due(NOW) == {
        "erasure_scheduled.reason": REASON,
        "erasure_scheduled.erase_after": {"$lte": NOW},
        "erasure_scheduled.announced_at": {"$ne": None},
        "consent.state": None,
    }


async def test_a_talent_whose_consent_record_exists_is_not_erased() -> None:
    rule = POLICY.erasure_rule(consents=FakeRecords(stored(ConsentState.REQUESTED)))
    assert rule.name == rule.reason == REASON
    assert rule.still_due is not None
    # The consent service stored a request whose event has not been mirrored yet.
    assert not await rule.still_due("acme", "tal_1")
    assert await rule.still_due("acme", "tal_2")
    assert await rule.still_due("globex", "tal_1")


def test_the_announcement_is_the_registered_event_under_the_stored_id() -> None:
    record = TalentRecord.from_document(talent_document("tal_1"))
    schedule = POLICY.schedule(now=NOW, event_id="evt_1")
    envelope = announcement(record, schedule)
    assert envelope.event_id == "evt_1"  # a retried publish is the same event
    assert EVENTS[envelope.type] is TalentErasureScheduled
    assert (envelope.tenant_id, envelope.occurred_at) == ("acme", NOW)
    assert envelope.payload == TalentErasureScheduled(
        talent_id="tal_1", reason=REASON, sourced_by="alice", erase_after=NOW + timedelta(days=7)
    )


def test_the_api_shows_a_schedule_as_deleting_soon_without_its_bookkeeping() -> None:
    doc = talent_document("tal_1")
    assert TalentRecord.from_document(doc).deleting_soon is None
    schedule = POLICY.schedule(now=NOW, event_id="evt_1")
    record = TalentRecord.from_document({**doc, "erasure_scheduled": schedule.model_dump()})
    assert record.deleting_soon == {"reason": REASON, "erase_after": NOW + timedelta(days=7)}

"""Talents nobody asked for consent are not kept (GDPR Art. 14(3)(a)).

A person whose data was collected from a platform must be informed within a month. A talent
still in consent state not_requested `notice` after its creation gets an erasure schedule on its
record (`erasure_scheduled`: reason consent_not_requested, erase_after = now + `grace`), which
the API shows as `deleting_soon`, and one `talent.erasure_scheduled` event reminds the sourcing
recruiter and, through the consent service's webhooks, the customer's systems. A consent request
or an admin unlock in the meantime clears the schedule (`consent_mirror`). Once `erase_after` has
passed, the retention job erases the talent through `TalentEraser`, as every erasure: everywhere,
with `talent.erased` so the other services delete what they hold.

No suppression entry is written: suppression remembers that a person declined, and these people
never declined, they were never asked. Sourcing them again later is allowed and starts a new
notice period.

The event is published after the schedule is stored, under an event id stored with it, and the
schedule is marked announced once the broker confirmed it: a failed publish is retried on the
next run under the same id, a re-run publishes nothing twice, and no talent is erased for this
reason before its reminder went out and the whole grace period after it has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sourcer.proto.envelope import Envelope, new_event_id
from sourcer.proto.events import TalentErasureScheduled
from sourcer.proto.talent_record import ErasureSchedule, TalentRecord
from sourcer.runtime.errors import PublishError
from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import Store
from sourcer.talent.consent_records import ConsentRecords
from sourcer.talent.erasure import ACTOR
from sourcer.talent.repository import TALENTS
from sourcer.talent.retention import BATCH, RetentionRule

log = get_logger(__name__)

REASON = "consent_not_requested"
SCHEDULE = TalentRecord.field("erasure_scheduled")
# A talent never asked has no consent at all, which `null` matches (as the browse filter does).
NEVER_ASKED = {f"{TalentRecord.field('consent')}.state": None}


class EnvelopePublisher(Protocol):
    async def publish(self, envelope: Envelope[Any]) -> None: ...


@dataclass(frozen=True)
class NeverAskedPolicy:
    """How long a talent may wait for a consent request, and how long after the reminder."""

    notice: timedelta
    grace: timedelta

    def notice_due(self, now: datetime) -> dict[str, Any]:
        """Never asked, past the notice period, not yet scheduled."""
        return {
            **NEVER_ASKED,
            SCHEDULE: None,
            TalentRecord.field("created_at"): {"$lt": now - self.notice},
        }

    def schedule(self, *, now: datetime, event_id: str) -> ErasureSchedule:
        return ErasureSchedule(
            reason=REASON, scheduled_at=now, erase_after=now + self.grace, event_id=event_id
        )

    def erasure_due(self, now: datetime) -> dict[str, Any]:
        """Scheduled for this reason, announced, past `erase_after`, and still never asked."""
        return {
            f"{SCHEDULE}.reason": REASON,
            f"{SCHEDULE}.erase_after": {"$lte": now},
            f"{SCHEDULE}.announced_at": {"$ne": None},
            **NEVER_ASKED,
        }

    def erasure_rule(self, *, consents: ConsentRecords) -> RetentionRule:
        async def no_consent_record(tenant_id: str, talent_id: str) -> bool:
            # A request the consent service stored whose event has not reached this talent
            # yet: the talent was asked, so it stays.
            return await consents.get(tenant_id=tenant_id, talent_id=talent_id) is None

        return RetentionRule(
            name=REASON, reason=REASON, due=self.erasure_due, still_due=no_consent_record
        )


def announcement(record: TalentRecord, schedule: ErasureSchedule) -> Envelope[Any]:
    """The reminder event, under the id stored with the schedule."""
    return Envelope[Any](
        event_id=schedule.event_id,
        type="talent.erasure_scheduled",
        occurred_at=schedule.scheduled_at,
        tenant_id=record.tenant_id,
        correlation_id=record.id,
        actor=ACTOR,
        payload=TalentErasureScheduled(
            talent_id=record.id,
            reason=schedule.reason,
            sourced_by=record.created_by,
            erase_after=schedule.erase_after,
        ),
    )


class ErasureScheduler:
    """The reminder step of the talent retention job."""

    name = "erasure_scheduled"

    def __init__(
        self, *, store: Store, publisher: EnvelopePublisher, policy: NeverAskedPolicy
    ) -> None:
        self.store = store
        self.publisher = publisher
        self.policy = policy

    async def remind(self, *, now: datetime) -> int:
        """Schedule every talent due and announce every schedule not announced yet; how many
        were scheduled in this run."""
        scheduled = await self.schedule_due(now=now)
        await self.announce(now=now)
        return scheduled

    async def schedule_due(self, *, now: datetime) -> int:
        due = self.policy.notice_due(now)
        talents = self.store.collection(TALENTS)
        tried: set[tuple[str, str]] = set()
        count = 0
        while True:
            cursor = talents.find(due, {"_id": 1, "tenant_id": 1}).limit(BATCH)
            batch = [(d["tenant_id"], d["_id"]) async for d in cursor]
            fresh = [ref for ref in batch if ref not in tried]
            for tenant_id, talent_id in fresh:
                tried.add((tenant_id, talent_id))
                schedule = self.policy.schedule(now=now, event_id=new_event_id())
                # Conditional: a consent request mirrored since the query leaves it unscheduled.
                result = await talents.update_one(
                    {**due, "_id": talent_id, "tenant_id": tenant_id},
                    {
                        "$set": TalentRecord.set_fields(erasure_scheduled=schedule),
                        "$inc": {"version": 1},
                    },
                )
                count += result.modified_count
            if len(batch) < BATCH or not fresh:
                break
        if count:
            log.info("talent.erasure_scheduled", reason=REASON, count=count)
        return count

    async def announce(self, *, now: datetime) -> int:
        """Publish the event of every schedule not confirmed yet, then mark it announced; stop
        at the first publish the broker does not confirm."""
        talents = self.store.collection(TALENTS)
        pending = {f"{SCHEDULE}.reason": REASON, f"{SCHEDULE}.announced_at": None}
        count = 0
        while True:
            batch = [
                TalentRecord.from_document(d) async for d in talents.find(pending).limit(BATCH)
            ]
            for record in batch:
                if not await self.announce_one(record, now=now):
                    return count
                count += 1
            if len(batch) < BATCH:
                return count

    async def announce_one(self, record: TalentRecord, *, now: datetime) -> bool:
        scheduled = record.erasure_scheduled
        assert scheduled is not None  # the pending query asks for a schedule
        # The recruiter gets the whole grace period from the reminder, however late it went.
        erase_after = max(scheduled.erase_after, now + self.policy.grace)
        schedule = scheduled.model_copy(update={"erase_after": erase_after})
        try:
            await self.publisher.publish(announcement(record, schedule))
        except PublishError as exc:
            # Still unannounced, so the next run retries under the same event id.
            log.warning("talent.erasure_schedule_unannounced", error=repr(exc))
            return False
        await self.store.collection(TALENTS).update_one(
            {
                "_id": record.id,
                "tenant_id": record.tenant_id,
                f"{SCHEDULE}.event_id": schedule.event_id,
            },
            {"$set": {f"{SCHEDULE}.announced_at": now, f"{SCHEDULE}.erase_after": erase_after}},
        )
        return True

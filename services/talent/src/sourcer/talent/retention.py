"""Retention of talents: erase the ones Sourcer may no longer keep, without being asked.

The consent texts promise deletion "at the latest two years after our last contact". The job
here erases every talent whose last change (`updated_at`: a submit, an edit, a consent request
or answer) is older than `last_contact_retention_days`, exactly as a denied consent erases,
except that it writes no suppression entries: these people did not decline, and sourcing them
again later is allowed. Each rule is a query over `talents` with a reason, so another retention
rule is one more `RetentionRule`; talents never asked for consent are one (`never_asked`), with
a reminder step that runs before the rules in the same job.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sourcer.runtime.jobs import RETENTION_INTERVAL_SECONDS, Job
from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import Store
from sourcer.talent.erasure import Erasure, TalentEraser
from sourcer.talent.repository import TALENTS

log = get_logger(__name__)

BATCH = 200


@dataclass(frozen=True)
class RetentionRule:
    """Talents that `due(now)` matches are erased with `reason`; when `still_due` is given, only
    those it confirms (by tenant and talent id), e.g. against another service's records."""

    name: str
    reason: str
    due: Callable[[datetime], dict[str, Any]]
    still_due: Callable[[str, str], Awaitable[bool]] | None = None


class Reminder(Protocol):
    """A step of the job that runs before the rules, e.g. announcing erasures to come."""

    name: str

    async def remind(self, *, now: datetime) -> int: ...


def last_contact_rule(*, keep_days: int) -> RetentionRule:
    """No change and no contact for `keep_days` (uses the `talent_last_change` index)."""
    keep = timedelta(days=keep_days)
    return RetentionRule(
        name="last_contact",
        reason="retention",
        due=lambda now: {"updated_at": {"$lt": now - keep}},
    )


async def erase_due(
    *, store: Store, eraser: TalentEraser, rules: Sequence[RetentionRule], now: datetime
) -> dict[str, int]:
    """Erase every talent a rule says is due, in batches; how many per rule."""
    erased: dict[str, int] = {}
    for rule in rules:
        due = rule.due(now)
        tried: set[tuple[str, str]] = set()
        count = 0
        while True:
            cursor = store.collection(TALENTS).find(due, {"_id": 1, "tenant_id": 1}).limit(BATCH)
            batch = [(d["tenant_id"], d["_id"]) async for d in cursor]
            fresh = [ref for ref in batch if ref not in tried]
            for tenant_id, talent_id in fresh:
                tried.add((tenant_id, talent_id))
                if rule.still_due is not None and not await rule.still_due(tenant_id, talent_id):
                    continue
                # Checked again at erasure: a talent changed since this query stays.
                count += await eraser.erase(
                    Erasure(
                        tenant_id=tenant_id,
                        talent_id=talent_id,
                        reason=rule.reason,
                        suppress=False,
                        correlation_id=talent_id,
                        only_if=due,
                    )
                )
            # A batch of talents tried already (one that would not go) ends this run.
            if len(batch) < BATCH or not fresh:
                break
        erased[rule.name] = count
        if count:
            log.info("talent.retention_erased", rule=rule.name, count=count)
    return erased


def talent_retention_job(
    *,
    store: Store,
    eraser: TalentEraser,
    rules: Sequence[RetentionRule],
    reminders: Sequence[Reminder] = (),
    clock: Callable[[], datetime] | None = None,
) -> Job:
    """Every hour: the reminders, then the rules; how many each reminded or erased."""
    read_clock = clock or (lambda: datetime.now(UTC))

    async def run() -> dict[str, int]:
        now = read_clock()
        counts = {r.name: await r.remind(now=now) for r in reminders}
        return {**counts, **await erase_due(store=store, eraser=eraser, rules=rules, now=now)}

    return Job(name="talents.retention", interval=RETENTION_INTERVAL_SECONDS, run=run)

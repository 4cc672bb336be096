"""Storage limitation: previews hold the extracted profile of a person who may never become a
talent, so they are deleted after a retention period, submitted or not (GDPR Art. 5(1)(e))."""

from __future__ import annotations

from datetime import datetime, timedelta

from sourcer.runtime.logging import get_logger
from sourcer.runtime.store import Store
from sourcer.talent.repository import PREVIEWS

log = get_logger(__name__)


async def purge_previews(store: Store, *, now: datetime, keep: timedelta) -> int:
    """Delete the previews created before `now - keep`; returns how many."""
    result = await store.db[PREVIEWS].delete_many({"created_at": {"$lt": now - keep}})
    if result.deleted_count:
        log.info("previews.purged", count=result.deleted_count, retention_days=keep.days)
    return result.deleted_count

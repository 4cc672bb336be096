"""Storage limitation: a sourcing request keeps the preview of a person who may never become a
talent, so requests are deleted after a retention period, whatever their state
(GDPR Art. 5(1)(e)). The talent service purges its previews on the same terms."""

from __future__ import annotations

from datetime import datetime, timedelta

from sourcer.gateway.repository import MongoSourcingRequests
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)


async def purge_requests(requests: MongoSourcingRequests, *, now: datetime, keep: timedelta) -> int:
    """Delete the requests created before `now - keep`; returns how many."""
    count = await requests.purge(created_before=now - keep)
    if count:
        log.info("sourcing_requests.purged", count=count, retention_days=keep.days)
    return count

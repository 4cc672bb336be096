"""The talent browse's queries: what each filter asks, cursors, and that an index serves each."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sourcer.gateway.browse import Cursor, TalentFilters, TalentSort, page_query
from sourcer.proto.consent_record import ConsentState
from sourcer.proto.records import Platform
from sourcer.runtime.errors import DomainError
from sourcer.talent.repository import CATALOG, TALENTS

pytestmark = pytest.mark.unit

AT = datetime(2026, 11, 1, tzinfo=UTC)
ONE_FILTER_EACH = [
    TalentFilters(pool="pool_1"),
    TalentFilters(status="new"),
    TalentFilters(consent_state=ConsentState.GRANTED),
    TalentFilters(consent_state=ConsentState.NOT_REQUESTED),
    TalentFilters(platform=Platform.XING),
    TalentFilters(sourced_by="alice"),
    TalentFilters(q="schneider"),
    TalentFilters(email="jane@example.org"),
    TalentFilters(profile_url="https://www.linkedin.com/in/jane/"),
    TalentFilters(deleting_soon=True),
    TalentFilters(deleting_soon=False),
]


def index_keys() -> list[list[str]]:
    return [
        [key for key, _ in index.keys] for index in CATALOG.indexes() if index.collection == TALENTS
    ]


def served(query: dict[str, Any], sort: TalentSort) -> bool:
    """An index leads with the tenant, then the query's equality keys, then the sort key."""
    equal = [k for k, v in query.items() if k != "tenant_id" and not _is_range(v)]
    for keys in index_keys():
        if keys[0] != "tenant_id" or set(keys[1 : 1 + len(equal)]) != set(equal):
            continue
        rest = keys[1 + len(equal) :]
        if not rest or rest[0] == sort.field or (equal and _lookup_only(equal)):
            return True
    return False


def _is_range(value: Any) -> bool:
    return isinstance(value, dict) and any(op in value for op in ("$gte", "$lt"))


def _lookup_only(keys: list[str]) -> bool:
    # Exact lookups by email or profile find a handful of talents: sorting them costs nothing.
    return set(keys) <= {"email_keys", "profile_urls"}


@pytest.mark.parametrize("filters", ONE_FILTER_EACH, ids=repr)
def test_every_filter_meets_an_index(filters: TalentFilters) -> None:
    assert served(filters.query(tenant_id="acme"), TalentSort.UPDATED_DESC)


@pytest.mark.parametrize("sort", list(TalentSort))
def test_every_order_meets_an_index(sort: TalentSort) -> None:
    assert served(TalentFilters().query(tenant_id="acme"), sort)


def test_queries_always_carry_the_tenant_and_fold_the_search() -> None:
    query = TalentFilters(q="Jürgen  SCHN", consent_state=ConsentState.NOT_REQUESTED).query(
        tenant_id="acme"
    )
    assert query == {
        "tenant_id": "acme",
        "consent.state": None,
        "search_keys": {"$all": ["jurgen", "schn"]},
    }


def test_deleting_soon_asks_for_a_scheduled_erasure_or_none() -> None:
    soon = TalentFilters(deleting_soon=True).query(tenant_id="acme")
    assert soon == {"tenant_id": "acme", "erasure_scheduled.reason": {"$type": "string"}}
    others = TalentFilters(deleting_soon=False).query(tenant_id="acme")
    assert others == {"tenant_id": "acme", "erasure_scheduled.reason": None}


def test_a_cursor_continues_after_the_last_row_and_only_for_its_filters() -> None:
    filters, sort = TalentFilters(pool="p"), TalentSort.UPDATED_DESC
    cursor = Cursor(AT, "tal_9", filters.fingerprint(sort))
    decoded = Cursor.decode(cursor.encode(), fingerprint=filters.fingerprint(sort))
    assert decoded == cursor
    query = page_query({"tenant_id": "acme"}, sort=sort, cursor=decoded)
    assert query["$and"][1] == {
        "$or": [
            {"updated_at": {"$lt": AT}},
            {"updated_at": AT, "_id": {"$lt": "tal_9"}},
        ]
    }
    with pytest.raises(DomainError) as other_filters:
        Cursor.decode(cursor.encode(), fingerprint=TalentFilters().fingerprint(sort))
    assert other_filters.value.code == "invalid_cursor"
    with pytest.raises(DomainError):
        Cursor.decode("%%%", fingerprint=filters.fingerprint(sort))

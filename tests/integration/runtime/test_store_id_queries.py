"""Queries naming `_id` answer as MongoDB specifies on the server the tests run against.

Locally that is FerretDB built with deploy/local/ferretdb-sqlite-id-lookup.patch, which narrows
such queries by the `_id` index in SQL; these cases pin that the answers stay exactly MongoDB's.
"""

from __future__ import annotations

from typing import Any

import pytest
from bson import ObjectId

from sourcer.runtime.store import Store

pytestmark = pytest.mark.integration

OID = ObjectId("65a1b2c3d4e5f60718293a4b")
DOCS: list[dict[str, Any]] = [
    {"_id": "a", "n": 1, "tag": "x"},
    {"_id": "b", "n": 2, "tag": "y"},
    {"_id": "c", "n": 3, "tag": "x"},
    {"_id": OID, "n": 4, "tag": "x"},
    {"_id": 7, "n": 5, "tag": "y"},
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"_id": "a"}, [1]),
        ({"_id": "a", "tag": "y"}, []),
        ({"_id": {"$in": ["a", "c", "zz"]}}, [1, 3]),
        ({"_id": {"$in": ["a", "c"]}, "tag": "x", "n": {"$gt": 1}}, [3]),
        ({"_id": {"$in": [OID, "b"]}}, [2, 4]),
        ({"_id": {"$in": ["a", 7]}}, [1, 5]),  # mixed types: not narrowed, still right
        ({"_id": {"$in": []}}, []),
        ({"_id": {"$in": ["a"], "$ne": "a"}}, []),
        ({"_id": {"$nin": ["a", "b"]}}, [3, 4, 5]),
        ({"_id": {"$in": ["A", "B"]}}, []),  # exact, case and all
    ],
)
async def test_queries_by_id_match_mongodb(
    store: Store, query: dict[str, Any], expected: list[int]
) -> None:
    collection = store.db["id_queries"]
    await collection.insert_many([dict(doc) for doc in DOCS])
    found = sorted([doc["n"] async for doc in collection.find(query)])
    assert found == expected
    updated = await collection.update_many(query, {"$set": {"seen": True}})
    assert updated.matched_count == len(expected)
    deleted = await collection.delete_many(query)
    assert deleted.deleted_count == len(expected)

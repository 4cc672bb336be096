"""MongoDB access with PyMongo's async API.

Each service declares the indexes of the collections it owns and creates them at start-up;
uniqueness and conditional updates replace multi-document transactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

Document = dict[str, Any]


@dataclass(frozen=True)
class IndexSpec:
    collection: str
    keys: Sequence[tuple[str, int]]
    unique: bool = False
    name: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


class KeyChurnError(Exception):
    """A unique key stayed taken, but its holder kept going away before it could be read."""


async def insert_or_holder(
    collection: AsyncCollection[Document], doc: Document, *, holder: Document, tries: int = 3
) -> Document | None:
    """Insert `doc`, one of whose unique keys another document may hold already: None when
    stored, else the document that `holder` (a filter) finds holding it. A holder that goes away
    between our insert and our read frees the key, so the insert is tried again."""
    for _ in range(tries):
        try:
            await collection.insert_one(doc)
        except DuplicateKeyError:
            found = await collection.find_one(holder)
            if found is not None:
                return found
            continue
        return None
    raise KeyChurnError(str(holder))


class Store:
    """One client per process, the service's database, and a readiness check."""

    def __init__(self, client: AsyncMongoClient[Document], db_name: str) -> None:
        self.client = client
        self.db: AsyncDatabase[Document] = client[db_name]

    async def ping(self) -> bool:
        try:
            await self.client.admin.command("ping")
        except Exception:
            return False
        return True

    async def ensure_indexes(self, specs: Sequence[IndexSpec]) -> None:
        for spec in specs:
            kwargs: dict[str, Any] = dict(spec.options)
            if spec.name:
                kwargs["name"] = spec.name
            await self.db[spec.collection].create_index(
                list(spec.keys), unique=spec.unique, **kwargs
            )

    async def close(self) -> None:
        await self.client.close()


async def connect_store(
    url: str, db_name: str, *, timeout_ms: int = 5000, app_name: str = "sourcer"
) -> Store:
    """Connect and verify the server answers, so a wrong URL fails at start-up."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        url, serverSelectionTimeoutMS=timeout_ms, appname=app_name, tz_aware=True
    )
    store = Store(client, db_name)
    await client.admin.command("ping")
    return store

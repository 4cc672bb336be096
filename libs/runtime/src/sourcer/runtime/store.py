"""MongoDB access with PyMongo's async API.

Each service declares its collections and their indexes in a `Catalog` and creates the indexes
at start-up; uniqueness and conditional updates replace multi-document transactions. A store
given a catalog hands out only the collections declared in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from sourcer.runtime.catalog import (
    Catalog,
    Document,
    IndexSpec,
    TalentRef,
    UndeclaredCollectionError,
    erasers,
)
from sourcer.runtime.logging import get_logger

log = get_logger(__name__)

__all__ = ["Document", "IndexSpec", "KeyChurnError", "Store", "connect_store", "insert_or_holder"]


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

    def __init__(
        self, client: AsyncMongoClient[Document], db_name: str, catalog: Catalog | None = None
    ) -> None:
        self.client = client
        self.db: AsyncDatabase[Document] = client[db_name]
        self.catalog = catalog

    def with_catalog(self, catalog: Catalog) -> Store:
        """The same connection, limited to the collections `catalog` declares."""
        return Store(self.client, self.db.name, catalog)

    def collection(self, name: str) -> AsyncCollection[Document]:
        if self.catalog is not None and name not in self.catalog.names:
            raise UndeclaredCollectionError(
                f"{self.catalog.service} has not declared the collection {name!r}"
            )
        return self.db[name]

    async def erase_talent(self, talent: TalentRef) -> dict[str, int]:
        """Run every eraser of the catalog; returns documents deleted per collection."""
        if self.catalog is None:
            raise RuntimeError("erasing needs a store with the service's catalog")
        deleted: dict[str, int] = {}
        for spec in erasers(self.catalog):
            assert spec.erase is not None
            deleted[spec.name] = await spec.erase(self.collection(spec.name), talent)
        log.info("talent.data_erased", talent_id=talent.talent_id, deleted=deleted)
        return deleted

    async def ping(self) -> bool:
        try:
            await self.client.admin.command("ping")
        except Exception:
            return False
        return True

    async def ensure_indexes(self, specs: Sequence[IndexSpec] | None = None) -> None:
        """Create `specs`, by default every index of the catalog."""
        if specs is None:
            specs = self.catalog.indexes() if self.catalog is not None else []
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
    url: str,
    db_name: str,
    *,
    timeout_ms: int = 5000,
    app_name: str = "sourcer",
    catalog: Catalog | None = None,
) -> Store:
    """Connect and verify the server answers, so a wrong URL fails at start-up."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        url, serverSelectionTimeoutMS=timeout_ms, appname=app_name, tz_aware=True
    )
    store = Store(client, db_name, catalog)
    await client.admin.command("ping")
    return store

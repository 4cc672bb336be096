"""Every collection a service uses, with its indexes and what it holds of a talent.

A service declares the collections it owns (it alone writes them) and the ones it reads from
other services. Owning a collection means saying what it holds of the people Sourcer sources:
either how a talent's data is erased from it (`erase=`), or why it is exempt (`exempt=`, e.g.
hashes kept to remember who declined, or ids and states only). The store hands out only
declared collections, so a new collection cannot hold personal data without this decision, and
erasing a talent runs every eraser the service registered, in declaration order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

Document = dict[str, Any]


@dataclass(frozen=True)
class IndexSpec:
    collection: str
    keys: Sequence[tuple[str, int]]
    unique: bool = False
    name: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TalentRef:
    """What identifies one talent's data across collections, for erasing it."""

    tenant_id: str
    talent_id: str
    request_ids: tuple[str, ...] = ()
    profile_urls: tuple[str, ...] = ()
    profile_ids: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    # sourcer.proto.person_keys of the talent's id, profiles and emails: what a collection
    # showing the person without having been submitted into the talent is matched by.
    person_keys: tuple[str, ...] = ()


Eraser = Callable[[AsyncCollection[Document], TalentRef], Awaitable[int]]


@dataclass(frozen=True)
class CollectionSpec:
    """One collection a service owns. Exactly one of `erase` and `exempt` is given."""

    name: str
    description: str
    erase: Eraser | None = None
    exempt: str | None = None
    indexes: tuple[IndexSpec, ...] = ()

    def __post_init__(self) -> None:
        if (self.erase is None) == (self.exempt is None):
            raise ValueError(
                f"collection {self.name}: say how a talent's data is erased from it (erase=) "
                "or why it holds none that must be (exempt=), not both"
            )
        for index in self.indexes:
            if index.collection != self.name:
                raise ValueError(f"index {index.name} of {index.collection} listed on {self.name}")


async def erase_by_talent_id(collection: AsyncCollection[Document], talent: TalentRef) -> int:
    """The common case: documents carrying the talent's id."""
    result = await collection.delete_many(
        {"tenant_id": talent.tenant_id, "talent_id": talent.talent_id}
    )
    return result.deleted_count


class UndeclaredCollectionError(LookupError):
    """Code asked for a collection its service has not declared."""


@dataclass(frozen=True)
class Catalog:
    """The collections one service owns and the ones of other services it reads."""

    service: str
    owns: tuple[CollectionSpec, ...]
    reads: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [spec.name for spec in self.owns]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.service}: a collection is declared twice")
        if set(names) & set(self.reads):
            raise ValueError(f"{self.service}: a collection is both owned and read")

    @property
    def names(self) -> set[str]:
        return {spec.name for spec in self.owns} | set(self.reads)

    def owned(self, name: str) -> CollectionSpec | None:
        return next((spec for spec in self.owns if spec.name == name), None)

    def indexes(self) -> list[IndexSpec]:
        return [index for spec in self.owns for index in spec.indexes]

    def merged(self, other: Catalog) -> Catalog:
        """This catalog with `other`'s collections (the runtime's own, e.g.)."""
        return Catalog(
            service=self.service,
            owns=(*self.owns, *(s for s in other.owns if self.owned(s.name) is None)),
            reads=tuple(sorted(set(self.reads) | set(other.reads))),
        )


def erasers(catalog: Catalog) -> Iterable[CollectionSpec]:
    return (spec for spec in catalog.owns if spec.erase is not None)

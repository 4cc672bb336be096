"""Each service's MongoDB role, derived from its collection catalog.

A service may write only the collections it owns and read the ones it declares to read: the
same declarations the store enforces in-process (`catalog.py`), here as privileges the server
enforces, so a compromised process cannot write another service's data even with its own
connection. The output is a list of `createRole` / `createUser` commands for `mongosh`
(docs/operations.md). The local FerretDB has no role enforcement; production MongoDB has.
"""

from __future__ import annotations

from typing import Any

from sourcer.runtime.service import ServiceSpec

WRITE_ACTIONS = (
    "find",
    "insert",
    "update",
    "remove",
    "createCollection",
    "createIndex",
    "listIndexes",
)
"""On an owned collection: read and write documents, create it and its indexes at start."""
READ_ACTIONS = ("find",)
"""On a collection another service owns."""
ROLE_PREFIX = "sourcer_"
USER_PREFIX = "sourcer-"


def _privilege(db: str, collection: str, actions: tuple[str, ...]) -> dict[str, Any]:
    return {"resource": {"db": db, "collection": collection}, "actions": list(actions)}


def role_for(service: ServiceSpec[Any, Any], *, db: str) -> dict[str, Any]:
    """The `createRole` command of one service: its own collections (and the runtime's, which
    every service writes), the others' it reads."""
    catalog = service.full_catalog
    owned = sorted(spec.name for spec in catalog.owns)
    privileges = [_privilege(db, name, WRITE_ACTIONS) for name in owned]
    privileges += [_privilege(db, name, READ_ACTIONS) for name in sorted(catalog.reads)]
    return {"createRole": f"{ROLE_PREFIX}{service.name}", "privileges": privileges, "roles": []}


def user_for(service: ServiceSpec[Any, Any], *, db: str) -> dict[str, Any]:
    """The `createUser` command without a password (set it with `passwordPrompt()` or from
    the secret store)."""
    return {
        "createUser": f"{USER_PREFIX}{service.name}",
        "roles": [{"role": f"{ROLE_PREFIX}{service.name}", "db": db}],
    }


def writable(role: dict[str, Any]) -> set[str]:
    """The collections a role may write to."""
    return {
        p["resource"]["collection"]
        for p in role["privileges"]
        if set(p["actions"]) & {"insert", "update", "remove"}
    }


def readable(role: dict[str, Any]) -> set[str]:
    return {p["resource"]["collection"] for p in role["privileges"] if "find" in p["actions"]}

"""MongoDB roles come from the collection catalogs: each owner alone may write its collections."""

from __future__ import annotations

import dataclasses
import json

import pytest

from sourcer.runtime.catalog import Catalog, CollectionSpec
from sourcer.runtime.db_cli import main
from sourcer.runtime.idempotency import RUNTIME_CATALOG
from sourcer.runtime.mongo_roles import readable, role_for, writable
from sourcer.runtime.registry import installed_services

pytestmark = pytest.mark.unit

SHARED = {spec.name for spec in RUNTIME_CATALOG.owns}  # processed event ids, by every service


def test_each_owned_collection_is_writable_by_its_owner_only() -> None:
    services = installed_services()
    roles = {s.name: role_for(s, db="sourcer") for s in services}
    for service in services:
        owned = {spec.name for spec in service.catalog.owns}
        assert writable(roles[service.name]) == owned | SHARED
        for other in services:
            if other is not service:
                assert not owned & writable(roles[other.name]), (other.name, owned)


def test_collections_read_from_other_services_are_read_only() -> None:
    for service in installed_services():
        role = role_for(service, db="sourcer")
        reads = set(service.catalog.reads)
        assert reads <= readable(role)
        assert not reads & writable(role)
        actions = {
            tuple(p["actions"]) for p in role["privileges"] if p["resource"]["collection"] in reads
        }
        assert actions <= {("find",)}


def test_a_new_collection_in_a_catalog_appears_in_the_roles() -> None:
    talent = next(s for s in installed_services() if s.name == "talent")
    grown = Catalog(
        service="talent",
        owns=(*talent.catalog.owns, CollectionSpec("talent_notes", "Notes.", exempt="ids only")),
        reads=(*talent.catalog.reads, "sourcing_requests"),
    )
    role = role_for(dataclasses.replace(talent, catalog=grown), db="prod")
    assert "talent_notes" in writable(role)
    assert "sourcing_requests" in readable(role) and "sourcing_requests" not in writable(role)
    assert {p["resource"]["db"] for p in role["privileges"]} == {"prod"}


def test_the_command_prints_a_role_and_a_user_per_service(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["roles", "--db", "prod"]) == 0
    out = json.loads(capsys.readouterr().out)
    names = sorted(s.name for s in installed_services())
    assert [r["createRole"] for r in out["roles"]] == [f"sourcer_{n}" for n in names]
    assert [u["createUser"] for u in out["users"]] == [f"sourcer-{n}" for n in names]
    assert out["users"][0]["roles"] == [{"role": "sourcer_consent", "db": "prod"}]

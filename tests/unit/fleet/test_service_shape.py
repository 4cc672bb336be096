"""The shape every service shares: collections declared and classified, consumers as data, the
layering of the packages, and no way around the store's catalog."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sourcer.runtime.catalog import Catalog, CollectionSpec, UndeclaredCollectionError
from sourcer.runtime.idempotency import RUNTIME_CATALOG
from sourcer.runtime.registry import installed_services

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("consent", "extractor", "gateway", "talent")


def owners() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for service in installed_services():
        for spec in service.catalog.owns:
            found.setdefault(spec.name, []).append(service.name)
    for spec in RUNTIME_CATALOG.owns:
        found.setdefault(spec.name, []).append("runtime")
    return found


def test_every_service_runs_through_the_runtime_and_is_installed() -> None:
    assert sorted(s.name for s in installed_services()) == list(SERVICES)
    for service in installed_services():
        assert service.catalog.service == service.name


def test_each_collection_has_exactly_one_owner_and_reads_name_owned_collections() -> None:
    by_name = owners()
    shared = {name: who for name, who in by_name.items() if len(who) > 1}
    assert not shared, f"collections with more than one writer: {shared}"
    for service in installed_services():
        unknown = set(service.catalog.reads) - set(by_name)
        assert not unknown, f"{service.name} reads collections nobody owns: {unknown}"


def test_a_collection_must_say_how_a_talent_is_erased_from_it_or_why_not() -> None:
    with pytest.raises(ValueError, match="erase"):
        CollectionSpec("notes_of_people", "Free text about people.")

    async def erase(_: object, __: object) -> int:
        return 0

    with pytest.raises(ValueError, match="not both"):
        CollectionSpec("both", "Both.", erase=erase, exempt="why")  # type: ignore[arg-type]


def test_personal_data_registry_covers_the_talent_collections() -> None:
    """Where a talent's data lives, an eraser is registered; every other collection says why
    it holds nothing to erase."""
    erased = {
        spec.name
        for service in installed_services()
        for spec in service.catalog.owns
        if spec.erase is not None
    }
    assert {"talents", "previews", "talent_identities", "sourcing_requests"} <= erased
    for service in installed_services():
        for spec in service.catalog.owns:
            assert spec.erase is not None or (spec.exempt and len(spec.exempt) > 10), spec.name


def test_the_store_hands_out_only_declared_collections() -> None:
    from pymongo import AsyncMongoClient

    from sourcer.runtime.store import Store

    catalog = Catalog(
        service="demo",
        owns=(CollectionSpec("mine", "Mine.", exempt="ids only, for this test"),),
        reads=("theirs",),
    )
    store = Store(AsyncMongoClient("mongodb://127.0.0.1:1/", connect=False), "db", catalog)
    assert store.collection("mine").name == "mine"
    assert store.collection("theirs").name == "theirs"
    with pytest.raises(UndeclaredCollectionError, match="forgotten"):
        store.collection("forgotten")


def test_no_service_reaches_a_collection_around_its_catalog() -> None:
    """`store.db[...]` would bypass the declaration (and with it the erasure registry)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("services", "libs")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\.db\[", line) and path.name != "store.py"
    ]
    assert not offenders


def test_consumers_are_declared_once_with_unique_queues() -> None:
    names = [spec.name for service in installed_services() for spec in service.consumers]
    assert len(names) == len(set(names))
    for service in installed_services():
        for spec in service.consumers:
            assert spec.description and spec.keys
            queues = spec.queue_names("ns.")
            assert f"ns.{spec.name}" in queues and f"ns.{spec.name}.parked" in queues


def test_the_layering_of_the_packages_holds() -> None:
    """Services never import each other; the runtime imports only the contracts; the contracts
    import neither (import-linter contracts in pyproject.toml)."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(" KEPT") == 3


def test_the_generated_tables_in_the_docs_are_current() -> None:
    """README's collections and the operations guide's consumers come from the code."""
    from sourcer.runtime.docs_tables import main

    assert main(["--root", str(ROOT), "--check"]) == 0, "run `make docs`"

"""Saved pages hold personal data: kept by age and count, and erased with the person."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from sourcer.extractor.navigation import Rendered
from sourcer.extractor.parsing import PageKind
from sourcer.extractor.snapshots import SnapshotStore
from sourcer.proto.events import SourcingRequested
from sourcer.proto.person_keys import person_keys
from sourcer.proto.records import Platform

pytestmark = pytest.mark.unit

PAGE = Rendered(kind=PageKind.UNKNOWN, main="<html></html>", url="u", status=200, screenshot=b"P")


def save(store: SnapshotStore, request_id: str, profile_id: str, *, tenant: str = "acme") -> Path:
    request = SourcingRequested(
        request_id=request_id,
        url=f"https://www.linkedin.com/in/{profile_id}/",
        platform=Platform.LINKEDIN,
        profile_id=profile_id,
    )
    return asyncio.run(store.save(request=request, rendered=PAGE, tenant_id=tenant))


def files(directory: Path) -> set[str]:
    return {p.name for p in directory.rglob("*") if p.is_file()}


def test_beyond_the_count_the_oldest_pages_go_with_their_screenshots(tmp_path: Path) -> None:
    store = SnapshotStore(directory=tmp_path, retention_days=14, max_count=2)
    paths = [save(store, f"r{n}", f"member-{n}") for n in range(4)]
    for age, path in enumerate(reversed(paths)):  # r0 oldest
        for file in (path, path.with_suffix(".png")):
            os.utime(file, (1_000_000 - age * 10, 1_000_000 - age * 10))
    assert store.prune() == 2
    assert {p.name for p in paths if p.exists()} == {paths[2].name, paths[3].name}
    assert len(files(tmp_path)) == 4


def test_erasure_deletes_the_requests_and_every_page_showing_the_person(tmp_path: Path) -> None:
    store = SnapshotStore(directory=tmp_path, retention_days=14)
    submitted = save(store, "req_1", "jane-doe")
    unsubmitted = save(store, "req_2", "Jane-Doe")  # another recruiter's, never submitted
    elsewhere = save(store, "req_3", "jane-doe", tenant="globex")  # another tenant's Jane
    other = save(store, "req_4", "john-smith")
    keys = person_keys(tenant_id="acme", profiles=[("linkedin", "jane-doe")])
    assert store.erase(request_ids=["req_1"], person_keys=keys) == 2
    assert not submitted.exists() and not submitted.with_suffix(".png").exists()
    assert not unsubmitted.exists() and not unsubmitted.with_suffix(".png").exists()
    assert elsewhere.exists() and other.exists()
    assert store.erase(request_ids=["req_1"], person_keys=keys) == 0  # a redelivery


def test_a_request_id_never_names_a_path_outside_the_day_folder(tmp_path: Path) -> None:
    store = SnapshotStore(directory=tmp_path / "snapshots", retention_days=14)
    path = save(store, "../../../escape", "jane-doe")
    assert path.parent.parent == tmp_path / "snapshots"
    assert not (tmp_path / "escape-linkedin.html").exists()
    assert store.erase(request_ids=["../../../escape"], person_keys=[]) == 1

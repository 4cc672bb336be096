"""A recruiter sources a profile, it changes on the platform, they source it again.

All services run as processes; the extractor renders the simulator's pages in Chromium.
"""

from __future__ import annotations

import httpx
import pytest
from fleet import Fleet, source
from pymongo import MongoClient
from support import declared_collections

pytestmark = pytest.mark.e2e

NEW_JOB = {
    "title": "Principal Engineer",
    "company": "Sourcer E2E GmbH",
    "location": "Berlin, Germany",
    "start": {"year": 2026, "month": 10},
    "is_current": True,
}


def test_source_submit_change_and_update(fleet: Fleet, simulator: str) -> None:
    sim = httpx.Client(base_url=simulator, timeout=10)
    member = next(m for m in sim.get("/_sim/profiles").json() if m["platform"] == "linkedin")
    client = httpx.Client(base_url=fleet.gateway_url, headers=fleet.headers(), timeout=10)
    pools = [client.post("/v1/pools", json={"name": n}).json()["id"] for n in ("Backend", "Berlin")]

    first = source(client, fleet, member["profile_url"])
    assert first["preview"]["kind"] == "new"
    submitted = client.post(
        f"/v1/sourcing-requests/{first['id']}/submit",
        json={
            "status": "contacted",
            "preferred_language": "de",
            "pools": pools,
            "notes": ["Met at the meetup."],
        },
    )
    assert submitted.status_code == 200, submitted.text
    talent_id = submitted.json()["talent_id"]

    profile = sim.get(f"/_sim/profiles/{member['slug']}").json()
    profile["experience"] = [NEW_JOB, *profile["experience"]]
    profile["skills"] = [*profile["skills"], "Sourcing E2E"]
    assert sim.post(f"/_sim/profiles/{member['slug']}", json=profile).status_code == 200

    second = source(client, fleet, member["profile_url"])
    preview = second["preview"]
    assert preview["kind"] == "existing" and preview["talent_id"] == talent_id
    assert preview["message"] == "This talent already exists!"
    changes = {(c["field"], c["kind"]) for c in preview["changes"]}
    assert changes == {("experience", "added"), ("skills", "added")}, preview["changes"]
    accepted = client.post(
        f"/v1/sourcing-requests/{second['id']}/submit",
        json={"accept": [c["key"] for c in preview["changes"]]},
    )
    assert accepted.status_code == 200, accepted.text

    talent = client.get(f"/v1/talents/{talent_id}").json()
    assert talent["experience"][0]["company"] == "Sourcer E2E GmbH"
    assert "Sourcing E2E" in talent["skills"]
    assert talent["pools"] == pools
    assert [n["text"] for n in talent["notes"]] == ["Met at the meetup."]
    assert talent["status"] == "contacted" and talent["preferred_language"] == "de"

    # Whatever the services stored on the way, each collection is in its owner's catalog, so
    # erasure and retention know it.
    with MongoClient(fleet.env["MONGODB_URL"], serverSelectionTimeoutMS=3000) as mongo:
        found = set(mongo[fleet.env["MONGODB_DB"]].list_collection_names())
    assert {"sourcing_requests", "talents", "previews", "processed_events"} <= found
    assert found <= declared_collections(), found - declared_collections()

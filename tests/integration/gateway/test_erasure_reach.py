"""Erasing a talent reaches every sourcing request and preview that shows the person: other
recruiters' requests, unsubmitted ones, ones still in flight, ones matched by email, whatever
their number; and nothing of another person with the same profile id on another platform, or
of another tenant. Runs the gateway and the talent service on real RabbitMQ and Mongo."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sourcing_profiles import jane
from sourcing_system import SUPPRESSION_KEY, System, auth
from support import eventually

from sourcer.proto.envelope import Actor, ActorKind
from sourcer.proto.events import TalentErased
from sourcer.proto.person_keys import profile_person_key
from sourcer.proto.records import Platform, Profile, ProfileSource
from sourcer.runtime.store import Store
from sourcer.talent.erasure import Erasure, TalentEraser
from sourcer.talent.repository import CATALOG as TALENT_CATALOG
from sourcer.talent.suppression import suppression_entries

pytestmark = pytest.mark.integration

LINKEDIN = "https://www.linkedin.com/in/jane-doe/"
XING = "https://www.xing.com/profile/jane-doe"
AT = datetime(2026, 11, 2, tzinfo=UTC)


def xing_namesake() -> Profile:
    """Another person: the same slug on Xing, another name and email. (One with the same name
    and current company would be flagged as a possible duplicate of the talent, and go too.)"""
    source = ProfileSource(platform=Platform.XING, profile_url=XING, profile_id="jane-doe")
    profile = jane(first_name="Janet", emails=["janet.doe@elsewhere.example"])
    return profile.model_copy(update={"source": source})


async def ready(
    system: System, url: str, profile: Profile, *, sub: str, tenant: str = "acme"
) -> str:
    request = await system.source(url, sub=sub, tenant=tenant)
    await system.extracted(request["id"], profile, tenant=tenant)
    await system.wait_status(request["id"], "ready", tenant=tenant)
    return str(request["id"])


async def erase(store: Store, system: System, talent_id: str) -> None:
    eraser = TalentEraser(
        store=store.with_catalog(TALENT_CATALOG),
        publisher=system.bus,
        suppression_key=SUPPRESSION_KEY.encode(),
    )
    erasure = Erasure(
        tenant_id="acme", talent_id=talent_id, reason="denied", suppress=True, correlation_id="c"
    )
    assert await eraser.erase(erasure)


async def ids(store: Store, collection: str) -> set[Any]:
    return {doc["_id"] async for doc in store.db[collection].find({}, {"_id": 1})}


async def test_erasure_reaches_every_request_that_shows_the_person(system: System) -> None:
    submitted = await ready(system, LINKEDIN, jane(), sub="alice")
    unsubmitted = await ready(system, LINKEDIN, jane(), sub="bob")  # a second recruiter
    response = await system.client.post(
        f"/v1/sourcing-requests/{submitted}/submit", json={}, headers=auth()
    )
    assert response.status_code == 200, response.text
    talent_id = response.json()["talent_id"]
    matched = await ready(system, LINKEDIN, jane(), sub="carol")  # "already exists", not sent
    by_email = await ready(
        system, "https://www.linkedin.com/in/jane-d-2/", jane(slug="jane-d-2"), sub="erin"
    )
    in_flight = (await system.source(LINKEDIN, sub="frank"))["id"]  # not yet extracted
    namesake = await ready(system, XING, xing_namesake(), sub="dave")
    elsewhere = await ready(system, LINKEDIN, jane(), sub="gina", tenant="globex")
    person = {submitted, unsubmitted, matched, by_email, in_flight}
    assert person | {namesake, elsewhere} <= await ids(system.store, "sourcing_requests")

    await erase(system.store, system, talent_id)

    async def gone() -> bool:
        return await ids(system.store, "sourcing_requests") == {namesake, elsewhere}

    await eventually(gone)
    assert await ids(system.store, "previews") == {namesake, elsewhere}
    assert await ids(system.store, "talents") == set()


async def test_a_preview_submitted_after_the_person_declined_is_refused(system: System) -> None:
    request = await ready(system, LINKEDIN, jane(), sub="alice")
    # The person declined (through another talent's erasure) after this preview was made.
    person = {"sources": [jane().source.model_dump(mode="json")], "emails": jane().emails}
    entries = suppression_entries(
        key=SUPPRESSION_KEY.encode(), tenant_id="acme", talent=person, reason="denied", at=AT
    )
    await system.store.db["suppressions"].insert_many(entries)
    response = await system.client.post(
        f"/v1/sourcing-requests/{request}/submit", json={}, headers=auth()
    )
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "talent_suppressed"
    assert await ids(system.store, "talents") == set()
    preview = await system.store.db["previews"].find_one({"_id": request})
    assert preview is not None and preview["profile"] is None
    shown = (await system.client.get(f"/v1/sourcing-requests/{request}", headers=auth())).json()
    assert shown["preview"]["kind"] == "suppressed" and shown["preview"]["profile"] is None


async def test_erasure_has_no_cap_on_how_many_requests_go(system: System) -> None:
    # As many requests for one person as a busy tenant could make: each carries the key of the
    # profile it asks for from the start.
    key = profile_person_key(tenant_id="acme", platform="linkedin", profile_id="jane-doe")
    requests = system.store.db["sourcing_requests"]
    await requests.insert_many(
        [{"_id": f"r{n}", "tenant_id": "acme", "person_keys": [key]} for n in range(450)]
    )
    await requests.insert_one({"_id": "other", "tenant_id": "acme", "person_keys": ["pk_x"]})
    await system.bus.emit(
        TalentErased(talent_id="t1", reason="denied", request_ids=["r0"], person_keys=[key]),
        tenant_id="acme",
        correlation_id="r0",
        actor=Actor(kind=ActorKind.SERVICE, id="talent"),
    )

    async def gone() -> bool:
        return await ids(system.store, "sourcing_requests") == {"other"}

    await eventually(gone)

"""The recruiter's path through gateway and talent; the test plays the extractor."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sourcing_profiles import NEW_JOB, jane
from sourcing_system import System, auth
from support import eventually

from sourcer.proto.envelope import Actor, ActorKind, Role
from sourcer.proto.events import TalentErased
from sourcer.runtime.jobs import purge_older_than

pytestmark = pytest.mark.integration

URL = "https://de.linkedin.com/in/jane-doe/?originalSubdomain=de"


async def _pool(system: System, name: str) -> str:
    response = await system.client.post("/v1/pools", json={"name": name}, headers=auth())
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_source_submit_change_source_again_accept(system: System) -> None:
    backend, berlin = await _pool(system, "Backend"), await _pool(system, "Berlin")
    crm = {"crm_url_template": "https://crm.acme.example/talents/{talent_id}"}
    admin = auth(role=Role.ADMIN)
    assert (await system.client.patch("/v1/settings", json=crm, headers=admin)).status_code == 200

    first = await system.preview(URL, jane())
    assert first["url"] == "https://www.linkedin.com/in/jane-doe/"
    assert first["preview"]["kind"] == "new"
    assert first["preview"]["profile"]["first_name"] == "Jane"
    submitted = await system.client.post(
        f"/v1/sourcing-requests/{first['id']}/submit",
        json={
            "status": "contacted",
            "preferred_language": "de",
            "pools": [backend, berlin],
            "notes": ["Strong Kafka background."],
        },
        headers=auth(),
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    talent_id = submitted.json()["talent_id"]

    second = await system.preview(URL, jane(extra_jobs=[NEW_JOB], extra_skills=["Rust"]))
    preview = second["preview"]
    assert preview["kind"] == "existing"
    assert preview["message"] == "This talent already exists!"
    assert preview["talent_id"] == talent_id
    assert preview["crm_url"] == f"https://crm.acme.example/talents/{talent_id}"
    changes = {(c["field"], c["kind"]): c for c in preview["changes"]}
    assert set(changes) == {("experience", "added"), ("skills", "added")}
    assert changes[("experience", "added")]["new"]["company"] == "Globex"
    assert changes[("skills", "added")]["new"] == "Rust"

    accepted = await system.client.post(
        f"/v1/sourcing-requests/{second['id']}/submit",
        json={"accept": [c["key"] for c in preview["changes"]]},
        headers=auth(),
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["talent_id"] == talent_id
    await system.wait_status(second["id"], "submitted")

    talent = (await system.client.get(f"/v1/talents/{talent_id}", headers=auth())).json()
    assert talent["experience"][0]["company"] == "Globex"
    assert "Rust" in talent["skills"]
    assert talent["pools"] == [backend, berlin]
    assert [n["text"] for n in talent["notes"]] == ["Strong Kafka background."]
    assert talent["notes"][0]["author"] == "alice"
    assert talent["status"] == "contacted"
    assert talent["preferred_language"] == "de"
    assert talent["provenance"]["status"]["edited_by"] == "alice"
    assert talent["provenance"]["skills"]["source"] == "linkedin"
    assert talent["version"] == 2


async def test_failed_extraction_reaches_the_client_with_its_code(system: System) -> None:
    request = await system.source("https://www.linkedin.com/in/gone-person/")
    await system.failed(request["id"], "profile_unavailable")  # type: ignore[arg-type]
    failed = await system.wait_status(request["id"], "failed")
    assert failed["error"]["code"] == "profile_unavailable"
    assert "not available" in failed["error"]["message"]
    again = await system.source("https://www.linkedin.com/in/gone-person/")
    assert again["id"] != request["id"]  # a failed request is no longer in flight


async def test_same_url_in_flight_returns_the_same_request(system: System) -> None:
    first = await system.client.post(
        "/v1/sourcing-requests", json={"url": "https://www.linkedin.com/in/max/"}, headers=auth()
    )
    second = await system.client.post(
        "/v1/sourcing-requests",
        json={"url": "https://LinkedIn.com/in/Max?trk=x#top"},
        headers=auth(sub="bob"),
    )
    other_tenant = await system.client.post(
        "/v1/sourcing-requests",
        json={"url": "https://www.linkedin.com/in/max/"},
        headers=auth(tenant="globex"),
    )
    assert first.status_code == 202 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert other_tenant.status_code == 202 and other_tenant.json()["id"] != first.json()["id"]
    assert first.headers["Location"].endswith(first.json()["id"])


async def test_concurrent_requests_for_one_url_make_one_request(system: System) -> None:
    url = "https://www.linkedin.com/in/rush/"
    replies = await asyncio.gather(
        *(
            system.client.post(
                "/v1/sourcing-requests", json={"url": url}, headers=auth(sub=f"u{n}")
            )
            for n in range(8)
        )
    )
    assert sorted(r.status_code for r in replies) == [200] * 7 + [202]
    assert len({r.json()["id"] for r in replies}) == 1
    stored = await system.store.db["sourcing_requests"].count_documents({"url": url})
    assert stored == 1


async def test_double_submit_has_one_effect(system: System) -> None:
    ready = await system.preview(URL, jane(slug="twice"))
    body = {"notes": ["once"]}
    path = f"/v1/sourcing-requests/{ready['id']}/submit"
    one = await system.client.post(path, json=body, headers=auth())
    two = await system.client.post(path, json=body, headers=auth())
    assert one.status_code == two.status_code == 200
    assert one.json()["talent_id"] == two.json()["talent_id"]
    talent = (
        await system.client.get(f"/v1/talents/{one.json()['talent_id']}", headers=auth())
    ).json()
    assert [n["text"] for n in talent["notes"]] == ["once"]
    assert talent["version"] == 1
    count = await system.store.db["talents"].count_documents({"tenant_id": "acme"})
    assert count == 1


async def test_sse_streams_status_changes_until_ready(system: System) -> None:
    request = await system.source("https://www.xing.com/profile/Jane_Doe/cv")
    events: list[str] = []

    async def listen() -> None:
        async with system.client.stream(
            "GET", f"/v1/sourcing-requests/{request['id']}/events", headers=auth()
        ) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    events.append(line)

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.3)
    await system.extracted(request["id"], jane(slug="Jane_Doe"))
    await asyncio.wait_for(listener, timeout=20)
    assert '"status":"queued"' in events[0]
    assert '"status":"ready"' in events[-1]


async def test_sse_reconnects_with_any_last_event_id(system: System) -> None:
    ready = await system.preview("https://www.linkedin.com/in/reconnect/", jane(slug="reconnect"))
    for last_seen in ("1", "²", "not-a-number"):
        data: list[str] = []
        async with system.client.stream(
            "GET",
            f"/v1/sourcing-requests/{ready['id']}/events",
            headers={**auth(), "Last-Event-ID": last_seen.encode("latin-1")},
        ) as response:
            assert response.status_code == 200, last_seen
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    data.append(line)
        assert len(data) == 1 and '"status":"ready"' in data[0], last_seen


async def test_requests_past_their_retention_are_deleted_and_free_their_url(
    system: System,
) -> None:
    url = "https://www.linkedin.com/in/stuck/"
    stuck = await system.source(url)  # never extracted: in flight until purged
    recent = await system.source("https://www.linkedin.com/in/recent/")
    requests = system.store.db["sourcing_requests"]
    long_ago = datetime.now(UTC) - timedelta(days=31)
    await requests.update_one({"_id": stuck["id"]}, {"$set": {"created_at": long_ago}})

    purged = await purge_older_than(
        system.store, "sourcing_requests", now=datetime.now(UTC), keep=timedelta(days=30)
    )
    assert purged == 1
    gone = await system.client.get(f"/v1/sourcing-requests/{stuck['id']}", headers=auth())
    assert gone.status_code == 404
    kept = await system.client.get(f"/v1/sourcing-requests/{recent['id']}", headers=auth())
    assert kept.status_code == 200
    again = await system.source(url)
    assert again["id"] != stuck["id"]


async def test_an_erased_talent_takes_its_sourcing_requests_with_it(system: System) -> None:
    requests = system.store.db["sourcing_requests"]
    await requests.insert_many(
        [{"_id": request_id, "tenant_id": "acme", "url": "u"} for request_id in ("r1", "r2", "r3")]
    )
    await system.bus.emit(
        TalentErased(talent_id="t1", reason="denied", request_ids=["r1", "r2"]),
        tenant_id="acme",
        correlation_id="r1",
        actor=Actor(kind=ActorKind.SERVICE, id="talent"),
    )

    async def erased() -> bool:
        return {d["_id"] async for d in requests.find({})} == {"r3"}

    await eventually(erased)


async def test_the_submit_answer_lists_the_callers_consent_options(system: System) -> None:
    with_email = await system.preview(URL, jane())
    submitted = await system.client.post(
        f"/v1/sourcing-requests/{with_email['id']}/submit", json={}, headers=auth()
    )
    assert submitted.status_code == 200, submitted.text
    talent_id = submitted.json()["talent_id"]
    options = {o["channel"]: o for o in submitted.json()["consent_options"]}
    assert set(options) == {"link", "email"}
    assert options["link"]["href"].endswith(f"/v1/talents/{talent_id}/consent-requests")
    assert options["link"]["body"] == {"channel": "link"} and not options["link"]["warnings"]
    assert [w["code"] for w in options["email"]["warnings"]] == ["first_contact"]
    # An admin reading the same request also may unlock, with both warnings.
    as_admin = await system.client.get(
        f"/v1/sourcing-requests/{with_email['id']}", headers=auth(role=Role.ADMIN)
    )
    admin_options = {o["channel"]: o for o in as_admin.json()["consent_options"]}
    assert set(admin_options) == {"link", "email", "manual"}
    assert admin_options["manual"]["href"].endswith(f"/v1/talents/{talent_id}/consent/unlock")
    assert [w["code"] for w in admin_options["manual"]["warnings"]] == [
        "bypasses_consent",
        "recorded_and_reported",
    ]

    without_email = await system.preview(
        "https://www.linkedin.com/in/john-roe/", jane(slug="john-roe", emails=[], first_name="John")
    )
    answer = await system.client.post(
        f"/v1/sourcing-requests/{without_email['id']}/submit", json={}, headers=auth()
    )
    assert [o["channel"] for o in answer.json()["consent_options"]] == ["link"]
    ready = await system.preview("https://www.linkedin.com/in/mia-poe/", jane(slug="mia-poe"))
    assert ready["consent_options"] is None

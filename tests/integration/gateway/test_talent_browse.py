"""Browsing a tenant's talents through the gateway: filters, search, order, cursors, the CRM link.

Talents are stored by the talent service's own repository (as a submit would leave them), then
read back through the gateway's API as a recruiter of each tenant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sourcing_system import System, auth

from sourcer.proto.envelope import Role
from sourcer.proto.talent_record import ErasureSchedule
from sourcer.runtime.store import Store
from sourcer.talent.identity import index_fields
from sourcer.talent.repository import MongoTalentRepository

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def talent_document(
    number: int,
    *,
    tenant: str = "acme",
    first: str = "Jane",
    last: str = "Doe",
    company: str = "Initech",
    platform: str = "linkedin",
    pools: tuple[str, ...] = (),
    status: str = "new",
    consent: str | None = None,
    sourced_by: str = "alice",
) -> dict[str, Any]:
    profile_id = f"{last.lower()}-{number}"
    url = (
        f"https://www.linkedin.com/in/{profile_id}/"
        if platform == "linkedin"
        else f"https://www.xing.com/profile/{profile_id}"
    )
    at = T0 + timedelta(hours=number)
    doc: dict[str, Any] = {
        "_id": f"tal_{tenant}_{number:03d}",
        "tenant_id": tenant,
        "version": 1,
        "first_name": first,
        "last_name": last,
        "experience": [{"title": "Engineer", "company": company, "is_current": True}],
        "sources": [{"platform": platform, "profile_url": url, "profile_id": profile_id}],
        "pools": list(pools),
        "status": status,
        "created_at": at,
        # Updated in the opposite order of creation, so the two sorts differ.
        "updated_at": T0 + timedelta(days=30) - timedelta(hours=number),
        "created_by": sourced_by,
    }
    if consent is not None:
        doc["consent"] = {
            "state": consent,
            "consent_id": f"con_{number}",
            "channel": "link",
            "at": at,
            "event_id": f"evt_{number}",
        }
    return {**doc, **index_fields(doc)}


async def seed(store: Store, docs: list[dict[str, Any]]) -> None:
    repo = MongoTalentRepository(store)
    for doc in docs:
        await repo.insert_talent(doc=doc)


async def browse(system: System, tenant: str = "acme", **params: Any) -> dict[str, Any]:
    response = await system.client.get("/v1/talents", params=params, headers=auth(tenant=tenant))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def every_page(system: System, **params: Any) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        page = await browse(system, **params, **({"cursor": cursor} if cursor else {}))
        ids += [item["id"] for item in page["items"]]
        cursor = page.get("next_cursor")
        if cursor is None:
            return ids


async def test_pages_cover_the_tenant_once_in_a_stable_order(system: System) -> None:
    await seed(system.store, [talent_document(n) for n in range(23)])
    await seed(system.store, [talent_document(n, tenant="globex") for n in range(5)])

    newest_change_first = await every_page(system, limit=10)
    assert newest_change_first == [f"tal_acme_{n:03d}" for n in range(23)]
    oldest_first = await every_page(system, limit=7, sort="created_at")
    assert oldest_first == [f"tal_acme_{n:03d}" for n in range(23)]
    newest_first = await every_page(system, limit=100, sort="-created_at")
    assert newest_first == [f"tal_acme_{n:03d}" for n in reversed(range(23))]
    globex = await browse(system, tenant="globex", limit=100)
    assert [item["id"] for item in globex["items"]] == [f"tal_globex_{n:03d}" for n in range(5)]
    assert globex["next_cursor"] is None


async def test_filters_and_search(system: System) -> None:
    await seed(
        system.store,
        [
            talent_document(0, first="Jürgen", last="Müller", company="Siemens Energy"),
            talent_document(1, last="Schneider", pools=("pool_a",), status="contacted"),
            talent_document(2, platform="xing", consent="granted", sourced_by="bob"),
            talent_document(3, pools=("pool_a", "pool_b"), consent="requested"),
            talent_document(4, tenant="globex", last="Schneider", pools=("pool_a",)),
        ],
    )

    async def ids(**params: Any) -> list[str]:
        return [item["id"] for item in (await browse(system, **params))["items"]]

    assert await ids(pool="pool_a") == ["tal_acme_001", "tal_acme_003"]
    assert await ids(pool="pool_b") == ["tal_acme_003"]
    assert await ids(status="contacted") == ["tal_acme_001"]
    assert await ids(consent_state="granted") == ["tal_acme_002"]
    assert await ids(consent_state="not_requested") == ["tal_acme_000", "tal_acme_001"]
    assert await ids(platform="xing") == ["tal_acme_002"]
    assert await ids(sourced_by="bob") == ["tal_acme_002"]
    created = (T0 + timedelta(hours=1)).isoformat()
    until = (T0 + timedelta(hours=3)).isoformat()
    assert await ids(created_from=created, created_to=until) == ["tal_acme_001", "tal_acme_002"]
    changed = (T0 + timedelta(days=30, hours=-2)).isoformat()
    assert await ids(updated_from=changed) == ["tal_acme_000", "tal_acme_001", "tal_acme_002"]
    # Search by name or company, by the beginning of a word, without accents or case.
    assert await ids(q="schn") == ["tal_acme_001"]
    assert await ids(q="muller") == ["tal_acme_000"]
    assert await ids(q="Jürgen Siem") == ["tal_acme_000"]
    assert await ids(q="siemens initech") == []
    assert await ids(q="schneider", pool="pool_a", status="contacted") == ["tal_acme_001"]


async def test_bad_queries_are_problems(system: System) -> None:
    await seed(system.store, [talent_document(n) for n in range(3)])
    first = await browse(system, limit=1)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"q": "a"}, "invalid_query"),
        ({"cursor": "not-a-cursor"}, "invalid_cursor"),
        ({"cursor": first["next_cursor"], "status": "new"}, "invalid_cursor"),
        ({"cursor": first["next_cursor"], "limit": 1, "sort": "created_at"}, "invalid_cursor"),
        ({"limit": 0}, "validation_failed"),
        ({"consent_state": "maybe"}, "validation_failed"),
        ({"created_from": T0.isoformat(), "created_to": T0.isoformat()}, "invalid_query"),
    ]
    for params, code in cases:
        response = await system.client.get("/v1/talents", params=params, headers=auth())
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code, params


async def test_crm_link_is_each_tenants_own(system: System) -> None:
    await seed(system.store, [talent_document(1), talent_document(1, tenant="globex", last="Roe")])
    admin = auth(role=Role.ADMIN)
    template = "https://crm.acme.example/candidates/{talent_id}?from=sourcer"
    response = await system.client.patch(
        "/v1/settings", json={"crm_url_template": template}, headers=admin
    )
    assert response.status_code == 200, response.text
    assert response.json()["crm_url_template"] == template

    acme = (await system.client.get("/v1/talents/tal_acme_001", headers=auth())).json()
    assert acme["crm_url"] == "https://crm.acme.example/candidates/tal_acme_001?from=sourcer"
    listed = await browse(system)
    assert listed["items"][0]["crm_url"] == acme["crm_url"]
    globex = await system.client.get("/v1/talents/tal_globex_001", headers=auth(tenant="globex"))
    assert globex.json()["crm_url"] is None

    for bad in (
        "javascript:alert(1)//{talent_id}",
        "http://crm.acme.example/{talent_id}",
        "https://crm.acme.example/candidates",
        "https://crm.acme.example/{talent_id}/{talent_id.__class__}",
        "https://crm.acme.example/{talent_id}\n",
    ):
        refused = await system.client.patch(
            "/v1/settings", json={"crm_url_template": bad}, headers=admin
        )
        assert refused.status_code == 422, bad
        assert refused.json()["code"] == "invalid_settings", refused.text
    recruiter = await system.client.patch(
        "/v1/settings", json={"crm_url_template": template}, headers=auth()
    )
    assert recruiter.status_code == 403

    cleared = await system.client.patch(
        "/v1/settings", json={"crm_url_template": None}, headers=admin
    )
    assert cleared.json()["crm_url_template"] is None
    again = (await system.client.get("/v1/talents/tal_acme_001", headers=auth())).json()
    assert again["crm_url"] is None


async def test_a_talent_due_for_erasure_shows_deleting_soon_and_can_be_listed(
    system: System,
) -> None:
    erase_after = T0 + timedelta(days=38)
    schedule = ErasureSchedule(
        reason="consent_not_requested",
        scheduled_at=T0 + timedelta(days=31),
        erase_after=erase_after,
        event_id="evt_reminder",
        announced_at=T0 + timedelta(days=31),
    )
    await seed(
        system.store,
        [
            {**talent_document(0), "erasure_scheduled": schedule.model_dump()},
            talent_document(1),
            {**talent_document(2, tenant="globex"), "erasure_scheduled": schedule.model_dump()},
        ],
    )
    flag = {"reason": "consent_not_requested", "erase_after": "2026-12-09T09:00:00Z"}
    soon = await browse(system, deleting_soon="true")
    assert [(i["id"], i["deleting_soon"]) for i in soon["items"]] == [("tal_acme_000", flag)]
    assert "erasure_scheduled" not in soon["items"][0]  # its bookkeeping stays inside
    kept = await browse(system, deleting_soon="false")
    assert [(i["id"], i["deleting_soon"]) for i in kept["items"]] == [("tal_acme_001", None)]
    one = await system.client.get("/v1/talents/tal_acme_000", headers=auth())
    assert one.status_code == 200, one.text
    assert one.json()["deleting_soon"] == flag

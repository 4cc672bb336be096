"""Authentication, tenants, URL rejections, body limits, rate limits and ETags over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sourcing_profiles import jane
from sourcing_system import SECRET, SUPPRESSION_KEY, System, auth

from sourcer.proto.envelope import Role
from sourcer.runtime.auth import mint_token
from sourcer.talent.repository import SUPPRESSIONS as COLLECTION
from sourcer.talent.suppression import IdentifierKind, suppression_id

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


async def test_requests_without_a_valid_token_are_401_problems(system: System) -> None:
    body = {"url": "https://www.linkedin.com/in/jane-doe/"}
    expired = mint_token(
        secret=SECRET, sub="a", tenant="acme", role=Role.ADMIN, ttl=timedelta(seconds=-120)
    )
    wrong_key = mint_token(
        secret="another-secret-of-sufficient-len", sub="a", tenant="acme", role=Role.ADMIN
    )
    wrong_audience = mint_token(
        secret=SECRET, sub="a", tenant="acme", role=Role.ADMIN, audience="someone-else"
    )
    cases = {
        None: "unauthenticated",
        "Basic YTpi": "unauthenticated",
        f"Bearer {expired}": "token_expired",
        f"Bearer {wrong_key}": "invalid_token",
        f"Bearer {wrong_audience}": "invalid_token",
        "Bearer not.a.jwt": "invalid_token",
    }
    for header, code in cases.items():
        headers = {"Authorization": header} if header else {}
        response = await system.client.post("/v1/sourcing-requests", json=body, headers=headers)
        assert response.status_code == 401, header
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["code"] == code


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://www.linkedin.com/talent/profile/AEMAAB", "linkedin_recruiter_unsupported"),
        ("https://www.linkedin.com/sales/lead/ACwAAA", "linkedin_sales_navigator_unsupported"),
        ("https://evil.example/in/x", "unsupported_host"),
        ("http://www.linkedin.com/in/x", "unsupported_scheme"),
        ("https://10.0.0.1/in/x", "ip_literal"),
        ("https://u:p@www.linkedin.com/in/x", "url_userinfo"),
        ("https://www.linkedin.com/in/" + "x" * 2100, "url_too_long"),
    ],
)
async def test_rejected_urls_are_422_problems_with_their_code(
    system: System, url: str, code: str
) -> None:
    response = await system.client.post("/v1/sourcing-requests", json={"url": url}, headers=auth())
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == code


async def test_oversized_body_is_413(system: System) -> None:
    big = {"url": "https://www.linkedin.com/in/x", "pad": "x" * 20_000}
    response = await system.client.post("/v1/sourcing-requests", json=big, headers=auth())
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


async def test_invalid_bodies_are_422_problems(system: System) -> None:
    for content in (b"{", b"[]", b'{"url": 5}', b'{"url": "x", "extra": 1}'):
        response = await system.client.post(
            "/v1/sourcing-requests",
            content=content,
            headers={**auth(), "Content-Type": "application/json"},
        )
        assert response.status_code == 422, content
        assert response.json()["code"] == "validation_failed"


async def test_another_tenants_resources_answer_404(system: System) -> None:
    ready = await system.preview("https://www.linkedin.com/in/jane-doe/", jane())
    submitted = await system.client.post(
        f"/v1/sourcing-requests/{ready['id']}/submit", json={}, headers=auth()
    )
    talent_id = submitted.json()["talent_id"]
    pool = await system.client.post("/v1/pools", json={"name": "Acme only"}, headers=auth())
    other = auth(tenant="globex")
    for path in (
        f"/v1/sourcing-requests/{ready['id']}",
        f"/v1/sourcing-requests/{ready['id']}/events",
        f"/v1/talents/{talent_id}",
        f"/v1/pools/{pool.json()['id']}",
    ):
        response = await system.client.get(path, headers=other)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    patch = await system.client.patch(
        f"/v1/talents/{talent_id}",
        json={"status": "contacted"},
        headers={**other, "If-Match": '"1"'},
    )
    assert patch.status_code == 404
    resubmit = await system.client.post(
        f"/v1/sourcing-requests/{ready['id']}/submit", json={}, headers=other
    )
    assert resubmit.status_code == 404
    found = await system.client.get(
        "/v1/talents", params={"email": "jane@example.org"}, headers=other
    )
    assert found.json()["items"] == []
    mine = await system.client.get(
        "/v1/talents",
        params={"profile_url": "https://de.linkedin.com/in/Jane-Doe"},
        headers=auth(),
    )
    assert [t["id"] for t in mine.json()["items"]] == [talent_id]


async def test_etag_and_if_match_guard_concurrent_changes(system: System) -> None:
    ready = await system.preview("https://www.linkedin.com/in/jane-doe/", jane())
    talent_id = (
        await system.client.post(
            f"/v1/sourcing-requests/{ready['id']}/submit", json={}, headers=auth()
        )
    ).json()["talent_id"]
    # Consented, so that bob, who did not source the talent, may change it too.
    await system.consented(talent_id)
    read = await system.client.get(f"/v1/talents/{talent_id}", headers=auth())
    etag = read.headers["ETag"]
    assert etag == '"2"'
    path = f"/v1/talents/{talent_id}"
    missing = await system.client.patch(path, json={"status": "contacted"}, headers=auth())
    assert missing.status_code == 428
    assert missing.json()["code"] == "if_match_required"
    ok = await system.client.patch(
        path,
        json={"status": "contacted", "preferred_language": "en"},
        headers={**auth(), "If-Match": etag},
    )
    assert ok.status_code == 200, ok.text
    assert ok.headers["ETag"] == '"3"'
    assert ok.json()["provenance"]["status"]["edited_by"] == "alice"
    stale = await system.client.patch(
        path, json={"status": "interested"}, headers={**auth(sub="bob"), "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "version_mismatch"
    unknown = await system.client.patch(
        path, json={"status": "bored"}, headers={**auth(), "If-Match": '"3"'}
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_status"
    current = (await system.client.get(path, headers=auth())).json()
    assert current["status"] == "contacted" and current["preferred_language"] == "en"


async def test_pools_and_notes_record_author_and_time(system: System) -> None:
    ready = await system.preview("https://www.linkedin.com/in/jane-doe/", jane())
    talent_id = (
        await system.client.post(
            f"/v1/sourcing-requests/{ready['id']}/submit", json={}, headers=auth()
        )
    ).json()["talent_id"]
    # Consented: bob and carol, who did not source the talent, work with it as well.
    await system.consented(talent_id)
    pool_id = (
        await system.client.post("/v1/pools", json={"name": "Rustaceans"}, headers=auth())
    ).json()["id"]
    duplicate = await system.client.post("/v1/pools", json={"name": " rustaceans "}, headers=auth())
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "pool_exists"
    added = await system.client.post(
        f"/v1/talents/{talent_id}/pools", json={"pool_id": pool_id}, headers=auth()
    )
    assert added.json()["pools"] == [pool_id]
    assert added.json()["provenance"]["pools"]["edited_by"] == "alice"
    noted = await system.client.post(
        f"/v1/talents/{talent_id}/notes", json={"text": "Prefers email."}, headers=auth(sub="bob")
    )
    assert noted.status_code == 201
    note = noted.json()["notes"][0]
    assert note["author"] == "bob" and note["at"]
    forbidden = await system.client.delete(
        f"/v1/talents/{talent_id}/notes/{note['id']}", headers=auth(sub="carol")
    )
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    in_use = await system.client.delete(f"/v1/pools/{pool_id}", headers=auth(role=Role.ADMIN))
    assert in_use.status_code == 409 and in_use.json()["code"] == "pool_in_use"
    removed = await system.client.delete(f"/v1/talents/{talent_id}/pools/{pool_id}", headers=auth())
    assert removed.json()["pools"] == []
    gone = await system.client.delete(
        f"/v1/talents/{talent_id}/notes/{note['id']}", headers=auth(sub="bob")
    )
    assert gone.json()["notes"] == []
    listed = (await system.client.get("/v1/pools", headers=auth())).json()["items"]
    assert [p["name"] for p in listed] == ["Rustaceans"]


async def test_settings_are_per_tenant_and_admin_only(system: System) -> None:
    defaults = (await system.client.get("/v1/settings", headers=auth())).json()
    assert defaults["default_status"] == "new" and "de" in defaults["languages"]
    denied = await system.client.patch("/v1/settings", json={"languages": ["de"]}, headers=auth())
    assert denied.status_code == 403
    changed = await system.client.patch(
        "/v1/settings",
        json={"statuses": ["fresh", "called"], "default_status": "fresh"},
        headers=auth(role=Role.ADMIN),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["statuses"] == ["fresh", "called"]
    other = (await system.client.get("/v1/settings", headers=auth(tenant="globex"))).json()
    assert other["default_status"] == "new"
    invalid = await system.client.patch(
        "/v1/settings", json={"default_status": "nope"}, headers=auth(role=Role.ADMIN)
    )
    assert invalid.status_code == 422


async def test_a_person_who_declined_gets_a_suppressed_preview_without_data(
    system: System,
) -> None:
    entry = suppression_id(
        key=SUPPRESSION_KEY.encode(),
        tenant_id="acme",
        kind=IdentifierKind.EMAIL,
        value="Jane@Example.org",
    )
    await system.store.db[COLLECTION].insert_one({"_id": entry})
    ready = await system.preview("https://www.linkedin.com/in/jane-doe/", jane())
    preview = ready["preview"]
    assert preview["kind"] == "suppressed"
    assert preview["message"] == "This person declined to be in your talent pool."
    assert preview["profile"] is None and preview["changes"] == []
    stored = await system.store.db["previews"].find_one({"_id": ready["id"]})
    assert stored is not None and stored["profile"] is None
    submit = await system.client.post(
        f"/v1/sourcing-requests/{ready['id']}/submit", json={}, headers=auth()
    )
    assert submit.status_code == 409 and submit.json()["code"] == "talent_suppressed"
    other = await system.preview("https://www.linkedin.com/in/jane-doe/", jane(), tenant="globex")
    assert other["preview"]["kind"] == "new"  # suppression is per tenant


async def test_rate_limit_per_user_answers_429_with_retry_after(system: System) -> None:
    statuses = []
    for n in range(25):
        response = await system.client.post(
            "/v1/sourcing-requests",
            json={"url": f"https://www.linkedin.com/in/p-{n}/"},
            headers=auth(sub="speedy"),
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert response.json()["code"] == "rate_limited"
            assert int(response.headers["Retry-After"]) >= 1
    assert statuses[:20] == [202] * 20 and statuses[-1] == 429
    other_user = await system.client.post(
        "/v1/sourcing-requests",
        json={"url": "https://www.linkedin.com/in/p-0/"},
        headers=auth(sub="calm"),
    )
    assert other_user.status_code == 200  # in flight already, and not rate limited

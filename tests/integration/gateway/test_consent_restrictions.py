"""Every row of the consent restrictions table, through the gateway's API on the real talent
service: before consent, after the talent granted it, and after an admin unlocked them.

Each row's exercise does what its endpoint does for one caller and reports whether it was let
through; a refusal must be the 403 `consent_required` problem (or, for browsing, the talent
missing from the list). What each caller should meet comes from the table itself, and the
first test pins the table's shape, so neither can change without a test saying so.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from sourcing_profiles import jane
from sourcing_system import System, auth

from sourcer.proto.envelope import Role
from sourcer.proto.restrictions import (
    CONSENT_REQUIRED,
    RESTRICTIONS,
    Action,
    Restriction,
    Who,
    allowed,
)

pytestmark = pytest.mark.integration

URL = "https://www.linkedin.com/in/jane-doe/"
SOURCER = "alice"
# The sourcing recruiter, another recruiter, a super recruiter (no exception) and an admin.
CALLERS = (
    (SOURCER, Role.RECRUITER),
    ("bob", Role.RECRUITER),
    ("sue", Role.SUPER_RECRUITER),
    ("root", Role.ADMIN),
)
# Rows enforced outside the gateway and talent service: asking for consent (the consent
# service: tests/integration/consent/test_gateway_consent.py) and webhooks (docs/webhooks.md).
ELSEWHERE = {Action.REQUEST_CONSENT, Action.WEBHOOK_PERSONAL_DATA}


class Talent:
    """The talent alice sourced, with one pool and one note of hers to work with."""

    def __init__(self, system: System, talent_id: str, pool_id: str, note_id: str) -> None:
        self.system, self.id, self.pool_id, self.note_id = system, talent_id, pool_id, note_id

    async def etag(self) -> str:
        doc = await self.system.store.db["talents"].find_one({"_id": self.id})
        assert doc is not None
        return f'"{doc["version"]}"'


def refused(response: httpx.Response) -> bool:
    """True for the consent refusal; any other failure fails the test."""
    if response.status_code == 403 and response.json()["code"] == CONSENT_REQUIRED:
        assert response.headers["content-type"] == "application/problem+json"
        assert "unlock" in response.json()["detail"]
        return True
    assert response.is_success, response.text
    return False


async def view(talent: Talent, headers: dict[str, str]) -> bool:
    response = await talent.system.client.get(f"/v1/talents/{talent.id}", headers=headers)
    return not refused(response)


async def browse(talent: Talent, headers: dict[str, str]) -> bool:
    response = await talent.system.client.get("/v1/talents", headers=headers)
    assert response.status_code == 200, response.text
    return talent.id in [t["id"] for t in response.json()["items"]]


async def edit_notes(talent: Talent, headers: dict[str, str]) -> bool:
    client, path = talent.system.client, f"/v1/talents/{talent.id}/notes"
    added = await client.post(path, json={"text": "Call after 5 pm."}, headers=headers)
    if refused(added):
        # Removing waits as well, even a note the caller could otherwise remove (an admin's).
        removed = await client.delete(f"{path}/{talent.note_id}", headers=headers)
        assert refused(removed)
        return False
    note_id = added.json()["notes"][-1]["id"]
    removed = await client.delete(f"{path}/{note_id}", headers=headers)
    assert not refused(removed)
    return True


async def change_status_language(talent: Talent, headers: dict[str, str]) -> bool:
    response = await talent.system.client.patch(
        f"/v1/talents/{talent.id}",
        json={"status": "contacted", "preferred_language": "en"},
        headers={**headers, "If-Match": await talent.etag()},
    )
    return not refused(response)


async def change_pools(talent: Talent, headers: dict[str, str]) -> bool:
    client, path = talent.system.client, f"/v1/talents/{talent.id}/pools"
    removed = await client.delete(f"{path}/{talent.pool_id}", headers=headers)
    added = await client.post(path, json={"pool_id": talent.pool_id}, headers=headers)
    assert refused(removed) == refused(added)
    return not refused(added)


async def resource(talent: Talent, headers: dict[str, str], sub: str) -> bool:
    ready = await talent.system.preview(URL, jane(extra_skills=["Rust"]), sub=sub)
    assert ready["preview"]["kind"] == "existing"
    response = await talent.system.client.post(
        f"/v1/sourcing-requests/{ready['id']}/submit", json={}, headers=headers
    )
    if refused(response):
        # The request stays ready to submit, for when the talent consented.
        again = await talent.system.client.get(
            f"/v1/sourcing-requests/{ready['id']}", headers=headers
        )
        assert again.json()["status"] == "ready"
        return False
    assert response.json()["talent_id"] == talent.id
    return True


async def export(talent: Talent, headers: dict[str, str]) -> bool:
    response = await talent.system.client.get(f"/v1/talents/{talent.id}/export", headers=headers)
    if refused(response):
        return False
    exported = response.json()
    assert exported["talent"]["id"] == talent.id and exported["talent"]["first_name"] == "Jane"
    assert exported["exported_at"]
    return True


Exercise = Callable[[Talent, dict[str, str], str], Awaitable[bool]]


def by_caller(
    exercise: Callable[[Talent, dict[str, str]], Awaitable[bool]],
) -> Exercise:
    async def run(talent: Talent, headers: dict[str, str], sub: str) -> bool:
        return await exercise(talent, headers)

    return run


EXERCISES: dict[Action, Exercise] = {
    Action.VIEW: by_caller(view),
    Action.BROWSE: by_caller(browse),
    Action.EDIT_NOTES: by_caller(edit_notes),
    Action.CHANGE_STATUS_LANGUAGE: by_caller(change_status_language),
    Action.CHANGE_POOLS: by_caller(change_pools),
    Action.RESOURCE: resource,
    Action.EXPORT: by_caller(export),
}
ROWS = [row for row in RESTRICTIONS if row.action not in ELSEWHERE]


def test_every_row_is_exercised_here_or_named_elsewhere() -> None:
    assert set(EXERCISES) | ELSEWHERE == set(Action)
    assert {row.action for row in ROWS} == set(EXERCISES)
    # Restricted means: the sourcing recruiter and admins at most, and all of the tenant after
    # (asking for consent again stays with them: it restricts the talent anew).
    assert all(row.before is not Who.TENANT for row in RESTRICTIONS)
    assert all(row.after is Who.TENANT for row in ROWS)


async def sourced_by_alice(system: System) -> Talent:
    pool = await system.client.post("/v1/pools", json={"name": "Backend"}, headers=auth())
    assert pool.status_code == 201, pool.text
    ready = await system.preview(URL, jane())
    submitted = await system.client.post(
        f"/v1/sourcing-requests/{ready['id']}/submit",
        json={"pools": [pool.json()["id"]]},
        headers=auth(sub=SOURCER),
    )
    assert submitted.status_code == 200, submitted.text
    talent_id = submitted.json()["talent_id"]
    admin = auth(sub="root", role=Role.ADMIN)
    noted = await system.client.post(
        f"/v1/talents/{talent_id}/notes", json={"text": "Met at PyCon."}, headers=admin
    )
    assert noted.status_code == 201, noted.text
    return Talent(system, talent_id, pool.json()["id"], noted.json()["notes"][0]["id"])


STATES = {
    "before consent": None,
    "after the talent granted": "granted",
    "after an admin unlocked": "unlocked_manually",
}


@pytest.mark.parametrize("state", list(STATES), ids=list(STATES))
@pytest.mark.parametrize("row", ROWS, ids=[row.action.value for row in ROWS])
async def test_each_row_before_and_after_consent(
    system: System, row: Restriction, state: str
) -> None:
    talent = await sourced_by_alice(system)
    consent_state = STATES[state]
    if consent_state == "granted":
        await system.consented(talent.id)
    elif consent_state == "unlocked_manually":
        await system.consented(talent.id, unlocked_by="root")
    outcomes = {}
    for sub, role in CALLERS:
        outcomes[sub] = await EXERCISES[row.action](talent, auth(sub=sub, role=role), sub)
    expected = {
        sub: allowed(
            row.action, consent_state=consent_state, caller=sub, role=role, sourced_by=SOURCER
        )
        for sub, role in CALLERS
    }
    assert outcomes == expected
    # The table's promise in plain words: others wait for consent, an unlock lifts it all.
    if consent_state is None:
        assert not outcomes["bob"] and not outcomes["sue"]
    else:
        assert all(outcomes.values())


async def test_a_talent_asked_but_not_yet_answered_is_still_restricted(system: System) -> None:
    talent = await sourced_by_alice(system)
    await system.consent_requested(talent.id)
    assert not await view(talent, auth(sub="bob"))
    assert not await export(talent, auth(sub=SOURCER))
    assert await view(talent, auth(sub=SOURCER))

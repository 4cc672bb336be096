"""Matching, previews and submits with in-memory fakes of the repository and publisher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sourcing_profiles import NEW_JOB, jane
from talent_fakes import FakePublisher, FakeTalentRepository

from sourcer.proto.envelope import Actor, ActorKind, Envelope, Role
from sourcer.proto.events import (
    ProfileExtracted,
    SourcingPreviewReady,
    TalentCreated,
    TalentSubmit,
    TalentUpdated,
)
from sourcer.proto.records import Profile
from sourcer.proto.restrictions import CONSENT_REQUIRED
from sourcer.proto.tenant_settings import TenantSettings
from sourcer.talent.api import ERROR_STATUSES
from sourcer.talent.previews import PreviewHandler, suppression_ids
from sourcer.talent.repository import identity_id
from sourcer.talent.submission import SubmitError, SubmitHandler

pytestmark = pytest.mark.unit

KEY = b"unit-key"
ALICE = Actor(kind=ActorKind.USER, id="alice", role=Role.RECRUITER)


class World:
    def __init__(self) -> None:
        self.repo = FakeTalentRepository()
        self.publisher = FakePublisher()
        self.previews = PreviewHandler(
            repo=self.repo,
            publisher=self.publisher,
            suppression_key=KEY,
        )
        self.repo.settings["acme"] = TenantSettings(
            crm_url_template="https://crm.acme.example/c/{talent_id}"
        )
        self.submits = SubmitHandler(repo=self.repo, publisher=self.publisher, suppression_key=KEY)

    async def extract(self, request_id: str, profile: Profile, tenant: str = "acme") -> Any:
        await self.previews.handle(
            Envelope[Any](
                type="profile.extracted",
                tenant_id=tenant,
                correlation_id=request_id,
                actor=ALICE,
                payload=ProfileExtracted(request_id=request_id, profile=profile),
            )
        )
        payload = self.publisher.events[-1][1]
        assert isinstance(payload, SourcingPreviewReady)
        return payload.preview

    async def submit(self, request_id: str, tenant: str = "acme", **fields: Any) -> Any:
        return await self.submits.submit(
            tenant_id=tenant, command=TalentSubmit(request_id=request_id, **fields), actor=ALICE
        )


async def test_new_then_existing_by_profile_id_then_by_email() -> None:
    world = World()
    assert (await world.extract("r1", jane())).kind == "new"
    created = await world.submit("r1")
    again = await world.extract("r2", jane())
    assert (again.kind, again.talent_id, again.matched_by) == (
        "existing",
        created.talent_id,
        "profile_id",
    )
    assert again.crm_url == f"https://crm.acme.example/c/{created.talent_id}"
    by_email = await world.extract("r3", jane(slug="jane-doe-2"))
    assert (by_email.kind, by_email.matched_by) == ("existing", "email")
    other_tenant = await world.extract("r4", jane(), tenant="globex")
    assert other_tenant.kind == "new"
    await world.submit("r4", tenant="globex")
    # A tenant that set no CRM link gets none, never another tenant's.
    assert (await world.extract("r5", jane(), tenant="globex")).crm_url is None


async def test_same_name_and_current_company_is_a_possible_duplicate() -> None:
    world = World()
    await world.extract("r1", jane())
    await world.submit("r1")
    lookalike = await world.extract("r2", jane(slug="someone-else", emails=[]))
    assert (lookalike.kind, lookalike.matched_by) == ("possible_duplicate", "name_company")
    second = await world.submit("r2")
    assert second.created  # the recruiter decided: a different person


async def test_a_person_added_meanwhile_is_not_created_twice() -> None:
    # Two recruiters source Jane before either submits: both previews say "new".
    world = World()
    assert (await world.extract("r1", jane())).kind == "new"
    assert (await world.extract("r2", jane(slug="jane-doe-2"))).kind == "new"
    created = await world.submit("r1")
    with pytest.raises(SubmitError) as caught:
        await world.submit("r2")  # same email, another profile URL
    assert (ERROR_STATUSES[caught.value.code], caught.value.code) == (409, "talent_exists")
    assert created.talent_id in caught.value.message
    assert list(world.repo.talents) == [created.talent_id]
    assert await world.submit("r1") == created  # the first submit stays repeatable


async def test_a_person_being_added_right_now_is_not_added_twice() -> None:
    # r2's submit runs while r1's holds the profile's claim but has not stored its talent yet.
    world = World()
    await world.extract("r1", jane())
    await world.extract("r2", jane())
    key = identity_id(tenant_id="acme", profile_key="linkedin:jane-doe")
    now = datetime.now(UTC)
    world.repo.identities[key] = {"_id": key, "tenant_id": "acme", "talent_id": "tal_r1", "at": now}
    with pytest.raises(SubmitError) as caught:
        await world.submit("r2")
    assert (ERROR_STATUSES[caught.value.code], caught.value.code) == (409, "submit_in_progress")
    assert world.repo.talents == {}

    # A claim left by a submit that died before storing its talent is taken over once stale.
    world.repo.identities[key]["at"] = now - timedelta(minutes=5)
    created = await world.submit("r2")
    assert list(world.repo.talents) == [created.talent_id]
    assert world.repo.identities[key]["talent_id"] == created.talent_id


async def test_suppressed_identifiers_hide_the_profile() -> None:
    world = World()
    world.repo.suppressions.update(suppression_ids(key=KEY, tenant_id="acme", profile=jane())[:1])
    preview = await world.extract("r1", jane())
    assert preview.kind == "suppressed" and preview.profile is None
    assert world.repo.previews["r1"]["profile"] is None
    with pytest.raises(SubmitError) as caught:
        await world.submit("r1")
    assert caught.value.code == "talent_suppressed"


async def test_submit_twice_has_one_effect_and_one_event() -> None:
    world = World()
    world.repo.pools["pool_a"] = "acme"
    await world.extract("r1", jane())
    first = await world.submit("r1", pools=["pool_a"], notes=["hi"], status="contacted")
    second = await world.submit("r1", pools=["pool_a"], notes=["hi"], status="contacted")
    assert first == second
    talent = world.repo.talents[first.talent_id]
    assert len(talent["notes"]) == 1 and talent["pools"] == ["pool_a"]
    assert [type(p) for _, p in world.publisher.events].count(TalentCreated) == 1


async def test_update_applies_accepted_changes_keeps_notes_and_pools() -> None:
    world = World()
    world.repo.pools["pool_a"] = "acme"
    await world.extract("r1", jane())
    created = await world.submit("r1", pools=["pool_a"], notes=["keep me"])
    preview = await world.extract("r2", jane(extra_jobs=[NEW_JOB], extra_skills=["Rust"]))
    updated = await world.submit("r2", accept=[c.key for c in preview.changes])
    assert updated.talent_id == created.talent_id and updated.version == 2
    talent = world.repo.talents[created.talent_id]
    assert talent["pools"] == ["pool_a"] and talent["notes"][0]["text"] == "keep me"
    assert talent["experience"][0]["company"] == "Globex" and "Rust" in talent["skills"]
    event = world.publisher.events[-1][1]
    assert isinstance(event, TalentUpdated)
    assert event.request_id == "r2" and event.fields == ["experience", "skills"]
    repeat = await world.submit("r2", accept=[c.key for c in preview.changes])
    assert repeat.version == 2


@pytest.mark.parametrize(
    ("actor", "consent", "applied"),
    [
        (Actor(kind=ActorKind.USER, id="bob", role=Role.RECRUITER), None, False),
        (Actor(kind=ActorKind.SERVICE, id="crm-sync"), "requested", False),
        (Actor(kind=ActorKind.USER, id="bob", role=Role.RECRUITER), "granted", True),
        (Actor(kind=ActorKind.SERVICE, id="crm-sync"), "unlocked_manually", True),
        (Actor(kind=ActorKind.USER, id="root", role=Role.ADMIN), None, True),
        (ALICE, None, True),
    ],
)
async def test_others_source_a_talent_again_only_once_it_consented(
    actor: Actor, consent: str | None, applied: bool
) -> None:
    """Re-sourcing by anyone but the sourcing recruiter (alice) and admins waits for consent,
    whether submitted through the API or as a `talent.submit` from an integration."""
    world = World()
    await world.extract("r1", jane())
    created = await world.submit("r1")
    if consent is not None:
        world.repo.talents[created.talent_id]["consent"] = {"state": consent}
    await world.extract("r2", jane(extra_skills=["Rust"]))
    command = TalentSubmit(request_id="r2")
    if applied:
        await world.submits.submit(tenant_id="acme", command=command, actor=actor)
        assert "Rust" in world.repo.talents[created.talent_id]["skills"]
        return
    with pytest.raises(SubmitError) as caught:
        await world.submits.submit(tenant_id="acme", command=command, actor=actor)
    assert caught.value.code == CONSENT_REQUIRED and ERROR_STATUSES[CONSENT_REQUIRED] == 403
    assert "Rust" not in world.repo.talents[created.talent_id]["skills"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": "bored"}, "unknown_status"),
        ({"preferred_language": "xx"}, "unknown_language"),
        ({"pools": ["pool_elsewhere"]}, "unknown_pool"),
        ({"overrides": {"skills": ["x"]}}, "invalid_override"),
        ({"accept": ["skills:cobol"]}, "unknown_change"),
    ],
)
async def test_invalid_submits_are_refused(fields: dict[str, Any], code: str) -> None:
    world = World()
    world.repo.pools["pool_elsewhere"] = "globex"
    await world.extract("r1", jane())
    with pytest.raises(SubmitError) as caught:
        await world.submit("r1", **fields)
    assert caught.value.code == code
    assert world.repo.talents == {}


async def test_overrides_are_recorded_as_edits_and_never_overwritten_silently() -> None:
    world = World()
    await world.extract("r1", jane())
    created = await world.submit("r1", overrides={"first_name": "Janet"})
    talent = world.repo.talents[created.talent_id]
    assert talent["first_name"] == "Janet"
    assert talent["provenance"]["first_name"]["edited_by"] == "alice"
    assert talent["provenance"]["last_name"]["source"] == "linkedin"
    preview = await world.extract("r2", jane(extra_skills=["Go"]))
    assert {(c.key, c.kind) for c in preview.changes} == {
        ("first_name", "conflict"),
        ("skills:go", "added"),
    }
    await world.submit("r2")
    assert world.repo.talents[created.talent_id]["first_name"] == "Janet"

"""Suppression: who it recognises (the platform is part of a profile's identity) and that a
submit re-checks it, so a submit racing an erasure cannot bring a declined person back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sourcing_profiles import jane
from talent_fakes import FakePublisher, FakeTalentRepository

from sourcer.proto.envelope import Actor, ActorKind, Envelope, Role
from sourcer.proto.events import ProfileExtracted, SourcingPreviewReady, TalentSubmit
from sourcer.proto.records import Platform, Profile, ProfileSource
from sourcer.talent.api import ERROR_STATUSES
from sourcer.talent.previews import PreviewHandler
from sourcer.talent.submission import SubmitError, SubmitHandler
from sourcer.talent.suppression import suppression_entries

pytestmark = pytest.mark.unit

KEY = b"unit-key"
ALICE = Actor(kind=ActorKind.USER, id="alice", role=Role.RECRUITER)
AT = datetime(2026, 11, 2, tzinfo=UTC)


def on(platform: Platform, *, slug: str = "john-smith", email: str) -> Profile:
    url = (
        f"https://www.linkedin.com/in/{slug}/"
        if platform is Platform.LINKEDIN
        else f"https://www.xing.com/profile/{slug}"
    )
    source = ProfileSource(platform=platform, profile_url=url, profile_id=slug)
    return jane(slug=slug, emails=[email]).model_copy(update={"source": source})


def declined(profile: Profile) -> set[str]:
    """The suppression entries an erasure writes for a talent made from `profile`."""
    talent = {"sources": [profile.source.model_dump(mode="json")], "emails": profile.emails}
    entries = suppression_entries(key=KEY, tenant_id="acme", talent=talent, reason="denied", at=AT)
    return {e["_id"] for e in entries}


class World:
    def __init__(self) -> None:
        self.repo = FakeTalentRepository()
        self.publisher = FakePublisher()
        self.previews = PreviewHandler(
            repo=self.repo, publisher=self.publisher, suppression_key=KEY
        )
        self.submits = SubmitHandler(repo=self.repo, publisher=self.publisher, suppression_key=KEY)

    async def extract(self, request_id: str, profile: Profile) -> Any:
        await self.previews.handle(
            Envelope[Any](
                type="profile.extracted",
                tenant_id="acme",
                correlation_id=request_id,
                actor=ALICE,
                payload=ProfileExtracted(request_id=request_id, profile=profile),
            )
        )
        payload = self.publisher.events[-1][1]
        assert isinstance(payload, SourcingPreviewReady)
        return payload.preview

    async def submit(self, request_id: str) -> Any:
        return await self.submits.submit(
            tenant_id="acme", command=TalentSubmit(request_id=request_id), actor=ALICE
        )


@pytest.mark.parametrize(
    ("declined_on", "sourced_on"),
    [(Platform.LINKEDIN, Platform.XING), (Platform.XING, Platform.LINKEDIN)],
)
async def test_a_profile_id_suppresses_only_on_its_own_platform(
    declined_on: Platform, sourced_on: Platform
) -> None:
    world = World()
    world.repo.suppressions |= declined(on(declined_on, email="john@one.example"))
    # The same slug on the other platform is someone else: shown in full.
    other = await world.extract("r1", on(sourced_on, email="john@two.example"))
    assert other.kind == "new" and other.profile is not None
    # The one who declined stays suppressed on the platform they declined on.
    same = await world.extract("r2", on(declined_on, email="john@three.example"))
    assert same.kind == "suppressed" and same.profile is None


def test_entries_name_the_platform_in_their_kind() -> None:
    kinds = {
        e["kind"]
        for e in suppression_entries(
            key=KEY,
            tenant_id="acme",
            talent={"sources": [on(Platform.XING, email="x@y.z").source.model_dump(mode="json")]},
            reason="denied",
            at=AT,
        )
    }
    # Entries of the kind `profile_id` were hashed without the platform; none is written now.
    assert kinds == {"platform_profile", "profile_url"}


async def test_submit_refuses_a_person_who_declined_after_the_preview() -> None:
    world = World()
    profile = on(Platform.LINKEDIN, email="john@one.example")
    assert (await world.extract("r1", profile)).kind == "new"
    world.repo.suppressions |= declined(profile)  # an erasure ran meanwhile
    with pytest.raises(SubmitError) as caught:
        await world.submit("r1")
    assert (ERROR_STATUSES[caught.value.code], caught.value.code) == (409, "talent_suppressed")
    assert world.repo.talents == {}
    assert world.repo.previews["r1"]["profile"] is None
    assert world.repo.previews["r1"]["kind"] == "suppressed"


class ErasedWhileInserting(FakeTalentRepository):
    """An erasure writes its suppressions between the submit's first check and its insert."""

    def __init__(self, entries: set[str]) -> None:
        super().__init__()
        self.entries = entries

    async def insert_talent(self, *, doc: dict[str, Any]) -> None:
        await super().insert_talent(doc=doc)
        self.suppressions |= self.entries


async def test_a_talent_created_while_the_person_was_erased_is_removed() -> None:
    profile = on(Platform.LINKEDIN, email="john@one.example")
    world = World()
    world.repo = ErasedWhileInserting(declined(profile))
    world.previews.repo = world.submits.repo = world.repo
    await world.extract("r1", profile)
    with pytest.raises(SubmitError) as caught:
        await world.submit("r1")
    assert caught.value.code == "talent_suppressed"
    assert world.repo.talents == {} and world.repo.identities == {}
    assert not [p for _, p in world.publisher.events if type(p).__name__ == "TalentCreated"]
    assert world.repo.previews["r1"]["profile"] is None

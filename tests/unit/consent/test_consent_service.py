"""Consent use cases and the scheduler, on fakes of every adapter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from consent_fakes import (
    FakeClock,
    FakeControllers,
    FakeLimiter,
    FakeMailer,
    FakePublisher,
    InMemoryConsentRepository,
)

from sourcer.consent.domain import ConsentError, ConsentState, Deadlines
from sourcer.consent.ports import MailError
from sourcer.consent.scheduler import ConsentScheduler
from sourcer.consent.service import ConsentService, NotFoundError, RateLimitedError, ServiceConfig
from sourcer.consent.talents import InMemoryTalentDirectory, TalentContact
from sourcer.proto.envelope import Role
from sourcer.proto.events import ConsentChannel
from sourcer.runtime.auth import Caller

pytestmark = pytest.mark.unit

RECRUITER = Caller(sub="alice", tenant="acme", role=Role.RECRUITER)
OTHER_TENANT = Caller(sub="eve", tenant="globex", role=Role.ADMIN)


class World:
    def __init__(self, *, rate: int = 100) -> None:
        self.clock = FakeClock()
        self.repo = InMemoryConsentRepository()
        self.publisher = FakePublisher()
        self.mailer = FakeMailer()
        self.talents = InMemoryTalentDirectory()
        self.talents.add(
            "acme",
            TalentContact(
                talent_id="tal_1",
                first_name="Jana",
                last_name="Novak",
                emails=("jana@example.org",),
                preferred_language="de",
                platform="linkedin",
                profile_url="https://www.linkedin.com/in/jana-novak/",
                sourced_by="alice",
            ),
        )
        self.talents.add(
            "acme",
            TalentContact(
                "tal_2", "Ole", "Berg", (), None, "xing", "https://www.xing.com/profile/O", "alice"
            ),
        )
        self.service = ConsentService(
            repo=self.repo,
            talents=self.talents,
            publisher=self.publisher,
            limiter=FakeLimiter(),
            controllers=FakeControllers(),
            clock=self.clock,
            config=ServiceConfig(
                deadlines=Deadlines(timedelta(days=30), timedelta(days=7)),
                public_base_url="https://consent.example",
                text_version="2026-11",
                email_rate_per_hour=rate,
                key=b"k",
            ),
        )
        self.scheduler = ConsentScheduler(
            service=self.service, mailer=self.mailer, mail_max_attempts=3
        )


async def test_link_request_returns_a_link_from_the_public_base_url() -> None:
    w = World()
    consent, link, created = await w.service.request(
        caller=RECRUITER, talent_id="tal_1", channel=ConsentChannel.LINK, language=None
    )
    assert created and link is not None
    assert link.startswith("https://consent.example/c/")
    assert consent.language == "de"  # the talent's preferred language
    assert w.publisher.types() == ["consent.requested"]
    found = await w.service.by_token(link.rsplit("/", 1)[1])
    assert found is not None and found[0].consent_id == consent.consent_id


async def test_email_needs_an_address() -> None:
    w = World()
    with pytest.raises(ConsentError) as exc:
        await w.service.request(
            caller=RECRUITER, talent_id="tal_2", channel=ConsentChannel.EMAIL, language=None
        )
    assert exc.value.code == "consent_email_unavailable"


async def test_other_tenants_see_no_talent_and_no_consent() -> None:
    w = World()
    with pytest.raises(NotFoundError):
        await w.service.request(
            caller=OTHER_TENANT, talent_id="tal_1", channel=ConsentChannel.LINK, language=None
        )
    await w.service.request(
        caller=RECRUITER, talent_id="tal_1", channel=ConsentChannel.LINK, language=None
    )
    with pytest.raises(NotFoundError):
        await w.service.get(caller=OTHER_TENANT, talent_id="tal_1")


async def test_email_is_sent_once_in_the_talents_language_after_a_smtp_failure() -> None:
    w = World()
    await w.service.request(
        caller=RECRUITER, talent_id="tal_1", channel=ConsentChannel.EMAIL, language=None
    )
    await w.service.request(  # asking again joins the request: still one mail
        caller=RECRUITER, talent_id="tal_1", channel=ConsentChannel.EMAIL, language=None
    )
    w.mailer.failures.append(MailError("421 try later"))
    await w.scheduler.tick()
    assert w.mailer.sent == []
    await w.scheduler.tick()  # backoff not over yet
    assert w.mailer.sent == []
    w.clock.advance(minutes=1)
    await w.scheduler.tick()
    await w.scheduler.tick()
    assert len(w.mailer.sent) == 1
    mail = w.mailer.sent[0]
    assert mail["to"] == "jana@example.org"
    assert "Talentpool" in mail["subject"] and "Guten Tag Jana Novak" in mail["body"]
    assert "https://consent.example/c/" in mail["body"]
    consent = await w.repo.get(tenant_id="acme", talent_id="tal_1")
    assert consent is not None and consent.mails[0].status == "sent"


async def test_email_requests_are_rate_limited_per_tenant() -> None:
    w = World(rate=1)
    await w.service.request(
        caller=RECRUITER, talent_id="tal_1", channel=ConsentChannel.EMAIL, language="en"
    )
    w.talents.add(
        "acme", TalentContact("tal_3", "A", "B", ("a@example.org",), None, None, None, "alice")
    )
    with pytest.raises(RateLimitedError) as exc:
        await w.service.request(
            caller=RECRUITER, talent_id="tal_3", channel=ConsentChannel.EMAIL, language="en"
        )
    assert 0 < exc.value.retry_after <= 3600


async def test_reminder_then_expiry_with_a_fake_clock() -> None:
    w = World()
    await w.service.request(
        caller=RECRUITER, talent_id="tal_1", channel=ConsentChannel.EMAIL, language="en"
    )
    await w.scheduler.tick()
    assert len(w.mailer.sent) == 1
    w.clock.advance(days=22)
    await w.scheduler.tick()
    assert len(w.mailer.sent) == 1
    soon = await w.service.deleting_soon(caller=RECRUITER, within=timedelta(days=8))
    assert [c.talent_id for c in soon] == ["tal_1"]
    w.clock.advance(days=1, minutes=1)
    await w.scheduler.tick()
    await w.scheduler.tick()
    assert len(w.mailer.sent) == 2
    assert w.mailer.sent[1]["subject"].startswith("Reminder")
    w.clock.advance(days=7)
    await w.scheduler.tick()
    consent = await w.repo.get(tenant_id="acme", talent_id="tal_1")
    assert consent is not None and consent.state is ConsentState.EXPIRED
    assert w.publisher.types() == ["consent.requested", "consent.expired"]


async def test_events_left_in_the_outbox_are_published_by_the_next_pass() -> None:
    w = World()
    w.publisher.failing = True
    await w.service.request(
        caller=RECRUITER, talent_id="tal_1", channel=ConsentChannel.LINK, language=None
    )
    assert w.publisher.published == []
    w.publisher.failing = False
    await w.scheduler.tick()
    assert w.publisher.types() == ["consent.requested"]
    await w.scheduler.tick()
    assert w.publisher.types() == ["consent.requested"]


async def test_no_link_or_mail_without_the_tenants_controller() -> None:
    w = World()
    w.service.controllers.unset.add("acme")  # type: ignore[attr-defined]
    for channel in (ConsentChannel.LINK, ConsentChannel.EMAIL):
        with pytest.raises(ConsentError) as exc:
            await w.service.request(
                caller=RECRUITER, talent_id="tal_1", channel=channel, language=None
            )
        assert exc.value.code == "controller_not_set"
    await w.scheduler.tick()
    assert w.mailer.sent == [] and w.publisher.published == []

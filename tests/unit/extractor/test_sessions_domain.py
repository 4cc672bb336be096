"""Whose session a request may use, and what a recruiter reads when none is usable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sourcer.extractor.session_input import SessionInputError, storage_state_for
from sourcer.extractor.sessions import (
    NoSession,
    Requester,
    SessionState,
    SessionSummary,
    session_failure,
    usable_by,
    why_none_free,
)
from sourcer.proto.events import ExtractionErrorCode as Code
from sourcer.proto.records import Platform
from sourcer.proto.session_api import SessionConnect, StorageState

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def session(
    owner: str | None,
    *,
    tenant: str = "acme",
    state: SessionState = SessionState.CONNECTED,
    next_use_at: datetime = NOW,
    used_today: int = 0,
    leased_by: str | None = None,
) -> SessionSummary:
    return SessionSummary(
        session_id=f"ses_{owner or 'shared'}_{tenant}",
        tenant_id=tenant,
        platform=Platform.LINKEDIN,
        owner=owner,
        label=None,
        state=state,
        used_today=used_today,
        daily_cap=80,
        leased_by=leased_by,
        next_use_at=next_use_at,
        cooldown_until=None,
        connected_at=None,
        last_used_at=None,
        state_since=None,
    )


ALICE = Requester(tenant_id="acme", user="alice", shared_pool=False)
CAROL_POOLED = Requester(tenant_id="acme", user="carol", shared_pool=True)


def test_only_the_own_session_or_an_allowed_shared_one_of_the_tenant_is_usable() -> None:
    assert usable_by(session("alice"), ALICE)
    assert not usable_by(session("bob"), ALICE)
    assert not usable_by(session(None), ALICE)  # the pool is off for Alice's tenant
    assert usable_by(session(None), CAROL_POOLED)
    assert not usable_by(session(None, tenant="globex"), CAROL_POOLED)
    assert not usable_by(session("carol", tenant="globex"), CAROL_POOLED)


def test_with_nothing_usable_a_request_fails_at_once() -> None:
    waiting = why_none_free([session("bob"), session(None, tenant="globex")], ALICE, NOW)
    assert waiting.reason is NoSession.NONE_CONNECTED


def test_an_expired_own_session_asks_its_owner_to_reconnect() -> None:
    waiting = why_none_free([session("alice", state=SessionState.EXPIRED)], ALICE, NOW)
    assert waiting.reason is NoSession.EXPIRED


def test_busy_sessions_make_the_request_wait_until_the_first_is_free() -> None:
    soon, later = NOW + timedelta(seconds=20), NOW + timedelta(seconds=50)
    sessions = [session(None, next_use_at=later), session("carol", next_use_at=soon)]
    waiting = why_none_free(sessions, CAROL_POOLED, NOW)
    assert (waiting.reason, waiting.next_free_at) == (NoSession.BUSY, soon)


def test_a_capped_session_is_free_again_tomorrow() -> None:
    capped = session("alice", used_today=80)
    assert capped.next_free_at(NOW) == datetime(2026, 12, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("code", "platform", "says"),
    [
        (Code.NO_SESSION_CONNECTED, Platform.LINKEDIN, "Connect your LinkedIn session"),
        (Code.SESSION_EXPIRED, Platform.XING, "reconnect your Xing session"),
        (Code.CHECKPOINT, Platform.LINKEDIN, "security check"),
        (Code.NO_SESSION_AVAILABLE, Platform.LINKEDIN, "Try again later"),
    ],
)
def test_every_session_failure_tells_the_recruiter_what_to_do(
    code: Code, platform: Platform, says: str
) -> None:
    failure = session_failure(code, platform)
    assert failure.code is code and says in failure.message
    assert failure.retryable is (code is Code.NO_SESSION_AVAILABLE)


def test_a_storage_state_keeps_only_the_platforms_cookies() -> None:
    state = StorageState.model_validate(
        {
            "cookies": [
                {"name": "li_at", "value": "s3cr3t", "domain": ".www.linkedin.com"},
                {"name": "SID", "value": "google", "domain": ".google.com"},
            ]
        }
    )
    kept = storage_state_for(
        Platform.LINKEDIN, SessionConnect(storage_state=state), "https://www.linkedin.com"
    )
    assert [c["name"] for c in kept["cookies"]] == ["li_at"]  # type: ignore[union-attr]
    with pytest.raises(SessionInputError):
        storage_state_for(
            Platform.XING, SessionConnect(storage_state=state), "https://www.xing.com"
        )


@pytest.mark.parametrize(
    "body",
    [{}, {"cookie": "AQEDARmZ3xYC", "storage_state": {"cookies": []}}, {"cookie": "a b;c=d"}],
)
def test_a_login_is_exactly_one_well_formed_secret(body: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SessionConnect.model_validate(body)


async def test_a_job_the_bus_gave_up_on_still_ends_its_request_with_a_code() -> None:
    from typing import Any

    from sourcer.extractor.jobs import ExtractionJobs, JobSettings
    from sourcer.proto.envelope import Actor, ActorKind, Envelope
    from sourcer.proto.events import SourcingRequested

    sent: list[Any] = []

    class Publisher:
        async def emit(self, payload: Any, **_: Any) -> Any:
            sent.append(payload)

    jobs = ExtractionJobs(
        publisher=Publisher(),
        sessions=None,  # type: ignore[arg-type]  # not reached when a job is given up on
        renderer=None,  # type: ignore[arg-type]
        cancellations=None,  # type: ignore[arg-type]
        settings=JobSettings(no_account_retry_delay=30, session_wait_seconds=600, holder="t"),
    )
    envelope: Envelope[SourcingRequested] = Envelope[SourcingRequested](
        type="sourcing.requested",
        tenant_id="acme",
        correlation_id="req_1",
        actor=Actor(kind=ActorKind.USER, id="alice"),
        payload=SourcingRequested(
            request_id="req_1",
            url="https://www.linkedin.com/in/jane-doe/",
            platform=Platform.LINKEDIN,
            profile_id="jane-doe",
        ),
    )
    for kind in ("deferrals_exhausted", "exhausted", "delivery_limit"):
        await jobs.fail_parked(envelope, kind)
    assert [(p.request_id, p.code.value) for p in sent] == [
        ("req_1", "no_session_available"),
        ("req_1", "extraction_lost"),
        ("req_1", "extraction_lost"),
    ]

"""Platform sessions on the real store: exclusive leases, pacing, caps, encryption, key
rotation, whose session renders which request, the CLI."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from extractor_harness import Harness, Simulator, start_extractor
from structlog.testing import capture_logs
from test_extraction import account, outcome, source

from sourcer.extractor.cli import main as cli_main
from sourcer.extractor.crypto import SessionCipher, new_key
from sourcer.extractor.session_store import CATALOG, SESSIONS, MongoSessionRepository
from sourcer.extractor.sessions import (
    Lease,
    Pacing,
    Requester,
    SessionState,
    UseOutcome,
    Waiting,
)
from sourcer.extractor.settings import ExtractorSettings
from sourcer.proto.records import Platform
from sourcer.runtime.store import Store

pytestmark = pytest.mark.integration

STATE = {"cookies": [{"name": "li_at", "value": "secret-session", "domain": "x", "path": "/"}]}


@pytest.fixture
def now() -> datetime:
    """A moment after the accounts a test imports: imports stamp the real clock."""
    return datetime.now(UTC) + timedelta(minutes=1)


ALICE = Requester(tenant_id="acme", user="alice", shared_pool=False)


def repository(
    store: Store, key: str, previous: tuple[str, ...] = (), **pacing: float
) -> MongoSessionRepository:
    values = {
        "pause_min": 0.0,
        "pause_max": 0.0,
        "daily_cap": 3,
        "lease_seconds": 60.0,
        "rate_limit_cooldown": 600.0,
    } | pacing
    return MongoSessionRepository(
        store=store,
        cipher=SessionCipher(key, previous=previous),
        pacing=Pacing(**values),  # type: ignore[arg-type]
    )


async def connected(
    sessions: MongoSessionRepository,
    *,
    tenant: str = "acme",
    owner: str | None = "alice",
    platform: Platform = Platform.LINKEDIN,
    state: dict[str, object] = STATE,
) -> str:
    summary = await sessions.connect(
        tenant_id=tenant, platform=platform, owner=owner, storage_state=state, by="tests"
    )
    await sessions.set_state(
        session_id=summary.session_id, state=SessionState.CONNECTED, now=datetime.now(UTC)
    )
    return summary.session_id


async def lease(
    sessions: MongoSessionRepository, now: datetime, *, holder: str = "w",
    requester: Requester = ALICE,
) -> Lease | None:  # fmt: skip
    got = await sessions.lease(
        platform=Platform.LINKEDIN, requester=requester, holder=holder, now=now
    )
    return got if isinstance(got, Lease) else None


async def test_two_workers_never_lease_the_same_account(now: datetime, store: Store) -> None:
    key = new_key()
    await store.ensure_indexes(CATALOG.indexes())
    first, second = repository(store, key), repository(store, key)
    await connected(first)
    attempts = [lease(first if n % 2 else second, now, holder=f"w{n}") for n in range(40)]
    leases = [got for got in await asyncio.gather(*attempts) if got is not None]
    assert len(leases) == 1
    assert leases[0].storage_state == STATE


async def test_a_crashed_workers_lease_expires(now: datetime, store: Store) -> None:
    accounts = repository(store, new_key(), lease_seconds=60.0)
    await connected(accounts)
    assert await lease(accounts, now, holder="dead")
    assert await lease(accounts, now) is None
    later = now + timedelta(seconds=61)
    assert await lease(accounts, later)


async def test_use_is_paced_with_jitter_and_capped_per_day(now: datetime, store: Store) -> None:
    accounts = repository(store, new_key(), pause_min=10.0, pause_max=20.0, daily_cap=2)
    session_id = await connected(accounts)
    now = now
    for _ in range(2):
        got = await lease(accounts, now)
        assert got is not None
        await accounts.release(
            lease=got, now=now, outcome=UseOutcome.OK, storage_state=None, counted=True
        )
        doc = await store.db[SESSIONS].find_one({"_id": session_id})
        assert doc is not None
        pause = (doc["next_use_at"] - now).total_seconds()
        assert 10.0 <= pause <= 20.0
        assert await lease(accounts, now) is None
        now += timedelta(seconds=21)
    assert await lease(accounts, now) is None
    tomorrow = now + timedelta(days=1)
    assert await lease(accounts, tomorrow)


async def test_a_rate_limited_account_rests_then_returns(now: datetime, store: Store) -> None:
    accounts = repository(store, new_key(), rate_limit_cooldown=600.0)
    await connected(accounts)
    got = await lease(accounts, now)
    assert got is not None
    released = await accounts.release(
        lease=got, now=now, outcome=UseOutcome.RATE_LIMITED, storage_state=None, counted=True
    )
    assert released.state is SessionState.RATE_LIMITED
    soon = now + timedelta(seconds=300)
    assert await lease(accounts, soon) is None
    later = now + timedelta(seconds=601)
    assert await lease(accounts, later)


async def test_sessions_are_stored_encrypted_and_cookies_written_back(
    now: datetime, store: Store
) -> None:
    accounts = repository(store, new_key())
    session_id = await connected(accounts)
    raw = await store.db[SESSIONS].find_one({"_id": session_id})
    assert raw is not None
    assert b"secret-session" not in bytes(raw["session"])
    got = await lease(accounts, now)
    assert got is not None
    refreshed = {"cookies": [{"name": "li_at", "value": "rotated", "domain": "x", "path": "/"}]}
    await accounts.release(
        lease=got, now=now, outcome=UseOutcome.OK, storage_state=refreshed, counted=True
    )
    again = await lease(accounts, now)
    assert again is not None and again.storage_state == refreshed
    with pytest.raises(Exception):  # noqa: B017 - any decryption failure will do
        await lease(repository(store, new_key()), now + timedelta(hours=1))


async def simulator_cookie(base_url: str, account: str, platform: str) -> str:
    async with httpx.AsyncClient(base_url=base_url) as client:
        response = await client.get(
            "/_sim/login", params={"account": account, "platform": platform}
        )
        response.raise_for_status()
    [value] = response.json()["cookies"].values()
    return str(value)


async def test_the_accounts_cli_imports_checks_lists_disables_and_deletes(
    settings: ExtractorSettings,
    store: Store,
    simulator: Simulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("MONGODB_URL", settings.mongodb_url)
    monkeypatch.setenv("MONGODB_DB", settings.mongodb_db)
    monkeypatch.setenv("SOURCER_EXTRACTOR_ACCOUNTS_KEY", settings.accounts_key.get_secret_value())
    monkeypatch.setenv("SOURCER_EXTRACTOR_LINKEDIN_BASE_URL", simulator.base_url)
    monkeypatch.setenv("SOURCER_EXTRACTOR_XING_BASE_URL", simulator.base_url)
    monkeypatch.setenv("SOURCER_CHROMIUM_PATH", settings.chromium_path or "")
    cookie_file = tmp_path / "li_at"
    cookie_file.write_text(await simulator_cookie(simulator.base_url, "alice", "linkedin") + "\n")
    expired_file = tmp_path / "expired"
    expired_file.write_text("not-a-session-the-simulator-issued")
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(STATE))

    async def cli(*argv: str) -> int:
        return await asyncio.to_thread(cli_main, list(argv))

    base = ("accounts", "import", "--tenant", "acme")
    # Checked with one page load: a session the simulator issued is connected, another is not.
    assert await cli(*base, "--platform", "linkedin", "--user", "alice",
                     "--cookie-file", str(cookie_file)) == 0  # fmt: skip
    assert await cli(*base, "--platform", "xing", "--shared", "--label", "seat 2",
                     "--cookie-file", str(expired_file)) == 1  # fmt: skip
    # A storage state without the platform's session cookie holds nothing to import.
    assert await cli(*base, "--platform", "linkedin", "--user", "bob",
                     "--storage-state", str(state_file)) == 2  # fmt: skip
    with pytest.raises(SystemExit):  # the secret never goes on the command line
        await cli(*base, "--platform", "linkedin", "--user", "bob", "--cookie", "xyz")
    capsys.readouterr()
    assert await cli("accounts", "list", "--tenant", "acme") == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted((a["platform"], a["owner"], a["shared"], a["state"]) for a in listed) == [
        ("linkedin", "alice", False, "connected"),
        ("xing", None, True, "expired"),
    ]
    shared = next(a["session"] for a in listed if a["shared"])
    assert await cli("accounts", "disable", "--id", shared) == 0
    assert await cli("accounts", "disable", "--id", "ses_00000000000000000000") == 1
    assert await cli("accounts", "shared-pool", "--tenant", "acme", "on") == 0
    assert await repository(store, settings.accounts_key.get_secret_value()).shared_pool(
        tenant_id="acme"
    )
    assert await cli("accounts", "delete", "--tenant", "acme", "--user", "alice") == 0
    left = await store.db[SESSIONS].find({}).to_list()
    assert [(d["owner"], d["state"]) for d in left] == [(None, "disabled")]


async def test_keys_rotate_while_the_old_one_still_opens(store: Store, now: datetime) -> None:
    old, new = new_key(), new_key()
    session_id = await connected(repository(store, old))
    rotating = repository(store, new, previous=(old,))
    assert await rotating.rekey() == 1
    got = await lease(repository(store, new), now)  # the new key alone opens it now
    assert got is not None and got.session_id == session_id and got.storage_state == STATE
    with pytest.raises(Exception):  # noqa: B017 - the old key alone no longer does
        await lease(repository(store, old), now + timedelta(hours=1))


async def test_a_request_renders_only_with_the_requesters_own_or_allowed_shared_session(
    store: Store, now: datetime
) -> None:
    sessions = repository(store, new_key())
    alices = await connected(sessions, owner="alice")
    await connected(sessions, owner="bob")
    shared = await connected(sessions, owner=None)
    globex = await connected(sessions, tenant="globex", owner=None)
    carol = Requester(tenant_id="acme", user="carol", shared_pool=False)
    # Alice renders with her own; Carol (no own session, pool off) with nothing at all.
    got = await lease(sessions, now, requester=ALICE)
    assert got is not None and got.session_id == alices
    none = await sessions.lease(platform=Platform.LINKEDIN, requester=carol, holder="w", now=now)
    assert isinstance(none, Waiting) and none.reason == "none_connected"
    # With the pool on, Carol gets the tenant's shared session, never Bob's or Globex's.
    pooled = Requester(tenant_id="acme", user="carol", shared_pool=True)
    got = await lease(sessions, now, requester=pooled)
    assert got is not None and got.session_id == shared
    again = await sessions.lease(platform=Platform.LINKEDIN, requester=pooled, holder="w", now=now)
    assert isinstance(again, Waiting) and again.reason == "busy"  # the shared one is leased
    other = Requester(tenant_id="globex", user="dave", shared_pool=True)
    got = await lease(sessions, now, requester=other)
    assert got is not None and got.session_id == globex


def test_a_missing_accounts_key_is_a_clear_start_up_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SOURCER_EXTRACTOR_ACCOUNTS_KEY", raising=False)
    assert cli_main(["worker"]) == 2
    assert "SOURCER_EXTRACTOR_ACCOUNTS_KEY" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("key", "message"), [("not base64!", "not valid base64"), ("AAAA", "must be 32 bytes")]
)
def test_a_malformed_accounts_key_is_a_clear_start_up_error(
    key: str, message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCER_EXTRACTOR_ACCOUNTS_KEY", key)
    assert cli_main(["accounts", "list"]) == 2
    assert message in capsys.readouterr().err


async def test_two_extractors_on_one_queue_share_one_account_without_overlap(
    harness: Harness,
) -> None:
    """A second extractor (its own browser) consumes the same queue; one account serves both."""
    second = await start_extractor(
        harness.settings.model_copy(update={"worker_id": "second"}), harness.bus, harness.store
    )
    slugs = ("jane-doe", "aiko", "sam-lee-dev", "olivia-nguyen")
    try:
        await harness.add_account("alice")
        with capture_logs() as logs:
            requests = []
            for slug in slugs:
                member = harness.simulator.catalog.find(slug)
                assert member is not None
                requests.append(await source(harness, member))
            for request_id in requests:
                assert (await outcome(harness, request_id, timeout=120)).type == "profile.extracted"
    finally:
        await harness.bus.drain()
        await second()
    uses = [
        (entry["event"], entry["holder"])
        for entry in logs
        if entry["event"] in ("session.leased", "session.releasing")
    ]
    assert [event for event, _ in uses] == ["session.leased", "session.releasing"] * len(slugs)
    # Jobs really competed for the one account: the losers were deferred, not run alongside.
    assert any(entry["event"] == "event.deferred" for entry in logs)
    assert (await account(harness, "alice"))["lease"] is None

"""Platform accounts on the real store: exclusive leases, pacing, caps, encryption, the CLI."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from extractor_harness import Harness, start_extractor
from structlog.testing import capture_logs
from test_extraction import account, outcome, source

from sourcer.extractor.accounts import AccountState, Pacing, UseOutcome
from sourcer.extractor.accounts_store import CATALOG, COLLECTION, MongoAccountRepository
from sourcer.extractor.cli import main as cli_main
from sourcer.extractor.crypto import SessionCipher, new_key
from sourcer.extractor.settings import ExtractorSettings
from sourcer.proto.records import Platform
from sourcer.runtime.store import Store

pytestmark = pytest.mark.integration

STATE = {"cookies": [{"name": "li_at", "value": "secret-session", "domain": "x", "path": "/"}]}


@pytest.fixture
def now() -> datetime:
    """A moment after the accounts a test imports: imports stamp the real clock."""
    return datetime.now(UTC) + timedelta(minutes=1)


def repository(store: Store, key: str, **pacing: float) -> MongoAccountRepository:
    values = {
        "pause_min": 0.0,
        "pause_max": 0.0,
        "daily_cap": 3,
        "lease_seconds": 60.0,
        "rate_limit_cooldown": 600.0,
    } | pacing
    return MongoAccountRepository(
        store=store,
        cipher=SessionCipher(key),
        pacing=Pacing(**values),  # type: ignore[arg-type]
    )


async def test_two_workers_never_lease_the_same_account(now: datetime, store: Store) -> None:
    key = new_key()
    await store.ensure_indexes(CATALOG.indexes())
    first, second = repository(store, key), repository(store, key)
    await first.upsert(account_id="alice", platform=Platform.LINKEDIN, storage_state=STATE)
    attempts = [
        (first if n % 2 else second).lease(platform=Platform.LINKEDIN, holder=f"w{n}", now=now)
        for n in range(40)
    ]
    leases = [lease for lease in await asyncio.gather(*attempts) if lease is not None]
    assert len(leases) == 1
    assert leases[0].storage_state == STATE


async def test_a_crashed_workers_lease_expires(now: datetime, store: Store) -> None:
    accounts = repository(store, new_key(), lease_seconds=60.0)
    await accounts.upsert(account_id="alice", platform=Platform.LINKEDIN, storage_state=STATE)
    assert await accounts.lease(platform=Platform.LINKEDIN, holder="dead", now=now)
    assert await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=now) is None
    later = now + timedelta(seconds=61)
    assert await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=later)


async def test_use_is_paced_with_jitter_and_capped_per_day(now: datetime, store: Store) -> None:
    accounts = repository(store, new_key(), pause_min=10.0, pause_max=20.0, daily_cap=2)
    await accounts.upsert(account_id="alice", platform=Platform.LINKEDIN, storage_state=STATE)
    now = now
    for _ in range(2):
        lease = await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=now)
        assert lease is not None
        await accounts.release(
            lease=lease, now=now, outcome=UseOutcome.OK, storage_state=None, counted=True
        )
        doc = await store.db[COLLECTION].find_one({"_id": "alice"})
        assert doc is not None
        pause = (doc["next_use_at"] - now).total_seconds()
        assert 10.0 <= pause <= 20.0
        assert await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=now) is None
        now += timedelta(seconds=21)
    assert await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=now) is None
    tomorrow = now + timedelta(days=1)
    assert await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=tomorrow)


async def test_a_rate_limited_account_rests_then_returns(now: datetime, store: Store) -> None:
    accounts = repository(store, new_key(), rate_limit_cooldown=600.0)
    await accounts.upsert(account_id="alice", platform=Platform.LINKEDIN, storage_state=STATE)
    lease = await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=now)
    assert lease is not None
    state = await accounts.release(
        lease=lease, now=now, outcome=UseOutcome.RATE_LIMITED, storage_state=None, counted=True
    )
    assert state is AccountState.RATE_LIMITED
    soon = now + timedelta(seconds=300)
    assert await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=soon) is None
    later = now + timedelta(seconds=601)
    assert await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=later)


async def test_sessions_are_stored_encrypted_and_cookies_written_back(
    now: datetime, store: Store
) -> None:
    accounts = repository(store, new_key())
    await accounts.upsert(account_id="alice", platform=Platform.LINKEDIN, storage_state=STATE)
    raw = await store.db[COLLECTION].find_one({"_id": "alice"})
    assert raw is not None
    assert b"secret-session" not in bytes(raw["session"])
    lease = await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=now)
    assert lease is not None
    refreshed = {"cookies": [{"name": "li_at", "value": "rotated", "domain": "x", "path": "/"}]}
    await accounts.release(
        lease=lease, now=now, outcome=UseOutcome.OK, storage_state=refreshed, counted=True
    )
    again = await accounts.lease(platform=Platform.LINKEDIN, holder="w", now=now)
    assert again is not None and again.storage_state == refreshed
    with pytest.raises(Exception):  # noqa: B017 - any decryption failure will do
        await repository(store, new_key()).lease(
            platform=Platform.LINKEDIN, holder="w", now=now + timedelta(hours=1)
        )


async def test_the_accounts_cli_imports_lists_and_disables(
    settings: ExtractorSettings,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("MONGODB_URL", settings.mongodb_url)
    monkeypatch.setenv("MONGODB_DB", settings.mongodb_db)
    monkeypatch.setenv("SOURCER_EXTRACTOR_ACCOUNTS_KEY", settings.accounts_key.get_secret_value())
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(STATE))

    async def cli(*argv: str) -> int:
        return await asyncio.to_thread(cli_main, list(argv))

    assert await cli("accounts", "import", "--platform", "linkedin", "--name", "alice",
                     "--storage-state", str(state_file)) == 0  # fmt: skip
    assert await cli("accounts", "import", "--platform", "xing", "--name", "bob",
                     "--cookie", "xyz") == 0  # fmt: skip
    assert await cli("accounts", "disable", "--name", "bob") == 0
    capsys.readouterr()
    assert await cli("accounts", "list") == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(a["account"], a["platform"], a["state"]) for a in listed] == [
        ("alice", "linkedin", "healthy"),
        ("bob", "xing", "disabled"),
    ]
    assert await cli("accounts", "disable", "--name", "nobody") == 1


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
        if entry["event"] in ("account.leased", "account.releasing")
    ]
    assert [event for event, _ in uses] == ["account.leased", "account.releasing"] * len(slugs)
    # Jobs really competed for the one account: the losers were deferred, not run alongside.
    assert any(entry["event"] == "event.deferred" for entry in logs)
    assert (await account(harness, "alice"))["lease"] is None

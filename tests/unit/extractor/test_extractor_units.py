"""Extractor pieces without I/O: session encryption, pacing, URLs, snapshots, empty results."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from sourcer.extractor.crypto import AccountsKeyError, SessionCipher, new_key
from sourcer.extractor.navigation import Rendered, platform_url
from sourcer.extractor.parsing import PageKind
from sourcer.extractor.rendering import parse_profile
from sourcer.extractor.sessions import Pacing
from sourcer.extractor.snapshots import SnapshotStore
from sourcer.proto.events import SourcingRequested
from sourcer.proto.records import Platform

pytestmark = pytest.mark.unit


def test_sessions_round_trip_and_are_bound_to_their_account() -> None:
    cipher = SessionCipher(new_key())
    blob = cipher.encrypt(b'{"cookies": []}', account_id="alice")
    assert cipher.decrypt(blob, account_id="alice") == b'{"cookies": []}'
    with pytest.raises(InvalidTag):
        cipher.decrypt(blob, account_id="mallory")
    with pytest.raises(InvalidTag):
        SessionCipher(new_key()).decrypt(blob, account_id="alice")


@pytest.mark.parametrize("key", ["", "not base64!", "AAAA"])
def test_a_bad_key_is_refused(key: str) -> None:
    with pytest.raises(AccountsKeyError):
        SessionCipher(key)


def test_pauses_are_jittered_within_the_configured_range() -> None:
    pacing = Pacing(
        pause_min=20, pause_max=60, daily_cap=80, lease_seconds=300, rate_limit_cooldown=3600
    )
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rng = random.Random(7)
    pauses = {(pacing.next_use_at(now, rng) - now).total_seconds() for _ in range(50)}
    assert all(20 <= p <= 60 for p in pauses)
    assert len(pauses) > 40


@pytest.mark.parametrize(
    ("canonical", "base", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe/", "http://127.0.0.1:8600",
         "http://127.0.0.1:8600/in/jane-doe/"),
        ("https://www.xing.com/profile/Jane_Doe", "https://www.xing.com/",
         "https://www.xing.com/profile/Jane_Doe"),
    ],
)  # fmt: skip
def test_platform_urls_keep_the_path_on_the_configured_host(
    canonical: str, base: str, expected: str
) -> None:
    assert platform_url(canonical, base) == expected


def request(platform: Platform = Platform.LINKEDIN) -> SourcingRequested:
    return SourcingRequested(
        request_id="r1",
        url="https://www.linkedin.com/in/jane-doe/",
        platform=platform,
        profile_id="jane-doe",
    )


def test_snapshots_are_written_and_pruned_after_the_retention(tmp_path: Path) -> None:
    import asyncio

    store = SnapshotStore(directory=tmp_path, retention_days=14)
    rendered = Rendered(
        kind=PageKind.UNKNOWN, main="<html><body>x</body></html>", url="u", status=200,
        screenshot=b"\x89PNG",
    )  # fmt: skip
    path = asyncio.run(store.save(request=request(), rendered=rendered, tenant_id="acme"))
    assert path.read_text(encoding="utf-8").startswith("<html><body>x")
    assert path.with_suffix(".png").read_bytes() == b"\x89PNG"
    old = tmp_path / "2000-01-01"
    old.mkdir()
    (old / "r0-linkedin.html").write_text("old")
    (old / "r0-linkedin.png").write_bytes(b"old")
    (tmp_path / "not-a-day").mkdir()
    assert store.prune() == 1
    assert not old.exists() and path.exists() and (tmp_path / "not-a-day").exists()
    assert store.prune(now=datetime.now(UTC) + timedelta(days=15)) == 1
    assert not path.exists() and not path.with_suffix(".png").exists()


def test_a_result_emptier_than_its_page_names_the_missing_section() -> None:
    html = (
        "<html><body><main><h1>Jane Doe</h1>"
        '<section data-view-name="profile-card"><div id="experience"></div>'
        "<ul><li>unreadable</li></ul></section></main></body></html>"
    )
    rendered = Rendered(kind=PageKind.PROFILE, main=html, url="u", status=200)
    profile = parse_profile(request(), rendered)
    assert profile.experience == []
    assert profile.missing_sections == ["experience"]


def test_cards_that_never_loaded_name_every_section_not_read() -> None:
    html = (
        "<html><body><main id='workspace'><section componentkey='x.Topcard'><h2>Jane Doe</h2>"
        "</section><div id='profileCardsBelowActivityPart1'></div></main></body></html>"
    )
    rendered = Rendered(
        kind=PageKind.PROFILE, main=html, url="u", status=200,
        unloaded=["profileCardsBelowActivityPart1"],
    )  # fmt: skip
    profile = parse_profile(request(), rendered)
    assert profile.missing_sections == ["experience", "education", "skills", "languages"]

"""Signing, verification, retry schedule and SSRF address rules."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from sourcer.consent.settings import ConsentSettings
from sourcer.consent.webhook_rules import (
    SCHEDULE,
    Target,
    TargetPolicy,
    UnsafeTargetError,
    check_addresses,
    check_url,
    next_attempt_delay,
    parse_retry_after,
)
from sourcer.consent.webhook_verify import (
    WebhookVerificationError,
    generate_secret,
    sign,
    verify,
)

pytestmark = pytest.mark.unit

DEVELOPMENT = TargetPolicy(https_only=False, ports=None)

# The example from the Standard Webhooks specification.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TS = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_matches_the_standard_webhooks_example() -> None:
    assert sign(secret=SPEC_SECRET, msg_id=SPEC_ID, timestamp=SPEC_TS, body=SPEC_BODY) == (
        SPEC_SIGNATURE
    )


def test_signature_is_hmac_sha256_of_id_timestamp_body() -> None:
    secret = generate_secret()
    assert secret.startswith("whsec_")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    assert len(key) == 32
    digest = hmac.new(key, b"msg_1.1700000000.{}", hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(digest).decode()
    assert sign(secret=secret, msg_id="msg_1", timestamp=1700000000, body=b"{}") == expected


def headers(signature: str, ts: int = SPEC_TS) -> dict[str, str]:
    return {"Webhook-Id": SPEC_ID, "Webhook-Timestamp": str(ts), "Webhook-Signature": signature}


def test_verify_accepts_any_matching_signature_of_a_rotation() -> None:
    verify(
        secret=SPEC_SECRET,
        headers=headers(f"v1,bm90LWl0 {SPEC_SIGNATURE}"),
        body=SPEC_BODY,
        now=SPEC_TS + 10,
    )


@pytest.mark.parametrize(
    ("hdrs", "body", "now"),
    [
        (headers(SPEC_SIGNATURE), b'{"test": 1}', SPEC_TS),  # body changed
        (headers(SPEC_SIGNATURE, SPEC_TS + 1), SPEC_BODY, SPEC_TS),  # timestamp changed
        (headers(SPEC_SIGNATURE), SPEC_BODY, SPEC_TS + 301),  # too old: replay
        (headers(SPEC_SIGNATURE), SPEC_BODY, SPEC_TS - 301),  # from the future
        ({"webhook-id": SPEC_ID}, SPEC_BODY, SPEC_TS),  # headers missing
    ],
)
def test_verify_refuses_tampered_old_or_incomplete_deliveries(
    hdrs: dict[str, str], body: bytes, now: int
) -> None:
    with pytest.raises(WebhookVerificationError):
        verify(secret=SPEC_SECRET, headers=hdrs, body=body, now=now)


def test_schedule_is_the_documented_one_with_ten_percent_jitter() -> None:
    assert SCHEDULE == (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
    for attempts, base in enumerate(SCHEDULE):
        low = next_attempt_delay(attempts, rand=lambda: 0.0)
        high = next_attempt_delay(attempts, rand=lambda: 1.0)
        assert low == timedelta(seconds=base * 0.9)
        assert high == timedelta(seconds=base * 1.1)
    assert next_attempt_delay(len(SCHEDULE)) is None


def test_retry_after_wins_when_longer_and_is_capped() -> None:
    now = datetime(2026, 11, 2, tzinfo=UTC)
    after = parse_retry_after("120", now=now)
    assert after == timedelta(seconds=120)
    assert next_attempt_delay(1, retry_after=after, rand=lambda: 0.5) == timedelta(seconds=120)
    assert next_attempt_delay(3, retry_after=after, rand=lambda: 0.5) == timedelta(seconds=1800)
    assert parse_retry_after("Mon, 02 Nov 2026 00:10:00 GMT", now=now) == timedelta(minutes=10)
    assert next_attempt_delay(1, retry_after=timedelta(days=9), rand=lambda: 0.5) == timedelta(
        hours=24
    )
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after("²", now=now) is None  # str.isdigit says yes, int() says no
    assert parse_retry_after("9" * 30, now=now) == timedelta(hours=24)
    assert parse_retry_after("9" * 5000, now=now) == timedelta(hours=24)


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fc00::1",
        "224.0.0.1",
        "0.0.0.0",
        "100.64.0.1",
        "240.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        # Called global by Python 3.11's ipaddress, yet never a customer's host:
        "2002:a00:1::1",  # 6to4, carrying 10.0.0.1
        "2002:7f00:1::1",  # 6to4, carrying 127.0.0.1
        "fec0::1",  # site-local
        "2001:0:a00:1::1",  # Teredo
        "64:ff9b::a00:1",  # NAT64, carrying 10.0.0.1
        "64:ff9b:1::a00:1",  # local-use NAT64
        "192.88.99.1",  # 6to4 relay anycast
        "198.18.0.1",  # benchmarking
        "3fff::1",  # documentation
        "5f00::1",  # SRv6 segment ids
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    with pytest.raises(UnsafeTargetError) as exc:
        check_addresses([address], allow_loopback=False)
    assert exc.value.code == "webhook_target_forbidden"


def test_one_bad_address_among_good_ones_is_enough_to_refuse() -> None:
    with pytest.raises(UnsafeTargetError):
        check_addresses(["93.184.216.34", "10.1.2.3"], allow_loopback=False)


def test_loopback_only_with_the_explicit_setting() -> None:
    assert [str(a) for a in check_addresses(["127.0.0.1"], allow_loopback=True)] == ["127.0.0.1"]
    with pytest.raises(UnsafeTargetError):
        check_addresses(["10.0.0.1"], allow_loopback=True)
    assert check_addresses(["93.184.216.34", "2606:2800:220:1::1"], allow_loopback=False)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "https://user:pw@example.com/",
        "https:///path",
        "file:///etc/passwd",
        "https://\U0001f600.example/hook",  # no IDNA form
        "https://ex\u2028ample.com/",
        "https://" + "a" * 64 + ".example/",  # a label DNS cannot carry
        "https://a..example/",
        "https://%41.example/",
        "https://example.com:0/",
        "https://example.com:70000/",
    ],
)
def test_urls_that_cannot_be_delivered_are_refused(url: str) -> None:
    with pytest.raises(UnsafeTargetError) as exc:
        check_url(url, policy=DEVELOPMENT)
    assert exc.value.code == "webhook_url_invalid"


def test_production_takes_https_on_the_allowed_ports_only() -> None:
    production = TargetPolicy()
    with pytest.raises(UnsafeTargetError) as exc:
        check_url("http://hooks.example.com/in", policy=production)
    assert exc.value.code == "webhook_https_required"
    for url in ("https://hooks.example.com:22/", "https://hooks.example.com:6379/"):
        with pytest.raises(UnsafeTargetError) as exc:
            check_url(url, policy=production)
        assert exc.value.code == "webhook_port_forbidden"
    assert check_url("https://hooks.example.com/in", policy=production) == Target(
        "https", "hooks.example.com", 443
    )
    assert check_url("https://Hooks.Example.com.:8443/", policy=production).port == 8443
    assert check_url("http://hooks.example.com:8080/", policy=DEVELOPMENT).port == 8080


def test_internationalised_host_names_are_delivered_in_their_ascii_form() -> None:
    target = check_url("https://bücher.example/hook", policy=TargetPolicy())
    assert target.host == "xn--bcher-kva.example"


def test_production_rules_are_the_default_and_the_sealing_key_has_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SOURCER_CONSENT_WEBHOOK_MODE", "SOURCER_CONSENT_WEBHOOK_SECRETS_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValidationError, match="webhook_secrets_key"):
        ConsentSettings(secret_key="k")
    settings = ConsentSettings(secret_key="k", webhook_secrets_key="k")
    assert (settings.webhook_mode, settings.webhook_ports) == ("production", [443, 8443])
    assert settings.webhook_allow_loopback is False

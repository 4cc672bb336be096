"""The auth mode is chosen by name: a service without it, with a short development secret, or
with production settings that leave issuer or audience to a default, refuses to start."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sourcer.gateway.bootstrap import SERVICE as GATEWAY
from sourcer.gateway.cli import main as gateway_cli
from sourcer.runtime.auth import DEV_AUDIENCE, DEV_ISSUER, AuthSettings, TokenVerifier
from sourcer.runtime.service import run_service

pytestmark = pytest.mark.unit

SECRET_32 = "s" * 32
AUTH_VARIABLES = (
    "SOURCER_AUTH_MODE",
    "SOURCER_AUTH_JWT_SECRET",
    "SOURCER_AUTH_JWKS_URL",
    "SOURCER_AUTH_ISSUER",
    "SOURCER_AUTH_AUDIENCE",
)


@pytest.fixture(autouse=True)
def no_auth_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AUTH_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def refusal(**values: str) -> str:
    with pytest.raises(ValidationError) as refused:
        AuthSettings(**values)  # type: ignore[arg-type]
    return str(refused.value)


def test_an_unset_mode_is_refused_with_what_to_set() -> None:
    message = refusal(jwt_secret=SECRET_32)
    assert "SOURCER_AUTH_MODE is not set" in message


def test_development_requires_a_secret_of_at_least_32_bytes() -> None:
    assert "at least 32 bytes" in refusal(mode="development")
    assert "at least 32 bytes" in refusal(mode="development", jwt_secret="s" * 31)
    # Bytes, not characters: 11 three-byte characters are 33 bytes.
    assert AuthSettings(mode="development", jwt_secret="€" * 11).jwt_secret == "€" * 11
    settings = AuthSettings(mode="development", jwt_secret=SECRET_32)
    assert (settings.issuer, settings.audience) == (DEV_ISSUER, DEV_AUDIENCE)
    assert TokenVerifier(settings).algorithm == "HS256"


def test_production_requires_jwks_issuer_and_audience() -> None:
    complete = {
        "mode": "production",
        "jwks_url": "https://idp.example/jwks",
        "issuer": "https://idp.example/",
        "audience": "sourcer-api",
    }
    for missing, variable in (
        ("jwks_url", "SOURCER_AUTH_JWKS_URL"),
        ("issuer", "SOURCER_AUTH_ISSUER"),
        ("audience", "SOURCER_AUTH_AUDIENCE"),
    ):
        values = {k: v for k, v in complete.items() if k != missing}
        assert variable in refusal(**values)
    assert "https" in refusal(**{**complete, "jwks_url": "http://idp.example/jwks"})
    settings = AuthSettings(**complete)  # type: ignore[arg-type]
    assert TokenVerifier(settings).algorithm == "RS256"


def test_the_mode_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCER_AUTH_MODE", "development")
    monkeypatch.setenv("SOURCER_AUTH_JWT_SECRET", SECRET_32)
    assert AuthSettings().mode == "development"


def test_a_service_without_an_auth_mode_exits_2_before_connecting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Nothing is listening on these: a service that got as far as connecting would fail there
    # with a different error, not exit 2 with the message.
    settings = GATEWAY.settings().model_copy(
        update={"amqp_url": "amqp://nobody@127.0.0.1:1/", "mongodb_url": "mongodb://127.0.0.1:1/"}
    )
    assert run_service(GATEWAY, settings) == 2
    message = capsys.readouterr().err
    assert "sourcer-gateway: the configuration is incomplete or invalid" in message
    assert "SOURCER_AUTH_MODE is not set" in message


def test_a_short_secret_is_refused_at_start_up_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCER_AUTH_MODE", "development")
    monkeypatch.setenv("SOURCER_AUTH_JWT_SECRET", "short-secret-value")
    assert run_service(GATEWAY, GATEWAY.settings()) == 2
    message = capsys.readouterr().err
    assert "at least 32 bytes" in message
    assert "short-secret-value" not in message


def test_development_tokens_are_not_minted_in_production(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCER_AUTH_MODE", "production")
    monkeypatch.setenv("SOURCER_AUTH_JWKS_URL", "https://idp.example/jwks")
    monkeypatch.setenv("SOURCER_AUTH_ISSUER", "https://idp.example/")
    monkeypatch.setenv("SOURCER_AUTH_AUDIENCE", "sourcer-api")
    args = ["token", "--tenant", "acme", "--role", "admin", "--sub", "mallory"]
    assert gateway_cli(args) == 2
    assert "development mode only" in capsys.readouterr().err


@pytest.mark.parametrize(
    "jwks_url",
    [
        "http://127.0.0.1:9400/jwks",
        "http://127.0.0.2/jwks",
        "http://[::1]:9400/jwks",
        "http://localhost:9400/jwks",
        "http://LOCALHOST/jwks",
    ],
)
def test_production_takes_plain_http_jwks_only_on_loopback(jwks_url: str) -> None:
    settings = AuthSettings(
        mode="production", jwks_url=jwks_url, issuer="http://127.0.0.1:9400", audience="ext"
    )
    assert TokenVerifier(settings).algorithm == "RS256"


@pytest.mark.parametrize(
    "jwks_url",
    [
        "http://idp.example/jwks",
        "http://10.0.0.5/jwks",
        "http://localhost.idp.example/jwks",
        "http://127.0.0.1.nip.io/jwks",
        "http://user@127.0.0.1/jwks",
        "ftp://127.0.0.1/jwks",
    ],
)
def test_production_refuses_plain_http_jwks_anywhere_else(jwks_url: str) -> None:
    message = refusal(
        mode="production", jwks_url=jwks_url, issuer="https://idp.example/", audience="ext"
    )
    assert "https" in message

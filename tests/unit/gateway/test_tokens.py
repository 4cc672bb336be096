"""Token verification: pinned algorithm, issuer, audience, expiry and claims."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from sourcer.proto.envelope import Role
from sourcer.runtime.auth import (
    AuthError,
    AuthSettings,
    TokenVerifier,
    bearer_token,
    mint_token,
)

pytestmark = pytest.mark.unit

SECRET = "unit-secret-" + "0123456789abcdef" * 4


def verifier() -> TokenVerifier:
    return TokenVerifier(AuthSettings(mode="development", jwt_secret=SECRET))


def test_a_minted_token_verifies_to_its_caller() -> None:
    caller = verifier().verify(
        mint_token(secret=SECRET, sub="alice", tenant="acme", role=Role.ADMIN)
    )
    assert (caller.sub, caller.tenant, caller.role) == ("alice", "acme", Role.ADMIN)
    assert caller.actor().id == "alice"


@pytest.mark.parametrize(
    ("token", "code"),
    [
        (
            mint_token(secret=SECRET, sub="a", tenant="t", role="admin", ttl=timedelta(minutes=-5)),
            "token_expired",
        ),
        (
            mint_token(
                secret="other-secret-0123456789abcdef0123", sub="a", tenant="t", role="admin"
            ),
            "invalid_token",
        ),
        (
            mint_token(secret=SECRET, sub="a", tenant="t", role="admin", issuer="evil"),
            "invalid_token",
        ),
        (
            mint_token(secret=SECRET, sub="a", tenant="t", role="admin", audience="other"),
            "invalid_token",
        ),
        (
            jwt.encode(
                {
                    "sub": "a",
                    "tenant": "t",
                    "role": "admin",
                    "iss": "sourcer-dev",
                    "aud": "sourcer",
                },
                SECRET,
                algorithm="HS256",
            ),
            "invalid_token",
        ),
        (
            jwt.encode(
                {
                    "sub": "a",
                    "tenant": "t",
                    "role": "owner",
                    "iss": "sourcer-dev",
                    "aud": "sourcer",
                    "exp": 4102444800,
                },
                SECRET,
                algorithm="HS256",
            ),
            "invalid_token",
        ),
        (
            jwt.encode(
                {
                    "sub": "a",
                    "role": "admin",
                    "iss": "sourcer-dev",
                    "aud": "sourcer",
                    "exp": 4102444800,
                },
                SECRET,
                algorithm="HS256",
            ),
            "invalid_token",
        ),
        (
            jwt.encode(
                {
                    "sub": "a",
                    "tenant": "t",
                    "role": "admin",
                    "iss": "sourcer-dev",
                    "aud": "sourcer",
                    "exp": 4102444800,
                },
                SECRET,
                algorithm="HS512",
            ),
            "invalid_token",
        ),
        (
            jwt.encode(
                {
                    "sub": "a",
                    "tenant": "t",
                    "role": "admin",
                    "iss": "sourcer-dev",
                    "aud": "sourcer",
                    "exp": 4102444800,
                },
                None,
                algorithm="none",
            ),
            "invalid_token",
        ),
        ("garbage", "invalid_token"),
    ],
)
def test_bad_tokens_are_refused_with_a_code(token: str, code: str) -> None:
    with pytest.raises(AuthError) as caught:
        verifier().verify(token)
    assert caught.value.code == code


def test_bearer_header_parsing() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    for bad in (None, "", "Basic abc", "Bearer", "Bearer  "):
        with pytest.raises(AuthError):
            bearer_token(bad)

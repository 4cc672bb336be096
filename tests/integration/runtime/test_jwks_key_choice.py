"""Which JWKS key verifies a token: the one its `kid` names; without `kid`, the only one.

A real JWKS endpoint on loopback (plain http, which production mode allows there only)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from sourcer.runtime.auth import AuthError, AuthSettings, TokenVerifier

pytestmark = pytest.mark.integration

ISSUER, AUDIENCE = "http://127.0.0.1/idp", "sourcer-extension"


class Jwks:
    """A JWKS endpoint serving `keys`, changeable between tests."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        jwks = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps({"keys": jwks.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/jwks"


@pytest.fixture
def jwks() -> Iterator[Jwks]:
    endpoint = Jwks()
    thread = threading.Thread(target=endpoint.server.serve_forever, daemon=True)
    thread.start()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str | None) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"use": "sig", "alg": "RS256"})
    if kid is not None:
        jwk["kid"] = kid
    return jwk


def token(key: rsa.RSAPrivateKey, kid: str | None) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": "alice",
        "tenant": "acme",
        "role": "recruiter",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": int((now + timedelta(minutes=5)).timestamp()),
    }
    headers = {"kid": kid} if kid is not None else None
    return jwt.encode(claims, key, algorithm="RS256", headers=headers)


def verifier(jwks: Jwks) -> TokenVerifier:
    return TokenVerifier(
        AuthSettings(mode="production", jwks_url=jwks.url, issuer=ISSUER, audience=AUDIENCE)
    )


def test_a_token_without_kid_is_verified_by_the_only_key(jwks: Jwks) -> None:
    key = new_key()
    jwks.keys = [public_jwk(key, kid=None)]
    assert verifier(jwks).verify(token(key, kid=None)).sub == "alice"


def test_a_token_without_kid_is_refused_when_the_jwks_has_several_keys(jwks: Jwks) -> None:
    first, second = new_key(), new_key()
    jwks.keys = [public_jwk(first, kid="k1"), public_jwk(second, kid="k2")]
    with pytest.raises(AuthError) as refused:
        verifier(jwks).verify(token(first, kid=None))
    assert refused.value.code == "invalid_token"
    assert verifier(jwks).verify(token(second, kid="k2")).tenant == "acme"


def test_a_token_without_kid_signed_by_another_key_is_refused(jwks: Jwks) -> None:
    jwks.keys = [public_jwk(new_key(), kid="only")]
    with pytest.raises(AuthError) as refused:
        verifier(jwks).verify(token(new_key(), kid=None))
    assert refused.value.code == "invalid_token"


def test_an_encryption_key_is_not_a_signing_key(jwks: Jwks) -> None:
    signing = new_key()
    encryption = {**public_jwk(new_key(), kid="enc"), "use": "enc"}
    jwks.keys = [public_jwk(signing, kid=None), encryption]
    assert verifier(jwks).verify(token(signing, kid=None)).role.value == "recruiter"

"""The extension's sign-in against a real OpenID provider process, and the gateway in production
auth mode verifying its ID tokens through the provider's JWKS (plain http on loopback)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from oidc_provider import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, OidcProvider, start_oidc_provider

from sourcer.gateway.app import create_api
from sourcer.gateway.settings import GatewaySettings
from sourcer.runtime.auth import AuthSettings, TokenVerifier

pytestmark = pytest.mark.integration


async def get_me(auth: AuthSettings, bearer: str) -> httpx.Response:
    # The gateway's API app as served; /v1/me needs no store or bus, only the verifier.
    app = create_api(GatewaySettings(), TokenVerifier(auth))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        return await http.get("/v1/me", headers={"Authorization": f"Bearer {bearer}"})


@pytest.fixture
async def admin(oidc_provider: OidcProvider) -> AsyncIterator[dict[str, Any]]:
    sub = f"admin-{time.monotonic_ns()}@acme.example"
    oidc_provider.set_user(sub, tenant="acme", role="admin", name="Ada Admin", email=sub)
    yield {"sub": sub, **oidc_provider.sign_in(sub)}


async def test_the_id_token_of_a_sign_in_is_the_gateways_bearer(
    oidc_provider: OidcProvider, admin: dict[str, Any]
) -> None:
    response = await get_me(oidc_provider.auth_settings(), admin["id_token"])
    assert response.status_code == 200
    body = response.json()
    assert (body["sub"], body["role"], body["tenant_id"]) == (admin["sub"], "admin", "acme")
    assert (body["name"], body["email"]) == ("Ada Admin", admin["sub"])
    assert body["capabilities"]["can_unlock"] is True
    # The provider signs without kid; its JWKS has one key, so the gateway takes that one.
    assert "kid" not in jwt.get_unverified_header(admin["id_token"])


async def test_a_recruiter_gets_its_own_role_and_tenant(oidc_provider: OidcProvider) -> None:
    oidc_provider.set_user("rita@beta.example", tenant="beta", role="recruiter")
    tokens = oidc_provider.sign_in("rita@beta.example")
    body = (await get_me(oidc_provider.auth_settings(), tokens["id_token"])).json()
    assert (body["role"], body["tenant_id"]) == ("recruiter", "beta")
    assert not any(body["capabilities"].values())


async def test_the_opaque_access_token_is_not_a_bearer_for_the_gateway(
    oidc_provider: OidcProvider, admin: dict[str, Any]
) -> None:
    response = await get_me(oidc_provider.auth_settings(), admin["access_token"])
    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")


async def test_a_forged_token_is_refused(
    oidc_provider: OidcProvider, admin: dict[str, Any]
) -> None:
    claims = jwt.decode(admin["id_token"], options={"verify_signature": False})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode({**claims, "role": "admin"}, other_key, algorithm="RS256")
    response = await get_me(oidc_provider.auth_settings(), forged)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_a_token_for_another_client_is_refused(
    oidc_provider: OidcProvider, admin: dict[str, Any]
) -> None:
    response = await get_me(oidc_provider.auth_settings(audience="other-app"), admin["id_token"])
    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")


async def test_an_expired_token_is_refused(tmp_path: Path) -> None:
    with start_oidc_provider(tmp_path, "--token-max-age", "1") as short_lived:
        short_lived.set_user("late@acme.example", tenant="acme", role="recruiter")
        tokens = short_lived.sign_in("late@acme.example")
        expiry = datetime.fromtimestamp(
            jwt.decode(tokens["id_token"], options={"verify_signature": False})["exp"], UTC
        )
        while datetime.now(UTC) <= expiry + timedelta(seconds=1):
            await asyncio.sleep(0.2)
        response = await get_me(short_lived.auth_settings(leeway_seconds=0), tokens["id_token"])
    assert (response.status_code, response.json()["code"]) == (401, "token_expired")


def test_the_provider_needs_the_client_secret_and_refresh_gives_no_id_token(
    oidc_provider: OidcProvider, admin: dict[str, Any]
) -> None:
    token_endpoint = f"{oidc_provider.issuer}/oauth2/token"
    refresh = {"grant_type": "refresh_token", "refresh_token": admin["refresh_token"]}
    without_secret = httpx.post(token_endpoint, data={**refresh, "client_id": CLIENT_ID})
    assert without_secret.status_code == 401
    assert without_secret.json()["error"] == "invalid_client"
    refreshed = httpx.post(token_endpoint, data=refresh, auth=(CLIENT_ID, CLIENT_SECRET))
    assert refreshed.status_code == 200
    assert "access_token" in refreshed.json()
    assert "id_token" not in refreshed.json()  # the extension signs in again instead


def test_only_extension_redirect_uris_are_accepted(oidc_provider: OidcProvider) -> None:
    oidc_provider.set_user("eve@acme.example", tenant="acme", role="admin")
    assert "id_token" in oidc_provider.sign_in("eve@acme.example", redirect_uri=REDIRECT_URI)
    with pytest.raises(httpx.HTTPStatusError):
        oidc_provider.sign_in("eve@acme.example", redirect_uri="https://evil.example/callback")

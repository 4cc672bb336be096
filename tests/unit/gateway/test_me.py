"""GET /v1/me: the caller from the token, and capabilities from the one role table."""

from __future__ import annotations

from typing import Any

import httpx
import jwt
import pytest

from sourcer.gateway.app import create_api
from sourcer.gateway.schemas import CapabilitiesRead
from sourcer.gateway.settings import GatewaySettings
from sourcer.proto.envelope import Role
from sourcer.runtime.auth import DEV_AUDIENCE, DEV_ISSUER, AuthSettings, TokenVerifier, mint_token
from sourcer.runtime.capabilities import Capability

pytestmark = pytest.mark.unit

SECRET = "unit-" + "0123456789abcdef" * 2
NONE_GRANTED = {f"can_{c.value}": False for c in Capability}


async def get_me(token: str | None) -> httpx.Response:
    # No container: the route reads nothing but the verified token.
    app = create_api(
        GatewaySettings(), TokenVerifier(AuthSettings(mode="development", jwt_secret=SECRET))
    )
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw", headers=headers
    ) as http:
        return await http.get("/v1/me")


def token_with(**extra: Any) -> str:
    claims = jwt.decode(
        mint_token(secret=SECRET, sub="alice", tenant="acme", role=Role.RECRUITER),
        SECRET,
        algorithms=["HS256"],
        audience=DEV_AUDIENCE,
        issuer=DEV_ISSUER,
    )
    return jwt.encode({**claims, **extra}, SECRET, algorithm="HS256")


async def test_a_recruiter_may_do_none_of_the_restricted_things() -> None:
    response = await get_me(mint_token(secret=SECRET, sub="u1", tenant="acme", role="recruiter"))
    assert response.status_code == 200
    assert response.json() == {
        "sub": "u1",
        "name": None,
        "email": None,
        "role": "recruiter",
        "tenant_id": "acme",
        "capabilities": NONE_GRANTED,
    }


async def test_a_super_recruiter_may_delete_pools_and_notes_of_others() -> None:
    token = mint_token(secret=SECRET, sub="u2", tenant="acme", role="super_recruiter")
    body = (await get_me(token)).json()
    assert body["role"] == "super_recruiter"
    assert body["capabilities"] == {
        **NONE_GRANTED,
        "can_delete_pools": True,
        "can_delete_notes_of_others": True,
    }


async def test_an_admin_may_do_everything() -> None:
    body = (await get_me(mint_token(secret=SECRET, sub="u3", tenant="beta", role="admin"))).json()
    assert (body["role"], body["tenant_id"]) == ("admin", "beta")
    assert body["capabilities"] == {name: True for name in NONE_GRANTED}


async def test_name_and_email_come_from_the_token_when_it_has_them() -> None:
    body = (await get_me(token_with(name="Alice Example", email="alice@acme.example"))).json()
    assert (body["name"], body["email"]) == ("Alice Example", "alice@acme.example")


async def test_odd_name_and_email_claims_are_left_out() -> None:
    body = (await get_me(token_with(name={"first": "Alice"}, email="x" * 300))).json()
    assert (body["name"], body["email"]) == (None, None)


async def test_without_a_token_it_is_401() -> None:
    response = await get_me(None)
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


def test_every_capability_is_reported() -> None:
    assert set(CapabilitiesRead.model_fields) == set(NONE_GRANTED)


async def test_openapi_documents_me() -> None:
    app = create_api(
        GatewaySettings(), TokenVerifier(AuthSettings(mode="development", jwt_secret=SECRET))
    )
    operation = app.openapi()["paths"]["/v1/me"]["get"]
    assert {"200", "401"} <= set(operation["responses"])
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MeRead"
    }

"""Every error is problem+json: unknown routes, wrong methods, oversized and chunked bodies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from sourcer.gateway.app import create_api
from sourcer.gateway.settings import GatewaySettings
from sourcer.proto.envelope import Role
from sourcer.runtime.auth import AuthSettings, TokenVerifier, mint_token

pytestmark = pytest.mark.unit

PROBLEM = "application/problem+json"
SECRET = "unit-" + "0123456789abcdef" * 2


def client(*, authenticated: bool = True) -> httpx.AsyncClient:
    # No container: these answers come before any route touches a store or the bus.
    app = create_api(
        GatewaySettings(max_body_bytes=1000),
        TokenVerifier(AuthSettings(mode="development", jwt_secret=SECRET)),
    )
    token = mint_token(secret=SECRET, sub="alice", tenant="acme", role=Role.RECRUITER)
    headers = {"Authorization": f"Bearer {token}"} if authenticated else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw", headers=headers
    )


async def test_unknown_route_and_wrong_method_are_problems() -> None:
    async with client() as http:
        missing = await http.get("/v1/nothing")
        wrong = await http.put("/v1/sourcing-requests")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")
    assert missing.headers["content-type"] == wrong.headers["content-type"] == PROBLEM


async def test_declared_and_chunked_oversized_bodies_are_413() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"x" * 200

    async with client() as http:
        declared = await http.post("/v1/sourcing-requests", content=b"x" * 1001)
        chunked = await http.post("/v1/sourcing-requests", content=chunks())
    for response in (declared, chunked):
        assert response.status_code == 413
        assert response.json()["code"] == "body_too_large"
        assert response.headers["content-type"] == PROBLEM


async def test_missing_token_is_401_with_a_challenge() -> None:
    async with client(authenticated=False) as http:
        response = await http.get("/v1/talents/tal_1")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthenticated"
    assert response.headers["x-request-id"]


async def test_openapi_documents_every_route_with_problem_responses() -> None:
    async with client() as http:
        document = (await http.get("/openapi.json")).json()
    create = document["paths"]["/v1/sourcing-requests"]["post"]
    assert {"202", "401", "413", "422", "429"} <= set(create["responses"])
    assert "application/problem+json" in create["responses"]["422"]["content"]
    assert "/v1/sourcing-requests/{request_id}/events" in document["paths"]

"""CORS for the extension's origin: preflights without a token, headers on refusals too,
nothing for an origin that is not configured."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from sourcer.gateway.app import create_api
from sourcer.gateway.settings import GatewaySettings
from sourcer.proto.envelope import Role
from sourcer.runtime.auth import AuthSettings, TokenVerifier, mint_token

pytestmark = pytest.mark.unit

SECRET = "unit-" + "0123456789abcdef" * 2
EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
OTHER = "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, accept-language",
}


def client(origins: list[str], **settings: int) -> httpx.AsyncClient:
    app = create_api(
        GatewaySettings(cors_origins=origins, **settings),
        TokenVerifier(AuthSettings(mode="development", jwt_secret=SECRET)),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


def bearer() -> dict[str, str]:
    token = mint_token(secret=SECRET, sub="alice", tenant="acme", role=Role.RECRUITER)
    return {"Authorization": f"Bearer {token}"}


def cors_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("access-control-")}


async def test_an_allowed_origin_preflight_needs_no_token() -> None:
    async with client([EXTENSION]) as http:
        response = await http.options(
            "/v1/sourcing-requests", headers={"Origin": EXTENSION, **PREFLIGHT}
        )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == EXTENSION
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert {"authorization", "content-type", "accept-language", "if-match"} <= allowed
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in response.headers


async def test_an_allowed_origin_reads_the_answer_and_its_headers() -> None:
    async with client([EXTENSION]) as http:
        response = await http.get("/v1/me", headers={"Origin": EXTENSION, **bearer()})
    assert response.status_code == 200
    assert response.json()["sub"] == "alice"
    assert response.headers["access-control-allow-origin"] == EXTENSION
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"retry-after", "location", "etag", "x-request-id"} <= exposed
    assert "Origin" in response.headers["vary"]


async def test_refusals_of_the_middleware_carry_cors_headers() -> None:
    async with client([EXTENSION], max_body_bytes=10) as http:
        unauthenticated = await http.get("/v1/me", headers={"Origin": EXTENSION})
        too_large = await http.post(
            "/v1/sourcing-requests",
            content=b"x" * 11,
            headers={"Origin": EXTENSION, **bearer()},
        )
    assert (unauthenticated.status_code, unauthenticated.json()["code"]) == (401, "unauthenticated")
    assert (too_large.status_code, too_large.json()["code"]) == (413, "body_too_large")
    for response in (unauthenticated, too_large):
        assert response.headers["access-control-allow-origin"] == EXTENSION
    assert "www-authenticate" in unauthenticated.headers["access-control-expose-headers"].lower()


async def test_overload_refusals_carry_cors_headers() -> None:
    # No slot at all: every request is refused before it is worked on.
    app = create_api(
        GatewaySettings(cors_origins=[EXTENSION]),
        TokenVerifier(AuthSettings(mode="development", jwt_secret=SECRET)),
    )
    in_flight = next(m for m in app.user_middleware if m.cls.__name__ == "InFlightLimitMiddleware")
    in_flight.kwargs["limit"] = 0
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as http:
        response = await http.get("/v1/me", headers={"Origin": EXTENSION, **bearer()})
    assert (response.status_code, response.json()["code"]) == (503, "overloaded")
    assert response.headers["access-control-allow-origin"] == EXTENSION
    assert "retry-after" in response.headers["access-control-expose-headers"].lower()


async def test_a_disallowed_origin_gets_no_cors_headers() -> None:
    async with client([EXTENSION]) as http:
        preflight = await http.options(
            "/v1/sourcing-requests", headers={"Origin": OTHER, **PREFLIGHT}
        )
        actual = await http.get("/v1/me", headers={"Origin": OTHER, **bearer()})
    assert cors_headers(preflight) == {}
    assert (preflight.status_code, preflight.json()["code"]) == (405, "method_not_allowed")
    assert cors_headers(actual) == {}
    assert actual.status_code == 200
    assert "Origin" in actual.headers["vary"]


async def test_without_configured_origins_there_are_no_cors_headers() -> None:
    async with client([]) as http:
        preflight = await http.options(
            "/v1/sourcing-requests", headers={"Origin": EXTENSION, **PREFLIGHT}
        )
    assert cors_headers(preflight) == {}
    assert preflight.status_code == 405


async def test_a_preflight_for_a_header_the_api_does_not_take_is_a_problem() -> None:
    async with client([EXTENSION]) as http:
        response = await http.options(
            "/v1/sourcing-requests",
            headers={
                "Origin": EXTENSION,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-secret-header",
            },
        )
    assert (response.status_code, response.json()["code"]) == (400, "bad_request")
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "origin",
    [
        "*",
        "chrome-extension://*",
        f"{EXTENSION}/",
        "https://app.example/path",
        "chrome-extension://ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP",
        "abcdefghijklmnopabcdefghijklmnop",
    ],
)
def test_only_exact_origins_can_be_configured(origin: str) -> None:
    with pytest.raises(ValidationError):
        GatewaySettings(cors_origins=[origin])

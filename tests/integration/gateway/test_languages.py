"""What a recruiter reads comes in German when the browser asks for it, else in English."""

from __future__ import annotations

from typing import Any

import pytest
from sourcing_profiles import jane
from sourcing_system import System, auth

from sourcer.proto.events import ExtractionErrorCode

pytestmark = pytest.mark.integration

GERMAN = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
URL = "https://www.linkedin.com/in/jane-doe/"


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


async def test_problems_of_every_kind_in_german_and_english(system: System) -> None:
    # Raised at the edge (URL rules), by the domain, relayed from the talent service,
    # by request validation and by the router itself.
    for headers, detail in (
        (GERMAN, "Es werden nur Profil-URLs von LinkedIn und Xing angenommen."),
        (ENGLISH, "Only LinkedIn and Xing profile URLs are accepted."),
    ):
        response = await system.client.post(
            "/v1/sourcing-requests",
            json={"url": "https://example.org/in/jane"},
            headers={**auth(), **headers},
        )
        assert problem(response, 422, "unsupported_host")["detail"] == detail
    de = problem(
        await system.client.get("/v1/talents", params={"q": "a"}, headers={**auth(), **GERMAN}),
        422,
        "invalid_query",
    )
    assert (de["title"], de["detail"]) == (
        "Ungültige Suche",
        "Die Suche oder ein Zeitraum ist ungültig.",
    )
    assert (
        problem(
            await system.client.post(
                "/v1/pools/pool_nope/x", json={}, headers={**auth(), **GERMAN}
            ),
            404,
            "not_found",
        )["title"]
        == "Nicht gefunden"
    )
    invalid = await system.client.post("/v1/pools", json={"name": ""}, headers={**auth(), **GERMAN})
    assert problem(invalid, 422, "validation_failed")["title"] == "Ungültige Eingabe"
    await system.client.post("/v1/pools", json={"name": "Backend"}, headers=auth())
    relayed = await system.client.post(
        "/v1/pools", json={"name": "backend"}, headers={**auth(), **GERMAN}
    )
    body = problem(relayed, 409, "pool_exists")
    assert body["detail"] == "Es gibt bereits einen Pool mit diesem Namen."
    assert relayed.headers["content-language"] == "de"
    unauthenticated = await system.client.get("/v1/talents", headers=GERMAN)
    assert problem(unauthenticated, 401, "unauthenticated")["title"] == "Anmeldung erforderlich"


async def test_banner_failure_and_consent_warnings_in_german(system: System) -> None:
    first = await system.preview(URL, jane())
    submitted = await system.client.post(
        f"/v1/sourcing-requests/{first['id']}/submit", json={}, headers={**auth(), **GERMAN}
    )
    warnings = [w["message"] for o in submitted.json()["consent_options"] for w in o["warnings"]]
    assert warnings and all("Das Talent kennt Sie noch nicht" in w for w in warnings)

    again = await system.preview(URL, jane())
    german = await system.client.get(
        f"/v1/sourcing-requests/{again['id']}", headers={**auth(), **GERMAN}
    )
    assert german.json()["preview"]["message"] == "Dieses Talent existiert bereits!"
    english = await system.client.get(
        f"/v1/sourcing-requests/{again['id']}", headers={**auth(), **ENGLISH}
    )
    assert english.json()["preview"]["message"] == "This talent already exists!"

    failing = await system.source("https://www.linkedin.com/in/john-roe/")
    await system.failed(failing["id"], ExtractionErrorCode.PROFILE_UNAVAILABLE)
    await system.wait_status(failing["id"], "failed")
    failed = await system.client.get(
        f"/v1/sourcing-requests/{failing['id']}", headers={**auth(), **GERMAN}
    )
    assert failed.json()["error"]["message"] == (
        "Das Profil ist nicht verfügbar: es wurde entfernt oder ist privat."
    )

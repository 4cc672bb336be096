"""Fixtures of the browser-extension tests: the built extension, the local OpenID provider, the
simulator, the fleet in production auth mode with CORS for the extension's origin, and Chromium
with the extension loaded (German and English)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

# The e2e tier's way of starting services (fleet.py) and its simulator fixture, shared.
sys.path.insert(0, str(Path(__file__).parents[1] / "e2e"))

from browser import DIST, EXTENSION, ExtensionBrowser, extension_browser, extension_id
from e2e.conftest import simulator  # noqa: F401
from fleet import Fleet, running_fleet
from identity import CLIENT_ID, Accounts, provider_for_extension
from oidc_provider import runner

CRM_TEMPLATE = "https://crm.acme.example/candidates/{talent_id}"


@pytest.fixture(scope="session")
def extension_dist() -> Path:
    """The unpacked build (`make extension` builds the same; built here so a test run never
    tests a stale one)."""
    if not (EXTENSION / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=EXTENSION, check=True)
    subprocess.run(["node", "build.mjs"], cwd=EXTENSION, check=True, capture_output=True)
    return DIST


@pytest.fixture(scope="session")
def accounts(extension_dist: Path) -> Iterator[Accounts]:
    origin = f"chrome-extension://{extension_id(extension_dist)}"
    with provider_for_extension(origin, users=[]) as issuer:
        yield Accounts(issuer=issuer)


@pytest.fixture(scope="session")
def ext_fleet(
    simulator: str,  # noqa: F811
    extension_dist: Path,
    accounts: Accounts,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Fleet]:
    """Gateway, talent, consent and extractor verifying the provider's tokens and answering
    the extension's origin (CORS); the tenant has its data controller and CRM link set, as an
    admin would."""
    amqp_url, mongodb_url = os.environ.get("AMQP_URL"), os.environ.get("MONGODB_URL")
    if not amqp_url or not mongodb_url:
        pytest.fail("set AMQP_URL and MONGODB_URL (see deploy/local/README.md)", pytrace=False)
    origin = f"chrome-extension://{extension_id(extension_dist)}"
    with running_fleet(
        amqp_url=amqp_url,
        mongodb_url=mongodb_url,
        log_dir=tmp_path_factory.mktemp("fleet"),
        extractor=True,
        extra_env={
            "SOURCER_SIMULATOR_URL": simulator,
            "SOURCER_GATEWAY_CORS_ORIGINS": json.dumps([origin]),
            "SOURCER_AUTH_MODE": "production",
            "SOURCER_AUTH_JWKS_URL": f"{accounts.issuer}/jwks",
            "SOURCER_AUTH_ISSUER": accounts.issuer,
            "SOURCER_AUTH_AUDIENCE": CLIENT_ID,
        },
    ) as fleet:
        admin = httpx.Client(base_url=fleet.gateway_url, headers=accounts.headers("root", "admin"))
        controller = {"name": "ACME Recruiting GmbH", "contact": "privacy@acme.example"}
        assert admin.put("/v1/consent/controller", json=controller).status_code == 200
        settings = admin.patch("/v1/settings", json={"crm_url_template": CRM_TEMPLATE})
        assert settings.status_code == 200, settings.text
        yield fleet


@pytest.fixture(scope="session", params=["de", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def chromium(
    language: str,
    extension_dist: Path,
    simulator: str,  # noqa: F811
    ext_fleet: Fleet,
    accounts: Accounts,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ExtensionBrowser]:
    """Chromium in `language` with the extension loaded and pointed at the fleet and the
    provider (the development client secret the local provider insists on)."""
    with extension_browser(
        dist=extension_dist,
        language=language,
        simulator=simulator,
        profile_dir=tmp_path_factory.mktemp(f"chromium-{language}"),
    ) as browser:
        browser.configure(
            gateway_url=ext_fleet.gateway_url,
            issuer=accounts.issuer,
            client_id=CLIENT_ID,
            client_secret=runner.CLIENT_SECRET,
        )
        yield browser

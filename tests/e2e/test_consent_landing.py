"""The consent landing page in real Chromium, served by a real `sourcer-consent serve` process:
grant, deny, withdraw, an expired link, and CSRF rejection."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aio_pika
import httpx
import pytest
from fleet import Proc, free_port, start_process, stop, wait_http
from playwright.async_api import Browser, Page, async_playwright
from pymongo import AsyncMongoClient
from support import talent_document

from sourcer.consent.entrypoints import WEBHOOKS
from sourcer.proto.envelope import Role
from sourcer.proto.records import Platform
from sourcer.runtime.auth import mint_token

pytestmark = pytest.mark.e2e

SECRET = "e2e-consent-secret-0123456789abcdef"
CHROMIUM = os.environ.get("SOURCER_CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class ConsentProcess:
    url: str
    db_name: str
    mongodb_url: str
    proc: Proc

    def headers(self, role: Role = Role.RECRUITER) -> dict[str, str]:
        token = mint_token(secret=SECRET, sub="alice", tenant="acme", role=role)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def consent_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsentProcess]:
    amqp_url, mongodb_url = os.environ.get("AMQP_URL"), os.environ.get("MONGODB_URL")
    if not amqp_url or not mongodb_url:
        pytest.fail("set AMQP_URL and MONGODB_URL (see deploy/local/README.md)", pytrace=False)
    port, run = free_port(), uuid.uuid4().hex[:10]
    namespace = f"e2e.{run}."
    env = {
        **os.environ,
        "MONGODB_DB": f"e2e_consent_{run}",
        "SOURCER_BUS_NAMESPACE": namespace,
        "SOURCER_LOG_FORMAT": "console",
        "SOURCER_AUTH_JWT_SECRET": SECRET,
        "SOURCER_CONSENT_HTTP_PORT": str(port),
        "SOURCER_CONSENT_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "SOURCER_CONSENT_SECRET_KEY": "e2e-consent-key",
        "SOURCER_CONSENT_SMTP_PORT": str(free_port()),
        "SOURCER_CONSENT_CONTROLLER_NAME": "ACME Recruiting GmbH",
        "SOURCER_CONSENT_CONTROLLER_CONTACT": "privacy@acme.example",
        "SOURCER_CONSENT_SCHEDULER_INTERVAL": "0.5",
    }
    log_dir: Path = tmp_path_factory.mktemp("consent")
    proc = start_process("consent", ["-m", "sourcer.consent.cli", "serve"], env, log_dir)
    try:
        wait_http(f"http://127.0.0.1:{port}/readyz", proc)
        yield ConsentProcess(f"http://127.0.0.1:{port}", env["MONGODB_DB"], mongodb_url, proc)
        stop(proc)
        assert proc.process.returncode == 0, proc.tail()  # SIGTERM drains and exits cleanly
    finally:
        stop(proc)
        _cleanup(amqp_url, mongodb_url, env["MONGODB_DB"], namespace)


def _cleanup(amqp_url: str, mongodb_url: str, db_name: str, namespace: str) -> None:
    import asyncio

    async def run() -> None:
        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongodb_url)
        await client.drop_database(db_name)
        await client.close()
        connection = await aio_pika.connect(amqp_url)
        channel = await connection.channel()
        for name in WEBHOOKS.queue_names(namespace):
            await channel.queue_delete(name)
        await channel.exchange_delete(f"{namespace}sourcer.events")
        await connection.close()

    asyncio.run(run())


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


def new_talent_id() -> str:
    return "tal_" + uuid.uuid4().hex[:12]


async def consent_link(service: ConsentProcess, talent_id: str) -> str:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(service.mongodb_url)
    await client[service.db_name]["talents"].insert_one(
        talent_document(talent_id, email=None, platform=Platform.XING, slug=talent_id)
    )
    await client.close()
    async with httpx.AsyncClient(base_url=service.url) as http:
        response = await http.post(
            f"/internal/v1/talents/{talent_id}/consent-requests",
            json={"channel": "link"},
            headers=service.headers(),
        )
    assert response.status_code == 201, response.text
    url: str = response.json()["consent_url"]
    return url


async def state(service: ConsentProcess, talent_id: str) -> str:
    async with httpx.AsyncClient(base_url=service.url) as http:
        response = await http.get(
            f"/internal/v1/talents/{talent_id}/consent", headers=service.headers()
        )
    value: str = response.json()["state"]
    return value


async def open_page(browser: Browser, url: str) -> Page:
    context = await browser.new_context(user_agent="Mozilla/5.0 (E2E) Chromium")
    page = await context.new_page()
    response = await page.goto(url)
    assert response is not None and response.status == 200
    return page


async def test_grant_then_withdraw_in_english(
    consent_service: ConsentProcess, browser: Browser
) -> None:
    talent = new_talent_id()
    page = await open_page(browser, await consent_link(consent_service, talent))
    assert await page.text_content("h1") == "Ihre Daten in unserem Talentpool"
    assert "ACME Recruiting GmbH" in (await page.text_content("main") or "")
    assert "auf XING" in (await page.text_content("main") or "")
    await page.click("text=English")
    assert await page.text_content("h1") == "Your data in our talent pool"
    await page.click("#grant")
    await page.wait_for_selector('#status[data-state="granted"]')
    assert await state(consent_service, talent) == "granted"
    await page.reload()  # a reload is a GET and changes nothing
    assert await state(consent_service, talent) == "granted"
    await page.click("#withdraw")
    await page.wait_for_selector('#status[data-state="withdrawn"]')
    assert await page.locator("form").count() == 0
    assert await state(consent_service, talent) == "withdrawn"


async def test_deny(consent_service: ConsentProcess, browser: Browser) -> None:
    talent = new_talent_id()
    page = await open_page(browser, await consent_link(consent_service, talent))
    await page.click("#deny")
    await page.wait_for_selector('#status[data-state="denied"]')
    assert "gelöscht" in (await page.text_content("#status") or "")
    assert await state(consent_service, talent) == "denied"


async def test_an_expired_link_gets_the_expired_page(
    consent_service: ConsentProcess, browser: Browser
) -> None:
    talent = new_talent_id()
    url = await consent_link(consent_service, talent)
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(consent_service.mongodb_url)
    await client[consent_service.db_name]["consents"].update_one(
        {"_id": f"acme:{talent}"},
        {"$set": {"expires_at": datetime.now(UTC) - timedelta(minutes=1)}},
    )
    await client.close()
    page = await browser.new_page()
    response = await page.goto(url)
    assert response is not None and response.status == 410
    await page.wait_for_selector('main[data-page="expired"]')
    assert await page.locator("#grant").count() == 0


async def test_an_unknown_link_gets_its_own_page(
    consent_service: ConsentProcess, browser: Browser
) -> None:
    page = await browser.new_page()
    response = await page.goto(f"{consent_service.url}/c/{'x' * 43}")
    assert response is not None and response.status == 404
    await page.wait_for_selector('main[data-page="unknown"]')


async def test_forged_and_cross_site_answers_are_rejected(
    consent_service: ConsentProcess, browser: Browser
) -> None:
    talent = new_talent_id()
    url = await consent_link(consent_service, talent)
    page = await open_page(browser, url)
    stolen = await page.get_attribute('input[name="csrf"]', "value")
    await page.evaluate("document.querySelector('input[name=csrf]').value = 'f'.repeat(64)")
    await page.click("#grant")
    await page.wait_for_selector('main[data-page="csrf"]')

    # Another site posting the form in the same browser, even with a valid CSRF value, fails:
    # SameSite=Strict keeps our cookie out of cross-site posts.
    attacker = await page.context.new_page()
    await attacker.set_content(
        f'<form method="post" action="{url}"><input name="decision" value="deny">'
        f'<input name="csrf" value="{stolen}"></form>'
    )
    async with attacker.expect_navigation():
        await attacker.evaluate("document.forms[0].submit()")
    assert await attacker.locator('main[data-page="csrf"]').count() == 1
    assert await state(consent_service, talent) == "requested"

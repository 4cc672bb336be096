"""Real Chromium with the unpacked extension loaded, the way a recruiter runs it.

LinkedIn and Xing are the platform simulator, reached under their real host names: the
browser's requests to https://www.linkedin.com and https://www.xing.com are answered by the
simulator (Playwright routing), so the extension's host permissions, its cookie reads and its
URL rules meet the production URLs. The gateway is the real one, reached through CORS.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import BrowserContext, Page, Route, Worker, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
DIST = EXTENSION / "dist"
SCREENSHOTS = ROOT / "docs" / "extension"
CHROMIUM = os.environ.get("SOURCER_CHROMIUM_PATH") or "/usr/bin/chromium"
AXE = EXTENSION / "node_modules" / "axe-core" / "axe.min.js"
PLATFORM_HOSTS = ("https://www.linkedin.com/", "https://www.xing.com/")
OTHER_SITE = "https://www.example.org/"


def extension_id(dist: Path) -> str:
    """Chromium's id of an extension: the SHA-256 of the manifest's public key (the unpacked
    build carries one, extension/dev-key.pub) or else of its folder's path, hex digits as a-p."""
    key = json.loads((dist / "manifest.json").read_text()).get("key")
    source = base64.b64decode(key) if key else str(dist.resolve()).encode()
    digest = hashlib.sha256(source).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


@dataclass
class ExtensionBrowser:
    context: BrowserContext
    worker: Worker
    extension_id: str
    language: str
    simulator: str

    @property
    def origin(self) -> str:
        return f"chrome-extension://{self.extension_id}"

    def configure(
        self, *, gateway_url: str, issuer: str, client_id: str, client_secret: str
    ) -> None:
        config = {
            "gatewayUrl": gateway_url,
            "issuer": issuer,
            "clientId": client_id,
            "clientSecret": client_secret,
            "scope": "openid profile email",
        }
        self.worker.evaluate("c => chrome.storage.local.set({config: c})", config)

    def store_tokens(self, access_token: str) -> None:
        """Signs the extension in with an ID token of the provider, taken by the same flow
        outside the browser (tests that are not about signing in)."""
        self.worker.evaluate(
            "t => chrome.storage.local.set("
            "{tokens: {accessToken: t, expiresAt: Date.now() + 3600e3}})",
            access_token,
        )

    def signed_in(self) -> bool:
        return bool(
            self.worker.evaluate("chrome.storage.local.get('tokens').then(s => !!s.tokens)")
        )

    def open_tab(self, url: str) -> tuple[Page, int]:
        page = self.context.new_page()
        page.goto(url)
        tab_id = self.worker.evaluate(
            """async url => {
                for (let i = 0; i < 50; i++) {
                    const tabs = await chrome.tabs.query({});
                    const tab = tabs.find(t => t.url === url || t.pendingUrl === url);
                    if (tab) return tab.id;
                    await new Promise(r => setTimeout(r, 100));
                }
                return null;
            }""",
            page.url,
        )
        assert tab_id is not None, f"no tab for {page.url}"
        return page, int(tab_id)

    def icon_enabled(self, tab_id: int, *, expected: bool) -> bool:
        """Whether the action is enabled on the tab, once the service worker has handled the
        tab's updates: waits (bounded) for `expected`, and answers what it then is."""
        deadline = time.monotonic() + 10
        while True:
            enabled = bool(self.worker.evaluate("id => chrome.action.isEnabled(id)", tab_id))
            title = self.worker.evaluate("id => chrome.action.getTitle({tabId: id})", tab_id)
            wanted = self.worker.evaluate(
                "k => chrome.i18n.getMessage(k)",
                "actionTitle" if expected else "actionTitleDisabled",
            )
            if (enabled == expected and title == wanted) or time.monotonic() > deadline:
                return enabled
            time.sleep(0.1)

    def open_window(self, tab_id: int) -> Page:
        """The extension's window for a tab, as a click on the icon opens it (in a tab here)."""
        page = self.context.new_page()
        page.set_viewport_size({"width": 400, "height": 480})
        page.goto(f"{self.origin}/popup.html?tab={tab_id}")
        return page

    def screenshot(self, page: Page, state: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{state}-{self.language}.png", full_page=True)

    def axe_violations(self, page: Page) -> list[dict[str, Any]]:
        """axe-core's violations on the page as it is now (evaluated through DevTools, so the
        extension's content security policy is left as it ships)."""
        page.evaluate(AXE.read_text() + "\n;undefined")
        violations: list[dict[str, Any]] = page.evaluate(
            """() => axe.run(document, {resultTypes: ['violations']}).then(r =>
                r.violations.map(v => ({id: v.id, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' '))})))"""
        )
        return violations

    def check_state(self, page: Page, state: str) -> None:
        """A screenshot of a state for docs/extension.md, and no accessibility violation."""
        self.screenshot(page, state)
        violations = self.axe_violations(page)
        assert violations == [], json.dumps(violations, indent=1)

    def login_platform(self, platform: str, account: str) -> str:
        """Logs `account` in on the (simulated) platform in this browser; the cookie value."""
        answer = httpx.get(
            f"{self.simulator}/_sim/login", params={"account": account, "platform": platform}
        )
        answer.raise_for_status()
        [(name, value)] = answer.json()["cookies"].items()
        domain = ".linkedin.com" if platform == "linkedin" else ".xing.com"
        self.context.add_cookies(
            [
                {
                    "name": name,
                    "value": value,
                    "domain": domain,
                    "path": "/",
                    "secure": True,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        return str(value)


def _platform_route(simulator: str):  # type: ignore[no-untyped-def]
    def handle(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.path.startswith(("/talent/", "/sales/")):
            # LinkedIn Recruiter and Sales Navigator are not simulated: a page stands in.
            route.fulfill(
                content_type="text/html", body="<html><body><h1>Recruiter</h1></body></html>"
            )
            return
        target = f"{simulator}{url.path}" + (f"?{url.query}" if url.query else "")
        # Redirects (a logged-out profile goes to the authwall) are followed here: Chromium
        # would resolve the real host again for a redirect the route answered.
        response = route.fetch(url=target)
        headers = {
            k: v for k, v in response.headers.items() if k.lower() not in ("set-cookie", "location")
        }
        route.fulfill(status=response.status, headers=headers, body=response.body())

    return handle


def _other_site(route: Route) -> None:
    route.fulfill(content_type="text/html", body="<html><body><h1>Example</h1></body></html>")


@contextmanager
def extension_browser(
    *, dist: Path, language: str, simulator: str, profile_dir: Path
) -> Iterator[ExtensionBrowser]:
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile_dir),
            headless=True,
            executable_path=CHROMIUM,
            locale=language,
            args=[
                "--no-sandbox",
                f"--disable-extensions-except={dist}",
                f"--load-extension={dist}",
                f"--lang={language}",
            ],
        )
        try:
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            for host in PLATFORM_HOSTS:
                context.route(f"{host}**", _platform_route(simulator))
            context.route(f"{OTHER_SITE}**", _other_site)
            worker = (
                context.service_workers[0]
                if context.service_workers
                else context.wait_for_event("serviceworker", timeout=20_000)
            )
            ext_id = urlsplit(worker.url).hostname or ""
            assert ext_id == extension_id(dist), (ext_id, extension_id(dist))
            yield ExtensionBrowser(
                context=context,
                worker=worker,
                extension_id=ext_id,
                language=language,
                simulator=simulator,
            )
        finally:
            context.close()

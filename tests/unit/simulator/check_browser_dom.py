"""Manual check, not a test: real Chromium builds the same DOM as `render_hydrated`.

Run from the repository root:

    uv run python tests/unit/simulator/check_browser_dom.py

It serves the simulator on a free port, logs in through `/_sim/login`, loads every built-in
member's pages in Chromium (accepting Xing's consent dialog), and compares `page.content()`
with `render_hydrated(...)` twice: element by element (tag, attributes, own text) inside
`<body>`, and by parsing both into a `Profile`. Prints one line per page and exits non-zero
on any difference.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
import time
from datetime import date

import uvicorn
from playwright.async_api import Page, async_playwright
from selectolax.lexbor import LexborHTMLParser

from sourcer.extractor.parsing import parse_linkedin, parse_xing
from sourcer.proto.records import Platform, Profile
from sourcer.simulator import ProfileCatalog, create_app, render_hydrated

SEED = "browser-check"
TODAY = date(2025, 6, 15)
SECTIONS = ("experience", "education", "skills", "languages")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def dom_signature(html: str) -> list[tuple[str, tuple[tuple[str, str | None], ...], str]]:
    """Elements of <body> in document order: tag, attributes, own text."""
    tree = LexborHTMLParser(html)
    body = tree.body
    assert body is not None
    out = []
    for node in body.traverse():
        if not node.is_element_node or node.tag == "script":
            continue
        own = " ".join((node.text(deep=False) or "").split())
        out.append((node.tag or "", tuple(sorted(node.attributes.items())), own))
    return out


def serve() -> tuple[str, uvicorn.Server]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    app = create_app(seed=SEED, today=TODAY)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


async def load(page: Page, url: str, wait_for: str, *, consent: bool = False) -> str:
    await page.goto(url)
    if consent and await page.locator("#consent-accept-button").count():
        await page.click("#consent-accept-button")
    await page.wait_for_selector(wait_for, state="attached", timeout=5000)
    return await page.content()


def compare(label: str, browser_html: str, expected_html: str) -> bool:
    same = dom_signature(browser_html) == dom_signature(expected_html)
    print(f"{'ok  ' if same else 'DIFF'} dom     {label}")
    return same


async def main() -> int:
    base, server = serve()
    failures = 0
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = await (await browser.new_context()).new_page()
        await page.goto(f"{base}/_sim/login?account=checker")
        for sim in ProfileCatalog.builtin():
            if sim.private:
                continue
            url = base + sim.path
            if sim.platform is Platform.XING:
                html = await load(page, url, "[data-qa='profile-name']", consent=True)
                failures += not compare(
                    sim.slug, html, render_hydrated(sim, seed=SEED, today=TODAY)
                )
                got: Profile = parse_xing(html, url=url)
            else:
                main_html = await load(page, url, "main section[data-view-name='profile-card']")
                failures += not compare(
                    sim.slug, main_html, render_hydrated(sim, seed=SEED, today=TODAY)
                )
                details = {}
                for section in SECTIONS:
                    html = await load(page, f"{url}details/{section}/", "main ul")
                    await page.wait_for_timeout(150)
                    html = await page.content()
                    expected = render_hydrated(
                        sim, "details", section=section, seed=SEED, today=TODAY
                    )
                    failures += not compare(f"{sim.slug} details/{section}", html, expected)
                    details[section] = html
                contact = await load(page, f"{url}overlay/contact-info/", "#pv-contact-info")
                expected = render_hydrated(sim, "contact", seed=SEED, today=TODAY)
                failures += not compare(f"{sim.slug} contact", contact, expected)
                got = parse_linkedin(main_html, details=details, contact_html=contact, url=url)
            same = got == sim.profile
            failures += not same
            print(f"{'ok  ' if same else 'DIFF'} profile {sim.slug}")
        await browser.close()
    server.should_exit = True
    print("all equal" if not failures else f"{failures} difference(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

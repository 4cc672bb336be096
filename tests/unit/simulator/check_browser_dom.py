"""Manual check, not a test: real Chromium builds the same DOM as `render_hydrated`.

Run from the repository root:

    uv run python tests/unit/simulator/check_browser_dom.py

It serves the simulator on a free port, logs in through `/_sim/login`, loads every built-in
member's pages in Chromium the way the worker does (`sourcer.extractor.navigation`: the same
waits, Xing's consent dialog accepted, today's LinkedIn lazy cards scrolled in, "Show all" pages
of every layout, the contact overlay), and compares the browser's DOM with `render_hydrated(...)`
twice: element by element (tag, attributes, own text) inside `<body>`, and by parsing the
browser's pages into a `Profile` that must equal the member's. Covers every layout generation
the catalog's members use. Prints one line per page and exits non-zero on any difference.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import threading
import time
from dataclasses import replace
from datetime import date

import uvicorn
from playwright.async_api import Page, async_playwright
from selectolax.lexbor import LexborHTMLParser

from sourcer.extractor.browser import CHROMIUM_ARGS
from sourcer.extractor.navigation import render_linkedin, render_xing
from sourcer.extractor.parsing import parse_linkedin, parse_xing
from sourcer.proto.records import Platform, Profile
from sourcer.simulator import ProfileCatalog, create_app, render_hydrated
from sourcer.simulator.model import SimProfile
from sourcer.simulator.render import LINKEDIN_LAYOUTS, XING_LAYOUTS, layout_of

CHROMIUM = os.environ.get("SOURCER_CHROMIUM_PATH") or "/usr/bin/chromium"
SEED = "browser-check"
CATALOG = ProfileCatalog()
TODAY = date(2025, 6, 15)
NAVIGATION_MS = 15_000
SECTION_MS = 5_000


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
    app = create_app(profiles=CATALOG, seed=SEED, today=TODAY)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def compare(label: str, browser_html: str, expected_html: str) -> bool:
    same = dom_signature(browser_html) == dom_signature(expected_html)
    print(f"{'ok  ' if same else 'DIFF'} dom     {label}")
    return same


async def main() -> int:
    base, server = serve()
    failures = 0
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
        page = await context.new_page()
        await page.goto(f"{base}/_sim/login?account=checker")
        for member in ProfileCatalog.builtin():
            if member.private:
                continue
            layouts = XING_LAYOUTS if member.platform is Platform.XING else LINKEDIN_LAYOUTS
            for layout in layouts:
                sim = replace(member, layout=layout)
                CATALOG.put(sim)  # the served app reads its members from this catalog
                failures += await check(page, base, sim)
        await browser.close()
    server.should_exit = True
    print("all equal" if not failures else f"{failures} difference(s)")
    return 1 if failures else 0


async def check(page: Page, base: str, sim: SimProfile) -> int:
    """Differences between the browser's pages of `sim` and the rendered ones."""
    url = base + sim.path
    label = f"{sim.slug} ({sim.platform.value}/{layout_of(sim)})"
    failures = 0
    if sim.platform is Platform.XING:
        shown = await render_xing(page, url, navigation_ms=NAVIGATION_MS, section_ms=SECTION_MS)
        failures += not compare(label, shown.main, render_hydrated(sim, seed=SEED, today=TODAY))
        got: Profile = parse_xing(shown.main, url=url)
    else:
        shown = await render_linkedin(page, url, navigation_ms=NAVIGATION_MS, section_ms=SECTION_MS)
        if shown.unloaded:
            failures += 1
            print(f"DIFF lazy    {label}: containers left empty {shown.unloaded}")
        failures += not compare(label, shown.main, render_hydrated(sim, seed=SEED, today=TODAY))
        for section, html in shown.details.items():
            expected = render_hydrated(sim, "details", section=section, seed=SEED, today=TODAY)
            failures += not compare(f"{label} details/{section}", html, expected)
        expected = render_hydrated(sim, "contact", seed=SEED, today=TODAY)
        failures += not compare(f"{label} contact", shown.contact or "", expected)
        got = parse_linkedin(shown.main, details=shown.details, contact_html=shown.contact, url=url)
    same = got == sim.profile
    print(f"{'ok  ' if same else 'DIFF'} profile {label}")
    return failures + (not same)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

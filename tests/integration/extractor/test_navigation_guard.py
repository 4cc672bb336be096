"""The logged-in browser opens only allowlisted profile URLs and that profile's own subpages.

A request that reached the bus without the gateway's check, and "Show all" links that point
off the platform or at another member, are refused by the extractor itself: the simulator (and
a foreign host) must never see those page loads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from extractor_harness import Harness, Simulator, serve_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from test_extraction import outcome, request, source

from sourcer.proto.records import Platform
from sourcer.simulator.app import create_app
from sourcer.simulator.catalog import ProfileCatalog
from sourcer.simulator.scenarios import Scenarios

pytestmark = pytest.mark.integration

MEMBER, OTHER = "hans-peter-schmidt", "olivia-nguyen"


class RewriteProfile:
    """Serves `MEMBER`'s profile page with its "Show all" links replaced."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.replacements: list[tuple[bytes, bytes]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != f"/in/{MEMBER}/":
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, keep)
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        for old, new in self.replacements:
            body = body.replace(old, new)
        start = next(m for m in messages if m["type"] == "http.response.start")
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@pytest.fixture
async def foreign_hits() -> AsyncIterator[tuple[str, list[str]]]:
    hits: list[str] = []

    async def anything(request: Request) -> Response:
        hits.append(request.url.path)
        return HTMLResponse("<main><ul><li>Not this member</li></ul></main>")

    app = Starlette(routes=[Route("/{path:path}", anything)])
    async with serve_app(app) as base_url:
        yield base_url, hits


@pytest.fixture
async def rewrite() -> RewriteProfile:
    return RewriteProfile(create_app(profiles=ProfileCatalog.builtin(), render_delay_ms=20))


@pytest.fixture
async def simulator(rewrite: RewriteProfile) -> AsyncIterator[Simulator]:
    catalog = ProfileCatalog.builtin()
    scenarios = Scenarios()
    rewrite.app = create_app(profiles=catalog, scenario_state=scenarios, render_delay_ms=20)
    async with serve_app(rewrite) as base_url:
        yield Simulator(base_url=base_url, catalog=catalog, scenarios=scenarios)


async def page_loads(harness: Harness) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=harness.simulator.base_url) as client:
        stats: dict[str, Any] = (await client.get("/_sim/stats")).json()
    return stats


async def test_a_dot_slug_request_never_reaches_the_browser(harness: Harness) -> None:
    await harness.add_account("bob", Platform.XING)
    before = (await page_loads(harness))["total"]
    request_id = await request(harness, "https://www.xing.com/profile/..", Platform.XING, "..")
    result = await outcome(harness, request_id)
    assert result.type == "profile.extraction_failed"
    assert result.payload.code == "unsupported_url"
    assert result.payload.retryable is False
    assert (await page_loads(harness))["total"] == before


async def test_show_all_links_off_the_platform_or_to_another_member_are_not_followed(
    harness: Harness, rewrite: RewriteProfile, foreign_hits: tuple[str, list[str]]
) -> None:
    foreign, hits = foreign_hits
    member = harness.simulator.catalog.find(MEMBER)
    other = harness.simulator.catalog.find(OTHER)
    assert member is not None and other is not None
    experience, education = f"/in/{MEMBER}/details/experience/", f"/in/{MEMBER}/details/education/"
    rewrite.replacements = [
        (experience.encode(), f"{foreign}{experience}".encode()),  # another host
        (education.encode(), f"/in/{OTHER}/details/education/".encode()),  # another member
    ]
    await harness.add_account("alice")
    result = await outcome(harness, await source(harness, member))
    assert hits == []
    loads = (await page_loads(harness))["profiles"]
    assert OTHER not in loads
    assert loads[MEMBER].get("details", 0) == 0
    assert result.type == "profile.extracted"
    profile = result.payload.profile
    assert profile.first_name == member.profile.first_name
    assert not {e.school for e in profile.education} & {e.school for e in other.profile.education}

"""Images, media and fonts are never fetched by the extractor's browser; the page itself is."""

from __future__ import annotations

import pytest
from extractor_harness import CHROMIUM, chromium_no_sandbox, serve_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from sourcer.extractor.browser import BrowserHost

pytestmark = pytest.mark.integration

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="/assets/site.css">
<style>@font-face { font-family: brand; src: url(/assets/brand.woff2) format("woff2"); }
body { font-family: brand, sans-serif; }</style>
</head><body>
<h1>Jane Doe</h1>
<img src="/assets/photo.jpg" alt="">
<img src="https://media.example.invalid/dms/image/abc">
<video src="/assets/intro.mp4" autoplay muted></video>
<audio src="/assets/hello.mp3" autoplay></audio>
</body></html>"""


def asset_server(fetched: list[str]) -> Starlette:
    async def page(request: Request) -> Response:
        fetched.append(request.url.path)
        return HTMLResponse(PAGE)

    async def asset(request: Request) -> Response:
        fetched.append(request.url.path)
        return Response(b"", media_type="application/octet-stream")

    return Starlette(routes=[Route("/in/jane/", page), Route("/assets/{name}", asset)])


async def test_images_media_and_fonts_are_not_fetched() -> None:
    fetched: list[str] = []
    host = BrowserHost(
        executable=CHROMIUM, headless=True, pages_per_context=10, no_sandbox=chromium_no_sandbox()
    )
    await host.start()
    try:
        async with serve_app(asset_server(fetched)) as base_url:
            page = await host.open_page(account_id="a", storage_state={"cookies": []})
            # `load` waits for every subresource the page did request.
            await page.goto(f"{base_url}/in/jane/", wait_until="load")
            assert await page.text_content("h1") == "Jane Doe"
    finally:
        await host.close()
    assert sorted(fetched) == ["/assets/site.css", "/in/jane/"]

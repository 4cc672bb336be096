"""Every page the simulator can answer with is classified right, from live responses."""

import json
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser

from sourcer.extractor.parsing import (
    FAILURES,
    PageKind,
    classify,
    classify_linkedin,
    classify_xing,
    failure_for,
)
from sourcer.proto.events import ExtractionErrorCode as Code
from sourcer.simulator import create_app

pytestmark = pytest.mark.unit

LINKEDIN = ("linkedin", "/in/jane-doe/")
XING = ("xing", "/profile/Thomas_Mueller")


def run_inline_script(html: str) -> str:
    """What the simulator's inline script leaves behind (consent accepted): a browser stand-in."""
    tree = LexborHTMLParser(html)
    blob = tree.css_first("script#hydration-state")
    if blob is None:
        return html
    state = json.loads(blob.text())
    target = tree.css_first(state["target"])
    assert target is not None
    for node in tree.css("script#hydration-state, #consent-root"):
        node.decompose()
    outer = target.html or ""
    closing = f"</{target.tag}>"
    document = tree.html or ""
    return document.replace(outer, outer[: -len(closing)] + state["html"] + closing, 1)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(seed="classify", today=date(2025, 6, 15))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sim.test", follow_redirects=True
    ) as http:
        yield http


async def _login(http: httpx.AsyncClient) -> None:
    assert (await http.get("/_sim/login", params={"account": "recruiter"})).status_code == 200


async def _visit(http: httpx.AsyncClient, platform: str, path: str) -> tuple[str, str, int]:
    response = await http.get(path)
    return run_inline_script(response.text), str(response.url), response.status_code


@pytest.mark.parametrize(("platform", "path"), [LINKEDIN, XING])
@pytest.mark.parametrize(
    ("scenario", "kind"),
    [
        (None, PageKind.PROFILE),
        ("slow", PageKind.PROFILE),
        ("layout_variant", PageKind.PROFILE),
        ("checkpoint", PageKind.CHECKPOINT),
        ("rate_limited", PageKind.RATE_LIMITED),
        ("soft_block", PageKind.RATE_LIMITED),
        ("unavailable", PageKind.UNAVAILABLE),
        ("private", PageKind.PRIVATE),
        ("account_picker", PageKind.ACCOUNT_PICKER),
    ],
)
async def test_scenario_pages(
    client: httpx.AsyncClient, platform: str, path: str, scenario: str | None, kind: PageKind
) -> None:
    await _login(client)
    slug = path.rstrip("/").rsplit("/", 1)[1]
    body = {"slug": slug, "scenario": scenario, "seconds": 0.01}
    assert (await client.post("/_sim/scenario", json=body)).status_code == 200
    html, url, status = await _visit(client, platform, path)
    assert classify(platform, html, url, status) is kind
    # A saved page knows neither URL nor status: the page alone must tell.
    assert classify(platform, html, "", None) is kind


@pytest.mark.parametrize(("platform", "path"), [LINKEDIN, XING])
async def test_logged_out_and_fake_sessions(
    client: httpx.AsyncClient, platform: str, path: str
) -> None:
    html, url, status = await _visit(client, platform, path)
    assert classify(platform, html, url, status) is PageKind.LOGGED_OUT
    assert classify(platform, html, "", None) is PageKind.LOGGED_OUT
    client.cookies.set("li_at", "AQEDAforged")
    client.cookies.set("login", "xing-forged")
    html, url, status = await _visit(client, platform, path)
    assert classify(platform, html, url, status) is PageKind.LOGGED_OUT


async def test_expired_session_is_logged_out(client: httpx.AsyncClient) -> None:
    await _login(client)
    await client.post("/_sim/expire", json={"account": "recruiter"})
    html, url, status = await _visit(client, *LINKEDIN)
    assert classify_linkedin(html, url, status) is PageKind.LOGGED_OUT


async def test_private_members(client: httpx.AsyncClient) -> None:
    await _login(client)
    for platform, path in (("linkedin", "/in/priya-raman/"), ("xing", "/profile/Felix_Braun7")):
        html, url, status = await _visit(client, platform, path)
        assert classify(platform, html, url, status) is PageKind.PRIVATE


async def test_linkedin_subpages_are_profiles(client: httpx.AsyncClient) -> None:
    await _login(client)
    for sub in ("details/experience/", "details/languages/", "overlay/contact-info/"):
        html, url, status = await _visit(client, "linkedin", f"/in/hans-peter-schmidt/{sub}")
        assert classify_linkedin(html, url, status) is PageKind.PROFILE


async def test_xing_before_consent_is_not_a_profile_yet(client: httpx.AsyncClient) -> None:
    await _login(client)
    response = await client.get(XING[1])
    assert 'id="consent-root"' in response.text
    assert classify_xing(response.text, str(response.url), 200) is PageKind.UNKNOWN


async def test_unknown_member_is_unavailable(client: httpx.AsyncClient) -> None:
    await _login(client)
    html, url, status = await _visit(client, "linkedin", "/in/nobody-here/")
    assert status == 404
    assert classify_linkedin(html, url, status) is PageKind.UNAVAILABLE


def test_unrelated_page_is_unknown() -> None:
    html = "<html><body><div><p>Hello there</p></div></body></html>"
    assert classify_linkedin(html, "https://www.linkedin.com/in/x/", 200) is PageKind.UNKNOWN
    assert classify_xing(html, "https://www.xing.com/profile/X", 200) is PageKind.UNKNOWN


def test_linkedin_999_and_xing_login_host() -> None:
    assert classify_linkedin("", "https://www.linkedin.com/in/x/", 999) is PageKind.RATE_LIMITED
    html = "<html><body><main><h1>Login</h1></main></body></html>"
    assert classify_xing(html, "https://login.xing.com/?dest=x", 200) is PageKind.LOGGED_OUT


@pytest.mark.parametrize(
    ("kind", "code", "retryable"),
    [
        (PageKind.LOGGED_OUT, Code.SESSION_EXPIRED, True),
        (PageKind.ACCOUNT_PICKER, Code.SESSION_EXPIRED, True),
        (PageKind.CHECKPOINT, Code.CHECKPOINT, False),
        (PageKind.RATE_LIMITED, Code.RATE_LIMITED, True),
        (PageKind.UNAVAILABLE, Code.PROFILE_UNAVAILABLE, False),
        (PageKind.PRIVATE, Code.PROFILE_UNAVAILABLE, False),
        (PageKind.UNKNOWN, Code.LAYOUT_CHANGED, False),
    ],
)
def test_failure_mapping(kind: PageKind, code: Code, retryable: bool) -> None:
    failure = failure_for(kind)
    assert failure is not None
    assert (failure.code, failure.retryable) == (code, retryable)
    assert failure.message


def test_every_error_code_has_a_message_and_profile_has_none() -> None:
    assert set(FAILURES) == set(Code)
    assert failure_for(PageKind.PROFILE) is None
    private, unavailable = failure_for(PageKind.PRIVATE), failure_for(PageKind.UNAVAILABLE)
    assert private and unavailable and "private" in private.message

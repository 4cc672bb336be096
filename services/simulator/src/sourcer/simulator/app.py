"""The simulator web app: LinkedIn and Xing on one host, told apart by path."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from sourcer.proto.records import Platform
from sourcer.simulator import system_pages as pages
from sourcer.simulator.catalog import ProfileCatalog
from sourcer.simulator.control import control_routes, set_session_cookie, sim_state
from sourcer.simulator.hydration import CONSENT_COOKIE, served_html
from sourcer.simulator.linkedin_pages import DETAIL_SECTIONS
from sourcer.simulator.render import PageName, Renderer
from sourcer.simulator.scenarios import Scenario, Scenarios
from sourcer.simulator.state import SESSION_COOKIES, SimState
from sourcer.simulator.texts import UiLanguage


async def _form(request: Request) -> dict[str, str]:
    # Login forms are urlencoded; parsing them by hand spares a multipart dependency.
    body = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status)


async def _member_page(request: Request, platform: Platform, name: PageName) -> Response:
    st = sim_state(request)
    slug = request.path_params["slug"]
    account = st.sessions.account_for(request.cookies.get(SESSION_COOKIES[platform]), platform)
    st.stats.record(slug=slug, page=name, account=account, platform=platform)
    setting = st.scenarios.for_request(slug=slug, account=account)
    scenario = setting.scenario if setting else Scenario.NORMAL
    sim = st.catalog.get(platform, slug)
    lang: UiLanguage = sim.ui_language if sim else "en"
    layout = st.renderer.layout(scenario is Scenario.LAYOUT_VARIANT)
    here = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))

    if scenario is Scenario.RATE_LIMITED:
        return _html(pages.too_many_requests(), 429)
    if account is None:
        if platform is Platform.LINKEDIN:
            return RedirectResponse(f"/authwall?trk=bf&sessionRedirect={here}", 302)
        return RedirectResponse(f"/xing/login?dest_url={here}", 302)
    delay_ms = st.render_delay_ms
    if scenario is Scenario.SLOW and setting:
        await asyncio.sleep(setting.seconds)
        delay_ms = int(setting.seconds * 1000)
    if scenario is Scenario.CHECKPOINT:
        if platform is Platform.LINKEDIN:
            token = secrets.token_urlsafe(16)
            return RedirectResponse(
                f"/checkpoint/challenge/{token}?original_referer={here}&lang={lang}", 302
            )
        return RedirectResponse(f"/xing/captcha?dest_url={here}&lang={lang}", 302)
    if scenario is Scenario.ACCOUNT_PICKER:
        return _html(pages.account_picker(lang, account, platform=platform.value))
    if scenario is Scenario.SOFT_BLOCK:
        return _html(pages.soft_block(lang, layout, platform=platform.value))
    section = request.path_params.get("section")
    if (
        sim is None
        or scenario is Scenario.UNAVAILABLE
        or (name == "details" and section not in DETAIL_SECTIONS)
    ):
        return _html(pages.not_found(lang, layout, platform=platform.value), 404)
    page = st.renderer.page(
        sim,
        name,
        section=section,
        variant=scenario is Scenario.LAYOUT_VARIANT,
        private=scenario is Scenario.PRIVATE,
    )
    if scenario is Scenario.CARDS_NEVER_LOAD:
        page = replace(page, lazy=dict.fromkeys(page.lazy, ""))
    show_consent = request.cookies.get(CONSENT_COOKIE) != "accepted"
    return _html(served_html(page, delay_ms=delay_ms, show_consent=show_consent))


async def linkedin_profile(request: Request) -> Response:
    """A LinkedIn profile page."""
    return await _member_page(request, Platform.LINKEDIN, "profile")


async def linkedin_details(request: Request) -> Response:
    """A LinkedIn details subpage (experience, education, skills, languages)."""
    return await _member_page(request, Platform.LINKEDIN, "details")


async def linkedin_contact(request: Request) -> Response:
    """The LinkedIn contact-info overlay."""
    return await _member_page(request, Platform.LINKEDIN, "contact")


async def xing_profile(request: Request) -> Response:
    """A Xing profile page."""
    return await _member_page(request, Platform.XING, "profile")


async def linkedin_login_page(request: Request) -> Response:
    """The LinkedIn sign-in form."""
    return _html(pages.linkedin_login(request.query_params.get("session_redirect", "")))


async def linkedin_login_submit(request: Request) -> Response:
    """Sign in to LinkedIn with simulator credentials; sets `li_at`."""
    st = sim_state(request)
    form = await _form(request)
    account = form.get("session_key", "").strip()
    redirect = form.get("session_redirect", "")
    if not account or form.get("session_password") != st.password:
        return _html(pages.linkedin_login(redirect, "Wrong email or password. Try again."), 200)
    response = RedirectResponse(redirect if redirect.startswith("/") else "/feed/", 302)
    set_session_cookie(response, Platform.LINKEDIN, st.sessions.login(account, Platform.LINKEDIN))
    return response


async def xing_login_page(request: Request) -> Response:
    """The Xing login form."""
    return _html(pages.xing_login(request.query_params.get("dest_url", "")))


async def xing_login_submit(request: Request) -> Response:
    """Log in to Xing with simulator credentials; sets `login`."""
    st = sim_state(request)
    form = await _form(request)
    account = form.get("username", "").strip()
    dest = form.get("dest_url", "")
    if not account or form.get("password") != st.password:
        return _html(pages.xing_login(dest, "Bitte überprüfen Sie Ihre Eingaben."), 200)
    response = RedirectResponse(dest if dest.startswith("/") else "/", 302)
    set_session_cookie(response, Platform.XING, st.sessions.login(account, Platform.XING))
    return response


async def authwall(request: Request) -> Response:
    """LinkedIn's wall for logged-out visitors."""
    return _html(pages.linkedin_authwall(quote(request.query_params.get("sessionRedirect", ""))))


async def checkpoint(request: Request) -> Response:
    """A LinkedIn security check; the simulator never lets anyone through."""
    lang: UiLanguage = "de" if request.query_params.get("lang") == "de" else "en"
    token = request.path_params.get("token", "")
    return _html(pages.linkedin_checkpoint(token, lang))


async def xing_captcha(request: Request) -> Response:
    """A Xing captcha page; never solvable."""
    lang: UiLanguage = "de" if request.query_params.get("lang") == "de" else "en"
    return _html(pages.xing_captcha(lang))


async def feed(request: Request) -> Response:
    """The LinkedIn home feed of the signed-in account."""
    st = sim_state(request)
    account = st.sessions.account_for(request.cookies.get("li_at"), Platform.LINKEDIN)
    if account is None:
        return RedirectResponse("/login", 302)
    return _html(pages.feed(st.renderer.layout(False), account))


async def xing_start(request: Request) -> Response:
    """The Xing start page of the signed-in account (what a session check loads)."""
    st = sim_state(request)
    account = st.sessions.account_for(request.cookies.get("login"), Platform.XING)
    if account is None:
        return RedirectResponse("/xing/login?dest_url=/start", 302)
    return _html(pages.xing_start(account))


async def index(request: Request) -> Response:
    """Links to every simulated member, for the demo."""
    st = sim_state(request)
    rows = "".join(
        f'<li><a href="{s.path}">{s.display_name}</a> ({s.platform.value})</li>'
        for s in sorted(st.catalog, key=lambda s: (s.platform.value, s.slug))
    )
    return _html(f"<!DOCTYPE html><title>Platform simulator</title><ul>{rows}</ul>")


def create_app(
    *,
    profiles: ProfileCatalog | None = None,
    scenario_state: Scenarios | None = None,
    seed: str | None = None,
    today: date | None = None,
    render_delay_ms: int = 50,
) -> Starlette:
    """Build the simulator app.

    `seed` fixes the generated class names (a random one per instance by default, like a new
    front-end build); `today` fixes the date that durations in captions are computed against.
    """
    state = SimState(
        catalog=profiles if profiles is not None else ProfileCatalog.builtin(),
        scenarios=scenario_state if scenario_state is not None else Scenarios(),
        renderer=Renderer(seed=seed or secrets.token_hex(8), today=today),
        render_delay_ms=render_delay_ms,
    )
    routes = [
        Route("/", index),
        Route("/in/{slug}/", linkedin_profile),
        Route("/in/{slug}/details/{section}/", linkedin_details),
        Route("/in/{slug}/overlay/contact-info/", linkedin_contact),
        Route("/profile/{slug}", xing_profile),
        Route("/login", linkedin_login_page),
        Route("/login", linkedin_login_submit, methods=["POST"]),
        Route("/checkpoint/lg/login-submit", linkedin_login_submit, methods=["POST"]),
        Route("/authwall", authwall),
        Route("/checkpoint/challenge/verify", checkpoint, methods=["POST"]),
        Route("/checkpoint/challenge/{token}", checkpoint),
        Route("/feed/", feed),
        Route("/start", xing_start),
        Route("/xing/login", xing_login_page),
        Route("/xing/login", xing_login_submit, methods=["POST"]),
        Route("/xing/captcha", xing_captcha, methods=["GET", "POST"]),
        *control_routes(),
    ]
    app = Starlette(routes=routes)
    app.state.sim = state
    return app

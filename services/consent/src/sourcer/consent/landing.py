"""The talent's landing page: read on GET, answer on POST with a CSRF check.

GET never changes state, because mail scanners and link previews open links. The CSRF check
is a double-submit cookie bound to the token: the form carries HMAC(key, cookie nonce + token
hash), so a form posted from another site (no cookie, or no way to compute the HMAC) fails.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from sourcer.consent.container import Container
from sourcer.consent.domain import LANGUAGES, Consent, ConsentError, ConsentState, hash_token
from sourcer.consent.texts import TEXTS, Controller, format_date, source_phrase

router = APIRouter(include_in_schema=False)
CSRF_COOKIE = "sourcer_consent_csrf"
DECISIONS = {
    "grant": ConsentState.GRANTED,
    "deny": ConsentState.DENIED,
    "withdraw": ConsentState.WITHDRAWN,
}
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the URL
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
_ENV = Environment(
    loader=PackageLoader("sourcer.consent", "templates"), autoescape=select_autoescape()
)


def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def csrf_value(*, key: bytes, nonce: str, token: str) -> str:
    message = f"{nonce}:{hash_token(token)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _language(request: Request, requested: str | None, consent: Consent | None) -> str:
    if requested in LANGUAGES:
        return str(requested)
    if consent is not None and consent.language in LANGUAGES:
        return consent.language
    accept = request.headers.get("accept-language", "")
    return "de" if accept.lower().startswith("de") else "en"


async def _render(
    request: Request,
    *,
    page: str,
    status: int,
    lang: str,
    token: str,
    consent: Consent | None = None,
) -> Response:
    c = _container(request)
    t = TEXTS[lang]
    context: dict[str, Any] = {"page": page, "lang": lang, "t": t}
    context["text_version"] = c.settings.text_version
    nonce = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    if consent is not None:
        contact = await c.service.talents.contact(
            tenant_id=consent.tenant_id, talent_id=consent.talent_id
        )
        decision = consent.last_decision
        actions: list[str] = []
        if consent.state in (ConsentState.REQUESTED, ConsentState.UNLOCKED_MANUALLY):
            actions = ["grant", "deny"]
        elif consent.state is ConsentState.GRANTED:
            actions = ["withdraw"]
        state_key = "expired_state" if consent.state is ConsentState.EXPIRED else consent.state
        context.update(
            heading=t["title"],
            # None only if the deployment's default was removed after this link went out.
            controller=await c.controllers.controller(tenant_id=consent.tenant_id)
            or Controller(name="-", contact="-"),
            source=source_phrase(contact.platform if contact else None, lang),
            deadline=format_date(consent.expires_at, lang),
            state=consent.state.value,
            status=t.get(state_key, "").format(
                at=format_date(decision.at if decision else None, lang)
            ),
            actions=actions,
            action=f"/c/{token}",
            csrf=csrf_value(key=c.secret, nonce=nonce, token=token),
        )
    else:
        context.update(heading=t[page], message=t[f"{page}_body"])
    html = _ENV.get_template("landing.html").render(**context)
    response = HTMLResponse(html, status_code=status, headers=HEADERS)
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            httponly=True,
            samesite="strict",
            secure=c.secure_cookies,
            path="/c/",
        )
    return response


async def _page(request: Request, token: str, lang: str | None) -> Response:
    c = _container(request)
    found = await c.service.by_token(token)
    if found is None:
        return await _render(
            request, page="unknown", status=404, lang=_language(request, lang, None), token=token
        )
    consent, retired = found
    language = _language(request, lang, consent)
    now = c.service.clock()
    timed_out = consent.state is ConsentState.REQUESTED and not consent.is_pending(now)
    if retired or timed_out or consent.state is ConsentState.EXPIRED:
        return await _render(request, page="expired", status=410, lang=language, token=token)
    page = "pending" if consent.state is ConsentState.REQUESTED else "decided"
    return await _render(
        request, page=page, status=200, lang=language, token=token, consent=consent
    )


@router.get("/c/{token}", response_class=HTMLResponse)
async def show(request: Request, token: str, lang: str | None = None) -> Response:
    """What the talent reads; never changes anything."""
    return await _page(request, token, lang)


@router.post("/c/{token}", response_class=HTMLResponse)
async def answer(
    request: Request,
    token: str,
    decision: str = Form(default=""),
    csrf: str = Form(default=""),
    lang: str = Form(default="en"),
) -> Response:
    """Grant, deny or withdraw; answers with a redirect to the page showing the result."""
    c = _container(request)
    language = lang if lang in LANGUAGES else "en"
    nonce = request.cookies.get(CSRF_COOKIE)
    expected = csrf_value(key=c.secret, nonce=nonce, token=token) if nonce else ""
    if not nonce or not hmac.compare_digest(csrf.encode(), expected.encode()):
        return await _render(request, page="csrf", status=403, lang=language, token=token)
    state = DECISIONS.get(decision)
    if state is None:
        return await _page(request, token, language)
    try:
        await c.service.decide(
            token=token,
            state=state,
            language=language,
            user_agent=request.headers.get("user-agent"),
            ip=request.client.host if request.client else None,
        )
    except ConsentError as exc:
        if exc.code == "consent_token_unknown":
            return await _render(request, page="unknown", status=404, lang=language, token=token)
    return RedirectResponse(f"/c/{token}?lang={language}", status_code=303, headers=HEADERS)

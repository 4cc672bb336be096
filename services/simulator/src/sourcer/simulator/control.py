"""The `/_sim` control API tests use: log in, expire sessions, set scenarios, edit members."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sourcer.proto.records import Platform, Profile
from sourcer.simulator.model import SimProfile
from sourcer.simulator.scenarios import Scenario
from sourcer.simulator.state import SESSION_COOKIES, SimState


def sim_state(request: Request) -> SimState:
    state: SimState = request.app.state.sim
    return state


def set_session_cookie(response: Response, platform: Platform, token: str) -> None:
    response.set_cookie(SESSION_COOKIES[platform], token, httponly=True, samesite="lax", path="/")


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    return body


async def sim_login(request: Request) -> Response:
    """Log an account in without a form; sets the session cookie(s) and returns their values."""
    st = sim_state(request)
    account = request.query_params.get("account", "").strip()
    if not account:
        return _problem(400, "query parameter 'account' is required")
    wanted = request.query_params.get("platform")
    platforms = [Platform(wanted)] if wanted in ("linkedin", "xing") else list(Platform)
    cookies = {SESSION_COOKIES[p]: st.sessions.login(account, p) for p in platforms}
    target = request.query_params.get("next")
    response: Response
    if target and target.startswith("/"):
        response = RedirectResponse(target, 302)
    else:
        response = JSONResponse({"account": account, "cookies": cookies})
    for platform in platforms:
        set_session_cookie(response, platform, cookies[SESSION_COOKIES[platform]])
    return response


async def sim_expire(request: Request) -> Response:
    """Invalidate every session of an account, as if the platform logged it out."""
    try:
        body = await _json(request)
    except ValueError as exc:
        return _problem(400, str(exc))
    account = str(body.get("account", ""))
    return JSONResponse(
        {"account": account, "expired": sim_state(request).sessions.expire(account)}
    )


async def set_scenario(request: Request) -> Response:
    """Switch a scenario for a slug, an account, or everyone (`scenario: null` switches off)."""
    st = sim_state(request)
    try:
        body = await _json(request)
        seconds = body.get("seconds")
        st.scenarios.set(
            Scenario(body["scenario"]) if body.get("scenario") else None,
            slug=body.get("slug"),
            account=body.get("account"),
            seconds=float(seconds) if seconds is not None else None,
        )
    except (ValueError, KeyError) as exc:
        return _problem(400, f"bad scenario request: {exc}")
    return JSONResponse(st.scenarios.describe())


async def get_scenarios(request: Request) -> Response:
    """The scenarios currently switched on."""
    return JSONResponse(sim_state(request).scenarios.describe())


async def reset(request: Request) -> Response:
    """Switch every scenario off and zero the statistics."""
    st = sim_state(request)
    st.scenarios.clear()
    st.stats.reset()
    return JSONResponse({"ok": True})


async def stats(request: Request) -> Response:
    """Page loads per slug and per account, plus timestamped events."""
    return JSONResponse(sim_state(request).stats.snapshot())


async def list_profiles(request: Request) -> Response:
    """Every simulated member with its real and simulator URLs."""
    members = sim_state(request).catalog.all()
    return JSONResponse(
        [
            {
                "slug": s.slug,
                "platform": s.platform.value,
                "display_name": s.display_name,
                "profile_url": s.profile.source.profile_url,
                "path": s.path,
            }
            for s in members
        ]
    )


async def get_profile(request: Request) -> Response:
    """The exact profile an extraction of this member must produce."""
    sim = sim_state(request).catalog.find(request.path_params["slug"])
    if sim is None:
        return _problem(404, "unknown member")
    return Response(sim.profile.model_dump_json(), media_type="application/json")


async def put_profile(request: Request) -> Response:
    """Change a member (body: a Profile), or create one (body: {"profile": ..., presentation})."""
    catalog = sim_state(request).catalog
    slug = request.path_params["slug"]
    try:
        body = await _json(request)
        if "profile" in body:
            spec = dict(body)
            profile = Profile.model_validate(spec.pop("profile"))
            spec.setdefault("display_name", _plain_name(profile))
            spec.setdefault("contact_emails", profile.emails)
            spec["contact_emails"] = tuple(spec["contact_emails"])
            spec["certifications"] = tuple(tuple(c) for c in spec.get("certifications", ()))
            spec["workplace"] = {int(k): v for k, v in spec.get("workplace", {}).items()}
            sim = SimProfile(profile=profile, **spec)
            if sim.slug != slug:
                raise ValueError("source.profile_id must equal the slug in the path")
            catalog.put(sim)
        else:
            sim = catalog.update_profile(slug, Profile.model_validate(body))
    except KeyError:
        return _problem(404, "unknown member; send {'profile': ...} to create one")
    except (ValueError, TypeError, ValidationError) as exc:
        return _problem(422, str(exc))
    return Response(sim.profile.model_dump_json(), media_type="application/json")


async def delete_profile(request: Request) -> Response:
    """Remove a member: their pages answer 404 from now on."""
    removed = sim_state(request).catalog.remove(request.path_params["slug"])
    return JSONResponse({"removed": removed}, status_code=200 if removed else 404)


def _plain_name(profile: Profile) -> str:
    return " ".join(p for p in (profile.first_name, profile.last_name) if p)


def control_routes() -> list[Route]:
    return [
        Route("/_sim/login", sim_login),
        Route("/_sim/expire", sim_expire, methods=["POST"]),
        Route("/_sim/scenario", set_scenario, methods=["POST"]),
        Route("/_sim/scenario", get_scenarios),
        Route("/_sim/reset", reset, methods=["POST"]),
        Route("/_sim/stats", stats),
        Route("/_sim/profiles", list_profiles),
        Route("/_sim/profiles/{slug}", get_profile),
        Route("/_sim/profiles/{slug}", put_profile, methods=["POST"]),
        Route("/_sim/profiles/{slug}", delete_profile, methods=["DELETE"]),
    ]

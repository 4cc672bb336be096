"""A login as recruiters and ops hand it in (a session cookie or a Playwright storage state),
turned into the storage state the browser loads, with cookies only for the platform's hosts."""

from __future__ import annotations

from urllib.parse import urlsplit

from sourcer.proto.records import Platform
from sourcer.proto.session_api import SessionConnect, StorageState

SESSION_COOKIE = {Platform.LINKEDIN: "li_at", Platform.XING: "login"}
PLATFORM_DOMAINS = {Platform.LINKEDIN: "linkedin.com", Platform.XING: "xing.com"}


class SessionInputError(ValueError):
    """The login holds nothing for the platform."""


def cookie_storage_state(platform: Platform, value: str, base_url: str) -> dict[str, object]:
    """A storage state holding just the session cookie, for the configured platform host."""
    host = urlsplit(base_url).hostname or ""
    return {
        "cookies": [
            {
                "name": SESSION_COOKIE[platform],
                "value": value,
                "domain": host,
                "path": "/",
                "expires": -1,
                "httpOnly": True,
                "secure": base_url.startswith("https"),
                "sameSite": "Lax",
            }
        ],
        "origins": [],
    }


def _for_platform(domain: str, hosts: set[str]) -> bool:
    domain = domain.lstrip(".").lower()
    return any(domain == host or domain.endswith("." + host) for host in hosts)


def storage_state_for(
    platform: Platform, given: SessionConnect, base_url: str
) -> dict[str, object]:
    """The storage state to store: a cookie made into one, or the given one with cookies of
    other sites dropped (a recruiter's export may hold any site's cookies; we keep none)."""
    if given.cookie is not None:
        return cookie_storage_state(platform, given.cookie, base_url)
    assert given.storage_state is not None
    return checked_storage_state(platform, given.storage_state, base_url)


def checked_storage_state(
    platform: Platform, state: StorageState, base_url: str
) -> dict[str, object]:
    hosts = {PLATFORM_DOMAINS[platform], (urlsplit(base_url).hostname or "").lower()}
    cookies = [c.model_dump() for c in state.cookies if _for_platform(c.domain, hosts)]
    if not any(c["name"] == SESSION_COOKIE[platform] for c in cookies):
        raise SessionInputError(
            f"the storage state has no {SESSION_COOKIE[platform]} cookie for {platform.value}"
        )
    return {"cookies": cookies, "origins": []}
